// `npm run bench`: opens generated threads of 100, 1,000 and 10,000 posts in headless Chromium
// with Parley and with the raw baseline (marked + DOMPurify + one innerHTML of every post), and
// prints medians of several runs with each Parley figure as a ratio to the baseline.
// Usage: node bench/run.mjs [--runs 5] [--sizes 100,1000,10000]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { generateThread } from './generate.mjs';
import { baselinePage, parleyPage } from './pages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 5));
const SIZES = arg('sizes', '100,1000,10000').split(',').map(Number);
const PAGE = 50;
const SCROLLED = 500;

// ---- The data server: the thread API the bench adapter reads, plus the two pages. ----
const threads = new Map(SIZES.map((n) => [n, generateThread(n)]));
function page(list, start, count) {
  const posts = list.slice(start, start + count);
  const end = start + posts.length;
  return {
    posts,
    nextCursor: posts.length && end < list.length ? `after:${posts.at(-1).id}` : null,
    prevCursor: posts.length && start > 0 ? `before:${posts[0].id}` : null,
    total: list.length,
    offset: start,
  };
}
function api(n, path, query) {
  const data = threads.get(n);
  if (!data) return [404, { code: 'not-found', message: 'no such thread' }];
  const list = data.posts;
  const index = (id) => list.findIndex((p) => p.id === id);
  if (path === '/thread') return [200, data.thread];
  if (path === '/all') return [200, list];
  if (path === '/posts') {
    const limit = Number(query.get('limit')) || PAGE;
    const cursor = /^(after|before):(.+)$/.exec(query.get('cursor') ?? '');
    if (!cursor)
      return [
        200,
        page(
          list,
          query.get('direction') === 'backward' ? Math.max(0, list.length - limit) : 0,
          limit,
        ),
      ];
    const i = index(cursor[2]);
    if (cursor[1] === 'after') return [200, page(list, i + 1, limit)];
    const start = Math.max(0, i - limit);
    return [200, page(list, start, i - start)];
  }
  let match = /^\/around\/(.+)$/.exec(path);
  if (match) {
    const i = index(decodeURIComponent(match[1]));
    if (i < 0) return [404, { code: 'not-found', message: 'no such post' }];
    const before = Number(query.get('before') ?? 10);
    const start = Math.max(0, i - before);
    return [200, page(list, start, i - start + 1 + Number(query.get('after') ?? 10))];
  }
  match = /^\/post\/(.+)$/.exec(path);
  if (match) {
    const post = list[index(decodeURIComponent(match[1]))];
    return post ? [200, post] : [404, { code: 'not-found', message: 'no such post' }];
  }
  return [404, { code: 'not-found', message: 'unknown path' }];
}
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };
const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const send = (status, body, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const apiMatch = /^\/api\/(\d+)(\/.*)$/.exec(url.pathname);
  if (apiMatch) return send(...api(Number(apiMatch[1]), apiMatch[2], url.searchParams));
  if (url.pathname === '/parley.html') return send(200, parleyPage, 'text/html');
  if (url.pathname === '/baseline.html') return send(200, baselinePage, 'text/html');
  const file = normalize(join(root, url.pathname));
  if (!file.startsWith(join(root, 'dist')) && !file.startsWith(join(root, 'node_modules')))
    return send(404, 'not found', 'text/plain');
  try {
    send(200, await readFile(file, 'utf8'), types[extname(file)] ?? 'text/plain');
  } catch {
    send(404, 'not found', 'text/plain');
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---- The browser. ----
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--js-flags=--expose-gc',
  ],
});

