// `npm run load`: the reference server under load, on this machine only (127.0.0.1).
//
// Starts the built server (server/dist) on a temp database, opens 200 event-stream listeners
// (20 per thread), then has 50 concurrent clients post 2,000 replies into 10 threads, then read
// 2,000 thread pages (50 posts each, what the widget asks for). Prints creates/s and reads/s with
// p50/p99 latency, and proves that no acknowledged post was lost, none was made twice, and every
// listener received every post of its thread exactly once, in order. Exit 0 only when every
// check holds.
//
// Set-ups (`npm run load -- <flag>`):
//   (none), --setup=sqlite   one instance on SQLite (a temp file), as `npm run server` runs
//   --setup=postgres         one instance on PostgreSQL
//   --setup=postgres-2       two instances on one PostgreSQL database: writers, readers and
//                            listeners spread over both (live updates cross through LISTEN/NOTIFY)
//   --compare                the three in turn, then one table of the figures
// PostgreSQL is a throwaway cluster (scripts/postgres.mjs) with its durable defaults (fsync and
// synchronous commit on), as SQLite runs with synchronous=FULL. Bounded: it gives up (exit 1)
// after 110 s per set-up.
//
// Sizes can be changed for experiments: LOAD_POSTS, LOAD_READS, LOAD_CLIENTS, LOAD_THREADS,
// LOAD_LISTENERS.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findPostgres, MISSING_MESSAGE, startPostgres } from '../../scripts/postgres.mjs';

const POSTS = Number(process.env.LOAD_POSTS ?? 2000);
const READS = Number(process.env.LOAD_READS ?? 2000);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const THREADS = Number(process.env.LOAD_THREADS ?? 10);
const LISTENERS = Number(process.env.LOAD_LISTENERS ?? 200);
const TIME_LIMIT_MS = 110_000;

const SETUPS = {
  sqlite: { label: 'SQLite, 1 instance', instances: 1, postgres: false },
  postgres: { label: 'PostgreSQL, 1 instance', instances: 1, postgres: true },
  'postgres-2': { label: 'PostgreSQL, 2 instances', instances: 2, postgres: true },
};

const args = process.argv.slice(2);
const setupArg = args.find((a) => a.startsWith('--setup='))?.slice('--setup='.length);
const unknown = args.filter((a) => a !== '--compare' && !a.startsWith('--setup='));
if (unknown.length || (setupArg && !SETUPS[setupArg])) {
  console.error(
    `load: unknown ${unknown.length ? `argument ${unknown[0]}` : `set-up ${setupArg}`}; ` +
      `use --setup=${Object.keys(SETUPS).join('|')} or --compare`,
  );
  process.exit(2);
}
const chosen = args.includes('--compare') ? Object.keys(SETUPS) : [setupArg ?? 'sqlite'];
if (chosen.some((name) => SETUPS[name].postgres) && !findPostgres()) {
  console.error(`load: ${MISSING_MESSAGE}`);
  process.exit(2);
}

const main = fileURLToPath(new URL('../dist/server/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parley-load-'));
/** What the current set-up started: server processes and listener sockets. */
let servers = [];
let sockets = [];
let cluster = null;

function stopSetup() {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.kill('SIGTERM');
  sockets = [];
  servers = [];
}

function cleanUp() {
  stopSetup();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}

let deadline = null;
function armDeadline(what) {
  clearTimeout(deadline);
  deadline = setTimeout(() => {
    console.error(`load: ${what} gave up after ${TIME_LIMIT_MS / 1000} s`);
    cleanUp();
    process.exit(1);
  }, TIME_LIMIT_MS);
}

function startServer(databaseEnv) {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH,
        PARLEY_HOST: '127.0.0.1',
        PARLEY_PORT: '0',
        PARLEY_ALLOW_SEED: 'on',
        PARLEY_DEMO: 'off',
        PARLEY_RATE_USER: 'off',
        PARLEY_RATE_ADDRESS: 'off',
        // The listeners all come from 127.0.0.1: above the default cap of 100 streams per address.
        PARLEY_STREAMS_PER_ADDRESS: '1000',
        ...databaseEnv,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    servers.push(server);
    let output = '';
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    server.once('exit', (code) =>
      reject(
        new Error(`the server exited with ${code}; run npm run build:server first?\n${output}`),
      ),
    );
  });
}

