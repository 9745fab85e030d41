// What bench/profile.mjs and bench/trace.mjs share: one variant of the bench, served the way
// `npm run bench` serves it (the same generated thread, pages and reference server), opened in
// one browser. Options: `--variant rest|memory|file|baseline` (rest), `--n` posts (100),
// `--runs` (3).
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../scripts/chromium.mjs';
import { generateThread } from './generate.mjs';
import { startBenchServer } from './http.mjs';
import { baselinePage, filePage, memoryPage, restPage } from './pages.mjs';
import { startReferenceServer } from './reference-server.mjs';

/**
 * Reads the options, starts the servers and the browser.
 * @returns {Promise<{ variant: string, n: number, runs: number, url: string,
 *   browser: import('playwright-core').Browser, close: () => Promise<void> }>}
 *   `url`: the variant's page; `close` stops the browser and both servers.
 */
export async function openVariant() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const variant = arg('variant', 'rest');
  const n = Number(arg('n', 100));
  const runs = Number(arg('runs', 3));

  const data = generateThread(n, 42, { idPrefix: `t${n}-` });
  let apiUrl = '';
  // Each page is made once, as run.mjs does: a 10,000-post inline page takes a while to build.
  const made = new Map();
  const pages = (path) => {
    if (!made.has(path)) made.set(path, page(path));
    return made.get(path);
  };
  const seed = {
    threads: [data.thread],
    posts: data.posts,
    users: data.users,
    viewer: { user: null },
  };
  const page = (path) => {
    if (path === '/rest.html') return restPage({ endpoint: apiUrl, threadId: data.thread.id });
    if (path === '/memory.html') return memoryPage({ threadId: data.thread.id, seed });
    if (path === '/file.html')
      return filePage({ threadId: data.thread.id, src: `/seed/${n}.json` });
    if (path === '/baseline.html') return baselinePage({ n, limit: Math.min(n, 100) });
    return null;
  };
  const bench = await startBenchServer({
    root,
    pages,
    data: () => data.posts,
    seed: () => JSON.stringify(seed),
  });
  const api = await startReferenceServer({
    root,
    origin: bench.origin,
    seed: { threads: [data.thread], posts: data.posts, users: data.users },
  });
  apiUrl = api.url;
  const browser = await launchChromium();
  return {
    variant,
    n,
    runs,
    url: `${bench.origin}/${variant}.html`,
    browser,
    close: async () => {
      await browser.close();
      await api.stop();
      await bench.close();
    },
  };
}
