// `npm run load`: the reference server under load, on this machine only (127.0.0.1).
//
// Starts the built server (server/dist) on a temp database, opens 200 event-stream listeners
// (20 per thread), then has 50 concurrent clients post 2,000 replies into 10 threads. Prints
// posts/s and p50/p99 latency, and proves that no acknowledged post was lost, none was made
// twice, and every listener received every post of its thread exactly once. Bounded: it gives up
// (exit 1) after 110 s. Exit 0 only when every check holds.
//
// Sizes can be changed for experiments: LOAD_POSTS, LOAD_CLIENTS, LOAD_THREADS, LOAD_LISTENERS.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const POSTS = Number(process.env.LOAD_POSTS ?? 2000);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const THREADS = Number(process.env.LOAD_THREADS ?? 10);
const LISTENERS = Number(process.env.LOAD_LISTENERS ?? 200);
const TIME_LIMIT_MS = 110_000;

const main = fileURLToPath(new URL('../dist/server/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parley-load-'));
let server;
const sockets = [];

function cleanUp() {
  for (const socket of sockets) socket.destroy();
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

const deadline = setTimeout(() => {
  console.error(`load: gave up after ${TIME_LIMIT_MS / 1000} s`);
  cleanUp();
  process.exit(1);
}, TIME_LIMIT_MS);

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH,
        PARLEY_PORT: '0',
        PARLEY_DB: join(dir, 'load.sqlite'),
        PARLEY_ALLOW_SEED: 'on',
        PARLEY_DEMO: 'off',
        PARLEY_RATE_USER: 'off',
        PARLEY_RATE_ADDRESS: 'off',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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

const base = await startServer();
console.log(
  `Parley load test: ${POSTS} posts by ${CLIENTS} clients into ${THREADS} threads, ${LISTENERS} listeners (server ${base})`,
);

// Seed: the threads, each with an opening post, and one user per client.
const threadIds = Array.from({ length: THREADS }, (_, i) => `load-${i}`);
const users = Array.from({ length: CLIENTS }, (_, i) => ({
  id: `load-u${i}`,
  name: `Load User ${i}`,
  handle: `load${i}`,
}));
const seeded = await json(base, 'POST', '/v1/_seed', {
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

const listeners = await Promise.all(
  Array.from({ length: LISTENERS }, (_, i) => listen(base, threadIds[i % THREADS])),
);

// The burst: client c posts its share, spreading over the threads; network failures retry with the same key.
const created = new Map(); // post id → { threadId, body }
const expected = new Map(threadIds.map((id) => [id, new Set()]));
const latencies = [];
let retries = 0;
let failures = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: CLIENTS }, async (_, c) => {
    for (let k = c; k < POSTS; k += CLIENTS) {
      const threadId = threadIds[k % THREADS];
      const body = { body: `Load reply ${k} from client ${c}.`, parentId: `${threadId}-op` };
      for (let attempt = 0; ; attempt++) {
        const t0 = performance.now();
        try {
          const res = await json(base, 'POST', `/v1/threads/${threadId}/posts`, {
            token: tokens[users[c].id],
            body,
            headers: { 'Idempotency-Key': `load-${k}` },
          });
          latencies.push(performance.now() - t0);
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
const seconds = (performance.now() - started) / 1000;

// Every listener must hear every post of its thread.
const heardAll = (l) => [...expected.get(l.threadId)].every((id) => l.received.has(id));
const delivered = await waitUntil(() => listeners.every(heardAll), 30_000);

// What the server kept.
let lost = 0;
let duplicated = 0;
let stored = 0;
for (const threadId of threadIds) {
  const posts = [];
  for (let cursor = null; ;) {
    const res = await json(
      base,
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
  for (let i = 1; i < l.eventIds.length; i++) if (!(l.eventIds[i] > l.eventIds[i - 1])) unordered++;
}

latencies.sort((a, b) => a - b);
const eventsDelivered = listeners.reduce((n, l) => n + l.received.size, 0);
const rows = [
  ['posts acknowledged', `${created.size} of ${POSTS} (${failures} failed, ${retries} retried)`],
  ['throughput', `${(created.size / seconds).toFixed(0)} posts/s (${seconds.toFixed(2)} s)`],
  [
    'latency p50 / p99 / max',
    `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} / ${latencies[latencies.length - 1].toFixed(1)} ms`,
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
for (const [name, value] of rows) console.log(`  ${name.padEnd(64)} ${value}`);

const good =
  failures === 0 &&
  created.size === POSTS &&
  stored === POSTS &&
  lost === 0 &&
  duplicated === 0 &&
  delivered &&
  missedEvents === 0 &&
  repeatedEvents === 0 &&
  foreignEvents === 0 &&
  unordered === 0;
console.log(
  good
    ? 'PASS: nothing lost, nothing duplicated, every listener heard every post of its thread.'
    : 'FAIL',
);
clearTimeout(deadline);
cleanUp();
process.exit(good ? 0 : 1);
