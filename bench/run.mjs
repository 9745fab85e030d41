// `npm run bench`: cold page loads in headless Chromium of generated threads of 100, 1,000 and
// 10,000 posts, timed from navigation start with script loading included, for the raw baseline
// (marked + DOMPurify + one innerHTML) and for Parley on the reference server (RestAdapter), on
// inline data and on a preloaded JSON file (MemoryAdapter, `src`). Each run opens every variant
// once, baseline first, in a fresh browser context; runs are interleaved so drift hits all alike,
// and the tables show medians.
// Usage: node bench/run.mjs [--runs 5] [--sizes 100,1000,10000] [--json results.json]
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../scripts/chromium.mjs';
import { distSizes } from './dist-size.mjs';
import { generateThread } from './generate.mjs';
import { startBenchServer } from './http.mjs';
import { baselinePage, filePage, helpers, memoryPage, restPage } from './pages.mjs';
import { startReferenceServer } from './reference-server.mjs';
import { report } from './report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 5));
const SIZES = String(arg('sizes', '100,1000,10000'))
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const JSON_OUT = arg('json', null);
if (!(RUNS >= 1) || SIZES.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('Usage: node bench/run.mjs [--runs 5] [--sizes 100,1000,10000] [--json file]');
  process.exit(2);
}
if (!existsSync(join(root, 'dist/parley.js'))) {
  console.error('bench: dist/parley.js is missing; run `npm run build` (or `npm run bench`).');
  process.exit(1);
}

/** Posts the baseline shows at first, and the thread size whose RestAdapter page is weighed. */
const FIRST = 100;
const SMALL = SIZES[0];
const BIG = SIZES.at(-1);
/** Posts loaded, then scrolled through, for the scrolling measurement. */
const SCROLLED = Math.min(BIG, 500);
/** Posts the baseline adds for its per-post cost (Parley adds one page, `loadMore()`). */
const MORE = 50;

// ---- The data: one thread per size, post ids unique across them, the same 40 members. ----
const threads = new Map(SIZES.map((n) => [n, generateThread(n, 42, { idPrefix: `t${n}-` })]));
const users = threads.get(SMALL).users;
const reader = users[0];
const lastId = (n) => threads.get(n).posts.at(-1).id;

/** Everything to clean up, newest first, on every way out. */
const cleanups = [];
async function cleanUp() {
  while (cleanups.length)
    await cleanups
      .pop()()
      .catch((e) => console.error(e));
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    interrupted = true;
    void cleanUp().then(() => process.exit(130));
  });

/** The embedded backend's data for a generated thread, read by `viewer` (null: signed out). */
const seedOf = (data, viewer) => ({
  threads: [data.thread],
  posts: data.posts,
  users: data.users,
  viewer: { user: viewer },
});

let apiUrl = '';
const pageCache = new Map();
function pages(path, query) {
  const match = /^\/(baseline|rest|memory|file)\/(\d+)\.html$/.exec(path);
  const data = match && threads.get(Number(match[2]));
  if (!match || !data) return null;
  const key = `${path}?${query}`;
  if (pageCache.has(key)) return pageCache.get(key);
  const n = Number(match[2]);
  const threadId = data.thread.id;
  let html;
  if (match[1] === 'baseline')
    html = baselinePage({ n, limit: Number(query.get('limit') ?? Math.min(n, FIRST)) });
  else if (match[1] === 'rest') html = restPage({ endpoint: apiUrl, threadId });
  else if (match[1] === 'file') html = filePage({ threadId, src: `/seed/${n}.json` });
  else
    html = memoryPage({
      threadId,
      pageSize: Number(query.get('pageSize')) || undefined,
      seed: seedOf(data, query.has('viewer') ? reader : null),
    });
  pageCache.set(key, html);
  return html;
}

const results = {};
const record = (key, values) => (results[key] ??= []).push(values);
let browserVersion = '';

