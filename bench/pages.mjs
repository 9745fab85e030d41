// The two pages the benchmark drives: Parley on a fetch-backed adapter, and the raw baseline
// (marked + DOMPurify + one innerHTML of every post). Both expose window.bench.

const helpers = `
const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const until = (test) => new Promise((resolve) => { const tick = () => (test() ? resolve() : requestAnimationFrame(tick)); tick(); });
function countNodes(root) {
  let n = 0;
  const walk = (node) => { n++; if (node.shadowRoot) walk(node.shadowRoot); for (let c = node.firstChild; c; c = c.nextSibling) walk(c); };
  walk(root);
  return n;
}
function watchLongTasks() {
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  return () => (observer.disconnect(), { count: tasks.length, max: tasks.length ? Math.max(...tasks) : 0 });
}
async function scrollThrough(maxY) {
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  const end = Math.min(maxY, document.documentElement.scrollHeight - innerHeight);
  for (let y = 0; y <= end; y += 400) { scrollTo(0, y); await new Promise((r) => requestAnimationFrame(r)); }
  await afterPaint();
  observer.disconnect();
  return { count: tasks.length, max: tasks.length ? Math.max(...tasks) : 0 };
}
`;

export const parleyPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley bench</title>
<style>body{margin:0;font-family:system-ui,sans-serif} parley-thread{max-width:48rem;margin:0 auto}</style></head><body>
<script type="module">
import { ParleyError } from '/dist/parley.js';
${helpers}
const api = (n, path) => fetch('/api/' + n + path).then(async (r) => { const body = await r.json(); if (!r.ok) throw new ParleyError(body.code, body.message); return body; });
class BenchAdapter {
  constructor(n) { this.n = n; }
  getThread(id) { return api(this.n, '/thread'); }
  listPosts(id, o = {}) { return api(this.n, '/posts?' + new URLSearchParams({ cursor: o.cursor ?? '', limit: o.limit ?? 50, direction: o.direction ?? 'forward' })); }
  listPostsAround(id, postId, o = {}) { return api(this.n, '/around/' + encodeURIComponent(postId) + '?' + new URLSearchParams({ before: o.before ?? 10, after: o.after ?? 10 })); }
  getPost(id) { return api(this.n, '/post/' + encodeURIComponent(id)); }
  async getViewer() { return { user: null }; }
  async createPost() { throw new ParleyError('forbidden', 'read-only bench'); }
  async updatePost() { throw new ParleyError('forbidden', 'read-only bench'); }
  async deletePost() { throw new ParleyError('forbidden', 'read-only bench'); }
}
const firstBody = (el) => el.shadowRoot?.querySelector('parley-post')?.shadowRoot?.querySelector('[part~="body"]');
window.bench = {
  async open(n, pageSize) {
    await customElements.whenDefined('parley-thread');
    const el = document.createElement('parley-thread');
    el.setAttribute('thread-id', 'bench-' + n);
    el.setAttribute('page-size', String(pageSize));
    const adapter = new BenchAdapter(n);
    const stop = watchLongTasks();
    const t0 = performance.now();
    el.adapter = adapter;
    document.body.append(el);
    await until(() => firstBody(el));
    await afterPaint();
    const painted = performance.now() - t0;
    await until(() => el.shadowRoot.querySelector('parley-composer'));
    await el.updateComplete;
    await Promise.all([...el.shadowRoot.querySelectorAll('parley-post')].map((p) => p.updateComplete));
    await afterPaint();
    const interactive = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
    window.thread = el;
    return { painted, interactive, openTasks: stop().max };
  },
  async jumpLast(n) {
    const el = window.thread;
    const t0 = performance.now();
    const ok = await el.jumpTo('p' + (n - 1));
    await afterPaint();
    const focused = el.shadowRoot.activeElement?.getAttribute('data-post-id') === 'p' + (n - 1);
    return { ms: performance.now() - t0, ok: ok && focused };
  },
  nodes: () => countNodes(document),
  posts: () => window.thread.shadowRoot.querySelectorAll('parley-post').length,
  scroll: () => scrollThrough(1e9),
};
</script></body></html>`;

export const baselinePage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline bench</title>
<style>body{margin:0;font-family:system-ui,sans-serif} main{max-width:48rem;margin:0 auto} article{padding:1rem 0;border-top:1px solid #ddd}</style></head><body><main></main>
<script type="module">
import { marked } from '/node_modules/marked/lib/marked.esm.js';
import DOMPurify from '/node_modules/dompurify/dist/purify.es.mjs';
${helpers}
window.bench = {
  async open(n, limit) {
    const posts = (await (await fetch('/api/' + n + '/all')).json()).slice(0, limit ?? Infinity);
    const stop = watchLongTasks();
    const t0 = performance.now();
    const html = posts.map((p) => '<article id="post-' + p.id + '" tabindex="-1"><header><b>' + DOMPurify.sanitize(p.author.name) + '</b> <time>' + p.createdAt + '</time></header>' +
      (p.quote ? '<blockquote>' + DOMPurify.sanitize(p.quote.text) + '</blockquote>' : '') + DOMPurify.sanitize(marked.parse(p.body)) + '</article>').join('');
    document.querySelector('main').innerHTML = html;
    await until(() => document.querySelector('article'));
    await afterPaint();
    const painted = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
    return { painted, interactive: painted, openTasks: stop().max };
  },
  async jumpLast(n) {
    const t0 = performance.now();
    const last = document.getElementById('post-p' + (n - 1));
    last.scrollIntoView({ block: 'center' });
    last.focus({ preventScroll: true });
    await afterPaint();
    return { ms: performance.now() - t0, ok: document.activeElement === last };
  },
  nodes: () => countNodes(document),
  posts: () => document.querySelectorAll('article').length,
  scroll: () => scrollThrough(1e9),
};
</script></body></html>`;
