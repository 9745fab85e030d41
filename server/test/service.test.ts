/** Running the service: health and readiness, graceful shutdown, one log line per request, ETags. */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createParleyServer } from '../app.js';
import { loadConfig } from '../config.js';
import {
  ana,
  call,
  client,
  MAIN_THREAD,
  seedContract,
  spawnServer,
  startServer,
  TEST_ENV,
  testBackend,
  type TestServer,
} from './helpers.js';

/** Opens a thread's event stream; resolves once it is open, with a promise of its end. */
function streamEnds(base: string): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}/v1/threads/${MAIN_THREAD}/events`, { agent: false }, (res) => {
      const ended = new Promise<void>((done) => {
        res.on('end', () => done());
        res.on('close', () => done());
      });
      res.resume();
      resolve({ ended });
    });
    req.on('error', reject);
  });
}

describe('health and readiness', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('answers GET /healthz while the process runs, and GET /readyz while the storage answers', async () => {
    const health = await call(server.url, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await call(server.url, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready', storage: testBackend() });
    await server.app.storage.close();
    const unready = await call(server.url, 'GET', '/readyz');
    assert.equal(unready.status, 503);
    assert.equal(unready.body.code, 'unavailable');
    assert.match(
      unready.body.detail,
      new RegExp(`its storage \\(${testBackend()}\\) does not answer`),
    );
    assert.equal(unready.headers.get('retry-after'), '5');
    assert.equal((await call(server.url, 'GET', '/healthz')).status, 200, 'alive all the same');
  });
});

describe('cacheable reads', () => {
  let server: TestServer;
  let tokens: Record<string, string>;
  before(async () => {
    server = await startServer();
    tokens = await seedContract(server.url);
  });
  after(() => server.close());

  for (const path of [
    `/v1/threads/${MAIN_THREAD}`,
    `/v1/threads/${MAIN_THREAD}/posts?limit=3`,
    `/v1/threads/${MAIN_THREAD}/posts/m1/around?before=1&after=1`,
    '/v1/posts/m1',
    `/v1/counts?thread=${MAIN_THREAD}`,
  ]) {
    it(`sends an ETag with GET ${path.split('?')[0]}, and 304 for If-None-Match until it changes`, async () => {
      const first = await call(server.url, 'GET', path);
      assert.equal(first.status, 200);
      const etag = first.headers.get('etag')!;
      assert.match(etag, /^W\/"[\w-]+"$/);
      assert.equal(first.headers.get('cache-control'), 'public, no-cache');
      const again = await call(server.url, 'GET', path, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      assert.equal(again.headers.get('etag'), etag);
      const listed = await call(server.url, 'GET', path, {
        headers: { 'If-None-Match': `"other", ${etag.slice(2)}` },
      });
      assert.equal(listed.status, 304, 'a list, compared weakly');
      if (path === `/v1/threads/${MAIN_THREAD}`)
        await client(server.url, tokens.mod).post(`/v1/threads/${MAIN_THREAD}/lock`, {
          body: { locked: !first.body.locked },
        });
      else if (path === '/v1/posts/m1')
        await client(server.url, tokens[first.body.author.id]).patch('/v1/posts/m1', {
          body: { body: `Changed at ${Date.now()}` },
        });
      else
        await client(server.url, tokens[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
          body: { body: 'One more.' },
        });
      const changed = await call(server.url, 'GET', path, { headers: { 'If-None-Match': etag } });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      if (path === `/v1/threads/${MAIN_THREAD}`)
        await client(server.url, tokens.mod).post(`/v1/threads/${MAIN_THREAD}/lock`, {
          body: { locked: first.body.locked },
        });
    });
  }

  it('keeps problems, the viewer and writes out of caches', async () => {
    const missing = await call(server.url, 'GET', '/v1/threads/no-such-thread');
    assert.equal(missing.headers.get('etag'), null);
    assert.equal(missing.headers.get('cache-control'), 'no-store');
    const viewer = await call(server.url, 'GET', '/v1/viewer', { token: tokens[ana.id] });
    assert.equal(viewer.headers.get('etag'), null);
    assert.equal(viewer.headers.get('cache-control'), 'no-store');
  });
});

describe('the request log', () => {
  it('writes one JSON line per request: id (as X-Request-Id), method, route, status, ms', async () => {
    const lines: string[] = [];
    const app = await createParleyServer(
      loadConfig({ ...TEST_ENV, PARLEY_DB: ':memory:', PARLEY_REQUEST_LOG: 'on' }),
      { requestLog: (line) => lines.push(line) },
    );
    const url = await app.listen();
    try {
      await seedContract(url);
      lines.length = 0;
      const res = await call(url, 'GET', `/v1/threads/${MAIN_THREAD}/posts?limit=2`);
      await call(url, 'GET', '/v1/nowhere');
      const stream = await streamEnds(url);
      await app.close();
      await stream.ended;
      const entries = lines.map((line) => JSON.parse(line));
      assert.deepEqual(
        entries.map((e) => [e.method, e.route, e.status]),
        [
          ['GET', '/v1/threads/:threadId/posts', 200],
          ['GET', '(none)', 404],
          ['GET', '/v1/threads/:threadId/events', 200],
        ],
      );
      assert.equal(entries[0].id, res.headers.get('x-request-id'));
      assert.ok(entries.every((e) => typeof e.ms === 'number' && e.ms >= 0));
      assert.ok(entries.every((e) => !Number.isNaN(Date.parse(e.time))));
    } finally {
      await app.close();
    }
  });

  it('keeps the server serving when whoever reads it goes away (a closed pipe)', async () => {
    const child = await spawnServer({ PARLEY_DB: ':memory:', PARLEY_REQUEST_LOG: 'on' });
    try {
      child.child.stdout!.destroy();
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${child.url}/healthz`);
        assert.equal(res.status, 200, `request ${i + 1} after the log reader left`);
      }
      assert.equal(child.child.exitCode, null, `the server exited:\n${child.output()}`);
    } finally {
      await child.stop();
    }
  });

  it('is on by default (PARLEY_REQUEST_LOG)', () => {
    assert.equal(loadConfig({}).requestLog, true);
  });
});

