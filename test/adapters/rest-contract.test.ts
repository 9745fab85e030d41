/**
 * `RestAdapter` against the real reference server (`server/`), which `npm test` starts and names
 * in `window.__PARLEY_SERVER__`: the shared adapter contract, then what only HTTP can show (a
 * lost answer retried with its Idempotency-Key, a dropped event stream, single sign-on, accounts
 * and guests).
 *
 * Every test loads its data with `POST {server}/v1/_seed`, which replaces everything and answers
 * with a session token for each seeded user: the contract signs in as its people (`c-ana`, …)
 * with those, because single-sign-on users are namespaced (`sso:<sub>`, docs/protocol.md) and so
 * can never be the seeded authors. Single sign-on has its own tests below, with tokens minted
 * here with Web Crypto (HS256, secret `test-secret-test-secret-test-secret!`), as a host site would.
 * Without a server (it is not built yet, or the tests run without it) the suite is skipped,
 * saying why.
 *
 * What it needs from the server `npm test` starts: PARLEY_ALLOW_SEED=on, PARLEY_SSO_SECRET=test-secret-test-secret-test-secret!,
 * no rate limits (PARLEY_RATE_USER=off, PARLEY_RATE_ADDRESS=off: the contract writes hundreds of
 * posts a minute from one address), and the test page's origin allowed (PARLEY_ORIGINS).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { RestAdapter, type RestAdapterOptions } from '../../src/adapters/rest.js';
import type { Author, ThreadChange } from '../../src/model/types.js';
import {
  ana,
  ben,
  contractSeed,
  cy,
  describeAdapterContract,
  expectFailure,
  listAll,
  MAIN,
  MAIN_ORDER,
  SIDE,
  type ContractSeed,
} from '../../src/testing/index.js';

declare global {
  interface Window {
    /** The reference server's base URL, set by the test runner when it started one. */
    __PARLEY_SERVER__?: string;
  }
}

const server = window.__PARLEY_SERVER__;
/**
 * A copy of an event stream's response whose body the test can cut: its controller is pushed to
 * `streams` (`streams[i].error(…)` drops the connection as a network would).
 */
