/**
 * `RestAdapter` against an injected `fetch`: timeouts, cancelling, retries and backoff, error
 * mapping, unreadable responses, the Server-Sent Events parser and stream, and tokens.
 * Backoff goes through an injected `sleep` that records the delay and returns at once, so
 * nothing here waits for real time except the timeouts, which are a few milliseconds.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { RestAdapter, type RestAdapterOptions } from '../../src/adapters/rest.js';
import { SseParser, type SseEvent } from '../../src/adapters/sse.js';
import { ParleyError } from '../../src/model/errors.js';
import type { Author, Post, ThreadChange } from '../../src/model/types.js';
import { expectFailure } from '../../src/testing/index.js';

const ENDPOINT = 'https://comments.example.com';
const ada: Author = { id: 'u-ada', name: 'Ada', handle: 'ada' };
const post = (id: string, body = `Post ${id}`): Post => ({
  id,
  threadId: 't1',
  author: ada,
  body,
  createdAt: '2026-01-01T10:00:00.000Z',
});

interface Call {
  url: URL;
  method: string;
  mode?: RequestMode;
  headers: Headers;
  body: unknown;
  signal: AbortSignal;
}
type Handler = (call: Call) => Response | Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
const problem = (
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  json(
    status,
    { type: `https://parley.dev/problems/${code}`, title: code, status, code, detail, ...extra },
    { 'Content-Type': 'application/problem+json', ...headers },
  );
/** A fetch that never answers, failing only when its signal aborts (as the real one does). */
const hang = (call: Call) =>
  new Promise<Response>((_, reject) =>
    call.signal.addEventListener('abort', () =>
      reject(new DOMException('The operation was aborted.', 'AbortError')),
    ),
  );

/**
 * A RestAdapter over a fake server; `calls` records every request, `delays` every backoff.
 * It keeps no session in localStorage unless asked (`persistSession: true`): adapters outlive
 * their tests, and those on one endpoint follow each other's sessions.
 */