describe('graceful shutdown', () => {
  it('ends event streams, lets a request in flight finish, and takes no new connections', async () => {
    const server = await startServer();
    await seedContract(server.url);
    const stream = await streamEnds(server.url);
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    const answered = new Promise((resolve) => socket.once('close', resolve));
    const body = JSON.stringify({ name: 'Late guest' });
    // Expect: 100-continue: the server says "100 Continue" once it has the request, so the
    // request is in flight when the shutdown begins.
    socket.write(
      `POST /v1/auth/guest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!/100 Continue/.test(response)) return;
        socket.off('data', check);
        resolve();
      };
      socket.on('data', check);
    });
    socket.write(body.slice(0, 5));
    const closed = server.close();
    await stream.ended;
    await assert.rejects(
      fetch(`${server.url}/healthz`),
      'a new connection is refused once the shutdown began',
    );
    socket.write(body.slice(5));
    await answered;
    await closed;
    assert.match(response, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    assert.match(response, /connection: close/i);
    assert.match(response, /"token":/);
  });

  it('drains on SIGTERM and exits 0', async () => {
    const child = await spawnServer({ PARLEY_DB: ':memory:' });
    await call(child.url, 'POST', '/v1/_seed', {
      body: { threads: [{ id: MAIN_THREAD, title: 'T' }], posts: [] },
    });
    const stream = await streamEnds(child.url);
    const exited = new Promise<number | null>((resolve) => child.child.once('exit', resolve));
    child.child.kill('SIGTERM');
    await stream.ended;
    assert.equal(await exited, 0);
  });
});
