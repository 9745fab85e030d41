/**
 * Test helpers: a real server on 127.0.0.1 (a random port, a temp database), in this process or
 * as a child process; a small HTTP client; an SSE reader; a seed shaped like the adapter contract's.
 *
 * Backends: SQLite (a temp file) by default; PostgreSQL when `PARLEY_TEST_BACKEND=postgres` or
 * after `usePostgres()` (what the `*.postgres.test.ts` files do): one throwaway cluster per test
 * process (scripts/postgres.mjs), a fresh database per server cloned from a migrated template.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createParleyServer, type ParleyServer } from '../app.js';
import { signSsoToken } from '../auth.js';
import { loadConfig } from '../config.js';
import { PostgresStorage } from '../storage/postgres.js';
import { SqliteStorage } from '../storage/sqlite.js';
import { postgresScript } from '../storage/test/postgres-script.js';
import type { Author, Post, Thread } from '../../src/model/types.js';
import { MAIN as CONTRACT_MAIN, contractSeed as sharedSeed } from '../../src/testing/seed.js';

/** A single-sign-on secret as the server requires one: 32 bytes or more. */
export const SECRET = 'test-secret-test-secret-test-secret!';
/** The compiled entry point, for child processes. */
export const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/** Settings every test server shares: no rate limits unless asked, seeding on, no demo. */
export const TEST_ENV: Record<string, string> = {
  PARLEY_HOST: '127.0.0.1',
  PARLEY_PORT: '0',
  PARLEY_SSO_SECRET: SECRET,
  PARLEY_ALLOW_SEED: 'on',
  PARLEY_RATE_USER: 'off',
  PARLEY_RATE_ADDRESS: 'off',
  PARLEY_DEMO: 'off',
  PARLEY_MODERATORS: 'mod',
  PARLEY_ORIGINS: 'https://site.example',
  PARLEY_REQUEST_LOG: 'off',
};

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---- Backends

export type TestBackend = 'sqlite' | 'postgres';
let backend: TestBackend = process.env.PARLEY_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** The backend `startServer` and `spawnServer` use. */
export const testBackend = (): TestBackend => backend;

/**
 * Why the PostgreSQL runs are skipped here (no binaries), or false. With PARLEY_REQUIRE_POSTGRES=1
 * (CI) missing PostgreSQL throws instead.
 */
export function postgresMissing(): string | false {
  if (postgresScript.findPostgres() !== null) return false;
  if (process.env.PARLEY_REQUIRE_POSTGRES === '1')
    throw new Error(`PARLEY_REQUIRE_POSTGRES=1 but ${postgresScript.MISSING_MESSAGE}`);
  return postgresScript.MISSING_MESSAGE;
}

/**
 * Runs a test file on PostgreSQL: `await onPostgres('posts', () => import('./posts.test.js'))`
 * in `posts.postgres.test.ts`. Without PostgreSQL binaries it reports one skipped test instead.
 */
export async function onPostgres(name: string, load: () => Promise<unknown>): Promise<void> {
  const missing = postgresMissing();
  if (missing) {
    test(`${name} on PostgreSQL`, { skip: missing }, () => {});
    return;
  }
  backend = 'postgres';
  await load();
}

interface Cluster {
  admin: pg.Pool;
  url(database: string): string;
}

let cluster: Promise<Cluster> | null = null;
let databases = 0;

/** The cluster of this test process, started (and its template migrated) on first use; stopped at exit. */
function postgresCluster(): Promise<Cluster> {
  cluster ??= (async () => {
    const started = performance.now();
    const pgCluster = await postgresScript.startPostgres();
    const url = (database: string) => pgCluster.url.replace(/\/parley$/, `/${database}`);
    const admin = new pg.Pool({ connectionString: pgCluster.url, max: 2, allowExitOnIdle: true });
    await admin.query('CREATE DATABASE parley_template');
    const template = await PostgresStorage.open(url('parley_template'), { log: () => {} });
    await template.close();
    console.log(
      `# PostgreSQL cluster ready in ${pgCluster.ms} ms, template migrated in ${Math.round(performance.now() - started - pgCluster.ms)} ms`,
    );
    return { admin, url };
  })();
  return cluster;
}

/** A new, migrated, empty PostgreSQL database (a clone of the template); resolves to its URL. */
export async function postgresDatabase(): Promise<string> {
  const { admin, url } = await postgresCluster();
  const name = `parley_t${++databases}`;
  await admin.query(`CREATE DATABASE ${name} TEMPLATE parley_template`);
  return url(name);
}

/** The settings that put a server on a fresh database of the current backend. */
async function databaseEnv(dir: string): Promise<Record<string, string>> {
  return backend === 'postgres'
    ? { PARLEY_DATABASE_URL: await postgresDatabase() }
    : { PARLEY_DB: join(dir, 'parley.sqlite') };
}

/**
 * Runs SQL with `?` placeholders on a server's database, whichever the backend (for tests that
 * look at or age stored rows); resolves to the rows (none for a statement that returns none).
 */