async function json(base, method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...headers,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** An event-stream listener that counts the post-created events it receives, per post id. */
function listen(base, threadId) {
  return new Promise((resolve, reject) => {
    const listener = { threadId, received: new Map(), eventIds: [], ready: false };
    const req = request(`${base}/v1/threads/${threadId}/events`, {
      agent: false,
      headers: { Accept: 'text/event-stream' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`listener got ${res.statusCode}`));
      sockets.push(res.socket);
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id = null;
          let data = null;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = Number(line.slice(4));
            else if (line.startsWith('data: ')) data = JSON.parse(line.slice(6));
          }
          if (data === null) {
            if (id !== null && !listener.ready) {
              listener.ready = true;
              resolve(listener);
            }
            continue;
          }
          listener.eventIds.push(id);
          if (data.type === 'post-created')
            listener.received.set(data.post.id, (listener.received.get(data.post.id) ?? 0) + 1);
        }
      });
      res.on('error', () => {});
    });
    req.end();
  });
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const waitUntil = async (test, ms) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
};
const ms = (value) => value.toFixed(1);

/** One set-up: start it, load it, check it, stop it; resolves to its figures. */
async function runSetup(name) {
  const setup = SETUPS[name];
  armDeadline(setup.label);
  let databaseEnv;
  if (setup.postgres) {
    cluster ??= await startPostgres({ durable: true });
    const database = `load_${name.replace(/\W/g, '_')}`;
    databaseEnv = { PARLEY_DATABASE_URL: cluster.createDatabase(database) };
  } else {
    databaseEnv = { PARLEY_DB: join(dir, `${name}.sqlite`) };
  }
  // One at a time, so two instances do not both run the migrations first.
  const bases = [];
  for (let i = 0; i < setup.instances; i++) bases.push(await startServer(databaseEnv));
  const on = (i) => bases[i % bases.length];
  console.log(
    `\n${setup.label}: ${POSTS} posts by ${CLIENTS} clients into ${THREADS} threads, ${READS} page reads, ${LISTENERS} listeners (${bases.join(', ')}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
  );

  // Seed: the threads, each with an opening post, and one user per client.
  const threadIds = Array.from({ length: THREADS }, (_, i) => `load-${i}`);
  const users = Array.from({ length: CLIENTS }, (_, i) => ({
    id: `load-u${i}`,
    name: `Load User ${i}`,
    handle: `load${i}`,
  }));
  const seeded = await json(bases[0], 'POST', '/v1/_seed', {
    body: {
      threads: threadIds.map((id) => ({ id, title: `Load thread ${id}` })),
      posts: threadIds.map((threadId) => ({
        id: `${threadId}-op`,
        threadId,
        author: users[0],
        body: 'The opening post.',
        createdAt: '2026-01-01T00:00:00Z',
      })),
      users,
    },
  });
  if (seeded.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(seeded.body)}`);
  const { tokens } = seeded.body;

  // Listener i on instance i mod n: with two instances, half hear posts written on the other.
  const listeners = await Promise.all(
    Array.from({ length: LISTENERS }, (_, i) => listen(on(i), threadIds[i % THREADS])),
  );

  // The burst: client c posts its share through instance c mod n, spreading over the threads;
  // network failures retry with the same key.
  const created = new Map(); // post id → { threadId, body }
  const expected = new Map(threadIds.map((id) => [id, new Set()]));
  const createLatencies = [];
  let retries = 0;
  let failures = 0;
  let started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let k = c; k < POSTS; k += CLIENTS) {
        const threadId = threadIds[k % THREADS];
        const body = { body: `Load reply ${k} from client ${c}.`, parentId: `${threadId}-op` };
        for (let attempt = 0; ; attempt++) {
          const t0 = performance.now();
          try {
            const res = await json(on(c), 'POST', `/v1/threads/${threadId}/posts`, {
              token: tokens[users[c].id],
              body,
              headers: { 'Idempotency-Key': `load-${k}` },
            });
            createLatencies.push(performance.now() - t0);
            if (res.status !== 201 && res.status !== 200)
              throw new Error(`status ${res.status}: ${JSON.stringify(res.body)}`);
            created.set(res.body.id, { threadId, body: body.body });
            expected.get(threadId).add(res.body.id);
            break;
          } catch (error) {
            if (attempt >= 3) {
              failures++;
              console.error(`post ${k} failed: ${error.message}`);
              break;
            }
            retries++;
          }
        }
      }
    }),
  );
  const createSeconds = (performance.now() - started) / 1000;

  // Every listener must hear every post of its thread.
  const heardAll = (l) => [...expected.get(l.threadId)].every((id) => l.received.has(id));
  const delivered = await waitUntil(() => listeners.every(heardAll), 30_000);

  // Reads: the first page of a thread, as the widget asks for it, spread over the instances.
  const readLatencies = [];
  let readFailures = 0;
  started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let k = c; k < READS; k += CLIENTS) {
        const t0 = performance.now();
        const res = await json(
          on(k),
          'GET',
          `/v1/threads/${threadIds[k % THREADS]}/posts?limit=50`,
        );
        readLatencies.push(performance.now() - t0);
        if (res.status !== 200 || res.body.posts.length !== 50) readFailures++;
      }
    }),
  );
  const readSeconds = (performance.now() - started) / 1000;

  // What the server kept.
  let lost = 0;
  let duplicated = 0;
  let stored = 0;
  for (const threadId of threadIds) {
    const posts = [];
    for (let cursor = null; ;) {
      const res = await json(
        bases[0],
        'GET',
        `/v1/threads/${threadId}/posts?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      posts.push(...res.body.posts);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    const replies = posts.filter((p) => p.id !== `${threadId}-op`);
    stored += replies.length;
    const byBody = new Map();
    for (const p of replies) byBody.set(p.body, (byBody.get(p.body) ?? 0) + 1);
    duplicated += [...byBody.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0);
    const ids = new Set(replies.map((p) => p.id));
    lost += [...expected.get(threadId)].filter((id) => !ids.has(id)).length;
  }

  let missedEvents = 0;
  let repeatedEvents = 0;
  let foreignEvents = 0;
  let unordered = 0;
  for (const l of listeners) {
    for (const id of expected.get(l.threadId)) if (!l.received.has(id)) missedEvents++;
    for (const [id, n] of l.received) {
      if (n > 1) repeatedEvents += n - 1;
      if (!expected.get(l.threadId).has(id)) foreignEvents++;
    }
    for (let i = 1; i < l.eventIds.length; i++)
      if (!(l.eventIds[i] > l.eventIds[i - 1])) unordered++;
  }
  stopSetup();

  createLatencies.sort((a, b) => a - b);
  readLatencies.sort((a, b) => a - b);
  const eventsDelivered = listeners.reduce((n, l) => n + l.received.size, 0);
  const figures = {
    label: setup.label,
    creates: created.size / createSeconds,
    createP50: percentile(createLatencies, 50),
    createP99: percentile(createLatencies, 99),
    reads: READS / readSeconds,
    readP50: percentile(readLatencies, 50),
    readP99: percentile(readLatencies, 99),
    good:
      failures === 0 &&
      readFailures === 0 &&
      created.size === POSTS &&
      stored === POSTS &&
      lost === 0 &&
      duplicated === 0 &&
      delivered &&
      missedEvents === 0 &&
      repeatedEvents === 0 &&
      foreignEvents === 0 &&
      unordered === 0,
  };
  const rows = [
    ['posts acknowledged', `${created.size} of ${POSTS} (${failures} failed, ${retries} retried)`],
    [
      'creates',
      `${figures.creates.toFixed(0)} posts/s (${createSeconds.toFixed(2)} s); p50 / p99 / max ${ms(figures.createP50)} / ${ms(figures.createP99)} / ${ms(createLatencies.at(-1))} ms`,
    ],
    [
      'reads (first page, 50 posts)',
      `${figures.reads.toFixed(0)} pages/s (${readSeconds.toFixed(2)} s, ${readFailures} failed); p50 / p99 / max ${ms(figures.readP50)} / ${ms(figures.readP99)} / ${ms(readLatencies.at(-1))} ms`,
    ],
    ['stored replies', String(stored)],
    ['lost (201 but not stored)', String(lost)],
    ['duplicated', String(duplicated)],
    ['listeners', `${LISTENERS}, ${eventsDelivered} post events delivered`],
    [
      'listener events missed / repeated / wrong thread / out of order',
      `${missedEvents} / ${repeatedEvents} / ${foreignEvents} / ${unordered}`,
    ],
  ];
  for (const [label, value] of rows) console.log(`  ${label.padEnd(64)} ${value}`);
  console.log(
    figures.good
      ? '  PASS: nothing lost, nothing duplicated, every listener heard every post of its thread.'
      : '  FAIL',
  );
  return figures;
}

const results = [];
try {
  for (const name of chosen) results.push(await runSetup(name));
} catch (error) {
  console.error(`load: ${error.stack ?? error}`);
  cleanUp();
  process.exit(1);
}
clearTimeout(deadline);
cleanUp();

if (results.length > 1) {
  const header = [
    'set-up',
    'creates/s',
    'create p50',
    'create p99',
    'reads/s',
    'read p50',
    'read p99',
    'checks',
  ];
  const table = results.map((r) => [
    r.label,
    r.creates.toFixed(0),
    `${ms(r.createP50)} ms`,
    `${ms(r.createP99)} ms`,
    r.reads.toFixed(0),
    `${ms(r.readP50)} ms`,
    `${ms(r.readP99)} ms`,
    r.good ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${line(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of table) console.log(line(row));
}
process.exit(results.every((r) => r.good) ? 0 : 1);