try {
  const bench = await startBenchServer({
    root,
    pages,
    data: (n) => threads.get(n)?.posts,
    seed: (n) => (threads.has(n) ? JSON.stringify(seedOf(threads.get(n), null)) : undefined),
  });
  cleanups.push(bench.close);
  process.stderr.write('bench: seeding and starting the reference server\n');
  const api = await startReferenceServer({
    root,
    origin: bench.origin,
    seed: {
      threads: [...threads.values()].map((t) => t.thread),
      posts: [...threads.values()].flatMap((t) => t.posts),
      users,
    },
  });
  cleanups.push(api.stop);
  apiUrl = api.url;

  const browser = await launchChromium(['--js-flags=--expose-gc']);
  cleanups.push(() => browser.close());
  browserVersion = browser.version();

  /**
   * Opens `path` in a fresh context (empty cache and storage: a first visit), waits for the first
   * comment painted and the end of opening, then hands the page to `fn`.
   */
  async function session(path, fn) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[${path}] ${e.message}`));
      await page.goto(bench.origin + path, { timeout: 180_000 });
      await page.waitForFunction(() => window.__bench.painted > 0, null, {
        timeout: 180_000,
        polling: 100,
      });
      await page.evaluate(helpers);
      const opening = await page.evaluate(() => window.bench.settle());
      return await fn(page, opening);
    } finally {
      await context.close();
    }
  }

  async function heap(page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 1024 / 1024;
  }

  const paths = {
    baseline: (n) => `/baseline/${n}.html?limit=${Math.min(n, FIRST)}`,
    all: (n) => `/baseline/${n}.html?limit=${n}`,
    rest: (n) => `/rest/${n}.html`,
    memory: (n) => `/memory/${n}.html`,
    file: (n) => `/file/${n}.html`,
  };

  /** One cold open of a variant, then what else that page can tell. */
  const open = (variant, n) =>
    session(paths[variant](n), async (page, opening) => {
      const { painted, longTasks, longestTask } = opening;
      /** @type {Record<string, any>} */
      const r = { painted, longTasks, longestTask };
      if (variant === 'rest' && n === SMALL) {
        // Everything but the thread's data (the reference server's answers) and the document.
        const loaded = (await page.evaluate(() => window.bench.resources())).filter(
          (e) => new URL(e.url).origin !== new URL(apiUrl).origin,
        );
        const list = (before) =>
          loaded
            .filter((e) => e.before === before)
            .map((e) => ({ path: new URL(e.url).pathname, gzip: e.encoded, raw: e.decoded }));
        r.critical = list(true);
        r.later = list(false);
        r.criticalBytes = r.critical.reduce((sum, e) => sum + e.gzip, 0);
      }
      r.heap = await heap(page);
      r.nodes = await page.evaluate(() => window.bench.nodes());
      const parley = variant !== 'baseline' && variant !== 'all';
      const shown = await page.evaluate(() => window.bench.shown());
      if (parley || n > shown) {
        const more = await page.evaluate(
          ([parley, n, count]) =>
            parley ? window.bench.parleyMore() : window.bench.baselineMore(n, count),
          /** @type {const} */ ([parley, n, MORE]),
        );
        if (more.added > 0) r.perPost = more.ms / more.added;
      }
      if (parley || shown >= n) {
        const jump = await page.evaluate((id) => window.bench.jump(id), lastId(n));
        if (!jump.ok)
          throw new Error(`${variant}: jump to the last of ${n} posts did not focus it`);
        r.jump = jump.ms;
      }
      return r;
    });

  /** Reply on a warm page, signed in: the click to the reply box's textarea focused and painted. */
  const reply = () =>
    session(`/memory/${SMALL}.html?viewer=1`, async (page) => {
      // The first reply's Reply (the opening post's has no reply box of its own).
      const handle = await page.evaluateHandle(() =>
        window.bench.deepFind('[part~="action"][data-action="reply"]', 1),
      );
      const button = handle.asElement();
      if (!button) throw new Error('reply: no Reply button for a signed-in reader');
      await button.scrollIntoViewIfNeeded();
      // The pointer rests on the button a moment before the click, as a reader's does.
      await button.hover();
      await page.waitForTimeout(100);
      await page.evaluate(() => window.bench.armReply());
      await page.mouse.down();
      await page.mouse.up();
      const ms = await page.evaluate(() =>
        Promise.race([
          window.bench.reply(),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('reply: no focused textarea within 10 s')), 10_000),
          ),
        ]),
      );
      return { reply: ms };
    });

  /** Long tasks while scrolling through SCROLLED loaded posts of the biggest thread. */
  const scroll = (variant) =>
    session(
      variant === 'baseline'
        ? `/baseline/${BIG}.html?limit=${SCROLLED}`
        : `/memory/${BIG}.html?pageSize=${SCROLLED}`,
      async (page) => {
        await page.waitForFunction((count) => window.bench.shown() >= count, SCROLLED, {
          timeout: 120_000,
          polling: 250,
        });
        const { count, max } = await page.evaluate(() => window.bench.scroll());
        return { scrollTasks: count, scrollLongest: max };
      },
    );

  // A first page in a new browser pays for starting its processes: one of each kind, unrecorded.
  process.stderr.write('bench: warming up\n');
  await open('baseline', SMALL);
  await open('rest', SMALL);
  await open('memory', SMALL);
  await open('file', SMALL);

  const started = Date.now();
  for (let run = 0; run < RUNS; run++) {
    process.stderr.write(`bench: run ${run + 1}/${RUNS}`);
    for (const n of SIZES) {
      for (const variant of ['baseline', 'all', 'rest', 'memory', 'file']) {
        // At 100 posts "all" is the baseline itself.
        if (variant === 'all' && n <= FIRST) continue;
        record(`${variant}-${n}`, await open(variant, n));
        process.stderr.write('.');
      }
    }
    record('reply', await reply());
    record('scroll-baseline', await scroll('baseline'));
    record('scroll-memory', await scroll('memory'));
    process.stderr.write(` ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
} catch (error) {
  // Interrupted: what failed was the browser or a server going away under a measurement.
  if (!interrupted) throw error;
} finally {
  await cleanUp();
}
if (interrupted) process.exit(130);

if (JSON_OUT)
  writeFileSync(JSON_OUT, JSON.stringify({ runs: RUNS, sizes: SIZES, results }, null, 1));
console.log(
  report({
    results,
    runs: RUNS,
    sizes: SIZES,
    first: FIRST,
    scrolled: SCROLLED,
    more: MORE,
    browser: browserVersion,
    dist: distSizes(join(root, 'dist')),
  }),
);
