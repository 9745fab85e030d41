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
 * here with Web Crypto (HS256, secret `test-secret`), as a host site would.
 * Without a server (it is not built yet, or the tests run without it) the suite is skipped,
 * saying why.
 *
 * What it needs from the server `npm test` starts: PARLEY_ALLOW_SEED=on, PARLEY_SSO_SECRET=test-secret,
 * no rate limits (PARLEY_RATE_USER=off, PARLEY_RATE_ADDRESS=off: the contract writes hundreds of
 * posts a minute from one address), and the test page's origin allowed (PARLEY_ORIGINS).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { RestAdapter, type RestAdapterOptions } from '../../src/adapters/rest.js';
import type { Author, ThreadChange } from '../../src/model/types.js';
import { ana, ben, contractSeed, cy, describeAdapterContract, expectFailure, listAll, MAIN, MAIN_ORDER, SIDE, type ContractSeed } from '../contract/adapter-contract.js';

declare global {
  interface Window {
    /** The reference server's base URL, set by the test runner when it started one. */
    __PARLEY_SERVER__?: string;
  }
}

const server = window.__PARLEY_SERVER__;
const SECRET = 'test-secret';

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** An HS256 JWT over `claims`, as a host site would sign it. */
async function jwt(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  const head = `${base64url(utf8(JSON.stringify({ alg: 'HS256', typ: 'JWT' })))}.${base64url(utf8(JSON.stringify(claims)))}`;
  const key = await crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${head}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(head))))}`;
}

/** A single-sign-on token for `user`, valid for an hour. */
function ssoToken(user: Author, claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return jwt({ sub: user.id, name: user.name, handle: user.handle, iat: now, exp: now + 3600, ...claims });
}

/** Replaces all of the server's data; resolves to a session token for each of `seed.users`. */
async function seedServer(seed: ContractSeed): Promise<Record<string, string>> {
  const response = await fetch(`${server}/v1/_seed`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ threads: seed.threads, posts: seed.posts, users: seed.users }),
  });
  if (!response.ok) throw new Error(`POST /v1/_seed answered ${response.status}: ${await response.text()}`);
  const { tokens } = (await response.json()) as { tokens?: Record<string, string> };
  if (!tokens || seed.users.some((u) => typeof tokens[u.id] !== 'string')) throw new Error('POST /v1/_seed did not answer with a session token for every user');
  return tokens;
}

if (!server) {
  describe.skip('RestAdapter against the reference server (skipped: window.__PARLEY_SERVER__ is not set, so no server was started)', () => {
    it('runs the adapter contract and the HTTP tests once `npm test` starts the server');
  });
} else {
  /** The session tokens of the latest seed, by user id. */
  let sessions: Record<string, string> = {};

  /** A RestAdapter on freshly seeded data, signed in as `as` (or signed out). */
  const open = async (as: Author | null = ana, options: Partial<RestAdapterOptions> = {}, seed = contractSeed({ user: as })) => {
    sessions = await seedServer(seed);
    return new RestAdapter({ endpoint: server, token: as ? sessions[as.id] : null, ...options });
  };

  describeAdapterContract('RestAdapter', async (seed) => ({ adapter: await open(seed.viewer?.user ?? null, {}, seed) }), {
    signInAs: (user) => ({ token: sessions[user.id] }),
  });

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
      expect(listed.map((p) => p.body)).to.deep.equal(['The side thread opens.', 'A reply in the side thread.', 'Exactly once.']);
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
          const reader = response.body.getReader();
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
        await waitUntil(() => changes.length >= 2, 'the change made during the drop never came');
        const third = await adapter.createPost({ threadId: MAIN, body: 'After the drop.' });
        await waitUntil(() => changes.length >= 3, 'the change after the drop never came');
        expect(lastEventIds[0]).to.equal(null);
        expect(lastEventIds[1]).to.match(/^\d+$/);
        expect(changes.map((c) => ('post' in c ? c.post.id : c.type))).to.deep.equal([first.id, second.id, third.id]);
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
        const registered = await adapter.register({ name: 'Ada Lovelace', handle, password: 'analytical engine' });
        expect(registered.user).to.deep.include({ name: 'Ada Lovelace', handle });
        expect((await adapter.createPost({ threadId: SIDE, body: 'Registered.' })).author.id).to.equal(registered.user!.id);
        await expectFailure(adapter.register({ name: 'Another Ada', handle, password: 'analytical engine' }), 'conflict');
        await adapter.signOut();
        expect(await adapter.getViewer()).to.deep.equal({ user: null });
        await expectFailure(adapter.signIn({ handle, password: 'wrong password' }), 'unauthorized');
        expect((await adapter.signIn({ handle, password: 'analytical engine' })).user?.id).to.equal(registered.user!.id);
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
      await expectFailure(again.createPost({ threadId: SIDE, body: 'With an ended session.' }), 'unauthorized');
    });

    it('refuses a token signed with another secret, an expired one, and keeps the reader signed out', async () => {
      const adapter = await open(null);
      await expectFailure(adapter.signIn({ token: await jwt({ sub: 'x', name: 'X', exp: Math.floor(Date.now() / 1000) + 60 }, 'wrong-secret') }), 'unauthorized');
      await expectFailure(adapter.signIn({ token: await ssoToken(ben, { exp: Math.floor(Date.now() / 1000) - 3600 }) }), 'unauthorized');
      expect(await adapter.getViewer()).to.deep.equal({ user: null });
    });

    it('signs in with a single-sign-on token as sso:<sub>, with the name, handle and avatar it carries', async () => {
      const adapter = await open(null);
      const token = await ssoToken({ id: '42', name: 'Grace Hopper', handle: 'grace' }, { avatar: 'https://site.example/grace.png' });
      const viewer = await adapter.signIn({ token });
      expect(viewer.user).to.deep.include({ id: 'sso:42', name: 'Grace Hopper', handle: 'grace', avatarUrl: 'https://site.example/grace.png' });
      const post = await adapter.createPost({ threadId: MAIN, body: 'Signed in by the host site.' });
      expect(post.author).to.deep.include({ id: 'sso:42', name: 'Grace Hopper' });
      await expectFailure(adapter.updatePost('m2', "Not Grace's post."), 'forbidden');
      expect(await adapter.signOut()).to.deep.equal({ user: null });
      await expectFailure(adapter.createPost({ threadId: MAIN, body: 'Signed out.' }), 'unauthorized');
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
        expect((await adapter.createPost({ threadId: MAIN, body: 'Cy, by token.' })).author.id).to.equal(`sso:${cy.id}`);
        await adapter.setToken(sessions[ben.id]);
        expect((await adapter.createPost({ threadId: MAIN, body: 'Ben, by session.' })).author.id).to.equal(ben.id);
        await adapter.setToken(null);
        const viewers = changes.flatMap((c) => (c.type === 'viewer-changed' ? [c.viewer.user?.id ?? null] : []));
        expect(viewers).to.deep.equal([`sso:${cy.id}`, ben.id, null]);
      } finally {
        stop();
      }
    });

    it('counts the posts that are not deleted, unknown threads 0', async () => {
      const adapter = await open();
      expect(await adapter.getCounts([MAIN, SIDE, 'no-such-thread'])).to.deep.equal({ [MAIN]: MAIN_ORDER.length - 1, [SIDE]: 2, 'no-such-thread': 0 });
    });

    it('reads the server problem documents as ParleyErrors with their code and field', async () => {
      const adapter = await open();
      await expectFailure(adapter.createPost({ threadId: MAIN, body: 'x'.repeat(10_001) }), 'invalid', 'body');
      await expectFailure(adapter.listPosts(MAIN, { cursor: 'not-a-cursor' }), 'invalid', 'cursor');
      await expectFailure(adapter.updatePost('m1', 'Not mine.'), 'forbidden');
    });
  });
}
