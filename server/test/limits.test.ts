/** Validation that names the field, the body limit, rate limits, errors and CORS. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config.js';
import { clientAddress, rateKey } from '../proxy.js';
import {
  ana,
  call,
  client,
  MAIN_THREAD,
  openEvents,
  seedContract,
  startServer,
  type TestServer,
} from './helpers.js';

let server: TestServer;
let tokens: Record<string, string>;
before(async () => {
  server = await startServer();
  tokens = await seedContract(server.url);
});
after(() => server.close());

const create = (body: unknown, token = tokens[ana.id]) =>
  client(server.url, token).post(`/v1/threads/${MAIN_THREAD}/posts`, { body });

describe('validation names the field', () => {
  const cases: [string, unknown, string][] = [
    ['a missing body', {}, 'body'],
    ['an empty body', { body: '' }, 'body'],
    ['a blank body', { body: ' \n\t ' }, 'body'],
    ['a body that is not text', { body: 42 }, 'body'],
    ['a parentId that is not an id', { body: 'x', parentId: 7 }, 'parentId'],
    ['a quote that is not an object', { body: 'x', quote: 'words' }, 'quote'],
    ['a quote without text', { body: 'x', quote: { postId: 'm1' } }, 'quote.text'],
    ['a quote without postId', { body: 'x', quote: { text: 'words' } }, 'quote.postId'],
  ];
  for (const [what, body, field] of cases) {
    it(`rejects ${what} with 422 invalid, field ${field}`, async () => {
      const res = await create(body);
      assert.equal(res.status, 422);
      assert.equal(res.body.code, 'invalid');
      assert.equal(res.body.field, field);
      assert.ok(res.body.detail.startsWith(`${field}: `), res.body.detail);
    });
  }

  it('accepts exactly 10,000 characters and says how long a longer post is', async () => {
    assert.equal((await create({ body: 'x'.repeat(10_000) })).status, 201);
    const res = await create({ body: 'x'.repeat(10_412) });
    assert.equal(res.status, 422);
    assert.equal(res.body.detail, 'body: the post is 10,412 characters long; the limit is 10,000.');
    const edit = await client(server.url, tokens[ana.id]).patch('/v1/posts/m2', {
      body: { body: 'y'.repeat(10_001) },
    });
    assert.equal(edit.body.field, 'body');
  });

  it('takes the limit from PARLEY_MAX_LENGTH', async () => {
    const short = await startServer({ PARLEY_MAX_LENGTH: '20' });
    try {
      const seeded = await seedContract(short.url);
      const res = await client(short.url, seeded[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
        body: { body: 'x'.repeat(21) },
      });
      assert.equal(res.body.detail, 'body: the post is 21 characters long; the limit is 20.');
    } finally {
      await short.close();
    }
  });

  it('cuts a long quote to 2,000 characters, as the library does', async () => {
    const res = await create({
      body: 'Quoting at length.',
      quote: { postId: 'm1', text: 'word '.repeat(1000) },
    });
    assert.equal(res.status, 201);
    assert.ok(res.body.quote.text.length <= 2000);
    assert.ok(res.body.quote.text.endsWith('…'));
  });
});

describe('malformed requests', () => {
  it('answers malformed JSON with 400 invalid', async () => {
    const res = await client(server.url, tokens[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
      raw: '{"body": "unclosed',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'invalid');
    assert.match(res.body.detail, /not valid JSON/);
  });

  it('answers a JSON body that is not an object with 422', async () => {
    assert.equal((await create([1, 2])).status, 422);
  });

  it('answers a body over 64 KB with 413 invalid, and the connection still works', async () => {
    const res = await create({ body: 'x'.repeat(70 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'invalid');
    assert.match(res.body.detail, /64 KB/);
    assert.equal((await create({ body: 'After the big one.' })).status, 201);
  });

  it('answers 413 for a chunked body over 64 KB too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/threads/${MAIN_THREAD}/posts`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${tokens[ana.id]}`,
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"body":"');
      for (let i = 0; i < 20; i++) req.write('y'.repeat(4096));
      req.end('"}');
    });
    assert.equal(status, 413);
  });

  it('answers unknown routes with 404 not-found, and a known path with a wrong method with 405 and Allow', async () => {
    const res = await client(server.url).get('/v2/anything');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not-found');
    const method = await call(server.url, 'PUT', '/v1/posts/m1', { body: { body: 'x' } });
    assert.equal(method.status, 405);
    assert.equal(method.body.code, 'invalid');
    assert.equal(method.body.status, 405);
    assert.equal(method.headers.get('allow'), 'GET, HEAD, PATCH, DELETE, OPTIONS');
    assert.match(
      method.body.detail,
      /PUT \/v1\/posts\/m1 is not supported; this path takes GET, HEAD, PATCH, DELETE, OPTIONS/,
    );
    const get = await call(server.url, 'GET', '/v1/auth/login');
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
  });

  it('hides the seed endpoint unless PARLEY_ALLOW_SEED is on', async () => {
    const closed = await startServer({ PARLEY_ALLOW_SEED: 'off' });
    try {
      assert.equal(
        (await client(closed.url).post('/v1/_seed', { body: { threads: [], posts: [] } })).status,
        404,
      );
    } finally {
      await closed.close();
    }
  });

  it('validates a seed as the library does, naming the record and field', async () => {
    const bad = {
      threads: [{ id: 't', title: 'T' }],
      posts: [
        {
          id: 'p',
          threadId: 't',
          author: { id: 'u' },
          body: '',
          createdAt: '2021-01-01T00:00:00Z',
        },
      ],
    };
    const res = await client(server.url).post('/v1/_seed', { body: bad });
    assert.equal(res.status, 422);
    assert.equal(res.body.field, 'posts[0].author.name');
    assert.match(
      res.body.detail,
      /posts\[0\]\.author\.name \(id "u"\): must be a non-empty string/,
    );
    const orphan = {
      threads: [],
      posts: [
        { id: 'p', threadId: 'nowhere', author: ana, body: 'x', createdAt: '2021-01-01T00:00:00Z' },
      ],
    };
    assert.equal(
      (await client(server.url).post('/v1/_seed', { body: orphan })).body.field,
      'posts[0].threadId',
    );
    const twins = {
      threads: [],
      posts: [],
      users: [
        { id: 'a', name: 'A', handle: 'twin', password: 'password1' },
        { id: 'b', name: 'B', handle: 'TWIN', password: 'password2' },
      ],
    };
    const clash = await client(server.url).post('/v1/_seed', { body: twins });
    assert.equal(clash.status, 422);
    assert.equal(clash.body.field, 'users[1].handle');
    const lookalikes = {
      threads: [],
      posts: [],
      users: [
        { id: 'a', name: 'A', handle: 'twin', password: 'password1' },
        { id: 'b', name: 'B', handle: 'tw1n', password: 'password2' },
      ],
    };
    assert.equal(
      (await client(server.url).post('/v1/_seed', { body: lookalikes })).body.field,
      'users[1].handle',
      'look-alike handles clash too',
    );
    const nameless = {
      threads: [],
      posts: [],
      users: [{ id: 'a', name: 'A', password: 'password1' }],
    };
    assert.equal(
      (await client(server.url).post('/v1/_seed', { body: nameless })).body.field,
      'users[0].handle',
    );
    const weak = {
      threads: [],
      posts: [],
      users: [{ id: 'a', name: 'A', handle: 'a', password: 'short' }],
    };
    assert.equal(
      (await client(server.url).post('/v1/_seed', { body: weak })).body.field,
      'users[0].password',
    );
    assert.equal(
      (await client(server.url).get(`/v1/threads/${MAIN_THREAD}`)).status,
      200,
      'a refused seed changes nothing',
    );
  });
});

describe('odd input', () => {
  it('never answers 500, whatever the body or path', async () => {
    const bodies = [
      null,
      [],
      'text',
      7,
      true,
      {},
      { body: {} },
      { body: ['x'] },
      { body: 'x', parentId: {} },
      { body: 'x', quote: [] },
      { body: 'x', quote: { postId: 5, text: 5 } },
      { locked: null },
      { name: 123 },
      { name: 'N', handle: [], password: {} },
      { handle: 'ana', password: 123 },
      { threads: {}, posts: 'x' },
      { threads: [], posts: [], users: 'x' },
      { threads: [], posts: [], moderators: 'mod' },
    ];
    const routes: [string, string][] = [
      ['POST', `/v1/threads/${MAIN_THREAD}/posts`],
      ['POST', `/v1/threads/${MAIN_THREAD}/lock`],
      ['PATCH', '/v1/posts/m2'],
      ['POST', '/v1/auth/register'],
      ['POST', '/v1/auth/login'],
      ['POST', '/v1/auth/guest'],
      ['POST', '/v1/_seed'],
    ];
    for (const [method, path] of routes) {
      for (const token of [undefined, tokens[ana.id], tokens.mod]) {
        for (const body of bodies) {
          const res = await call(server.url, method, path, { token, raw: JSON.stringify(body) });
          assert.ok(
            res.status < 500,
            `${method} ${path} ${JSON.stringify(body)} answered ${res.status}: ${res.text}`,
          );
          assert.equal(res.body?.code === undefined || typeof res.body.detail === 'string', true);
        }
      }
      if (path === '/v1/_seed') tokens = await seedContract(server.url);
    }
    for (const path of [
      '/v1/threads/%E0%A4%A/posts',
      '/v1/posts/%',
      '/v1/threads/x/posts?limit=1e309',
      '/v1/threads/x/posts/%00/around?before=-5',
      '/v1/counts?thread=',
      '//v1//viewer',
    ]) {
      const res = await call(server.url, 'GET', path);
      assert.ok(res.status < 500, `${path} answered ${res.status}: ${res.text}`);
    }
  });
});

describe('rate limits', () => {
  it('answers writes over the per-user limit with 429, Retry-After and retryAfter', async () => {
    const limited = await startServer({ PARLEY_RATE_USER: '3/60', PARLEY_RATE_ADDRESS: 'off' });
    try {
      const seeded = await seedContract(limited.url);
      const write = (token: string) =>
        client(limited.url, token).post(`/v1/threads/${MAIN_THREAD}/posts`, {
          body: { body: 'Again.' },
        });
      for (let i = 0; i < 3; i++) assert.equal((await write(seeded[ana.id])).status, 201);
      const res = await write(seeded[ana.id]);
      assert.equal(res.status, 429);
      assert.equal(res.body.code, 'rate-limited');
      assert.equal(res.headers.get('retry-after'), '20');
      assert.equal(res.body.retryAfter, 20);
      assert.match(res.body.detail, /try again in 20 seconds/);
      assert.equal((await write(seeded['c-ben'])).status, 201, 'another user is not held back');
      const edit = await client(limited.url, seeded[ana.id]).patch('/v1/posts/m2', {
        body: { body: 'Edits count too.' },
      });
      assert.equal(edit.status, 429);
    } finally {
      await limited.close();
    }
  });

  it('limits writes and sign-ins per address', async () => {
    const limited = await startServer({ PARLEY_RATE_USER: 'off', PARLEY_RATE_ADDRESS: '2/10' });
    try {
      const guest = () => client(limited.url).post('/v1/auth/guest', { body: { name: 'Spammer' } });
      assert.equal((await guest()).status, 200);
      assert.equal((await guest()).status, 200);
      const res = await guest();
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '5');
      const login = await client(limited.url).post('/v1/auth/login', {
        body: { handle: 'ana', password: 'guessing' },
      });
      assert.equal(login.status, 429, 'password guessing is limited too');
      assert.equal(
        (await client(limited.url).get(`/v1/threads/${MAIN_THREAD}/posts`)).status,
        404,
        'reads are not limited',
      );
    } finally {
      await limited.close();
    }
  });
});

describe('CORS', () => {
  const site = 'https://site.example';

  it('answers a preflight from an allowed origin with the protocol headers', async () => {
    const res = await call(server.url, 'OPTIONS', `/v1/threads/${MAIN_THREAD}/posts`, {
      headers: {
        Origin: site,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), site);
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const header of ['authorization', 'content-type', 'idempotency-key', 'last-event-id'])
      assert.ok(allowed.includes(header), header);
    assert.match(res.headers.get('access-control-allow-methods')!, /PATCH/);
    assert.match(res.headers.get('access-control-allow-methods')!, /DELETE/);
  });

  it('allows the origin on responses and exposes Retry-After', async () => {
    const res = await call(server.url, 'GET', `/v1/threads/${MAIN_THREAD}`, {
      headers: { Origin: site },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), site);
    assert.match(res.headers.get('access-control-expose-headers')!, /Retry-After/);
    assert.match(res.headers.get('vary')!, /Origin/);
  });

  it('gives other origins no CORS headers and refuses their writes', async () => {
    const read = await call(server.url, 'GET', `/v1/threads/${MAIN_THREAD}`, {
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(read.headers.get('access-control-allow-origin'), null);
    const preflight = await call(server.url, 'OPTIONS', '/v1/auth/guest', {
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 403);
    const write = await call(server.url, 'POST', '/v1/auth/guest', {
      headers: { Origin: 'https://evil.example' },
      body: { name: 'X' },
    });
    assert.equal(write.status, 403);
  });

  it("takes a seed's origins for every route but the seed route, until the next seed", async () => {
    const page = 'http://localhost:8000';
    const open = await startServer({ PARLEY_ORIGINS: '*' });
    try {
      const seeded = await call(open.url, 'POST', '/v1/_seed', {
        headers: { Origin: page },
        body: {
          threads: [{ id: 't', title: 'T' }],
          posts: [],
          origins: ['https://elsewhere.example'],
        },
      });
      assert.equal(seeded.status, 200);
      assert.equal(
        seeded.headers.get('access-control-allow-origin'),
        page,
        'the answer to the seed itself is readable',
      );
      const refused = await call(open.url, 'GET', '/v1/threads/t', { headers: { Origin: page } });
      assert.equal(refused.status, 200, 'the server answers…');
      assert.equal(
        refused.headers.get('access-control-allow-origin'),
        null,
        '…without letting the page read it',
      );
      assert.equal(
        (
          await call(open.url, 'POST', '/v1/auth/guest', {
            headers: { Origin: page },
            body: { name: 'X' },
          })
        ).status,
        403,
      );
      const other = await call(open.url, 'GET', '/v1/threads/t', {
        headers: { Origin: 'https://elsewhere.example' },
      });
      assert.equal(other.headers.get('access-control-allow-origin'), 'https://elsewhere.example');
      const preflight = await call(open.url, 'OPTIONS', '/v1/_seed', {
        headers: { Origin: page, 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(preflight.status, 204, 'the seed route keeps PARLEY_ORIGINS');
      assert.equal(
        (
          await call(open.url, 'POST', '/v1/_seed', {
            headers: { Origin: page },
            body: { threads: [], posts: [] },
          })
        ).status,
        200,
      );
      const restored = await call(open.url, 'GET', '/v1/threads/t', { headers: { Origin: page } });
      assert.equal(
        restored.headers.get('access-control-allow-origin'),
        page,
        'a seed without origins restores PARLEY_ORIGINS',
      );
      const bad = await call(open.url, 'POST', '/v1/_seed', {
        body: { threads: [], posts: [], origins: ['example.com/path'] },
      });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.field, 'origins');
    } finally {
      await open.close();
    }
  });

  it('allows any origin with PARLEY_ORIGINS=*', async () => {
    const open = await startServer({ PARLEY_ORIGINS: '*' });
    try {
      const res = await call(open.url, 'POST', '/v1/auth/guest', {
        headers: { Origin: 'http://localhost:8000' },
        body: { name: 'X' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    } finally {
      await open.close();
    }
  });
});

describe('the client address behind a proxy', () => {
  const guestFrom = (base: string, forwardedFor: string) =>
    client(base).post('/v1/auth/guest', {
      body: { name: 'Rotating' },
      headers: { 'X-Forwarded-For': forwardedFor },
    });

  it('does not let a rotated, spoofed leftmost X-Forwarded-For escape the address limit', async () => {
    const limited = await startServer({
      PARLEY_RATE_USER: 'off',
      PARLEY_RATE_ADDRESS: '2/10',
      PARLEY_TRUST_PROXY: 'on',
    });
    try {
      // The client writes the first entry; the proxy appends the address it saw (203.0.113.7).
      assert.equal((await guestFrom(limited.url, '198.51.100.1, 203.0.113.7')).status, 200);
      assert.equal((await guestFrom(limited.url, '198.51.100.2, 203.0.113.7')).status, 200);
      assert.equal((await guestFrom(limited.url, '198.51.100.3, 203.0.113.7')).status, 429);
      assert.equal(
        (await guestFrom(limited.url, '203.0.113.8')).status,
        200,
        'another client has its own bucket',
      );
      assert.equal((await guestFrom(limited.url, '2001:db8:1:2::a')).status, 200);
      assert.equal((await guestFrom(limited.url, '2001:db8:1:2::b')).status, 200);
      assert.equal(
        (await guestFrom(limited.url, '2001:db8:1:2:ffff::c')).status,
        429,
        'nor does rotating within an IPv6 /64',
      );
    } finally {
      await limited.close();
    }
  });

  it('takes the Nth address from the right with PARLEY_TRUST_PROXY=N', () => {
    const two = { hops: 2, addresses: [] };
    assert.equal(clientAddress('spoof, 203.0.113.7, 10.0.0.2', '10.0.0.1', two), '203.0.113.7');
    assert.equal(
      clientAddress('203.0.113.7', '10.0.0.1', two),
      '203.0.113.7',
      'fewer entries than hops: the leftmost, which a proxy wrote',
    );
    assert.equal(clientAddress(undefined, '10.0.0.1', two), '10.0.0.1', 'no header: the peer');
    assert.equal(
      clientAddress('spoof, 203.0.113.7', '10.0.0.1', { hops: 1, addresses: [] }),
      '203.0.113.7',
    );
    assert.equal(
      clientAddress('spoof', '203.0.113.7', { hops: 0, addresses: [] }),
      '203.0.113.7',
      'off: the header is ignored',
    );
    assert.equal(
      clientAddress(' , ,', '10.0.0.1', { hops: 1, addresses: [] }),
      '10.0.0.1',
      'empty entries do not count',
    );
  });

  it('skips the listed proxy addresses from the right with PARLEY_TRUST_PROXY=10.0.0.1,10.0.0.2', () => {
    const listed = { hops: 0, addresses: ['10.0.0.1', '10.0.0.2'] };
    assert.equal(clientAddress('spoof, 203.0.113.7, 10.0.0.2', '10.0.0.1', listed), '203.0.113.7');
    assert.equal(
      clientAddress('spoof, 203.0.113.7', '::ffff:10.0.0.1', listed),
      '203.0.113.7',
      'IPv4-mapped peers match',
    );
    assert.equal(
      clientAddress('spoof', '203.0.113.9', listed),
      '203.0.113.9',
      'a peer that is not a listed proxy is the client',
    );
    assert.equal(
      clientAddress('10.0.0.2', '10.0.0.1', listed),
      '10.0.0.2',
      'all proxies: the leftmost',
    );
  });

  it('limits an IPv6 client by its /64, which one subscriber holds whole', () => {
    assert.equal(rateKey('2001:db8:1:2:aaaa::1'), rateKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    assert.notEqual(rateKey('2001:db8:1:2::1'), rateKey('2001:db8:1:3::1'));
    assert.equal(rateKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(rateKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(rateKey('203.0.113.7'), '203.0.113.7');
    assert.equal(rateKey('::1'), '0:0:0:0::/64');
  });

  it('reads PARLEY_TRUST_PROXY as off, on, a hop count or proxy addresses', () => {
    assert.deepEqual(loadConfig({}).trustProxy, { hops: 0, addresses: [] });
    assert.deepEqual(loadConfig({ PARLEY_TRUST_PROXY: 'on' }).trustProxy, {
      hops: 1,
      addresses: [],
    });
    assert.deepEqual(loadConfig({ PARLEY_TRUST_PROXY: '3' }).trustProxy, {
      hops: 3,
      addresses: [],
    });
    assert.deepEqual(loadConfig({ PARLEY_TRUST_PROXY: 'off' }).trustProxy, {
      hops: 0,
      addresses: [],
    });
    assert.deepEqual(loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.1, ::1' }).trustProxy, {
      hops: 0,
      addresses: ['10.0.0.1', '::1'],
    });
    assert.throws(() => loadConfig({ PARLEY_TRUST_PROXY: 'proxy.example' }), /PARLEY_TRUST_PROXY/);
    assert.throws(() => loadConfig({ PARLEY_TRUST_PROXY: '99' }), /PARLEY_TRUST_PROXY/);
  });
});

describe('security headers', () => {
  const expectSecure = (headers: Headers | Record<string, unknown>, what: string) => {
    const get = (name: string) =>
      headers instanceof Headers
        ? headers.get(name)
        : ((headers[name] as string | undefined) ?? null);
    assert.equal(get('x-content-type-options'), 'nosniff', what);
    assert.equal(
      get('content-security-policy'),
      "default-src 'none'; frame-ancestors 'none'",
      what,
    );
    assert.equal(get('referrer-policy'), 'no-referrer', what);
    return get('strict-transport-security');
  };

  it('come with every answer: JSON, problems, preflights, 405s and event streams', async () => {
    expectSecure((await client(server.url).get(`/v1/threads/${MAIN_THREAD}`)).headers, 'a thread');
    expectSecure((await client(server.url).get('/v2/nothing')).headers, 'a 404');
    expectSecure(
      (
        await call(server.url, 'OPTIONS', '/v1/viewer', {
          headers: { Origin: 'https://site.example', 'Access-Control-Request-Method': 'GET' },
        })
      ).headers,
      'a preflight',
    );
    expectSecure((await call(server.url, 'PUT', '/v1/viewer')).headers, 'a 405');
    const guest = await client(server.url).post('/v1/auth/guest', { body: { name: 'Leaving' } });
    expectSecure(
      (await client(server.url, guest.body.token).post('/v1/auth/logout')).headers,
      'a 204',
    );
    const stream = await openEvents(server.url, MAIN_THREAD);
    try {
      assert.equal(
        expectSecure(stream.headers, 'an event stream'),
        null,
        'no HSTS over plain HTTP',
      );
    } finally {
      stream.close();
    }
  });

  it('add HSTS only when a trusted proxy says the request came over TLS', async () => {
    const https = { headers: { 'X-Forwarded-Proto': 'https' } };
    assert.equal(
      (await client(server.url).get('/v1/viewer', https)).headers.get('strict-transport-security'),
      null,
      "without PARLEY_TRUST_PROXY the header is the client's word",
    );
    const proxied = await startServer({ PARLEY_TRUST_PROXY: 'on' });
    try {
      assert.equal(
        (await client(proxied.url).get('/v1/viewer', https)).headers.get(
          'strict-transport-security',
        ),
        'max-age=31536000',
      );
      assert.equal(
        (
          await client(proxied.url).get('/v1/viewer', { headers: { 'X-Forwarded-Proto': 'http' } })
        ).headers.get('strict-transport-security'),
        null,
      );
      assert.equal(
        (await client(proxied.url).get('/v2/nothing', https)).headers.get(
          'strict-transport-security',
        ),
        'max-age=31536000',
        'errors too',
      );
    } finally {
      await proxied.close();
    }
    const listed = await startServer({ PARLEY_TRUST_PROXY: '10.9.9.9' });
    try {
      assert.equal(
        (await client(listed.url).get('/v1/viewer', https)).headers.get(
          'strict-transport-security',
        ),
        null,
        'a peer that is not a listed proxy is not believed',
      );
    } finally {
      await listed.close();
    }
  });
});

describe('hostile bodies', () => {
  /**
   * Writes a request by hand (`feed` writes the body, minding backpressure); resolves with what
   * came back, how many body bytes the socket took, and when the server closed the connection.
   */
  /** Writes 64 KB chunks, up to 100 MB, as fast as the socket takes them, until the server hangs up. */
  function pumpChunks(socket: Socket, count: (n: number) => void): void {
    const chunk = 'y'.repeat(64 * 1024);
    let total = 0;
    const pump = () => {
      while (!socket.destroyed && total < 100 * 1024 * 1024) {
        total += chunk.length;
        count(chunk.length);
        if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`))
          return void socket.once('drain', pump);
      }
    };
    pump();
  }

  function rawRequest(
    base: string,
    head: string,
    feed: (socket: Socket, count: (n: number) => void) => void,
    ms = 15_000,
  ): Promise<{ response: string; sent: number; closedMs: number }> {
    const { hostname, port } = new URL(base);
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = connect(Number(port), hostname);
      let response = '';
      let sent = 0;
      let done = false;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no close in ${ms} ms; got: ${response.slice(0, 300)}`));
      }, ms);
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ response, sent, closedMs: Date.now() - started });
      };
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (response += chunk));
      socket.on('close', finish);
      socket.on('error', () => {});
      socket.on('connect', () => {
        socket.write(head);
        feed(socket, (n) => (sent += n));
      });
    });
  }

  it('answers deeply nested JSON with 400 naming the nesting, with or without an Idempotency-Key', async () => {
    const deep = `{"body":"x","quote":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    for (const headers of [{}, { 'Idempotency-Key': 'deep-1' }] as Record<string, string>[]) {
      const res = await client(server.url, tokens[ana.id]).post(
        `/v1/threads/${MAIN_THREAD}/posts`,
        { raw: deep, headers },
      );
      assert.equal(res.status, 400, JSON.stringify(headers));
      assert.equal(res.body.code, 'invalid');
      assert.match(res.body.detail, /nested more than 32 levels deep/);
    }
    // Nesting within the limit, in a field the request's schema does not name, with a key: not a
    // 500 either, but the 422 naming that field (server/request-body.ts).
    const odd = await client(server.url, tokens[ana.id]).post(`/v1/threads/${MAIN_THREAD}/posts`, {
      raw: `{"body":"Fine.","extra":${'['.repeat(30)}${']'.repeat(30)}}`,
      headers: { 'Idempotency-Key': 'deep-2' },
    });
    assert.equal(odd.status, 422);
    assert.equal(odd.body.field, 'extra');
    // Nesting within the limit in a field it does read: taken.
    const quoted = await client(server.url, tokens[ana.id]).post(
      `/v1/threads/${MAIN_THREAD}/posts`,
      {
        raw: `{"body":"Fine.","quote":{"postId":"m1","text":"x"}}`,
        headers: { 'Idempotency-Key': 'deep-3' },
      },
    );
    assert.equal(quoted.status, 201);
  });

  it('stops reading a chunked body at the limit: 413 at once, and the connection is closed', async () => {
    const path = `/v1/threads/${MAIN_THREAD}/posts`;
    const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens[ana.id]}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const result = await rawRequest(server.url, head, (socket, count) => {
      socket.write('9\r\n{"body":"\r\n');
      pumpChunks(socket, count);
    });
    assert.match(result.response, /^HTTP\/1\.1 413 /);
    assert.match(result.response, /connection: close/i);
    assert.ok(
      result.sent < 20 * 1024 * 1024,
      `the server read ${result.sent} bytes before closing`,
    );
  });

  it('does not read the body of a request it refuses before reading (401), and closes', async () => {
    const head = `POST /v1/threads/${MAIN_THREAD}/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const result = await rawRequest(server.url, head, (socket, count) => {
      pumpChunks(socket, count);
    });
    assert.match(result.response, /^HTTP\/1\.1 401 /);
    assert.ok(
      result.sent < 20 * 1024 * 1024,
      `the server read ${result.sent} bytes before closing`,
    );
  });

  it('shrugs off a client that hangs up mid-body', async () => {
    const head = `POST /v1/auth/guest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    await rawRequest(server.url, head, (socket) => {
      socket.write('{"name":');
      setTimeout(() => socket.destroy(), 50);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(
      (await client(server.url).post('/v1/auth/guest', { body: { name: 'Next' } })).status,
      200,
      'the server is still up',
    );
  });

  it('answers a body declared over the limit with 413 before it is sent, and closes', async () => {
    const head = `POST /v1/auth/guest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n`;
    const result = await rawRequest(server.url, head, () => {});
    assert.match(result.response, /^HTTP\/1\.1 413 /);
    assert.ok(result.closedMs < 5000);
  });

  it('answers a body that does not arrive within PARLEY_BODY_TIMEOUT seconds with 408, and closes', async () => {
    const slow = await startServer({ PARLEY_BODY_TIMEOUT: '1' });
    try {
      const head = `POST /v1/auth/guest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
      const result = await rawRequest(slow.url, head, (socket) => socket.write('{"name":'));
      assert.match(result.response, /^HTTP\/1\.1 408 /);
      assert.match(result.response, /"code":"invalid"/);
      assert.match(result.response, /within 1 second/);
      assert.ok(result.closedMs < 5000, `closed after ${result.closedMs} ms`);
    } finally {
      await slow.close();
    }
    assert.equal(loadConfig({}).bodyTimeoutSeconds, 10);
  });
});