function fake(handler: Handler, options: Partial<RestAdapterOptions> = {}) {
  const calls: Call[] = [];
  const delays: number[] = [];
  const adapter = new RestAdapter({
    endpoint: ENDPOINT,
    persistSession: false,
    fetch: (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const call: Call = {
        url: new URL(String(input)),
        method: init.method ?? 'GET',
        mode: init.mode,
        headers: new Headers(init.headers),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        signal: init.signal!,
      };
      calls.push(call);
      return handler(call);
    }) as typeof fetch,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { adapter, calls, delays };
}

/** Answers each call with the next of `responses` (the last one repeats). */
function sequence(...responses: (() => Response | Promise<Response>)[]): Handler {
  let i = 0;
  return () => responses[Math.min(i++, responses.length - 1)]();
}

describe('RestAdapter', () => {
  describe('requests', () => {
    it('calls the protocol routes with percent-encoded ids', async () => {
      const { adapter, calls } = fake(
        (call) => {
          if (call.url.pathname.endsWith('/around'))
            return json(200, { posts: [], nextCursor: null, prevCursor: null });
          if (call.url.pathname.includes('/posts') && call.url.pathname.startsWith('/v1/threads'))
            return json(200, { posts: [], nextCursor: null });
          if (call.url.pathname.startsWith('/v1/threads'))
            return json(200, { id: 'https://blog/a b', title: 'A' });
          return json(200, post('p/1'));
        },
        { endpoint: `${ENDPOINT}/` },
      );
      await adapter.getThread('https://blog/a b');
      await adapter.listPosts('t1', { limit: 500, cursor: 'c1' });
      await adapter.listPosts('t1', { direction: 'backward', limit: 0 });
      await adapter.listPostsAround('t1', 'p/1', { before: 3 });
      await adapter.getPost('p/1');
      expect(calls.map((c) => `${c.method} ${c.url.pathname}${c.url.search}`)).to.deep.equal([
        'GET /v1/threads/https%3A%2F%2Fblog%2Fa%20b',
        'GET /v1/threads/t1/posts?limit=200&cursor=c1',
        'GET /v1/threads/t1/posts?limit=1&direction=backward',
        'GET /v1/threads/t1/posts/p%2F1/around?before=3&after=10',
        'GET /v1/posts/p%2F1',
      ]);
      expect(calls.every((c) => c.headers.get('Accept') === 'application/json')).to.equal(true);
    });

    it('sends a new post as JSON and returns the created post', async () => {
      const { adapter, calls } = fake(() => json(201, post('p9', 'Hi')));
      const created = await adapter.createPost({
        threadId: 't1',
        body: 'Hi',
        parentId: 'p2',
        quote: { postId: 'p2', text: 'x' },
      });
      expect(created.id).to.equal('p9');
      expect(calls[0].method).to.equal('POST');
      expect(calls[0].url.pathname).to.equal('/v1/threads/t1/posts');
      expect(calls[0].headers.get('Content-Type')).to.equal('application/json');
      expect(calls[0].body).to.deep.equal({
        body: 'Hi',
        parentId: 'p2',
        quote: { postId: 'p2', text: 'x' },
      });
    });

    it('sends only the quote fields the protocol takes (an attached quote carries its author)', async () => {
      const { adapter, calls } = fake(() => json(201, post('p9', 'Hi')));
      const attached = { postId: 'p2', text: 'x', author: { id: 'u2', name: 'Two' } };
      await adapter.createPost({ threadId: 't1', body: 'Hi', quote: attached });
      expect(calls[0].body).to.deep.equal({
        body: 'Hi',
        parentId: null,
        quote: { postId: 'p2', text: 'x' },
      });
    });

    it('edits with PATCH and deletes with DELETE', async () => {
      const { adapter, calls } = fake((call) =>
        json(200, {
          ...post('p1', call.method === 'DELETE' ? '' : 'New'),
          deleted: call.method === 'DELETE',
        }),
      );
      expect((await adapter.updatePost('p1', 'New')).body).to.equal('New');
      expect((await adapter.deletePost('p1')).deleted).to.equal(true);
      expect(calls.map((c) => [c.method, c.url.pathname, c.body])).to.deep.equal([
        ['PATCH', '/v1/posts/p1', { body: 'New' }],
        ['DELETE', '/v1/posts/p1', undefined],
      ]);
    });

    it('gets counts for many threads, 100 per request, unknown threads 0', async () => {
      const { adapter, calls } = fake((call) => {
        const ids = call.url.searchParams.getAll('thread');
        return json(200, {
          counts: Object.fromEntries(ids.filter((id) => id !== 't5').map((id) => [id, id.length])),
        });
      });
      const ids = Array.from({ length: 150 }, (_, i) => `t${i}`);
      const counts = await adapter.getCounts([...ids, 't1']);
      expect(calls).to.have.length(2);
      expect(calls[0].url.searchParams.getAll('thread')).to.have.length(100);
      expect(counts.t1).to.equal(2);
      expect(counts.t149).to.equal(4);
      expect(counts.t5).to.equal(0);
      expect(Object.keys(counts)).to.have.length(150);
    });
  });

  describe('timeouts and cancelling', () => {
    it('fails with network, naming the server, when the server does not answer in time', async () => {
      const { adapter, calls } = fake(hang, { timeout: 20, retries: 0 });
      const error = await expectFailure(adapter.getThread('t1'), 'network');
      expect(error.message)
        .to.include('comments.example.com')
        .and.include('did not answer within 0.02 seconds');
      expect(calls).to.have.length(1);
    });

    it('times out each attempt of a read, and retries it', async () => {
      const { adapter, calls, delays } = fake(
        sequence(
          () => hang(calls[0]),
          () => json(200, post('p1')),
        ),
        { timeout: 20 },
      );
      expect((await adapter.getPost('p1')).id).to.equal('p1');
      expect(calls).to.have.length(2);
      expect(delays).to.have.length(1);
    });

    it('says it could not reach the server when the network fails', async () => {
      const { adapter } = fake(() => Promise.reject(new TypeError('Failed to fetch')), {
        retries: 0,
      });
      const error = await expectFailure(adapter.getViewer(), 'network');
      expect(error.message).to.equal(
        'Could not reach the comment server at comments.example.com. Check your connection and try again.',
      );
    });

    it('rejects with aborted, without a request, when the signal is already aborted', async () => {
      const { adapter, calls } = fake(() => json(200, post('p1')));
      const controller = new AbortController();
      controller.abort();
      await expectFailure(adapter.getPost('p1', { signal: controller.signal }), 'aborted');
      await expectFailure(
        adapter.createPost({ threadId: 't1', body: 'x' }, { signal: controller.signal }),
        'aborted',
      );
      expect(calls).to.have.length(0);
    });

    it('cancels a request in flight with aborted, and does not retry it', async () => {
      const { adapter, calls } = fake(hang);
      const controller = new AbortController();
      const pending = adapter.listPosts('t1', { signal: controller.signal });
      await waitUntil(() => calls.length === 1);
      controller.abort();
      await expectFailure(pending, 'aborted');
      expect(calls[0].signal.aborted).to.equal(true);
      expect(calls).to.have.length(1);
    });

    it('stops retrying when cancelled during the backoff', async () => {
      const controller = new AbortController();
      const { adapter, calls } = fake(() => json(503, ''), {
        sleep: async () => controller.abort(),
      });
      await expectFailure(adapter.getPost('p1', { signal: controller.signal }), 'aborted');
      expect(calls).to.have.length(1);
    });
  });

  describe('retries', () => {
    it('retries a read after 5xx and network failures with growing, jittered delays', async () => {
      const { adapter, calls, delays } = fake(
        sequence(
          () => problem(503, 'unavailable', 'Down for a moment.'),
          () => Promise.reject(new TypeError('Failed to fetch')),
          () => json(200, { id: 't1', title: 'T' }),
        ),
        { retryDelay: 100 },
      );
      expect((await adapter.getThread('t1')).title).to.equal('T');
      expect(calls).to.have.length(3);
      expect(delays).to.have.length(2);
      expect(delays[0]).to.be.within(50, 100);
      expect(delays[1]).to.be.within(100, 200);
    });

    it('gives up after `retries` further attempts with the last failure', async () => {
      const { adapter, calls } = fake(() => problem(503, 'unavailable', 'Still down.'), {
        retries: 3,
      });
      const error = await expectFailure(adapter.listPosts('t1'), 'unavailable');
      expect(error.message).to.equal('Still down.');
      expect(calls).to.have.length(4);
    });

    it('retries a create with the same Idempotency-Key, so a lost answer makes one post, not two', async () => {
      const stored = new Map<string, Post>();
      let lose = true;
      const { adapter, calls } = fake((call) => {
        const key = call.headers.get('Idempotency-Key')!;
        const known = stored.get(key);
        if (known) return json(200, known);
        const created = {
          ...post(`p${stored.size + 1}`),
          body: (call.body as { body: string }).body,
        };
        stored.set(key, created);
        if (lose) {
          lose = false;
          return Promise.reject(new TypeError('The connection was reset')); // committed, answer lost
        }
        return json(201, created);
      });
      const created = await adapter.createPost({ threadId: 't1', body: 'Once.' });
      expect(created).to.deep.include({ id: 'p1', body: 'Once.' });
      expect(stored.size, 'one post on the server').to.equal(1);
      expect(calls).to.have.length(2);
      const keys = calls.map((c) => c.headers.get('Idempotency-Key'));
      expect(keys[0]).to.match(/^[0-9a-f]{32}$/);
      expect(keys[1]).to.equal(keys[0]);
      await adapter.createPost({ threadId: 't1', body: 'Twice.' });
      expect(
        calls[2].headers.get('Idempotency-Key'),
        'each createPost call has its own key',
      ).not.to.equal(keys[0]);
    });

    it('sends the idempotencyKey it is given on every attempt, and only that', async () => {
      const { adapter, calls } = fake(
        sequence(
          () => Promise.reject(new TypeError('reset')),
          () => json(201, post('p1')),
        ),
      );
      await adapter.createPost({ threadId: 't1', body: 'x' }, { idempotencyKey: 'reply-7f3a' });
      await adapter.createPost({ threadId: 't1', body: 'x' }, { idempotencyKey: 'reply-7f3a' });
      expect(calls.map((c) => c.headers.get('Idempotency-Key'))).to.deep.equal([
        'reply-7f3a',
        'reply-7f3a',
        'reply-7f3a',
      ]);
      expect(calls[0].body, 'the key is a header, not part of the post').to.deep.equal({
        body: 'x',
        parentId: null,
        quote: null,
      });
    });

    for (const [status, code] of [
      [422, 'invalid'],
      [403, 'forbidden'],
      [401, 'unauthorized'],
      [404, 'not-found'],
      [409, 'conflict'],
    ] as const) {
      it(`does not retry a ${status}`, async () => {
        const { adapter, calls } = fake(() =>
          problem(status, code, 'No.', code === 'invalid' ? { field: 'body' } : {}),
        );
        await expectFailure(adapter.createPost({ threadId: 't1', body: 'x' }), code);
        await expectFailure(adapter.getPost('p1'), code);
        expect(calls).to.have.length(2);
      });
    }

    it('does not retry an edit or a delete, which carry no Idempotency-Key', async () => {
      const { adapter, calls } = fake(() => problem(503, 'unavailable', 'Down.'));
      await expectFailure(adapter.updatePost('p1', 'x'), 'unavailable');
      await expectFailure(adapter.deletePost('p1'), 'unavailable');
      await expectFailure(adapter.signIn({ name: 'Guest' }), 'unavailable');
      expect(calls).to.have.length(3);
    });

    it('retries a 408', async () => {
      const { adapter, calls } = fake(
        sequence(
          () => json(408, ''),
          () => json(200, post('p1')),
        ),
      );
      expect((await adapter.getPost('p1')).id).to.equal('p1');
      expect(calls).to.have.length(2);
    });

    it('waits as long as Retry-After asks after a 429', async () => {
      const { adapter, calls, delays } = fake(
        sequence(
          () =>
            problem(429, 'rate-limited', 'Slow down.', { retryAfter: 3 }, { 'Retry-After': '3' }),
          () => json(201, post('p1')),
        ),
      );
      expect((await adapter.createPost({ threadId: 't1', body: 'x' })).id).to.equal('p1');
      expect(delays).to.deep.equal([3000]);
      expect(calls[1].headers.get('Idempotency-Key')).to.equal(
        calls[0].headers.get('Idempotency-Key'),
      );
    });

    it('reads Retry-After as an HTTP date too', async () => {
      const at = new Date(Date.now() + 5000).toUTCString();
      const { adapter, delays } = fake(
        sequence(
          () => json(429, '', { 'Retry-After': at }),
          () => json(200, post('p1')),
        ),
      );
      await adapter.getPost('p1');
      expect(delays[0]).to.be.within(4000, 6000);
    });

    it('fails at once with rate-limited and retryAfter when the server asks for a longer wait than the cap', async () => {
      const { adapter, calls, delays } = fake(
        () =>
          problem(
            429,
            'rate-limited',
            'Try again in 2 minutes.',
            { retryAfter: 120 },
            { 'Retry-After': '120' },
          ),
        {
          maxRetryAfter: 60,
        },
      );
      const error = await expectFailure(adapter.getPost('p1'), 'rate-limited');
      expect(error.retryAfter).to.equal(120);
      expect(error.message).to.equal('Try again in 2 minutes.');
      expect(calls).to.have.length(1);
      expect(delays).to.deep.equal([]);
    });
  });

  describe('errors', () => {
    it('maps every problem document to the ParleyError of the same code, keeping detail, field and retryAfter', async () => {
      const cases = [
        [401, 'unauthorized'],
        [403, 'forbidden'],
        [404, 'not-found'],
        [400, 'invalid'],
        [413, 'invalid'],
        [422, 'invalid'],
        [429, 'rate-limited'],
        [409, 'conflict'],
        [500, 'unavailable'],
        [503, 'unavailable'],
      ] as const;
      for (const [status, code] of cases) {
        const { adapter } = fake(
          () => problem(status, code, `Detail for ${code}.`, { field: 'body', retryAfter: 99 }),
          { retries: 0 },
        );
        const error = await expectFailure(adapter.getThread('t1'), code);
        expect(error.message).to.equal(`Detail for ${code}.`);
        expect(error.field).to.equal('body');
        expect(error.retryAfter).to.equal(99);
      }
    });

    it('falls back on the status when the document has no known code', async () => {
      for (const [status, code] of [
        [401, 'unauthorized'],
        [404, 'not-found'],
        [422, 'invalid'],
        [502, 'unavailable'],
        [418, 'unavailable'],
      ] as const) {
        const { adapter } = fake(() => json(status, { code: 'network', title: 'Something' }), {
          retries: 0,
        });
        await expectFailure(adapter.getPost('p1'), code);
      }
    });

    it('turns a 500 without a problem document into unavailable, naming the server', async () => {
      const { adapter } = fake(
        () =>
          new Response('<h1>Internal Server Error</h1>', {
            status: 500,
            headers: { 'Content-Type': 'text/html' },
          }),
        { retries: 0 },
      );
      const error = await expectFailure(adapter.getPost('p1'), 'unavailable');
      expect(error.message).to.equal(
        'The comment server at comments.example.com is not available right now (HTTP 500). Try again later.',
      );
    });

    const unreadable = 'The comment server sent a response Parley could not read';
    const garbage: [string, (a: RestAdapter) => Promise<unknown>, unknown][] = [
      [
        'a post that is not JSON',
        (a) => a.getPost('p1'),
        '<html>Welcome to the captive portal</html>',
      ],
      ['an empty post', (a) => a.getPost('p1'), ''],
      [
        'a post without an author',
        (a) => a.getPost('p1'),
        { id: 'p1', threadId: 't1', body: 'x', createdAt: '2026-01-01T00:00:00Z' },
      ],
      [
        'a post with a bad date',
        (a) => a.createPost({ threadId: 't1', body: 'x' }),
        { ...post('p1'), createdAt: 'yesterday' },
      ],
      ['a post that is an array', (a) => a.updatePost('p1', 'x'), [post('p1')]],
      ['a page without posts', (a) => a.listPosts('t1'), { items: [], nextCursor: null }],
      [
        'a page with a broken post',
        (a) => a.listPosts('t1'),
        { posts: [post('p1'), { id: 'p2' }], nextCursor: null },
      ],
      ['a page without nextCursor', (a) => a.listPostsAround('t1', 'p1'), { posts: [] }],
      ['a page with a numeric cursor', (a) => a.listPosts('t1'), { posts: [], nextCursor: 7 }],
      [
        'a page with a negative total',
        (a) => a.listPosts('t1'),
        { posts: [], nextCursor: null, total: -1 },
      ],
      ['a thread without a title', (a) => a.getThread('t1'), { id: 't1' }],
      ['a thread that is null', (a) => a.getThread('t1'), null],
      ['a viewer without user', (a) => a.getViewer(), { name: 'Ada' }],
      ['a viewer whose user has no id', (a) => a.getViewer(), { user: { name: 'Ada' } }],
      ['counts that are not numbers', (a) => a.getCounts(['t1']), { counts: { t1: 'many' } }],
      ['a session without a token', (a) => a.signIn({ name: 'Guest' }), { user: ada }],
    ];
    for (const [name, call, body] of garbage) {
      it(`turns ${name} into unavailable with a readable message`, async () => {
        const { adapter, calls } = fake(() =>
          json(200, typeof body === 'string' ? body : JSON.stringify(body)),
        );
        const error = await expectFailure(call(adapter), 'unavailable');
        expect(error.message.startsWith(unreadable), error.message).to.equal(true);
        expect(calls, 'a malformed answer is not retried').to.have.length(1);
      });
    }

    it('names what was wrong with the response', async () => {
      const { adapter } = fake(() =>
        json(200, {
          posts: [post('p1'), { ...post('p2'), author: { id: 'u' } }],
          nextCursor: null,
        }),
      );
      const error = await expectFailure(adapter.listPosts('t1'), 'unavailable');
      expect(error.message).to.include('posts[1].author.name');
    });

    it('throws nothing but ParleyErrors, even when fetch itself misbehaves', async () => {
      const { adapter } = fake(() => 'not a response' as unknown as Response, { retries: 0 });
      const error = await expectFailure(adapter.getPost('p1'), ['network', 'unavailable']);
      expect(error).to.be.instanceOf(ParleyError);
    });
  });

  describe('an answer the browser withholds (CORS)', () => {
    let warn: typeof console.warn;
    let warnings: string[];
    beforeEach(() => {
      warnings = [];
      warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    });
    afterEach(() => (console.warn = warn));

    /** A server that answers, but whose answers the browser withholds from CORS requests. */
    const refusing: Handler = (call) =>
      call.mode === 'no-cors'
        ? new Response(null)
        : Promise.reject(new TypeError('Failed to fetch'));

    it('says so in the diagnostic, naming the server, the origin and the setting, and warns once', async () => {
      const { adapter, calls } = fake(refusing, { retries: 1, token: 'abc' });
      const error = await expectFailure(adapter.getThread('t1'), 'network');
      expect(error.message).to.equal(
        'The comments cannot be shown on this site: the comment server does not accept requests from it.',
      );
      expect(error.diagnostic).to.equal(
        `The comment server at comments.example.com answered, but did not allow this site's origin ${location.origin} (CORS), so the browser withheld its answers. ` +
          `Add ${location.origin} to the origins the server allows (PARLEY_ORIGINS on the Parley reference server).`,
      );
      expect(
        calls.map((c) => c.mode ?? 'default'),
        'two attempts, then a no-cors probe and a plain CORS one',
      ).to.deep.equal(['default', 'default', 'no-cors', 'cors']);
      expect(calls[3].headers.has('Authorization'), 'the probe needs no preflight').to.equal(false);
      expect(calls[2].url.pathname).to.equal('/v1/viewer');
      await expectFailure(adapter.createPost({ threadId: 't1', body: 'x' }), 'network');
      expect(
        warnings.filter((w) => w.includes('(CORS)')),
        'one warning per adapter',
      ).to.have.length(1);
    });

    it('reads as a network failure when the server cannot be reached at all', async () => {
      const { adapter, calls } = fake(() => Promise.reject(new TypeError('Failed to fetch')), {
        retries: 0,
      });
      const error = await expectFailure(adapter.getViewer(), 'network');
      expect(error.message).to.match(
        /^Could not reach the comment server at comments\.example\.com/,
      );
      expect(error.diagnostic).to.equal(undefined);
      expect(calls, 'the no-cors probe failed too').to.have.length(2);
      expect(warnings).to.deep.equal([]);
    });

    it('reads as a network failure when the server answers the probe readably', async () => {
      let first = true;
      const { adapter } = fake(
        () =>
          first
            ? ((first = false), Promise.reject(new TypeError('Connection reset')))
            : json(200, { user: null, moderator: false }),
        { retries: 0 },
      );
      expect((await expectFailure(adapter.getPost('p1'), 'network')).diagnostic).to.equal(
        undefined,
      );
    });

    it('does not probe after a timeout', async () => {
      const { adapter, calls } = fake(hang, { timeout: 10, retries: 0 });
      expect((await expectFailure(adapter.getPost('p1'), 'network')).diagnostic).to.equal(
        undefined,
      );
      expect(calls).to.have.length(1);
    });
  });

  describe('Server-Sent Events parser', () => {
    const stream =
      ': welcome\n\n' +
      'id: 1\nevent: post-created\ndata: {"a":\ndata: 1}\n\n' +
      'retry: 2500\r\n' +
      'id: 2\r\ndata:no space\r\n\r\n' +
      'data: carriage\rdata: returns\r\r' +
      'event: only-type\n\n' +
      ':comment: with colons\n' +
      'data\nid: 3\ndata:  two spaces\n\n' +
      'data: never finished';
    const expected: SseEvent[] = [
      { type: 'post-created', data: '{"a":\n1}', id: '1' },
      { type: 'message', data: 'no space', id: '2' },
      { type: 'message', data: 'carriage\nreturns' },
      { type: 'message', data: '\n two spaces', id: '3' },
    ];

    it('parses events, multi-line data, comments, ids, retry and every line ending', () => {
      const parser = new SseParser();
      expect(parser.feed(stream)).to.deep.equal(expected);
      expect(parser.lastEventId).to.equal('3');
      expect(parser.retry).to.equal(2500);
    });

    it('gives the same events however the stream is split into chunks', () => {
      for (let at = 0; at <= stream.length; at++) {
        const parser = new SseParser();
        const events = [...parser.feed(stream.slice(0, at)), ...parser.feed(stream.slice(at))];
        expect(events, `split at ${at}`).to.deep.equal(expected);
      }
      const parser = new SseParser();
      const byChar = [...stream].flatMap((c) => parser.feed(c));
      expect(byChar).to.deep.equal(expected);
    });

    it('keeps the last event id of a complete event only, starting from the one it is given', () => {
      const parser = new SseParser('41');
      expect(parser.feed('data: x\n\nid: 42\ndata: half')).to.deep.equal([
        { type: 'message', data: 'x' },
      ]);
      expect(parser.lastEventId, 'an event cut off does not count').to.equal('41');
      expect(parser.feed('\n\n')).to.deep.equal([{ type: 'message', data: 'half', id: '42' }]);
      expect(parser.lastEventId).to.equal('42');
    });
  });

  describe('subscribe', () => {
    /** A controllable `text/event-stream` response per connection. */
    function eventServer(extra: Handler = () => json(404, {})) {
      const connections: {
        call: Call;
        send: (text: string) => void;
        drop: () => void;
        end: () => void;
      }[] = [];
      const handler: Handler = (call) => {
        if (!call.url.pathname.endsWith('/events')) return extra(call);
        let controller!: ReadableStreamDefaultController<Uint8Array>;
        const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
        const encoder = new TextEncoder();
        call.signal.addEventListener('abort', () =>
          controller.error(new DOMException('aborted', 'AbortError')),
        );
        connections.push({
          call,
          send: (text) => controller.enqueue(encoder.encode(text)),
          drop: () => controller.error(new TypeError('network error')),
          end: () => controller.close(),
        });
        return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
      };
      return { connections, handler };
    }
    const event = (id: number, change: ThreadChange) =>
      `id: ${id}\nevent: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`;
    const created = (id: string): ThreadChange => ({ type: 'post-created', post: post(id) });
    const heard = (changes: ThreadChange[]) =>
      changes.map((c) =>
        'post' in c
          ? `${c.type} ${c.post.id}`
          : c.type === 'connection-changed'
            ? `live ${c.live}`
            : c.type,
      );
    const posts = (changes: ThreadChange[]) => changes.filter((c) => 'post' in c);

    it('delivers changes from one stream shared by the listeners of a thread', async () => {
      const server = eventServer();
      const { adapter } = fake(server.handler);
      const a: ThreadChange[] = [];
      const b: ThreadChange[] = [];
      const stopA = adapter.subscribe('t 1', (c) => a.push(c));
      const stopB = adapter.subscribe('t 1', (c) => b.push(c));
      await waitUntil(() => server.connections.length === 1);
      const { call, send } = server.connections[0];
      expect(call.url.pathname).to.equal('/v1/threads/t%201/events');
      expect(call.headers.get('Accept')).to.equal('text/event-stream');
      expect(call.headers.has('Last-Event-ID')).to.equal(false);
      send(': keep-alive\n\n');
      send(event(1, created('p1')).slice(0, 10));
      send(
        event(1, created('p1')).slice(10) +
          event(2, { type: 'thread-updated', thread: { id: 't 1', title: 'Renamed' } }),
      );
      await waitUntil(() => b.length === 2);
      expect(a).to.deep.equal(b);
      expect(a[0]).to.deep.equal(created('p1'));
      expect(a[1]).to.deep.equal({
        type: 'thread-updated',
        thread: { id: 't 1', title: 'Renamed' },
      });
      stopA();
      expect(call.signal.aborted, 'the stream stays open for the other listener').to.equal(false);
      stopB();
      expect(call.signal.aborted, 'the last listener closes it').to.equal(true);
      stopB();
      expect(server.connections).to.have.length(1);
    });

    it('skips events it cannot read instead of failing', async () => {
      const server = eventServer();
      const { adapter } = fake(server.handler);
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      await waitUntil(() => server.connections.length === 1);
      server.connections[0].send(
        'data: not json\n\nevent: hello\ndata: {"type":"hello"}\n\ndata: {"type":"post-created","post":{"id":"x"}}\n\n',
      );
      server.connections[0].send(event(9, created('p9')));
      await waitUntil(() => changes.length === 1);
      expect(heard(changes)).to.deep.equal(['post-created p9']);
      stop();
    });

    it('delivers reload when the server cannot replay what the listener missed', async () => {
      const server = eventServer();
      const { adapter } = fake(server.handler);
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      await waitUntil(() => server.connections.length === 1);
      server.connections[0].send('id: 90\nevent: reload\ndata: {"type":"reload"}\n\n');
      server.connections[0].send(event(91, created('p91')));
      await waitUntil(() => changes.length === 2);
      expect(heard(changes)).to.deep.equal(['reload', 'post-created p91']);
      stop();
    });

    it('reconnects after the stream drops, with Last-Event-ID, and delivers nothing twice', async () => {
      const server = eventServer();
      const { adapter, delays } = fake(server.handler);
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      await waitUntil(() => server.connections.length === 1);
      server.connections[0].send(
        event(41, created('p1')) +
          event(42, created('p2')) +
          'id: 43\ndata: {"type":"post-created",',
      );
      await waitUntil(() => changes.length === 2);
      server.connections[0].drop();
      await waitUntil(() => server.connections.length === 2, 'no reconnection');
      expect(delays.length, 'it waited before reconnecting').to.equal(1);
      expect(
        server.connections[1].call.headers.get('Last-Event-ID'),
        'the last complete event',
      ).to.equal('42');
      // The server replays from 42 on; a replayed event it already has is skipped.
      server.connections[1].send(
        event(42, created('p2')) + event(43, created('p3')) + event(44, created('p4')),
      );
      await waitUntil(() => posts(changes).length >= 4);
      server.connections[1].end();
      await waitUntil(
        () => server.connections.length === 3,
        'no reconnection after the server closed the stream',
      );
      expect(server.connections[2].call.headers.get('Last-Event-ID')).to.equal('44');
      server.connections[2].send(event(44, created('p4')) + event(45, created('p5')));
      await waitUntil(() => posts(changes).length >= 5);
      expect(heard(changes)).to.deep.equal([
        'post-created p1',
        'post-created p2',
        'live false',
        'live true',
        'post-created p3',
        'post-created p4',
        'live false',
        'live true',
        'post-created p5',
      ]);
      stop();
    });

    it('keeps reconnecting with growing delays while the server is down, using its retry delay', async () => {
      let down = 3;
      const server = eventServer();
      const { adapter, delays, calls } = fake((call) =>
        call.url.pathname.endsWith('/events') && down-- > 0
          ? Promise.reject(new TypeError('offline'))
          : server.handler(call),
      );
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      await waitUntil(() => server.connections.length === 1);
      expect(calls).to.have.length(4);
      expect(delays[0]).to.be.within(250, 500);
      expect(delays[1]).to.be.within(500, 1000);
      expect(delays[2]).to.be.within(1000, 2000);
      server.connections[0].send(`retry: 4000\n\n${event(1, created('p1'))}`);
      await waitUntil(() => posts(changes).length === 1);
      expect(heard(changes), 'down once, said once; up again').to.deep.equal([
        'live false',
        'live true',
        'post-created p1',
      ]);
      server.connections[0].drop();
      await waitUntil(() => server.connections.length === 2);
      expect(
        delays[3],
        "after a connection that worked, the delay starts again from the server's retry",
      ).to.be.within(2000, 4000);
      stop();
    });

    it('reopens a stream that falls silent', async () => {
      const server = eventServer();
      const { adapter } = fake(server.handler, { idleTimeout: 30 });
      const stop = adapter.subscribe('t1', () => {});
      await waitUntil(() => server.connections.length === 2, 'the silent stream was not reopened');
      expect(server.connections[0].call.signal.aborted).to.equal(true);
      stop();
    });

    it('says live false once when the stream falls silent, and live true when it is open again; nothing on the first open', async () => {
      const server = eventServer();
      const { adapter } = fake(server.handler, { idleTimeout: 150 });
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      await waitUntil(() => server.connections.length === 1);
      server.connections[0].send(event(1, created('p1')));
      await waitUntil(() => changes.length === 1);
      expect(heard(changes), 'the first open says nothing').to.deep.equal(['post-created p1']);
      await waitUntil(() => server.connections.length === 2, 'the silent stream was not reopened');
      await waitUntil(() => changes.length >= 3);
      stop();
      expect(heard(changes)).to.deep.equal(['post-created p1', 'live false', 'live true']);
      await new Promise((r) => setTimeout(r, 20));
      expect(changes, 'unsubscribing says nothing').to.have.length(3);
    });

    it('says live false once, however many reconnections fail, and tells a listener who joins meanwhile', async () => {
      let down = true;
      const server = eventServer();
      let release!: () => void;
      const { adapter, calls } = fake(
        (call) =>
          call.url.pathname.endsWith('/events') && down
            ? Promise.reject(new TypeError('offline'))
            : server.handler(call),
        {
          sleep: () =>
            calls.length < 4
              ? Promise.resolve()
              : new Promise<void>((resolve) => (release = resolve)),
        },
      );
      const first: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => first.push(c));
      await waitUntil(() => calls.length === 4);
      expect(heard(first)).to.deep.equal(['live false']);
      const late: ThreadChange[] = [];
      const stopLate = adapter.subscribe('t1', (c) => late.push(c));
      await waitUntil(() => late.length === 1);
      expect(heard(late)).to.deep.equal(['live false']);
      down = false;
      release();
      await waitUntil(() => server.connections.length === 1);
      await waitUntil(() => late.length === 2);
      expect(heard(first)).to.deep.equal(['live false', 'live true']);
      expect(heard(late)).to.deep.equal(['live false', 'live true']);
      stop();
      stopLate();
    });

    it('gives up on a stream the server refuses, saying live updates stopped', async () => {
      const { adapter, calls } = fake(() => problem(404, 'not-found', 'No such thread.'));
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('gone', (c) => changes.push(c));
      await waitUntil(() => calls.length === 1);
      await new Promise((r) => setTimeout(r, 20));
      expect(calls).to.have.length(1);
      expect(heard(changes)).to.deep.equal(['live false']);
      stop();
    });

    it('holds a write until the stream has opened, so the listener hears it', async () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      const server = eventServer(() => json(201, post('p1')));
      const order: string[] = [];
      const { adapter } = fake(async (call) => {
        order.push(`${call.method} ${call.url.pathname}`);
        if (call.url.pathname.endsWith('/events')) await opened;
        return server.handler(call);
      });
      const stop = adapter.subscribe('t1', () => {});
      const writing = adapter.createPost({ threadId: 't1', body: 'x' });
      await new Promise((r) => setTimeout(r, 10));
      expect(order).to.deep.equal(['GET /v1/threads/t1/events']);
      open();
      await writing;
      expect(order).to.deep.equal(['GET /v1/threads/t1/events', 'POST /v1/threads/t1/posts']);
      stop();
    });
  });

  describe('tokens and signing in', () => {
    const viewerServer =
      (extra: Handler = () => json(404, {})): Handler =>
      (call) => {
        if (call.url.pathname === '/v1/viewer') {
          const auth = call.headers.get('Authorization');
          if (auth === 'Bearer bad')
            return problem(401, 'unauthorized', 'The sign-in token has expired.');
          return json(200, {
            user: auth ? { id: `sso:${auth.slice(7)}`, name: auth.slice(7) } : null,
            moderator: false,
          });
        }
        if (call.url.pathname.endsWith('/events'))
          return new Response(new ReadableStream(), {
            headers: { 'Content-Type': 'text/event-stream' },
          });
        return extra(call);
      };

    it('sends the token as a Bearer Authorization header, and none without one', async () => {
      const { adapter, calls } = fake(viewerServer(), { token: 'abc' });
      expect(await adapter.getViewer()).to.deep.equal({ user: { id: 'sso:abc', name: 'abc' } });
      expect(calls[0].headers.get('Authorization')).to.equal('Bearer abc');
      const anonymous = fake(viewerServer());
      expect(await anonymous.adapter.getViewer()).to.deep.equal({ user: null });
      expect(anonymous.calls[0].headers.has('Authorization')).to.equal(false);
    });

    it('reads a token the server refuses as signed out', async () => {
      const { adapter } = fake(viewerServer(), { token: 'bad' });
      expect(await adapter.getViewer()).to.deep.equal({ user: null });
    });

    it('signs in with a single-sign-on token: checks it, then sends it, and tells subscribers', async () => {
      const { adapter, calls } = fake(viewerServer(() => json(201, post('p1'))));
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      const viewer = await adapter.signIn({ token: 'jwt1' });
      expect(viewer).to.deep.equal({ user: { id: 'sso:jwt1', name: 'jwt1' } });
      expect(adapter.token).to.equal('jwt1');
      expect(changes).to.deep.equal([{ type: 'viewer-changed', viewer }]);
      await adapter.createPost({ threadId: 't1', body: 'x' });
      expect(calls.at(-1)!.headers.get('Authorization')).to.equal('Bearer jwt1');
      stop();
    });

    it('keeps the old token when the server refuses a new one', async () => {
      const { adapter } = fake(viewerServer(), { token: 'good' });
      await expectFailure(adapter.signIn({ token: 'bad' }), 'unauthorized');
      expect(adapter.token).to.equal('good');
    });

    it('setToken tells subscribers who is reading now with viewer-changed', async () => {
      const { adapter } = fake(viewerServer());
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      await adapter.setToken('ana');
      await adapter.setToken('ana');
      await adapter.setToken('bad');
      await adapter.setToken(null);
      expect(changes).to.deep.equal([
        { type: 'viewer-changed', viewer: { user: { id: 'sso:ana', name: 'ana' } } },
        { type: 'viewer-changed', viewer: { user: null } },
        { type: 'viewer-changed', viewer: { user: null } },
      ]);
      stop();
    });

    it('reports only the latest of two quick token changes', async () => {
      const { adapter } = fake(viewerServer());
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      await Promise.all([adapter.setToken('first'), adapter.setToken('second')]);
      expect(changes).to.deep.equal([
        { type: 'viewer-changed', viewer: { user: { id: 'sso:second', name: 'second' } } },
      ]);
      stop();
    });

    it('signs in as a guest, with a password, or a new account, using the session token it gets, and signs out', async () => {
      let session = 0;
      const { adapter, calls } = fake(
        viewerServer((call) => {
          if (call.url.pathname === '/v1/auth/logout') return new Response(null, { status: 204 });
          const { name = 'Ada', handle } = call.body as { name?: string; handle?: string };
          return json(call.url.pathname.endsWith('register') ? 201 : 200, {
            token: `s${++session}`,
            user: { id: `u${session}`, name, handle },
          });
        }),
        { token: 'expired' },
      );
      expect((await adapter.signIn({ name: '  Visitor ' })).user).to.deep.equal({
        id: 'u1',
        name: 'Visitor',
      });
      expect(calls[0].url.pathname).to.equal('/v1/auth/guest');
      expect(calls[0].body).to.deep.equal({ name: 'Visitor' });
      expect(calls[0].headers.has('Authorization'), 'no stale token on a sign-in').to.equal(false);
      expect(adapter.token).to.equal('s1');
      await adapter.signIn({ handle: 'ada', password: 'correct horse' });
      expect(calls[1].url.pathname).to.equal('/v1/auth/login');
      expect(calls[1].body).to.deep.equal({ handle: 'ada', password: 'correct horse' });
      await adapter.register({ name: 'Bo', handle: 'bo', password: 'long enough' });
      expect(calls[2].url.pathname).to.equal('/v1/auth/register');
      expect(adapter.token).to.equal('s3');
      expect(await adapter.signOut()).to.deep.equal({ user: null });
      expect(calls[3].url.pathname).to.equal('/v1/auth/logout');
      expect(calls[3].headers.get('Authorization')).to.equal('Bearer s3');
      expect(adapter.token).to.equal(null);
      expect(await adapter.getViewer()).to.deep.equal({ user: null });
    });

    it('signs out of single sign-on without calling the server', async () => {
      const { adapter, calls } = fake(viewerServer(), { token: 'sso' });
      expect(await adapter.signOut()).to.deep.equal({ user: null });
      expect(calls).to.have.length(0);
      expect(adapter.token).to.equal(null);
    });

    /** A server issuing guest sessions `s1`, `s2`, … that `/viewer` knows, refusing any other session token. */
    const sessionServer = () => {
      let issued = 0;
      const live = new Set<string>();
      const handler: Handler = (call) => {
        const auth = call.headers.get('Authorization')?.slice(7) ?? null;
        if (call.url.pathname.endsWith('/v1/auth/guest')) {
          const token = `s${++issued}`;
          live.add(token);
          return json(200, {
            token,
            user: { id: `u-${token}`, name: (call.body as { name: string }).name },
          });
        }
        if (call.url.pathname.endsWith('/v1/auth/logout')) {
          if (auth) live.delete(auth);
          return new Response(null, { status: 204 });
        }
        // Like the reference server, the event stream is public: no token is checked there.
        if (call.url.pathname.endsWith('/events'))
          return new Response(new ReadableStream(), {
            headers: { 'Content-Type': 'text/event-stream' },
          });
        if (auth && !live.has(auth) && !auth.startsWith('sso-'))
          return problem(
            401,
            'unauthorized',
            'Your sign-in has expired or ended; please log in again.',
          );
        if (call.url.pathname.endsWith('/v1/viewer'))
          return json(200, {
            user: auth ? { id: `u-${auth}`, name: auth } : null,
            moderator: false,
          });
        return json(201, post('p1'));
      };
      return { handler, live };
    };
    // Each session test has an endpoint of its own, so adapters of earlier tests (which live on) stay out of it.
    let endpoint = '';
    let SESSION_KEY = '';
    let sessionTest = 0;
    beforeEach(() => {
      endpoint = `${ENDPOINT}/session-${++sessionTest}-${Date.now()}`;
      SESSION_KEY = `parley:session:v1:${endpoint}`;
    });
    afterEach(() => localStorage.removeItem(SESSION_KEY));
    const stored = () => localStorage.getItem(SESSION_KEY);
    /** A fake adapter on this test's endpoint that keeps its session, as RestAdapter does by default. */
    const persisted = (handler: Handler, options: Partial<RestAdapterOptions> = {}) =>
      fake(handler, { endpoint, persistSession: true, ...options });

    it('keeps the session of signIn in localStorage, per endpoint, so a reload is still signed in', async () => {
      const server = sessionServer();
      const { adapter } = persisted(server.handler);
      expect(adapter.sessionKind).to.equal('none');
      await adapter.signIn({ name: 'Visitor' });
      expect(adapter.sessionKind).to.equal('session');
      expect(stored()).to.equal(JSON.stringify({ token: 's1' }));
      const reload = persisted(server.handler, { endpoint: `${endpoint}/` });
      expect(reload.adapter.sessionKind).to.equal('session');
      expect(await reload.adapter.getViewer()).to.deep.equal({ user: { id: 'u-s1', name: 's1' } });
      expect(reload.calls[0].headers.get('Authorization')).to.equal('Bearer s1');
      const elsewhere = persisted(server.handler, { endpoint: `${endpoint}-other` });
      expect(elsewhere.adapter.sessionKind, 'another endpoint has its own').to.equal('none');
    });

    it('never stores a token of the host site, and says it is single sign-on', async () => {
      const server = sessionServer();
      const given = persisted(server.handler, { token: 'sso-a' });
      expect(given.adapter.sessionKind).to.equal('sso');
      await given.adapter.signIn({ token: 'sso-b' });
      await given.adapter.setToken('sso-c');
      expect(given.adapter.sessionKind).to.equal('sso');
      expect(stored()).to.equal(null);
      expect(persisted(server.handler).adapter.sessionKind).to.equal('none');
    });

    it('with persistSession false, keeps the session in the page only', async () => {
      const server = sessionServer();
      const { adapter } = fake(server.handler, { endpoint, persistSession: false });
      await adapter.signIn({ name: 'Private' });
      expect(adapter.sessionKind).to.equal('session');
      expect(stored()).to.equal(null);
      localStorage.setItem(SESSION_KEY, JSON.stringify({ token: 's1' }));
      expect(
        fake(server.handler, { endpoint, persistSession: false }).adapter.sessionKind,
        'and restores none',
      ).to.equal('none');
    });

    it('forgets a stored session the server refuses, which reads as signed out', async () => {
      const server = sessionServer();
      localStorage.setItem(SESSION_KEY, JSON.stringify({ token: 'ended' }));
      const { adapter } = persisted(server.handler);
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      expect(await adapter.getViewer()).to.deep.equal({ user: null });
      expect(stored()).to.equal(null);
      expect(adapter.sessionKind).to.equal('none');
      expect(adapter.token).to.equal(null);
      expect(changes).to.deep.equal([{ type: 'viewer-changed', viewer: { user: null } }]);
      stop();
    });

    it('forgets a session that ends while in use, on any request', async () => {
      const server = sessionServer();
      const { adapter } = persisted(server.handler);
      await adapter.signIn({ name: 'Visitor' });
      server.live.clear(); // ended on the server (expired, or signed out elsewhere)
      await expectFailure(adapter.createPost({ threadId: 't1', body: 'x' }), 'unauthorized');
      expect(stored()).to.equal(null);
      expect(adapter.sessionKind).to.equal('none');
    });

    it('reads an unreadable stored value as no session', async () => {
      for (const value of ['not json', '{"token":""}', '[]', 'null']) {
        localStorage.setItem(SESSION_KEY, value);
        expect(persisted(sessionServer().handler).adapter.sessionKind, value).to.equal('none');
      }
    });

    it('signs out by ending the session on the server and forgetting it', async () => {
      const server = sessionServer();
      const { adapter, calls } = persisted(server.handler);
      await adapter.signIn({ name: 'Visitor' });
      expect(await adapter.signOut()).to.deep.equal({ user: null });
      expect(calls.at(-1)!.url.pathname).to.match(/\/v1\/auth\/logout$/);
      expect(calls.at(-1)!.headers.get('Authorization')).to.equal('Bearer s1');
      expect(server.live.size).to.equal(0);
      expect(stored()).to.equal(null);
      expect(adapter.sessionKind).to.equal('none');
    });

    it('lets a token of the host site take precedence over the session while it is set', async () => {
      const server = sessionServer();
      const { adapter, calls } = persisted(server.handler);
      await adapter.signIn({ name: 'Visitor' });
      await adapter.setToken('sso-site');
      expect(adapter.sessionKind).to.equal('sso');
      await adapter.createPost({ threadId: 't1', body: 'x' });
      expect(calls.at(-1)!.headers.get('Authorization')).to.equal('Bearer sso-site');
      await adapter.setToken(null);
      expect(adapter.sessionKind, "the site's sign-out leaves Parley's own session").to.equal(
        'session',
      );
      await adapter.signIn({ name: 'Again' });
      expect(adapter.token, 'signing in here replaces the site token').to.equal('s2');
    });

    /** The localStorage of another document of this origin: its writes reach this page as real `storage` events. */
    async function otherTab(): Promise<{ storage: Storage; close: () => void }> {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      await new Promise((r) => setTimeout(r));
      return { storage: frame.contentWindow!.localStorage, close: () => frame.remove() };
    }

    it('follows another tab signing in and out, telling subscribers', async () => {
      const server = sessionServer();
      const other = await otherTab();
      const { adapter } = persisted(server.handler);
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      try {
        await fake(server.handler, { endpoint, persistSession: false }).adapter.signIn({
          name: 'Elsewhere',
        }); // issues s1 on the server
        other.storage.setItem(SESSION_KEY, JSON.stringify({ token: 's1' }));
        await waitUntil(
          () => changes.length === 1,
          'no viewer-changed after the other tab signed in',
        );
        expect(changes[0]).to.deep.equal({
          type: 'viewer-changed',
          viewer: { user: { id: 'u-s1', name: 's1' } },
        });
        expect(adapter.token).to.equal('s1');
        other.storage.removeItem(SESSION_KEY);
        await waitUntil(
          () => changes.length === 2,
          'no viewer-changed after the other tab signed out',
        );
        expect(changes[1]).to.deep.equal({ type: 'viewer-changed', viewer: { user: null } });
        expect(adapter.sessionKind).to.equal('none');
      } finally {
        stop();
        other.close();
      }
    });

    it('follows another adapter on the same endpoint in this page', async () => {
      const server = sessionServer();
      const { adapter } = persisted(server.handler);
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      const second = persisted(server.handler).adapter;
      await second.signIn({ name: 'Next door' });
      await waitUntil(() => changes.length === 1);
      expect(adapter.token).to.equal('s1');
      await second.signOut();
      await waitUntil(() => changes.length === 2);
      expect(
        changes.map((c) => (c.type === 'viewer-changed' ? (c.viewer.user?.id ?? null) : c.type)),
      ).to.deep.equal(['u-s1', null]);
      stop();
    });

    it('ignores another tab while a token of the host site is in use', async () => {
      const server = sessionServer();
      const other = await otherTab();
      const { adapter } = persisted(server.handler, { token: 'sso-site' });
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe('t1', (c) => changes.push(c));
      try {
        other.storage.setItem(SESSION_KEY, JSON.stringify({ token: 's9' }));
        await new Promise((r) => setTimeout(r, 30));
        expect(changes).to.deep.equal([]);
        expect(adapter.token).to.equal('sso-site');
      } finally {
        stop();
        other.close();
      }
    });

    describe('sign-in methods', () => {
      const offering =
        (signIn?: Record<string, boolean>): Handler =>
        (call) =>
          call.headers.has('Authorization')
            ? problem(401, 'unauthorized', 'Expired.')
            : json(200, { user: null, moderator: false, ...(signIn ? { signIn } : {}) });

      it('asks the server which ways it offers, once, without the token', async () => {
        const { adapter, calls } = fake(offering({ accounts: false, guests: true, sso: true }), {
          token: 'stale',
        });
        expect(adapter.signInMethods).to.equal(undefined);
        expect(await adapter.getSignInMethods()).to.deep.equal(['guest', 'token']);
        expect(await adapter.getSignInMethods()).to.deep.equal(['guest', 'token']);
        expect(adapter.signInMethods).to.deep.equal(['guest', 'token']);
        expect(calls).to.have.length(1);
        expect(calls[0].url.pathname).to.equal('/v1/viewer');
        expect(calls[0].headers.has('Authorization')).to.equal(false);
      });

      it('maps accounts to password and register, offered first, and learns them from getViewer too', async () => {
        const { adapter, calls } = fake(offering({ accounts: true, guests: true, sso: false }));
        await adapter.getViewer();
        expect(adapter.signInMethods).to.deep.equal(['password', 'register', 'guest']);
        expect(await adapter.getSignInMethods()).to.deep.equal(['password', 'register', 'guest']);
        expect(calls).to.have.length(1);
        expect(
          await fake(
            offering({ accounts: true, guests: false, sso: false }),
          ).adapter.getSignInMethods(),
        ).to.deep.equal(['password', 'register']);
      });

      it('offers every way when the server does not say', async () => {
        expect(await fake(offering()).adapter.getSignInMethods()).to.deep.equal([
          'password',
          'register',
          'guest',
          'token',
        ]);
      });
    });

    it('asks the host site to sign the reader in when given nothing to sign in with', async () => {
      const { adapter, calls } = fake(viewerServer());
      const error = await expectFailure(adapter.signIn(), 'unauthorized');
      expect(error.message).to.match(/log in/i);
      expect(calls).to.have.length(0);
    });
  });
});
