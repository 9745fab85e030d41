// The bench's own HTTP server (127.0.0.1, a free port): the pages, the baseline's JSON, and
// dist/ and node_modules/ gzip-encoded as a CDN would send them, so that the browser's
// `encodedBodySize` of each script is its gzip size.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Starts the server. `pages(pathname, query)` answers the bench pages (HTML) or `null`;
 * `data(n)` is the list of posts of the n-post thread, sliced by `?offset=&limit=`;
 * `seed(n)`, if given, the JSON text of the n-post thread's whole data set, at `/seed/<n>.json`
 * (gzip-encoded, as a site's static file would be).
 * @param {{ root: string, pages: (path: string, query: URLSearchParams) => string | null, data: (n: number) => object[] | undefined, seed?: (n: number) => string | undefined }} options
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function startBenchServer({ root, pages, data, seed = () => undefined }) {
  /** Compressed files by path, kept while their modification time stays the same. */
  const gzipped = new Map();
  const allowed = [join(root, 'dist') + sep, join(root, 'node_modules') + sep];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status, body, type, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    try {
      if (url.pathname === '/favicon.ico') return send(204, '', 'image/x-icon');
      const html = pages(url.pathname, url.searchParams);
      if (html !== null) return send(200, html, 'text/html; charset=utf-8');
      const seedMatch = /^\/seed\/(\d+)\.json$/.exec(url.pathname);
      if (seedMatch) {
        const n = Number(seedMatch[1]);
        let entry = gzipped.get(`seed:${n}`);
        if (!entry) {
          const text = seed(n);
          if (text === undefined) return send(404, 'no such thread', 'text/plain');
          gzipped.set(`seed:${n}`, (entry = { body: gzipSync(text) }));
        }
        return send(200, entry.body, 'application/json', {
          'content-encoding': 'gzip',
          vary: 'accept-encoding',
        });
      }
      const match = /^\/data\/(\d+)$/.exec(url.pathname);
      if (match) {
        const posts = data(Number(match[1]));
        if (!posts) return send(404, 'no such thread', 'text/plain');
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? posts.length);
        return send(200, JSON.stringify(posts.slice(offset, offset + limit)), 'application/json');
      }
      const file = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!allowed.some((dir) => file.startsWith(dir))) return send(404, 'not found', 'text/plain');
      const { mtimeMs } = await stat(file);
      let entry = gzipped.get(file);
      if (!entry || entry.mtimeMs !== mtimeMs) {
        entry = { mtimeMs, body: gzipSync(await readFile(file), { level: 9 }) };
        gzipped.set(file, entry);
      }
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      send(200, entry.body, type, { 'content-encoding': 'gzip', vary: 'accept-encoding' });
    } catch {
      if (!res.headersSent) send(404, 'not found', 'text/plain');
      else res.destroy();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
