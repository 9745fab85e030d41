// The pages the benchmark opens, and the helpers it injects into them once they have painted.
// Every page starts with the same inline probe (a classic script in <head>, so it runs before any
// module loads): it records long tasks from navigation start and the moment the first comment is
// painted. Beyond the probe, a Parley page is only what a site owner writes: one module script and
// the <parley-thread> markup.

const STYLE = `<style>body{margin:0;font-family:system-ui,sans-serif} main,parley-thread{display:block;max-width:48rem;margin:0 auto} article{padding:1rem 0;border-top:1px solid #ddd}</style>`;

/**
 * The probe: `window.__bench.longTasks` ([start, duration] of every long task, buffered from
 * navigation start) and `window.__bench.painted`, the `performance.now()` (navigation start = 0)
 * of the frame that first shows a comment's body: found on an animation frame (so that frame
 * paints it), with a laid-out size, and timed by a task queued from that frame, which runs once
 * the frame's rendering is done. The body is searched through shadow roots, so the probe keeps
 * working however the thread structures its posts.
 * @param {string} host selector of the element that holds the comments
 * @param {string} body selector of a comment's body inside it
 */
function probe(host, body) {
  return `<script>(() => {
  const b = (window.__bench = { painted: 0, longTasks: [] });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  const deep = (root, sel) => {
    const hit = root.querySelector(sel);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const h = deep(el.shadowRoot, sel); if (h) return h; }
    return null;
  };
  const find = () => {
    const h = document.querySelector(${JSON.stringify(host)});
    return h && ((h.shadowRoot && deep(h.shadowRoot, ${JSON.stringify(body)})) || deep(h, ${JSON.stringify(body)}));
  };
  const tick = () => {
    const el = find();
    if (el && el.getBoundingClientRect().height > 0) setTimeout(() => { b.painted = performance.now(); });
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();</script>`;
}

const PARLEY_PROBE = probe('parley-thread', '[part~="body"]');

/**
 * Parley on the reference server through `RestAdapter`, set up by markup alone.
 * @param {{ endpoint: string, threadId: string }} options
 */
export function restPage({ endpoint, threadId }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Parley bench</title>
${PARLEY_PROBE}${STYLE}
<script type="module" src="/dist/parley.js"></script></head><body>
<parley-thread endpoint="${endpoint}" thread-id="${threadId}"></parley-thread>
</body></html>`;
}

/**
 * Parley on its embedded `MemoryAdapter`, seeded from the inline JSON script it reads.
 * @param {{ threadId: string, seed: object, pageSize?: number }} options
 */
export function memoryPage({ threadId, seed, pageSize }) {
  // "<" escaped, so that no post can end the script element early.
  const json = JSON.stringify(seed).replace(/</g, '\\u003c');
  const size = pageSize ? ` page-size="${pageSize}"` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Parley bench</title>
${PARLEY_PROBE}${STYLE}
<script type="module" src="/dist/parley.js"></script></head><body>
<parley-thread thread-id="${threadId}"${size}><script type="application/json">${json}</script></parley-thread>
</body></html>`;
}

/**
 * Parley on its embedded `MemoryAdapter`, seeded from a JSON file (`src`) that a preload hint
 * starts downloading with the page, as the README suggests for a large discussion.
 * @param {{ threadId: string, src: string }} options
 */
export function filePage({ threadId, src }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Parley bench</title>
${PARLEY_PROBE}${STYLE}
<link rel="preload" as="fetch" crossorigin href="${src}">
<script type="module" src="/dist/parley.js"></script></head><body>
<parley-thread thread-id="${threadId}" src="${src}"></parley-thread>
</body></html>`;
}

/**
 * The raw baseline: marked + DOMPurify from node_modules, the posts fetched as JSON, and one
 * `innerHTML` of them all. `window.renderPosts` is left for the per-post measurement.
 * @param {{ n: number, limit: number }} options
 */
export function baselinePage({ n, limit }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Baseline bench</title>
${probe('main', 'article')}${STYLE}
<script type="module">
import { marked } from '/node_modules/marked/lib/marked.esm.js';
import DOMPurify from '/node_modules/dompurify/dist/purify.es.mjs';
window.renderPosts = (posts) => posts.map((p) => '<article id="post-' + p.id + '" tabindex="-1"><header><b>' + DOMPurify.sanitize(p.author.name) + '</b> <time>' + p.createdAt + '</time></header>' +
  (p.quote ? '<blockquote>' + DOMPurify.sanitize(p.quote.text) + '</blockquote>' : '') + DOMPurify.sanitize(marked.parse(p.body)) + '</article>').join('');
const posts = await (await fetch('/data/${n}?offset=0&limit=${limit}')).json();
document.querySelector('main').innerHTML = window.renderPosts(posts);
</script></head><body><main></main></body></html>`;
}