async function session(kind, fn) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${kind}] ${e.message}`));
  await page.goto(`${origin}/${kind}.html`);
  await page.waitForFunction(() => window.bench);
  try {
    return await fn(page);
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

async function measure(kind, n) {
  const open = await session(kind, async (page) => {
    const limit = kind === 'parley' ? PAGE : undefined;
    const times = await page.evaluate(([n, limit]) => window.bench.open(n, limit), [n, limit]);
    const mb = await heap(page);
    const nodes = await page.evaluate(() => window.bench.nodes());
    const jump = await page.evaluate((n) => window.bench.jumpLast(n), n);
    if (!jump.ok) throw new Error(`${kind}: jump to the last of ${n} posts did not focus it`);
    return { ...times, heap: mb, nodes, jump: jump.ms };
  });
  const scrolled = Math.min(n, SCROLLED);
  const scroll = await session(kind, async (page) => {
    await page.evaluate(([n, limit]) => window.bench.open(n, limit), [n, scrolled]);
    const shown = await page.evaluate(() => window.bench.posts());
    if (shown < scrolled)
      throw new Error(`${kind}: expected ${scrolled} posts loaded, found ${shown}`);
    return page.evaluate(() => window.bench.scroll());
  });
  return { ...open, longTasks: scroll.count, longestTask: scroll.max };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const results = {};
try {
  for (const n of SIZES) {
    for (const kind of ['baseline', 'parley']) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(kind, n));
      results[`${kind}-${n}`] = Object.fromEntries(
        Object.keys(runs[0]).map((key) => [key, median(runs.map((r) => r[key]))]),
      );
      process.stderr.write(`  ${kind} ${n}: done\n`);
    }
  }
} finally {
  await browser.close();
  server.close();
}

// ---- The table. ----
const fmt = (v, unit) =>
  unit === 'ms' ? `${v.toFixed(1)} ms` : unit === 'MB' ? `${v.toFixed(2)} MB` : `${Math.round(v)}`;
const rows = [
  ['First post painted', 'painted', 'ms'],
  ['First page interactive', 'interactive', 'ms'],
  ['Longest task while opening', 'openTasks', 'ms'],
  ['Jump to last post (painted, focused)', 'jump', 'ms'],
  [`Long tasks scrolling ${SCROLLED} loaded posts`, 'longTasks', ''],
  ['Longest task while scrolling', 'longestTask', 'ms'],
  ['JS heap after load', 'heap', 'MB'],
  ['DOM nodes (shadow trees included)', 'nodes', ''],
];
console.log(
  `\nParley bench: medians of ${RUNS} runs; Chromium ${browser.version?.() ?? ''}; ratio = Parley / baseline\n`,
);
console.log(
  `| Metric | ${SIZES.map((n) => `${n.toLocaleString('en-US')} posts: Parley | baseline | ratio`).join(' | ')} |`,
);
console.log(`|---|${SIZES.map(() => '---|---|---').join('|')}|`);
for (const [label, key, unit] of rows) {
  const cells = SIZES.map((n) => {
    const p = results[`parley-${n}`][key];
    const b = results[`baseline-${n}`][key];
    const ratio = b > 0 ? `${(p / b).toFixed(2)}×` : '–';
    return `${fmt(p, unit)} | ${fmt(b, unit)} | ${ratio}`;
  });
  console.log(`| ${label} | ${cells.join(' | ')} |`);
}
const first = (n) => results[`parley-${n}`].painted;
const big = Math.max(...SIZES);
const small = Math.min(...SIZES);
console.log('\nTargets:');
console.log(
  `- ${big} vs ${small} posts, first post painted: ${(first(big) / first(small)).toFixed(2)}× (target ≤ 1.2×)`,
);
console.log(
  `- ${big} posts, Parley first paint vs baseline full render: ${(first(big) / results[`baseline-${big}`].painted).toFixed(3)}× (target ≤ 0.1×)`,
);
console.log(
  `- jump to the last of ${big}: ${(results[`parley-${big}`].jump / results[`parley-${big}`].interactive).toFixed(2)}× the first-page time (target ≤ 2×)`,
);
console.log(
  `- longest task scrolling ${SCROLLED} posts: ${results[`parley-${big}`].longestTask.toFixed(0)} ms (target: none over 50 ms)`,
);
console.log(
  `- heap ${big} vs ${small}: ${(results[`parley-${big}`].heap / results[`parley-${small}`].heap).toFixed(2)}× (target ≤ 1.3×)`,
);