function cuttable(
  response: Response,
  streams: ReadableStreamDefaultController<Uint8Array>[],
): Response {
  const reader = response.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => void streams.push(controller),
    pull: async (controller) => {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: () => reader.cancel(),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

const SECRET = 'test-secret-test-secret-test-secret!';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** An HS256 JWT over `claims`, as a host site would sign it. */
async function jwt(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  const head = `${base64url(utf8(JSON.stringify({ alg: 'HS256', typ: 'JWT' })))}.${base64url(utf8(JSON.stringify(claims)))}`;
  const key = await crypto.subtle.importKey(
    'raw',
    utf8(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `${head}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(head))))}`;
}

/** A single-sign-on token for `user`, valid for an hour. */
function ssoToken(user: Author, claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return jwt({
    sub: user.id,
    name: user.name,
    handle: user.handle,
    iat: now,
    exp: now + 3600,
    ...claims,
  });
}

/** Replaces all of the server's data; resolves to a session token for each of `seed.users`. */
async function seedServer(
  seed: ContractSeed,
  extra: { origins?: string[] } = {},
): Promise<Record<string, string>> {
  const response = await fetch(`${server}/v1/_seed`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ threads: seed.threads, posts: seed.posts, users: seed.users, ...extra }),
  });
  if (!response.ok)
    throw new Error(`POST /v1/_seed answered ${response.status}: ${await response.text()}`);
  const { tokens } = (await response.json()) as { tokens?: Record<string, string> };
  if (!tokens || seed.users.some((u) => typeof tokens[u.id] !== 'string'))
    throw new Error('POST /v1/_seed did not answer with a session token for every user');
  return tokens;
}

if (!server) {
  describe.skip('RestAdapter against the reference server (skipped: window.__PARLEY_SERVER__ is not set, so no server was started)', () => {
    it('runs the adapter contract and the HTTP tests once `npm test` starts the server');
  });
} else {
  /** The session tokens of the latest seed, by user id. */
  let sessions: Record<string, string> = {};
  /** Where a RestAdapter on the server keeps its session. */
  const SESSION_KEY = `parley:session:v1:${new URL(server).origin}`;
  // A session one test kept must not sign in the next test's adapters.
  beforeEach(() => localStorage.removeItem(SESSION_KEY));
  afterEach(() => localStorage.removeItem(SESSION_KEY));

  /** A RestAdapter on freshly seeded data, signed in as `as` (or signed out). */
  const open = async (
    as: Author | null = ana,
    options: Partial<RestAdapterOptions> = {},
    seed = contractSeed({ user: as }),
  ) => {
    sessions = await seedServer(seed);
    return new RestAdapter({ endpoint: server, token: as ? sessions[as.id] : null, ...options });
  };

  describeAdapterContract(
    { describe, it, beforeEach, afterEach },
    'RestAdapter',
    async (seed) => ({ adapter: await open(seed.viewer?.user ?? null, {}, seed) }),
    {
      signInAs: (user) => ({ token: sessions[user.id] }),
    },
  );

  describe('RestAdapter with the reference server', () => {
    it('posts once when the answer to a create is lost and the adapter retries it', async () => {
      let lose = true;
      const adapter = await open(ana, {
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (init?.method === 'POST' && lose) {
            lose = false;
            throw new TypeError('The connection was reset'); // the server has committed the post
          }
          return response;
        },
        sleep: async () => {},
      });
      const post = await adapter.createPost({ threadId: SIDE, body: 'Exactly once.' });
      const listed = await listAll(adapter, SIDE);
      expect(listed.map((p) => p.body)).to.deep.equal([
        'The side thread opens.',
        'A reply in the side thread.',
        'Exactly once.',
      ]);
      expect(listed[2].id).to.equal(post.id);
    });

    it('picks up a dropped event stream with Last-Event-ID, missing and repeating nothing', async () => {
      const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
      const lastEventIds: (string | null)[] = [];
      let reconnect!: () => void;
      const disconnected = new Promise<void>((resolve) => (reconnect = resolve));
      const adapter = await open(ana, {
        sleep: () => disconnected, // the adapter stays disconnected until the test says so
        // Hands the adapter a copy of each event stream that the test can cut.
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!String(input).endsWith('/events') || !response.body) return response;
          lastEventIds.push(new Headers(init?.headers).get('Last-Event-ID'));
          return cuttable(response, streams);
        },
      });
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe(MAIN, (c) => changes.push(c));
      try {
        const first = await adapter.createPost({ threadId: MAIN, body: 'Before the drop.' });
        await waitUntil(() => changes.length === 1, 'the first change never came');
        streams[0].error(new TypeError('network lost'));
        // Written while the adapter is disconnected: the replay must bring it.
        const second = await adapter.createPost({ threadId: MAIN, body: 'During the drop.' });
        expect(streams).to.have.length(1);
        reconnect();
        await waitUntil(
          () => changes.filter((c) => 'post' in c).length >= 2,
          'the change made during the drop never came',
        );
        const third = await adapter.createPost({ threadId: MAIN, body: 'After the drop.' });
        await waitUntil(
          () => changes.filter((c) => 'post' in c).length >= 3,
          'the change after the drop never came',
        );
        expect(lastEventIds[0]).to.equal(null);
        expect(lastEventIds[1]).to.match(/^\d+$/);
        expect(
          changes.map((c) =>
            'post' in c ? c.post.id : c.type === 'connection-changed' ? `live ${c.live}` : c.type,
          ),
        ).to.deep.equal([first.id, 'live false', 'live true', second.id, third.id]);
      } finally {
        stop();
      }
    });

    it('signs in guests and built-in accounts, with the sessions the server issues', async () => {
      const adapter = await open(null);
      const handle = `ada${Date.now().toString(36)}`;
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe(SIDE, (c) => changes.push(c));
      try {
        const registered = await adapter.register({
          name: 'Ada Lovelace',
          handle,
          password: 'analytical engine',
        });
        expect(registered.user).to.deep.include({ name: 'Ada Lovelace', handle });
        expect(
          (await adapter.createPost({ threadId: SIDE, body: 'Registered.' })).author.id,
        ).to.equal(registered.user!.id);
        await expectFailure(
          adapter.register({ name: 'Another Ada', handle, password: 'analytical engine' }),
          'conflict',
        );
        await adapter.signOut();
        expect(await adapter.getViewer()).to.deep.equal({ user: null });
        await expectFailure(adapter.signIn({ handle, password: 'wrong password' }), 'unauthorized');
        expect((await adapter.signIn({ handle, password: 'analytical engine' })).user?.id).to.equal(
          registered.user!.id,
        );
        const guest = await adapter.signIn({ name: 'Visitor' });
        expect(guest.user).to.deep.include({ name: 'Visitor' });
        expect((await adapter.getViewer()).user?.id).to.equal(guest.user!.id);
        expect(changes.filter((c) => c.type === 'viewer-changed')).to.have.length(4);
      } finally {
        stop();
      }
    });

    it('ends a session on sign-out, so its token stops working', async () => {
      const adapter = await open(null);
      await adapter.signIn({ name: 'Brief visitor' });
      const token = adapter.token!;
      await adapter.signOut();
      const again = new RestAdapter({ endpoint: server, token });
      expect(await again.getViewer()).to.deep.equal({ user: null });
      await expectFailure(
        again.createPost({ threadId: SIDE, body: 'With an ended session.' }),
        'unauthorized',
      );
    });

    it('refuses a token signed with another secret, an expired one, and keeps the reader signed out', async () => {
      const adapter = await open(null);
      await expectFailure(
        adapter.signIn({
          token: await jwt(
            { sub: 'x', name: 'X', exp: Math.floor(Date.now() / 1000) + 60 },
            'wrong-secret',
          ),
        }),
        'unauthorized',
      );
      await expectFailure(
        adapter.signIn({
          token: await ssoToken(ben, { exp: Math.floor(Date.now() / 1000) - 3600 }),
        }),
        'unauthorized',
      );
      expect(await adapter.getViewer()).to.deep.equal({ user: null });
    });

    it('signs in with a single-sign-on token as sso:<sub>, with the name, handle and avatar it carries', async () => {
      const adapter = await open(null);
      const token = await ssoToken(
        { id: '42', name: 'Grace Hopper', handle: 'grace' },
        { avatar: 'https://site.example/grace.png' },
      );
      const viewer = await adapter.signIn({ token });
      expect(viewer.user).to.deep.include({
        id: 'sso:42',
        name: 'Grace Hopper',
        handle: 'grace',
        avatarUrl: 'https://site.example/grace.png',
      });
      const post = await adapter.createPost({
        threadId: MAIN,
        body: 'Signed in by the host site.',
      });
      expect(post.author).to.deep.include({ id: 'sso:42', name: 'Grace Hopper' });
      await expectFailure(adapter.updatePost('m2', "Not Grace's post."), 'forbidden');
      expect(await adapter.signOut()).to.deep.equal({ user: null });
      await expectFailure(
        adapter.createPost({ threadId: MAIN, body: 'Signed out.' }),
        'unauthorized',
      );
    });

    it('keeps the latest name a single-sign-on token carries', async () => {
      const adapter = await open(null);
      await adapter.signIn({ token: await ssoToken({ id: '7', name: 'Old Name' }) });
      const first = await adapter.createPost({ threadId: SIDE, body: 'Before the rename.' });
      await adapter.signIn({ token: await ssoToken({ id: '7', name: 'New Name' }) });
      expect((await adapter.getViewer()).user).to.deep.include({ id: 'sso:7', name: 'New Name' });
      expect((await adapter.getPost(first.id)).author.id).to.equal('sso:7');
    });

    it('setToken switches the reader and tells subscribers', async () => {
      const adapter = await open(null);
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe(MAIN, (c) => changes.push(c));
      try {
        await adapter.setToken(await ssoToken(cy));
        expect(
          (await adapter.createPost({ threadId: MAIN, body: 'Cy, by token.' })).author.id,
        ).to.equal(`sso:${cy.id}`);
        await adapter.setToken(sessions[ben.id]);
        expect(
          (await adapter.createPost({ threadId: MAIN, body: 'Ben, by session.' })).author.id,
        ).to.equal(ben.id);
        await adapter.setToken(null);
        const viewers = changes.flatMap((c) =>
          c.type === 'viewer-changed' ? [c.viewer.user?.id ?? null] : [],
        );
        expect(viewers).to.deep.equal([`sso:${cy.id}`, ben.id, null]);
      } finally {
        stop();
      }
    });

    it('counts the posts that are not deleted, unknown threads 0', async () => {
      const adapter = await open();
      expect(await adapter.getCounts([MAIN, SIDE, 'no-such-thread'])).to.deep.equal({
        [MAIN]: MAIN_ORDER.length - 1,
        [SIDE]: 2,
        'no-such-thread': 0,
      });
    });

    it('reads the server problem documents as ParleyErrors with their code and field', async () => {
      const adapter = await open();
      await expectFailure(
        adapter.createPost({ threadId: MAIN, body: 'x'.repeat(10_001) }),
        'invalid',
        'body',
      );
      await expectFailure(adapter.listPosts(MAIN, { cursor: 'not-a-cursor' }), 'invalid', 'cursor');
      await expectFailure(adapter.updatePost('m1', 'Not mine.'), 'forbidden');
    });
  });

  describe('RestAdapter sessions that last, with the reference server', () => {
    /** Who the server says a token belongs to: the user's id, null when signed out, or the HTTP status when refused. */
    const whoIs = async (token: string) => {
      const response = await fetch(`${server}/v1/viewer`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return response.ok
        ? (((await response.json()) as { user: Author | null }).user?.id ?? null)
        : response.status;
    };
    /** The localStorage of another document of this origin: its writes reach this page as real `storage` events. */
    async function otherTab(): Promise<{ storage: Storage; close: () => void }> {
      const frame = document.createElement('iframe');
      document.body.append(frame);
      await new Promise((r) => setTimeout(r));
      return { storage: frame.contentWindow!.localStorage, close: () => frame.remove() };
    }

    it('keeps a guest signed in across a reload', async () => {
      await open(null);
      const adapter = new RestAdapter({ endpoint: server });
      const { user } = await adapter.signIn({ name: 'Returning visitor' });
      expect(adapter.sessionKind).to.equal('session');
      const reloaded = new RestAdapter({ endpoint: server });
      expect(reloaded.sessionKind).to.equal('session');
      expect((await reloaded.getViewer()).user).to.deep.equal(user);
      expect(
        (await reloaded.createPost({ threadId: SIDE, body: 'Back after a reload.' })).author.id,
      ).to.equal(user!.id);
    });

    it('keeps an account signed in across a reload, and in a new tab', async () => {
      await open(null);
      const handle = `kept${Date.now().toString(36)}`;
      const { user } = await new RestAdapter({ endpoint: server }).register({
        name: 'Kept Signed In',
        handle,
        password: 'long enough',
      });
      const other = await otherTab();
      try {
        expect(other.storage.getItem(SESSION_KEY), 'the other tab sees the session').to.be.a(
          'string',
        );
        expect((await new RestAdapter({ endpoint: server }).getViewer()).user?.id).to.equal(
          user!.id,
        );
      } finally {
        other.close();
      }
    });

    it('ends the session on sign-out: a new adapter is signed out, and the old token is refused', async () => {
      await open(null);
      const adapter = new RestAdapter({ endpoint: server });
      await adapter.signIn({ name: 'Leaving' });
      const token = adapter.token!;
      expect(await adapter.signOut()).to.deep.equal({ user: null });
      expect(adapter.sessionKind).to.equal('none');
      expect(localStorage.getItem(SESSION_KEY)).to.equal(null);
      const reloaded = new RestAdapter({ endpoint: server });
      expect(reloaded.sessionKind).to.equal('none');
      expect(await reloaded.getViewer()).to.deep.equal({ user: null });
      expect(await whoIs(token)).to.equal(401);
    });

    it('forgets a stored session the server has ended, which then reads as signed out', async () => {
      await open(null);
      const adapter = new RestAdapter({ endpoint: server });
      await adapter.signIn({ name: 'Revoked elsewhere' });
      const token = adapter.token!;
      await fetch(`${server}/v1/auth/logout`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      }); // ended on another device
      const reloaded = new RestAdapter({ endpoint: server });
      expect(reloaded.token, 'restored before it is checked').to.equal(token);
      expect(await reloaded.getViewer()).to.deep.equal({ user: null });
      expect(reloaded.sessionKind).to.equal('none');
      expect(localStorage.getItem(SESSION_KEY), 'and forgotten').to.equal(null);
      await expectFailure(
        adapter.createPost({ threadId: SIDE, body: 'With the ended session.' }),
        'unauthorized',
      );
      expect(adapter.sessionKind, 'the old adapter forgets it on its next request').to.equal(
        'none',
      );
    });

    it('forgets a session a new seed wiped, as it would one that expired', async () => {
      await open(null);
      await new RestAdapter({ endpoint: server }).signIn({ name: 'Before the seed' });
      await seedServer(contractSeed({ user: null }));
      const reloaded = new RestAdapter({ endpoint: server });
      expect(await reloaded.getViewer()).to.deep.equal({ user: null });
      expect(localStorage.getItem(SESSION_KEY)).to.equal(null);
    });

    it('follows another tab signing in and out', async () => {
      await open(null);
      const adapter = new RestAdapter({ endpoint: server });
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe(SIDE, (c) => changes.push(c));
      const other = await otherTab();
      try {
        const response = await fetch(`${server}/v1/auth/guest`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'In the other tab' }),
        });
        const session = (await response.json()) as { token: string; user: Author };
        other.storage.setItem(SESSION_KEY, JSON.stringify({ token: session.token }));
        const viewers = () =>
          changes.flatMap((c) => (c.type === 'viewer-changed' ? [c.viewer.user?.id ?? null] : []));
        await waitUntil(
          () => viewers().length === 1,
          'no viewer-changed after the other tab signed in',
        );
        expect(viewers()).to.deep.equal([session.user.id]);
        expect(
          (await adapter.createPost({ threadId: SIDE, body: 'Posted as the other tab signed in.' }))
            .author.id,
        ).to.equal(session.user.id);
        other.storage.removeItem(SESSION_KEY);
        await waitUntil(
          () => viewers().length === 2,
          'no viewer-changed after the other tab signed out',
        );
        expect(viewers()).to.deep.equal([session.user.id, null]);
        await expectFailure(
          adapter.createPost({ threadId: SIDE, body: 'Signed out in the other tab.' }),
          'unauthorized',
        );
      } finally {
        stop();
        other.close();
      }
    });

    it('with persistSession false, stores nothing', async () => {
      await open(null);
      const adapter = new RestAdapter({ endpoint: server, persistSession: false });
      await adapter.signIn({ name: 'Only this page' });
      expect(adapter.sessionKind).to.equal('session');
      expect(localStorage.getItem(SESSION_KEY)).to.equal(null);
      expect(await new RestAdapter({ endpoint: server }).getViewer()).to.deep.equal({ user: null });
    });

    it('never stores a single-sign-on token', async () => {
      await open(null);
      const adapter = new RestAdapter({ endpoint: server });
      await adapter.signIn({ token: await ssoToken(cy) });
      expect(adapter.sessionKind).to.equal('sso');
      await adapter.setToken(await ssoToken(ben));
      expect(localStorage.getItem(SESSION_KEY)).to.equal(null);
      expect(new RestAdapter({ endpoint: server }).sessionKind).to.equal('none');
    });

    it('learns the ways of signing in the server offers', async () => {
      const adapter = await open(null);
      expect(await adapter.getSignInMethods()).to.deep.equal([
        'password',
        'register',
        'guest',
        'token',
      ]);
    });
  });

  describe('RestAdapter retries and failures, with the reference server', () => {
    it('never posts twice: a send whose every answer was lost, sent again with its idempotencyKey, returns the post', async () => {
      let lose = true;
      const keys: (string | null)[] = [];
      const adapter = await open(ana, {
        sleep: async () => {},
        fetch: async (input, init) => {
          const response = await fetch(input, init); // the request reaches the server, which commits…
          if (init?.method === 'POST' && String(input).endsWith('/posts')) {
            keys.push(new Headers(init.headers).get('Idempotency-Key'));
            if (lose) throw new TypeError('The connection was reset'); // …and its answer is lost
          }
          return response;
        },
      });
      const input = { threadId: SIDE, body: 'Published exactly once.' };
      await expectFailure(
        adapter.createPost(input, { idempotencyKey: 'reply-retry-1' }),
        'network',
      );
      expect(keys, 'three attempts, one key').to.deep.equal([
        'reply-retry-1',
        'reply-retry-1',
        'reply-retry-1',
      ]);
      lose = false;
      const post = await adapter.createPost(input, { idempotencyKey: 'reply-retry-1' });
      const listed = await listAll(adapter, SIDE);
      expect(listed.map((p) => p.body)).to.deep.equal([
        'The side thread opens.',
        'A reply in the side thread.',
        'Published exactly once.',
      ]);
      expect(listed[2].id).to.equal(post.id);
    });

    it('says live updates stopped when the stream drops, once while reconnecting fails, and that they are back', async () => {
      const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
      let failing = 0;
      const adapter = await open(ana, {
        sleep: async () => {},
        fetch: async (input, init) => {
          if (!String(input).endsWith('/events')) return fetch(input, init);
          if (failing > 0) {
            failing--;
            throw new TypeError('Failed to fetch'); // the network is still down
          }
          const response = await fetch(input, init);
          return cuttable(response, streams);
        },
      });
      const changes: ThreadChange[] = [];
      const stop = adapter.subscribe(MAIN, (c) => changes.push(c));
      const heard = () =>
        changes.map((c) =>
          'post' in c ? c.post.body : c.type === 'connection-changed' ? `live ${c.live}` : c.type,
        );
      try {
        await adapter.createPost({ threadId: MAIN, body: 'While live.' });
        await waitUntil(() => changes.length === 1, 'the first change never came');
        expect(heard(), 'nothing said on the first open').to.deep.equal(['While live.']);
        failing = 3;
        streams[0].error(new TypeError('network lost'));
        await waitUntil(() => streams.length === 2, 'no reconnection');
        await waitUntil(() => changes.length >= 3);
        expect(heard()).to.deep.equal(['While live.', 'live false', 'live true']);
        await adapter.createPost({ threadId: MAIN, body: 'Live again.' });
        await waitUntil(() => changes.length >= 4);
        expect(heard()).to.deep.equal(['While live.', 'live false', 'live true', 'Live again.']);
      } finally {
        stop();
      }
    });

    it("names CORS as the cause when the server refuses the page's origin", async () => {
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
      try {
        await seedServer(contractSeed({ user: null }), { origins: ['https://elsewhere.example'] });
        const adapter = new RestAdapter({ endpoint: server, retries: 0 });
        const error = await expectFailure(adapter.getThread(MAIN), 'network');
        expect(error.message).to.equal(
          'The comments cannot be shown on this site: the comment server does not accept requests from it.',
        );
        const host = new URL(server).host;
        expect(error.diagnostic).to.equal(
          `The comment server at ${host} answered, but did not allow this site's origin ${location.origin} (CORS), so the browser withheld its answers. ` +
            `Add ${location.origin} to the origins the server allows (PARLEY_ORIGINS on the Parley reference server).`,
        );
        await expectFailure(adapter.listPosts(MAIN), 'network');
        expect(warnings.filter((w) => w.includes('(CORS)'))).to.deep.equal([
          `[parley] ${error.diagnostic}`,
        ]);
      } finally {
        console.warn = warn;
        await seedServer(contractSeed({ user: null })); // the page's origin is allowed again
      }
      expect(
        (await new RestAdapter({ endpoint: server, retries: 0 }).getThread(MAIN)).id,
        'and then it works',
      ).to.equal(MAIN);
    });
  });
}