export async function sql(
  app: ParleyServer,
  text: string,
  ...params: unknown[]
): Promise<Record<string, unknown>[]> {
  const storage = app.storage;
  if (storage instanceof PostgresStorage) {
    let n = 0;
    return (
      await storage.pool.query(
        text.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows;
  }
  if (storage instanceof SqliteStorage) {
    const statement = storage.db.prepare(text);
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  }
  throw new Error(`sql(): unknown backend ${storage.backend}`);
}

export interface TestServer {
  url: string;
  app: ParleyServer;
  /** The SQLite file, or the PostgreSQL URL. */
  db: string;
  close(): Promise<void>;
}

/** Starts the server in this process on a random port with a fresh database. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const { dir, remove } = tempDir();
  const dbEnv = await databaseEnv(dir);
  const db = dbEnv.PARLEY_DATABASE_URL ?? dbEnv.PARLEY_DB;
  const app = await createParleyServer(loadConfig({ ...TEST_ENV, ...dbEnv, ...env }));
  const url = await app.listen();
  return {
    url,
    app,
    db,
    close: async () => {
      await app.close();
      remove();
    },
  };
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts `node server/dist/server/main.js` as a child process and waits for its "listening" line. */
export function spawnServer(
  env: Record<string, string>,
  args: string[] = [],
): Promise<ChildServer> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH, ...TEST_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start:\n${output}`)),
      15_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
}

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

/** One request; the body is parsed as JSON when it is JSON. */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (/json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A client bound to a server and, optionally, a token. */
export function client(base: string, token?: string) {
  const go =
    (method: string) =>
    <T = any>(path: string, options: CallOptions = {}) =>
      call<T>(base, method, path, { token, ...options });
  return {
    get: go('GET'),
    post: go('POST'),
    patch: go('PATCH'),
    delete: go('DELETE'),
    options: go('OPTIONS'),
  };
}

/** A signed single-sign-on token; `exp` an hour ahead unless given. */
export function sso(claims: Record<string, unknown>, secret = SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  return signSsoToken({ iat: now, exp: now + 3600, ...claims }, secret);
}

// ---- The contract-shaped seed

export { ana, ben, cy, MAIN_ORDER } from '../../src/testing/seed.js';
export const mod: Author = { id: 'mod', name: 'Mo Derator', handle: 'mo' };
export const MAIN_THREAD = CONTRACT_MAIN;

/** The shared contract seed (src/testing/seed.ts), plus a moderator. */
export function contractSeed(): { threads: Thread[]; posts: Post[]; users: Author[] } {
  const { threads, posts, users } = sharedSeed({ user: null }, [mod]);
  return { threads, posts, users };
}

/** Seeds the contract data; returns a session token per user id. */
export async function seedContract(base: string): Promise<Record<string, string>> {
  const res = await call(base, 'POST', '/v1/_seed', { body: contractSeed() });
  if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${res.text}`);
  return res.body.tokens;
}

/** Every post of a thread, page by page. */
export async function listAll(base: string, threadId: string, limit = 200): Promise<Post[]> {
  const posts: Post[] = [];
  let cursor: string | null = null;
  for (;;) {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await call(
      base,
      'GET',
      `/v1/threads/${encodeURIComponent(threadId)}/posts${query}`,
    );
    if (res.status !== 200) throw new Error(`listing failed: ${res.status} ${res.text}`);
    posts.push(...res.body.posts);
    cursor = res.body.nextCursor;
    if (cursor === null) return posts;
  }
}

export const ids = (posts: readonly { id: string }[]) => posts.map((p) => p.id);

// ---- Server-sent events

export interface ReceivedEvent {
  id: string | null;
  type: string;
  data: string;
}

/** An open event stream, read with node:http (headers can be set, unlike fetch-less EventSource). */
export interface EventReader {
  status: number;
  headers: IncomingMessage['headers'];
  /** Events with data, in order. */
  events: ReceivedEvent[];
  /** Blocks with an id and no data (the resume point the server primes). */
  ids: string[];
  comments: string[];
  raw: () => string;
  /** Resolves once `test` holds, or rejects after `ms`. */
  until(test: (reader: EventReader) => boolean, ms?: number): Promise<void>;
  close(): void;
}

export function openEvents(
  base: string,
  threadId: string,
  options: { lastEventId?: string; query?: string; origin?: string; token?: string } = {},
): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.lastEventId !== undefined) headers['Last-Event-ID'] = options.lastEventId;
    if (options.origin) headers.Origin = options.origin;
    const req = httpRequest(
      `${base}/v1/threads/${encodeURIComponent(threadId)}/events${options.query ?? ''}`,
      { headers, agent: false },
    );
    req.on('error', reject);
    req.on('response', (res) => {
      let buffer = '';
      let raw = '';
      const waiters = new Set<() => void>();
      const reader: EventReader = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        ids: [],
        comments: [],
        raw: () => raw,
        until: (test, ms = 5000) =>
          new Promise((done, fail) => {
            if (test(reader)) return done();
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`timed out waiting for events; received:\n${raw}`));
            }, ms);
            const check = () => {
              if (!test(reader)) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            waiters.add(check);
          }),
        close: () => {
          res.destroy();
          req.destroy();
        },
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | null = null;
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) reader.comments.push(line.slice(1).trim());
            else if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length) reader.events.push({ id, type, data: data.join('\n') });
          else if (id !== null) reader.ids.push(id);
        }
        for (const waiter of [...waiters]) waiter();
      });
      res.on('error', () => {});
      resolve(reader);
    });
    req.end();
  });
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