/**
 * Evaluated in a page once its first comment has painted: `window.bench`, what the runner calls.
 * Kept out of the pages themselves so that nothing but the probe runs before the first paint.
 */
export const helpers = `window.bench = (() => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  /** The performance.now() after the frame on which test() first holds has rendered. */
  const paintedWhen = (test) => new Promise((resolve) => {
    const tick = () => (test() ? setTimeout(() => resolve(performance.now())) : requestAnimationFrame(tick));
    tick();
  });
  const deepAll = (root, sel, out = []) => {
    out.push(...root.querySelectorAll(sel));
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) deepAll(el.shadowRoot, sel, out);
    return out;
  };
  const deepFind = (sel, index = 0) => deepAll(document, sel)[index] ?? null;
  /** document.activeElement, then the active element of each shadow root down. */
  const activeChain = () => {
    const chain = [];
    for (let a = document.activeElement; a; a = a.shadowRoot?.activeElement ?? null) chain.push(a);
    return chain;
  };
  const countNodes = (root) => {
    let n = 0;
    const walk = (node) => { n++; if (node.shadowRoot) walk(node.shadowRoot); for (let c = node.firstChild; c; c = c.nextSibling) walk(c); };
    walk(root);
    return n;
  };
  const thread = () => document.querySelector('parley-thread');
  const bodies = () => { const t = thread(); return deepAll(t.shadowRoot ?? t, '[part~="body"]').length + (t.shadowRoot ? deepAll(t, '[part~="body"]').length : 0); };
  return {
    deepFind,
    /**
     * Waits until opening is over (300 ms after the first paint with no long task ending in the
     * last 300 ms; at most 10 s), then returns the first paint and the long tasks until then.
     */
    async settle() {
      const b = window.__bench;
      const quiet = () => { const now = performance.now(); return now - b.painted >= 300 && b.longTasks.every(([s, d]) => now - (s + d) >= 300); };
      while (!quiet() && performance.now() - b.painted < 10000) await sleep(50);
      const end = performance.now();
      const tasks = b.longTasks.filter(([s]) => s < end).map(([, d]) => d);
      return { painted: b.painted, end, longTasks: tasks.length, longestTask: tasks.length ? Math.max(...tasks) : 0 };
    },
    /** Every resource that answered before the first paint (the document aside). */
    resources: () => performance.getEntriesByType('resource').map((e) => ({
      url: e.name, type: e.initiatorType, before: e.responseStart < window.__bench.painted, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
    })),
    nodes: () => countNodes(document),
    shown: () => (thread() ? bodies() : document.querySelectorAll('article').length),
    /** Parley: thread.loadMore() to the added posts painted. */
    async parleyMore() {
      const before = bodies();
      const t0 = performance.now();
      const added = await thread().loadMore();
      const t1 = await paintedWhen(() => bodies() >= before + added);
      return { ms: t1 - t0, added };
    },
    /** Baseline: fetch the next posts, innerHTML them in, painted. */
    async baselineMore(n, count) {
      const main = document.querySelector('main');
      const offset = main.children.length;
      const t0 = performance.now();
      const posts = await (await fetch('/data/' + n + '?offset=' + offset + '&limit=' + count)).json();
      main.insertAdjacentHTML('beforeend', window.renderPosts(posts));
      const t1 = await paintedWhen(() => true);
      return { ms: t1 - t0, added: posts.length };
    },
    /** Jump to a post: scrolled to, focused and painted. */
    async jump(postId) {
      const t0 = performance.now();
      let ok;
      if (thread()) ok = await thread().jumpTo(postId);
      else {
        const el = document.getElementById('post-' + postId);
        el.scrollIntoView({ block: 'center' });
        el.focus({ preventScroll: true });
        ok = true;
      }
      await afterPaint();
      const focused = activeChain().some((el) => el.getAttribute('data-post-id') === postId || el.id === 'post-' + postId);
      return { ms: performance.now() - t0, ok: ok && focused };
    },
    /** Arms the Reply measurement: from the next click's timestamp to a focused, painted textarea. */
    armReply() {
      window.__reply = new Promise((resolve) => {
        addEventListener('click', (event) => {
          const start = event.timeStamp;
          paintedWhen(() => activeChain().at(-1)?.localName === 'textarea').then((t) => resolve(t - start));
        }, { capture: true, once: true });
      });
    },
    reply: () => window.__reply,
    async scroll() {
      const tasks = [];
      const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'longtask' });
      const end = document.documentElement.scrollHeight - innerHeight;
      for (let y = 0; y <= end; y += 400) { scrollTo(0, y); await frame(); }
      await afterPaint();
      await sleep(100);
      observer.disconnect();
      return { count: tasks.length, max: tasks.length ? Math.max(...tasks) : 0 };
    },
  };
})()`;
