// The reference server (server/) as a reader's RestAdapter meets it: built when its output is
// missing or older than its sources, its SQLite file seeded with the bench threads, then started
// as its own process (server/dist/server/main.js) on 127.0.0.1 with CORS open to the bench page.
//
// The seed is written through the server's own storage (SqliteStorage.replaceAll, what
// POST /v1/_seed does) before the server starts, because POST /v1/_seed reads at most 64 KB of
// body (server/body.ts) and a 10,000-post thread is several megabytes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The newest modification time of the .ts files under `dir` (build output and modules aside). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** Runs `node server/build.mjs` unless server/dist is newer than server/, src/ and demo/. */
function buildIfStale(root) {
  const main = join(root, 'server/dist/server/main.js');
  let built = 0;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    // Not built yet.
  }
  const sources = Math.max(...['server', 'src', 'demo'].map((d) => newest(join(root, d))));
  if (built > sources) return;
  process.stderr.write('bench: building the reference server (node server/build.mjs)\n');
  const result = spawnSync(process.execPath, [join(root, 'server/build.mjs')], {
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) throw new Error('bench: node server/build.mjs failed');
}

/**
 * Seeds a fresh SQLite file with `seed` and starts the server on it. Resolves to its base URL and
 * `stop()`, which ends the process and deletes the file; call it on every way out.
 * @param {{ root: string, seed: { threads: object[], posts: object[], users: object[] }, origin: string }} options
 */
export async function startReferenceServer({ root, seed, origin }) {
  buildIfStale(root);
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const db = join(dir, 'parley.sqlite');
    const dist = pathToFileURL(join(root, 'server/dist/')).href;
    const { SqliteStorage } = await import(`${dist}server/storage/sqlite.js`);
    const { validateSeed } = await import(`${dist}src/model/seed.js`);
    const storage = SqliteStorage.open(db);
    try {
      await storage.replaceAll(validateSeed(seed), new Map(), 30);
    } finally {
      await storage.close();
    }
    child = spawn(process.execPath, [join(root, 'server/dist/server/main.js')], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PARLEY_HOST: '127.0.0.1',
        PARLEY_PORT: '0',
        PARLEY_DB: db,
        PARLEY_DATABASE_URL: '',
        PARLEY_ORIGINS: origin,
        PARLEY_DEMO: 'off',
        PARLEY_ALLOW_SEED: 'off',
        PARLEY_REQUEST_LOG: 'off',
        PARLEY_RATE_USER: 'off',
        PARLEY_RATE_ADDRESS: 'off',
        PARLEY_STREAMS_PER_ADDRESS: '10000',
      },
    });
    const running = child;
    let stderr = '';
    running.stderr?.on('data', (chunk) => (stderr += chunk));
    const url = await new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error('bench: the server did not start')), 30_000);
      running.stdout?.on('data', (chunk) => {
        stdout += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      running.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench: the server exited (${code}) before listening:\n${stderr}`));
      });
    });
    running.stdout?.resume();
    return { url: /** @type {string} */ (url), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
