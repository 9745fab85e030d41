/** `MemoryAdapter`: the shared contract, then what only the embedded backend does. */
import { expect } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '../../src/adapters/memory.js';
import { ParleyError } from '../../src/model/errors.js';
import { validateSeed } from '../../src/model/seed.js';
import type { Post } from '../../src/model/types.js';
import {
  ana,
  ben,
  contractSeed,
  describeAdapterContract,
  expectFailure,
  listAll,
  MAIN,
  MAIN_ORDER,
  SIDE,
} from '../../src/testing/index.js';

describeAdapterContract({ describe, it, beforeEach, afterEach }, 'MemoryAdapter', async (seed) => ({
  adapter: new MemoryAdapter(seed),
}));

describeAdapterContract(
  { describe, it, beforeEach, afterEach },
  'MemoryAdapter with a storageKey',
  async (seed) => {
    const storageKey = `contract-${crypto.randomUUID()}`;
    return {
      adapter: new MemoryAdapter({ ...seed, storageKey }),
      teardown: async () => localStorage.removeItem(`parley:v1:${storageKey}`),
    };
  },
);

/**
 * Why an adapter on `seed` refuses it: the error of the constructor, which checks what storing
 * and ordering the posts needs, or else of the first read that serves a post it rejects (every
 * post of every thread is read). Fails the test when nothing refuses the seed.
 */
async function refusal(seed: unknown): Promise<ParleyError> {
  let adapter: MemoryAdapter;
  try {
    adapter = new MemoryAdapter(seed as MemoryAdapterOptions);
  } catch (error) {
    expect(error).to.be.instanceOf(ParleyError);
    return error as ParleyError;
  }
  try {
    for (const { id } of (seed as { threads: { id: string }[] }).threads)
      await listAll(adapter, id);
  } catch (error) {
    expect(error).to.be.instanceOf(ParleyError);
    return error as ParleyError;
  }
  expect.fail('expected the seed to be refused');
}

/** A seed as loose JSON, for breaking on purpose. */
type Loose = Record<string, unknown> & {
  threads: Record<string, unknown>[];
  posts: Record<string, unknown>[];
  users: Record<string, unknown>[];
};
const looseSeed = (): Loose => {
  const { threads, posts, users } = contractSeed();
  return structuredClone({ threads, posts, users }) as unknown as Loose;
};
/** Index of post `id` in the loose seed. */
const at = (seed: Loose, id: string) => seed.posts.findIndex((p) => p.id === id);

describe('MemoryAdapter', () => {
  it("drops a seed post's html: its posts render in the browser, from their body", async () => {
    const adapter = new MemoryAdapter({
      threads: [{ id: 't', title: 'T' }],
      posts: [
        {
          id: 'p',
          threadId: 't',
          author: { id: 'a', name: 'A' },
          createdAt: '2026-01-01T00:00:00Z',
          body: 'The body',
          html: '<p>Something else</p>',
        },
      ],
    });
    const [post] = (await adapter.listPosts('t')).posts;
    expect(post.body).to.equal('The body');
    expect('html' in post).to.equal(false);
    expect(
      () =>
        new MemoryAdapter({
          threads: [{ id: 't', title: 'T' }],
          posts: [{ ...post, html: 5 } as never],
        }),
    ).to.throw(/posts\[0\].html \(id "p"\): must be a string of HTML/);
  });

  describe('seed validation', () => {
    const cases: {
      name: string;
      field: string;
      mentions?: string[];
      breakIt: (seed: Loose) => void;
    }[] = [
      {
        name: 'a post whose author has no name',
        field: 'posts[1].author.name',
        mentions: ['"c-ben"'],
        breakIt: (s) => delete (s.posts[1].author as Record<string, unknown>).name,
      },
      {
        name: 'a post whose author name is blank',
        field: 'posts[1].author.name',
        breakIt: (s) => ((s.posts[1].author as Record<string, unknown>).name = '  '),
      },
      {
        name: 'a post whose author name is a non-breaking space',
        field: 'posts[1].author.name',
        breakIt: (s) => ((s.posts[1].author as Record<string, unknown>).name = '\u00a0'),
      },
      {
        name: 'a post with no author',
        field: 'posts[0].author',
        breakIt: (s) => delete s.posts[0].author,
      },
      {
        name: 'a post whose createdAt is not a date',
        field: 'posts[2].createdAt',
        mentions: ['"m5b"', 'ISO 8601'],
        breakIt: (s) => (s.posts[2].createdAt = 'last Tuesday'),
      },
      {
        name: 'a post with no createdAt',
        field: 'posts[0].createdAt',
        breakIt: (s) => delete s.posts[0].createdAt,
      },
      {
        name: 'a post whose editedAt is not a date',
        field: 'posts[0].editedAt',
        breakIt: (s) => (s.posts[0].editedAt = 'soon'),
      },
      {
        name: 'two posts with one id',
        field: 'posts[3].id',
        mentions: ['"m6"', 'another post'],
        breakIt: (s) => (s.posts[3].id = 'm6'),
      },
      {
        name: 'two threads with one id',
        field: 'threads[1].id',
        mentions: ['another thread'],
        breakIt: (s) => (s.threads[1].id = MAIN),
      },
      {
        name: 'two users with one id',
        field: 'users[2].id',
        mentions: ['another user'],
        breakIt: (s) => (s.users[2].id = ana.id),
      },
      {
        name: 'a post with an empty id',
        field: 'posts[0].id',
        breakIt: (s) => (s.posts[0].id = ''),
      },
      {
        name: 'a post naming an unknown thread',
        field: 'posts[0].threadId',
        mentions: ['"m6"', '"gone"'],
        breakIt: (s) => (s.posts[0].threadId = 'gone'),
      },
      {
        name: 'a post with a parentId in another thread',
        field: 'posts[3].parentId',
        mentions: ['"m3"', '"s1"'],
        breakIt: (s) => (s.posts[at(s, 'm3')].parentId = 's1'),
      },
      {
        name: 'a post with a parentId naming no post',
        field: 'posts[3].parentId',
        breakIt: (s) => (s.posts[at(s, 'm3')].parentId = 'nobody'),
      },
      {
        name: 'a post that replies to itself',
        field: 'posts[3].parentId',
        mentions: ['circle'],
        breakIt: (s) => (s.posts[at(s, 'm3')].parentId = 'm3'),
      },
      {
        name: 'two posts that reply to each other',
        field: 'posts[2].parentId',
        mentions: ['circle'],
        breakIt: (s) => (
          (s.posts[at(s, 'm3')].parentId = 'm5b'),
          (s.posts[at(s, 'm5b')].parentId = 'm3')
        ),
      },
      {
        name: 'a post with a non-string parentId',
        field: 'posts[3].parentId',
        breakIt: (s) => (s.posts[at(s, 'm3')].parentId = 7),
      },
      {
        name: "an author handle with '@'",
        field: 'posts[0].author.handle',
        mentions: ['"@"'],
        breakIt: (s) => ((s.posts[0].author as Record<string, unknown>).handle = '@ben'),
      },
      {
        name: 'an author handle with a space',
        field: 'posts[0].author.handle',
        breakIt: (s) => ((s.posts[0].author as Record<string, unknown>).handle = 'ben okafor'),
      },
      {
        name: "a user handle with '@'",
        field: 'users[0].handle',
        breakIt: (s) => (s.users[0].handle = 'ana@example.com'),
      },
      { name: 'a user with no id', field: 'users[1].id', breakIt: (s) => delete s.users[1].id },
      {
        name: 'an avatarUrl that is not a string',
        field: 'users[0].avatarUrl',
        breakIt: (s) => (s.users[0].avatarUrl = 42),
      },
      {
        name: 'a quote of an unknown post',
        field: 'posts[0].quote.postId',
        mentions: ['"m6"', '"nowhere"'],
        breakIt: (s) => (s.posts[0].quote = { postId: 'nowhere', text: 'x' }),
      },
      {
        name: 'a quote of a post in another thread',
        field: 'posts[0].quote.postId',
        breakIt: (s) => (s.posts[0].quote = { postId: 's1', text: 'x' }),
      },
      {
        name: 'a quote whose text is not a string',
        field: 'posts[0].quote.text',
        breakIt: (s) => (s.posts[0].quote = { postId: 'm1', text: null }),
      },
      {
        name: 'a quote that is a string',
        field: 'posts[0].quote',
        breakIt: (s) => (s.posts[0].quote = 'm1'),
      },
      {
        name: 'a post whose body is not a string',
        field: 'posts[0].body',
        breakIt: (s) => (s.posts[0].body = undefined),
      },
      {
        name: 'a post whose deleted flag is not a boolean',
        field: 'posts[0].deleted',
        breakIt: (s) => (s.posts[0].deleted = 'yes'),
      },
      {
        name: 'a post that is not an object',
        field: 'posts[4]',
        breakIt: (s) => (s.posts[4] = null as unknown as Record<string, unknown>),
      },
      {
        name: 'a thread with no title',
        field: 'threads[0].title',
        mentions: [`"${MAIN}"`],
        breakIt: (s) => delete s.threads[0].title,
      },
      {
        name: 'a thread whose locked flag is not a boolean',
        field: 'threads[2].locked',
        breakIt: (s) => (s.threads[2].locked = 'yes'),
      },
      {
        name: 'posts that are not an array',
        field: 'posts',
        breakIt: (s) => (s.posts = { m1: {} } as unknown as Record<string, unknown>[]),
      },
      {
        name: 'threads that are not an array',
        field: 'threads',
        breakIt: (s) => (s.threads = 'main' as unknown as Record<string, unknown>[]),
      },
      {
        name: 'users that are not an array',
        field: 'users',
        breakIt: (s) => (s.users = {} as unknown as Record<string, unknown>[]),
      },
      { name: 'a viewer without user', field: 'viewer', breakIt: (s) => (s.viewer = {}) },
      { name: 'a viewer that is a bare author', field: 'viewer', breakIt: (s) => (s.viewer = ana) },
      {
        name: 'a viewer whose user has no name',
        field: 'viewer.user.name',
        breakIt: (s) => (s.viewer = { user: { id: 'x' } }),
      },
    ];
    for (const { name, field, mentions = [], breakIt } of cases) {
      it(`rejects ${name}, naming the field ${field}`, async () => {
        const seed = looseSeed();
        breakIt(seed);
        const error = await refusal(seed);
        expect(error.code).to.equal('invalid');
        expect(error.field).to.equal(field);
        expect(error.message).to.contain(field);
        for (const words of mentions) expect(error.message).to.contain(words);
      });
    }

    it('rejects a reply whose parents run into a circle, naming the first post that leads there', async () => {
      const seed = looseSeed();
      // m6, first in the seed, answers m3; m3 and m5b (later in the seed) answer each other.
      expect(at(seed, 'm6')).to.equal(0);
      seed.posts[at(seed, 'm6')].parentId = 'm3';
      seed.posts[at(seed, 'm3')].parentId = 'm5b';
      seed.posts[at(seed, 'm5b')].parentId = 'm3';
      const error = await refusal(seed);
      expect(error.field).to.equal('posts[0].parentId');
      expect(error.message).to.contain('"m6"');
      expect(error.message).to.contain('circle');
    });

    it('accepts names and ids that start with a space but are not blank', async () => {
      const seed = looseSeed();
      (seed.posts[0].author as Record<string, unknown>).name = ' Ben';
      (seed.posts[1].author as Record<string, unknown>).name = '\u00a0Ana';
      const adapter = new MemoryAdapter(seed as unknown as MemoryAdapterOptions);
      expect((await adapter.getPost(seed.posts[1].id as string)).author.name).to.equal('\u00a0Ana');
    });

    it('accepts the contract seed, a viewer who is signed out, and no options at all', () => {
      expect(() => new MemoryAdapter(contractSeed())).not.to.throw();
      expect(() => new MemoryAdapter({ ...contractSeed(), viewer: { user: null } })).not.to.throw();
      expect(() => new MemoryAdapter()).not.to.throw();
    });

    it('serves nothing from an adapter with no seed', async () => {
      await expectFailure(new MemoryAdapter().getThread(MAIN), 'not-found');
      expect(await new MemoryAdapter().getViewer()).to.deep.equal({ user: null });
    });
  });

  describe('options', () => {
    it('creates an unknown thread, titled like the page, with autoCreateThreads', async () => {
      const adapter = new MemoryAdapter({ autoCreateThreads: true, viewer: { user: ana } });
      const thread = await adapter.getThread('fresh');
      expect(thread).to.deep.equal({ id: 'fresh', title: document.title });
      expect((await adapter.listPosts('fresh')).posts).to.deep.equal([]);
      expect((await adapter.createPost({ threadId: 'fresh', body: 'First!' })).threadId).to.equal(
        'fresh',
      );
    });

    it('limits the body to maxLength characters', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), maxLength: 20 });
      expect(
        (await adapter.createPost({ threadId: MAIN, body: 'x'.repeat(20) })).body,
      ).to.have.length(20);
      const error = await expectFailure(
        adapter.createPost({ threadId: MAIN, body: 'x'.repeat(21) }),
        'invalid',
        'body',
      );
      expect(error.message).to.contain('20');
      expect(error.message).to.contain('21');
    });

    it('pages by pageSize when listPosts has no limit', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), pageSize: 3 });
      const page = await adapter.listPosts(MAIN);
      expect(page.posts.map((p) => p.id)).to.deep.equal(['m1', 'm2', 'm3']);
      expect(page.total).to.equal(8);
      expect((await listAll(adapter, MAIN)).map((p) => p.id)).to.deep.equal(MAIN_ORDER);
    });

    it('pages by pageSize when the limit is not a number', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), pageSize: 3 });
      const page = await adapter.listPosts(MAIN, { limit: NaN });
      expect(page.posts.map((p) => p.id)).to.deep.equal(['m1', 'm2', 'm3']);
      expect(page.nextCursor).to.be.a('string');
      expect(
        (await adapter.listPosts(MAIN, { limit: Infinity })).posts,
        'an endless limit means the largest page',
      ).to.have.length(8);
    });

    it('returns pages of at least one post whatever the limit', async () => {
      const adapter = new MemoryAdapter(contractSeed());
      expect((await adapter.listPosts(MAIN, { limit: 0 })).posts).to.have.length(1);
      expect((await adapter.listPosts(MAIN, { limit: -5 })).posts).to.have.length(1);
    });
  });

  describe('signing in', () => {
    it('signs in as one of users by id, and posts as them', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), viewer: undefined });
      expect(await adapter.getViewer()).to.deep.equal({ user: null });
      expect((await adapter.signIn({ userId: ben.id })).user).to.deep.equal(ben);
      expect((await adapter.createPost({ threadId: MAIN, body: 'Ben.' })).author).to.deep.equal(
        ben,
      );
    });

    it('fails with not-found, naming userId, for an unknown user id', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), viewer: undefined });
      await expectFailure(adapter.signIn({ userId: 'c-nobody' }), 'not-found', 'userId');
      expect(await adapter.getViewer()).to.deep.equal({ user: null });
    });

    for (const [what, options] of [
      ['nothing', undefined],
      ['no id or name', {}],
      ['a blank name', { name: '   ' }],
    ] as const) {
      it(`never signs in as someone else when given ${what}: it asks for a guest name`, async () => {
        const adapter = new MemoryAdapter({ ...contractSeed(), viewer: undefined });
        const error = await expectFailure(adapter.signIn(options), 'invalid', 'name');
        expect(error.message).to.equal('Enter the name you want to post under as a guest.');
        expect(await adapter.getViewer()).to.deep.equal({ user: null });
      });
    }

    it('signs in a guest by name, trimmed', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), viewer: undefined });
      const { user } = await adapter.signIn({ name: '  Guest Writer  ' });
      expect(user?.name).to.equal('Guest Writer');
      expect(user?.id).to.match(/^guest-/);
      expect((await adapter.createPost({ threadId: MAIN, body: 'Hi.' })).author.id).to.equal(
        user!.id,
      );
    });

    it('asks for a guest name even when there is nobody to sign in as', async () => {
      await expectFailure(new MemoryAdapter().signIn(), 'invalid', 'name');
    });

    it('offers guests, and members only with allowMemberSignIn', () => {
      expect(new MemoryAdapter(contractSeed()).signInMethods).to.deep.equal(['guest']);
      expect(
        new MemoryAdapter({ ...contractSeed(), allowMemberSignIn: false }).signInMethods,
      ).to.deep.equal(['guest']);
      expect(
        new MemoryAdapter({ ...contractSeed(), allowMemberSignIn: true }).signInMethods,
      ).to.deep.equal(['guest', 'member']);
    });

    it('tells listeners when the viewer changes', async () => {
      const adapter = new MemoryAdapter(contractSeed());
      const seen: unknown[] = [];
      const stop = adapter.subscribe(MAIN, (change) => seen.push(change));
      await adapter.signIn({ userId: ben.id });
      await adapter.signOut();
      stop();
      expect(seen).to.deep.equal([
        { type: 'viewer-changed', viewer: { user: ben } },
        { type: 'viewer-changed', viewer: { user: null } },
      ]);
    });
  });

  describe('copies', () => {
    it('keeps its own copy of the seed', async () => {
      const seed = contractSeed();
      const adapter = new MemoryAdapter(seed);
      seed.posts.find((p) => p.id === 'm1')!.body = 'Changed by the host.';
      seed.threads[0].title = 'Changed by the host.';
      seed.users[1].name = 'Changed by the host.';
      expect((await adapter.getPost('m1')).body).to.equal('The opening post of the main thread.');
      expect((await adapter.getThread(MAIN)).title).to.equal('Contract main');
      expect((await adapter.signIn({ userId: ben.id })).user?.name).to.equal('Ben Okafor');
    });

    it('returns copies that callers may change freely', async () => {
      const adapter = new MemoryAdapter(contractSeed());
      const listed = (await adapter.listPosts(MAIN)).posts;
      listed[0].body = 'mutated';
      listed[0].author.name = 'mutated';
      listed.pop();
      (await adapter.getPost('m5b')).quote!.text = 'mutated';
      (await adapter.getThread(MAIN)).locked = true;
      (await adapter.getViewer()).user!.name = 'mutated';
      const created = await adapter.createPost({ threadId: MAIN, body: 'Mine.' });
      created.body = 'mutated';
      (await adapter.updatePost('m2', 'Edited.')).body = 'mutated';
      (await adapter.deletePost('m7')).deleted = false;

      const posts = await listAll(adapter, MAIN);
      expect(posts).to.have.length(9);
      expect(posts[0]).to.deep.include({ body: 'The opening post of the main thread.' });
      expect(posts[0].author.name).to.equal('Ben Okafor');
      expect(posts.find((p) => p.id === 'm5b')!.quote!.text).to.equal('The opening post');
      expect(posts.find((p) => p.id === 'm2')!.body).to.equal('Edited.');
      expect(posts.find((p) => p.id === 'm7')!.deleted).to.equal(true);
      expect(posts.find((p) => p.id === created.id)!.body).to.equal('Mine.');
      expect((await adapter.getThread(MAIN)).locked ?? false).to.equal(false);
      expect((await adapter.getViewer()).user!.name).to.equal('Ana Lima');
    });

    it('copies values that are not plain data the way structuredClone does', async () => {
      const seed = contractSeed();
      const extra = { at: new Date('2020-01-01T00:00:00Z'), tags: ['a', 'b'], nested: { n: 1 } };
      const loop: Record<string, unknown> = { name: 'loop' };
      loop.self = loop;
      Object.assign(
        seed.posts.find((p) => p.id === 'm1')!,
        { extra, loop },
      );
      const adapter = new MemoryAdapter(seed);
      extra.at.setUTCFullYear(1999);
      extra.tags.push('c');
      extra.nested.n = 2;
      const post = (await adapter.getPost('m1')) as Post & {
        extra: typeof extra;
        loop: typeof loop;
      };
      expect(post.extra.at).to.be.instanceOf(Date);
      expect(post.extra.at.toISOString()).to.equal('2020-01-01T00:00:00.000Z');
      expect(post.extra.tags).to.deep.equal(['a', 'b']);
      expect(post.extra.nested).to.deep.equal({ n: 1 });
      expect(post.loop.self).to.equal(post.loop);
      expect(post.loop).not.to.equal(loop);
      const fn = contractSeed();
      Object.assign(fn.posts[0], { callback: () => 1 });
      expect(() => new MemoryAdapter(fn)).to.throw(DOMException);
    });

    it('hands each listener a copy', async () => {
      const adapter = new MemoryAdapter(contractSeed());
      const stop = adapter.subscribe(MAIN, (change) => {
        if ('post' in change) change.post.body = 'mutated by a listener';
      });
      const created = await adapter.createPost({ threadId: MAIN, body: 'Untouched.' });
      stop();
      expect(created.body).to.equal('Untouched.');
      expect((await adapter.getPost(created.id)).body).to.equal('Untouched.');
    });

    it('keeps working when a listener throws', async () => {
      const adapter = new MemoryAdapter(contractSeed());
      const heard: string[] = [];
      const originalError = console.error;
      console.error = () => {};
      const stops = [
        adapter.subscribe(MAIN, () => {
          throw new Error('listener bug');
        }),
        adapter.subscribe(MAIN, (change) => heard.push(change.type)),
      ];
      try {
        await adapter.createPost({ threadId: MAIN, body: 'Still posted.' });
      } finally {
        console.error = originalError;
        stops.forEach((stop) => stop());
      }
      expect(heard).to.deep.equal(['post-created']);
    });
  });

  describe('large seeds', () => {
    /** `n` posts a minute apart in one thread, replying as `parentOf` says, in seed order. */
    const bigSeed = (n: number, parentOf: (i: number) => string | null = () => null) => {
      const start = Date.parse('2024-01-01T00:00:00Z');
      const posts: Post[] = Array.from({ length: n }, (_, i) => ({
        id: `b${String(i).padStart(5, '0')}`,
        threadId: 'big',
        author: i % 2 ? ana : ben,
        body: `Post ${i}.`,
        createdAt: new Date(start + i * 60_000).toISOString(),
        parentId: i === 0 ? null : parentOf(i),
      }));
      return { threads: [{ id: 'big', title: 'Big' }], posts };
    };
    const ids = (posts: Post[]) => posts.map((p) => p.id);

    it('serves a seed given in any order oldest first, ties broken by id', async () => {
      const seed = bigSeed(3000);
      const inOrder = ids(seed.posts);
      // Two posts in one millisecond: the smaller id comes first.
      seed.posts[11].createdAt = seed.posts[10].createdAt;
      const shuffled = [...seed.posts].reverse();
      for (let i = 0; i < shuffled.length; i += 7) {
        const j = (i * 7919) % shuffled.length;
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const adapter = new MemoryAdapter({ ...seed, posts: shuffled });
      expect(ids(await listAll(adapter, 'big'))).to.deep.equal(inOrder);
      const last = await adapter.listPosts('big', { direction: 'backward', limit: 2 });
      expect(ids(last.posts)).to.deep.equal(inOrder.slice(-2));
      expect(last.total).to.equal(3000);
    });

    it('orders a thread from its own copies: a host changing its seed after construction moves nothing', async () => {
      const seed = bigSeed(300);
      for (const post of seed.posts) post.author = { ...post.author };
      const inOrder = ids(seed.posts);
      // Out of order, so the first read sorts them: by the times given, not by later ones.
      const reversed = [...seed.posts].reverse();
      const adapter = new MemoryAdapter({ ...seed, posts: reversed });
      for (const post of seed.posts) {
        post.createdAt = '1999-01-01T00:00:00Z';
        post.body = 'Changed by the host.';
        post.author.name = 'Changed by the host.';
      }
      seed.posts.reverse();
      reversed.length = 0;
      const posts = await listAll(adapter, 'big');
      expect(ids(posts)).to.deep.equal(inOrder);
      expect(posts[7].body).to.equal('Post 7.');
      expect(posts[7].author.name).to.equal('Ana Lima');
    });

    it('orders a seed in another order with stored changes laid over it', async () => {
      const storageKey = `memory-test-${crypto.randomUUID()}`;
      try {
        const seed = bigSeed(200);
        const inOrder = ids(seed.posts);
        const open = () =>
          new MemoryAdapter({
            ...seed,
            posts: [...seed.posts].reverse(),
            viewer: { user: ana },
            storageKey,
          });
        const first = open();
        await first.updatePost('b00001', 'Edited before the reload.');
        const created = await first.createPost({ threadId: 'big', body: 'Newest.' });
        const posts = await listAll(open(), 'big');
        expect(ids(posts)).to.deep.equal([...inOrder, created.id]);
        expect(posts[1].body).to.equal('Edited before the reload.');
      } finally {
        localStorage.removeItem(`parley:v1:${storageKey}`);
      }
    });

    it('takes in posts created before the first read, and after it, in order', async () => {
      const adapter = new MemoryAdapter({ ...bigSeed(500), viewer: { user: ana } });
      const early = await adapter.createPost({ threadId: 'big', body: 'Before any read.' });
      const first = await adapter.listPosts('big', { direction: 'backward', limit: 1 });
      expect(ids(first.posts)).to.deep.equal([early.id]);
      expect(first.total).to.equal(501);
      const late = await adapter.createPost({ threadId: 'big', body: 'After a read.' });
      const all = await listAll(adapter, 'big');
      // The two may share a millisecond, and then their random ids decide which comes first.
      expect(ids(all.slice(-2)).sort()).to.deep.equal([early.id, late.id].sort());
      expect(all).to.have.length(502);
      expect((await adapter.getPost('b00250')).body).to.equal('Post 250.');
    });

    it('checks each post when it first serves it, so a bad post far in fails only its own page', async () => {
      const seed = bigSeed(3000, (i) =>
        i % 10 ? `b${String(i - (i % 10)).padStart(5, '0')}` : null,
      );
      seed.posts[2500].author = { id: 'u-nameless', name: ' ' };
      seed.posts[2600].parentId = 'b99999';
      expect(() => validateSeed(seed), 'validateSeed checks it all at once').to.throw(
        /posts\[2500\]\.author\.name \(id "u-nameless"\)/,
      );
      const adapter = new MemoryAdapter(seed);
      const first = await adapter.listPosts('big', { limit: 100 });
      expect(first.posts.map((p) => p.id)[99]).to.equal('b00099');
      // Its page, a window around it and the post itself are refused, naming it.
      const around = await expectFailure(
        adapter.listPostsAround('big', 'b02500', { before: 2, after: 2 }),
        'invalid',
        'posts[2500].author.name',
      );
      expect(around.message).to.contain('posts[2500].author.name (id "u-nameless")');
      await expectFailure(adapter.getPost('b02500'), 'invalid', 'posts[2500].author.name');
      await expectFailure(
        adapter.listPosts('big', { cursor: 'after:b02499', limit: 10 }),
        'invalid',
        'posts[2500].author.name',
      );
      await expectFailure(
        adapter.listPosts('big', { cursor: 'after:b02599', limit: 10 }),
        'invalid',
        'posts[2600].parentId',
      );
      // Every other page is served, its replies and their parents intact.
      const tail = await adapter.listPosts('big', { cursor: 'after:b02600', limit: 50 });
      expect(tail.posts[0].id).to.equal('b02601');
      expect(tail.posts[0].parentId).to.equal('b02600');
    });

    it('accepts a long chain of replies, and still finds a circle at its end', async () => {
      const chain = bigSeed(3000, (i) => `b${String(i - 1).padStart(5, '0')}`);
      expect(await listAll(new MemoryAdapter(chain), 'big')).to.have.length(3000);
      const circle = bigSeed(3000, (i) => `b${String(i - 1).padStart(5, '0')}`);
      circle.posts[0].parentId = circle.posts[2999].id;
      const error = await refusal(circle);
      expect(error.field).to.equal('posts[0].parentId');
      expect(error.message).to.contain('circle');
    });
  });

  describe('storageKey', () => {
    const keys: string[] = [];
    /** A fresh storage key, removed after the test. */
    const freshKey = () => {
      const key = `memory-test-${crypto.randomUUID()}`;
      keys.push(key);
      localStorage.removeItem(`parley:v1:${key}`);
      return key;
    };
    const open = (storageKey: string, options: MemoryAdapterOptions = {}) =>
      new MemoryAdapter({ ...contractSeed(), storageKey, ...options });
    let warn: typeof console.warn;
    let warnings: string[];

    beforeEach(() => {
      warnings = [];
      warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    });

    afterEach(() => {
      console.warn = warn;
      for (const key of keys.splice(0)) {
        for (const name of storedNames())
          if (name === `parley:v1:${key}` || name.startsWith(`parley:v1:${key}:`))
            localStorage.removeItem(name);
      }
    });

    /** Every key in localStorage. */
    const storedNames = () =>
      Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)!);
    /** The keys where the stored data of `key` was set aside. */
    const setAside = (key: string) =>
      storedNames().filter((name) => name.startsWith(`parley:v1:${key}:set-aside:`));

    it('keeps a new post, an edit and a delete for the next adapter with the same key', async () => {
      const key = freshKey();
      const first = open(key);
      const created = await first.createPost({
        threadId: MAIN,
        body: 'Survives a reload.',
        parentId: 'm3',
        quote: { postId: 'm2', text: 'Ana answers' },
      });
      await first.updatePost('m2', 'Edited before the reload.');
      await first.deletePost('m7');

      const second = open(key);
      expect(second.storageProblem).to.equal(null);
      const posts = await listAll(second, MAIN);
      expect(posts.map((p) => p.id)).to.deep.equal([...MAIN_ORDER, created.id]);
      expect(posts.find((p) => p.id === created.id)).to.deep.equal(created);
      expect(posts.find((p) => p.id === 'm2')!.body).to.equal('Edited before the reload.');
      expect(posts.find((p) => p.id === 'm7')).to.deep.include({ deleted: true, body: '' });
      expect(warnings).to.deep.equal([]);
    });

    it('keeps later changes too, on top of restored ones', async () => {
      const key = freshKey();
      const first = await open(key).createPost({ threadId: MAIN, body: 'One.' });
      const second = await open(key).createPost({ threadId: SIDE, body: 'Two.' });
      const third = open(key);
      expect((await third.getPost(first.id)).body).to.equal('One.');
      expect((await third.getPost(second.id)).body).to.equal('Two.');
    });

    it('does not show them to an adapter with another key or none', async () => {
      const key = freshKey();
      const created = await open(key).createPost({ threadId: MAIN, body: 'Only under my key.' });
      await open(key).updatePost('m2', 'Edited under my key.');
      for (const other of [open(freshKey()), new MemoryAdapter(contractSeed())]) {
        await expectFailure(other.getPost(created.id), 'not-found');
        expect((await other.getPost('m2')).body).to.equal('Ana answers the opening post.');
      }
    });

    it('stores the data under parley:v1:<key> as versioned JSON', async () => {
      const key = freshKey();
      expect(localStorage.getItem(`parley:v1:${key}`)).to.equal(null);
      const created = await open(key).createPost({ threadId: MAIN, body: 'Stored.' });
      const stored = JSON.parse(localStorage.getItem(`parley:v1:${key}`)!) as {
        version: number;
        posts: Record<string, Post>;
      };
      expect(stored.version).to.equal(1);
      expect(stored.posts[created.id]).to.deep.equal(created);
      expect(Object.keys(stored.posts), 'only changes are stored, not the seed').to.deep.equal([
        created.id,
      ]);
    });

    it('remembers who signed in and who signed out', async () => {
      const key = freshKey();
      await open(key).signIn({ userId: ben.id });
      expect((await open(key).getViewer()).user?.id).to.equal(ben.id);
      await open(key).signOut();
      expect(await open(key, { viewer: { user: ana } }).getViewer()).to.deep.equal({ user: null });
    });

    it('keeps a guest signed in, still able to edit their own post', async () => {
      const key = freshKey();
      const first = open(key, { viewer: undefined });
      const { user: guest } = await first.signIn({ name: 'Guest Writer' });
      const post = await first.createPost({ threadId: MAIN, body: 'As a guest.' });
      const second = open(key, { viewer: undefined });
      expect((await second.getViewer()).user).to.deep.equal(guest);
      expect((await second.updatePost(post.id, 'Edited as a guest.')).body).to.equal(
        'Edited as a guest.',
      );
      expect(second.storageProblem).to.equal(null);
    });

    it('keeps a thread created by autoCreateThreads', async () => {
      const key = freshKey();
      await open(key, { autoCreateThreads: true }).getThread('made-on-the-fly');
      expect((await open(key).getThread('made-on-the-fly')).id).to.equal('made-on-the-fly');
    });

    const corrupt: { name: string; value: (valid: Post) => string; mentions: string }[] = [
      {
        name: 'a value that is not JSON',
        value: () => '{"version":1,"posts":',
        mentions: 'it is not valid JSON',
      },
      { name: 'JSON null', value: () => 'null', mentions: 'it is not a JSON object' },
      {
        name: 'a value of another version',
        value: (p) => JSON.stringify({ version: 2, threads: {}, posts: { [p.id]: p } }),
        mentions: 'it is version 2, not 1',
      },
    ];
    for (const { name, value, mentions } of corrupt) {
      it(`reports ${name} in storageProblem, sets it aside untouched, and serves the seed`, async () => {
        const key = freshKey();
        const stray: Post = {
          id: 'stray',
          threadId: MAIN,
          author: ben,
          createdAt: '2021-03-05T10:00:00Z',
          body: 'Should not appear.',
        };
        const raw = value(stray);
        localStorage.setItem(`parley:v1:${key}`, raw);
        let adapter: MemoryAdapter | undefined;
        expect(() => (adapter = open(key))).not.to.throw();
        const problem = adapter!.storageProblem!;
        expect(problem)
          .to.be.a('string')
          .and.contain(`localStorage["parley:v1:${key}"] could not be read: ${mentions}`);
        const backups = setAside(key);
        expect(backups, 'one backup').to.have.length(1);
        expect(
          localStorage.getItem(backups[0]),
          'the backup holds the stored value exactly',
        ).to.equal(raw);
        expect(problem)
          .to.contain('set aside, not deleted')
          .and.contain(`localStorage["${backups[0]}"]`);
        expect(warnings.join('\n')).to.contain(problem);
        expect((await listAll(adapter!, MAIN)).map((p) => p.id)).to.deep.equal(MAIN_ORDER);
        const created = await adapter!.createPost({
          threadId: MAIN,
          body: 'After the corrupt value.',
        });
        const reloaded = open(key);
        expect((await reloaded.getPost(created.id)).body, 'new changes are stored').to.equal(
          'After the corrupt value.',
        );
        expect(reloaded.storageProblem, 'the next visit finds nothing wrong').to.equal(null);
        expect(
          setAside(key).map((k) => localStorage.getItem(k)),
          'and the backup is still there, once',
        ).to.deep.equal([raw]);
      });
    }

    it('sets a stored value aside once, however often the page is reloaded before it can be rewritten', async () => {
      const key = freshKey();
      localStorage.setItem(`parley:v1:${key}:set-aside:2026-01-01T00:00:00.000Z`, 'not json');
      localStorage.setItem(`parley:v1:${key}`, 'not json');
      const adapter = open(key);
      expect(setAside(key)).to.deep.equal([`parley:v1:${key}:set-aside:2026-01-01T00:00:00.000Z`]);
      expect(adapter.storageProblem).to.contain(
        `parley:v1:${key}:set-aside:2026-01-01T00:00:00.000Z`,
      );
    });

    it('skips a stored post with a bad field, reporting it, and keeps the good ones', async () => {
      const key = freshKey();
      const good: Post = {
        id: 'good',
        threadId: MAIN,
        author: ana,
        createdAt: '2021-03-05T10:00:00Z',
        body: 'Fine.',
      };
      const bad = {
        id: 'bad',
        threadId: MAIN,
        author: ana,
        createdAt: 'whenever',
        body: 'Broken.',
      };
      const lost = { ...good, id: 'lost', threadId: 'no-such-thread' };
      const edited = {
        ...contractSeed().posts.find((p) => p.id === 'm1')!,
        body: 'Not a string',
        author: { id: 'c-ben' },
      };
      localStorage.setItem(
        `parley:v1:${key}`,
        JSON.stringify({ version: 1, threads: {}, posts: { good, bad, lost, m1: edited } }),
      );
      const raw = localStorage.getItem(`parley:v1:${key}`);
      const adapter = open(key);
      expect(adapter.storageProblem)
        .to.be.a('string')
        .and.contain('3 stored records')
        .and.contain('the rest was restored')
        .and.contain('set aside, not deleted');
      expect(
        setAside(key).map((k) => localStorage.getItem(k)),
        'the whole stored value is kept',
      ).to.deep.equal([raw]);
      const reported = warnings.join('\n');
      expect(reported).to.contain('createdAt');
      expect(reported).to.contain('"bad"');
      expect(reported).to.contain('no-such-thread');
      expect(reported).to.contain('author.name');
      expect((await listAll(adapter, MAIN)).map((p) => p.id)).to.deep.equal([
        ...MAIN_ORDER,
        'good',
      ]);
      await expectFailure(adapter.getPost('bad'), 'not-found');
      await expectFailure(adapter.getPost('lost'), 'not-found');
      expect((await adapter.getPost('m1')).body).to.equal('The opening post of the main thread.');
    });

    it('skips a stored thread with a bad field', async () => {
      const key = freshKey();
      localStorage.setItem(
        `parley:v1:${key}`,
        JSON.stringify({ version: 1, threads: { t: { id: 't', title: 5 } }, posts: {} }),
      );
      const adapter = open(key);
      expect(adapter.storageProblem).to.contain('title');
      await expectFailure(adapter.getThread('t'), 'not-found');
    });

    it('ignores a stored viewer who is not one of users', async () => {
      const key = freshKey();
      localStorage.setItem(
        `parley:v1:${key}`,
        JSON.stringify({ version: 1, threads: {}, posts: {}, viewerId: 'c-stranger' }),
      );
      expect((await open(key, { viewer: { user: ana } }).getViewer()).user?.id).to.equal(ana.id);
    });
  });

  describe('idempotency keys', () => {
    const storageKey = 'memory-test-idempotency';
    afterEach(() => localStorage.removeItem(`parley:v1:${storageKey}`));

    it('keeps a key across a reload, so a retry after it returns the post instead of publishing again', async () => {
      const input = { threadId: SIDE, body: 'Sent before the reload.' };
      const first = await new MemoryAdapter({ ...contractSeed(), storageKey }).createPost(input, {
        idempotencyKey: 'k1',
      });
      const reloaded = new MemoryAdapter({ ...contractSeed(), storageKey });
      expect((await reloaded.createPost(input, { idempotencyKey: 'k1' })).id).to.equal(first.id);
      expect((await listAll(reloaded, SIDE)).map((p) => p.id)).to.deep.equal([
        's1',
        's2',
        first.id,
      ]);
    });

    it('keeps keys per person: the same key from someone else is their own post', async () => {
      const adapter = new MemoryAdapter(contractSeed());
      const input = { threadId: SIDE, body: 'Same words, same key.' };
      const ana$ = await adapter.createPost(input, { idempotencyKey: 'shared' });
      await adapter.signIn({ userId: ben.id });
      const ben$ = await adapter.createPost(input, { idempotencyKey: 'shared' });
      expect(ben$.id).not.to.equal(ana$.id);
      expect(ben$.author.id).to.equal(ben.id);
    });

    it('forgets keys after a day, as the server does', async () => {
      const input = { threadId: SIDE, body: 'Long ago.' };
      const first = await new MemoryAdapter({ ...contractSeed(), storageKey }).createPost(input, {
        idempotencyKey: 'old',
      });
      const stored = JSON.parse(localStorage.getItem(`parley:v1:${storageKey}`)!) as {
        keys: Record<string, { at: number }>;
      };
      for (const entry of Object.values(stored.keys)) entry.at -= 25 * 60 * 60 * 1000;
      localStorage.setItem(`parley:v1:${storageKey}`, JSON.stringify(stored));
      const later = await new MemoryAdapter({ ...contractSeed(), storageKey }).createPost(input, {
        idempotencyKey: 'old',
      });
      expect(later.id).not.to.equal(first.id);
    });

    it('rejects a key that is not 1 to 200 characters, naming the field', async () => {
      const adapter = new MemoryAdapter(contractSeed());
      await expectFailure(
        adapter.createPost({ threadId: SIDE, body: 'x' }, { idempotencyKey: '' }),
        'invalid',
        'idempotencyKey',
      );
      await expectFailure(
        adapter.createPost({ threadId: SIDE, body: 'x' }, { idempotencyKey: 'k'.repeat(201) }),
        'invalid',
        'idempotencyKey',
      );
      expect((await listAll(adapter, SIDE)).map((p) => p.id)).to.deep.equal(['s1', 's2']);
    });
  });

  describe('full storage', () => {
    const storageKey = 'memory-test-full';
    const name = `parley:v1:${storageKey}`;
    const fillers: string[] = [];
    let warn: typeof console.warn;
    let warnings: string[];

    /** Fills this origin's localStorage for real, until not one more character fits. */
    function fillStorage(): void {
      for (let size = 1 << 20, i = 0; size >= 1; i++) {
        const key = `memory-test-filler-${i}`;
        try {
          localStorage.setItem(key, 'x'.repeat(size));
          fillers.push(key);
        } catch (error) {
          if (!(error instanceof DOMException && error.name === 'QuotaExceededError')) throw error;
          size = Math.floor(size / 2);
        }
      }
    }
    const freeStorage = () => {
      for (const key of fillers.splice(0)) localStorage.removeItem(key);
    };

    beforeEach(() => {
      warnings = [];
      warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    });

    afterEach(() => {
      console.warn = warn;
      freeStorage();
      localStorage.removeItem(name);
    });

    it('refuses a reply, an edit and a deletion it cannot store, changing nothing, and works again once there is room', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), storageKey });
      const kept = await adapter.createPost({
        threadId: MAIN,
        body: 'Stored before the storage filled up.',
      });
      const heard: string[] = [];
      const stop = adapter.subscribe(MAIN, (change) => heard.push(change.type));
      fillStorage();
      try {
        const reply = await expectFailure(
          adapter.createPost({ threadId: MAIN, body: 'Does not fit.' }),
          'unavailable',
        );
        expect(reply.message).to.equal(
          "Your reply could not be saved: this browser's storage for this site is full. Free some space (in the browser's settings for site data) and try again.",
        );
        expect(reply.diagnostic).to.contain(`localStorage["${name}"]`).and.contain('full');
        const edit = await expectFailure(
          adapter.updatePost('m2', 'Does not fit either.'),
          'unavailable',
        );
        expect(edit.message).to.match(/^Your edit could not be saved/);
        const deletion = await expectFailure(adapter.deletePost('m7'), 'unavailable');
        expect(deletion.message).to.match(/^Your deletion could not be saved/);
        expect(warnings.join('\n'), 'the console says why').to.contain(
          `Could not save to localStorage["${name}"]`,
        );

        const posts = await listAll(adapter, MAIN);
        expect(
          posts.map((p) => p.id),
          'the reply is not shown as saved',
        ).to.deep.equal([...MAIN_ORDER, kept.id]);
        expect(posts.find((p) => p.id === 'm2')!.body).to.equal('Ana answers the opening post.');
        expect(posts.find((p) => p.id === 'm7')!.deleted ?? false).to.equal(false);
        expect(heard, 'no listener heard of changes that were not made').to.deep.equal([]);
        const reloaded = new MemoryAdapter({ ...contractSeed(), storageKey });
        expect(
          (await listAll(reloaded, MAIN)).map((p) => p.id),
          'after a reload: as stored',
        ).to.deep.equal([...MAIN_ORDER, kept.id]);
      } finally {
        freeStorage();
        stop();
      }
      const later = await adapter.createPost({ threadId: MAIN, body: 'Fits now.' });
      expect(
        (await listAll(new MemoryAdapter({ ...contractSeed(), storageKey }), MAIN)).map(
          (p) => p.id,
        ),
      ).to.deep.equal([...MAIN_ORDER, kept.id, later.id]);
    });

    it('still signs a guest in when that cannot be stored, saying it will not survive a reload', async () => {
      const adapter = new MemoryAdapter({ ...contractSeed(), viewer: undefined, storageKey });
      fillStorage();
      try {
        const { user } = await adapter.signIn({ name: 'Guest on a full disk' });
        expect(user?.name).to.equal('Guest on a full disk');
        expect(adapter.storageProblem).to.contain('full').and.contain('will not survive a reload');
      } finally {
        freeStorage();
      }
    });

    it('refuses changes rather than overwrite stored data it could not read and could not set aside', async () => {
      localStorage.setItem(name, '{"broken":');
      fillStorage();
      try {
        const adapter = new MemoryAdapter({ ...contractSeed(), storageKey });
        expect(adapter.storageProblem)
          .to.contain('could not be set aside')
          .and.contain('left untouched');
        await expectFailure(
          adapter.createPost({ threadId: MAIN, body: 'Would overwrite it.' }),
          'unavailable',
        );
        expect(localStorage.getItem(name)).to.equal('{"broken":');
      } finally {
        freeStorage();
      }
    });
  });

  describe('latency', () => {
    const slow = (latency: number) => new MemoryAdapter({ ...contractSeed(), latency });

    it('answers after the latency when not cancelled', async () => {
      const adapter = slow(20);
      expect((await adapter.getThread(MAIN)).title).to.equal('Contract main');
      expect((await adapter.createPost({ threadId: MAIN, body: 'Slowly.' })).body).to.equal(
        'Slowly.',
      );
    });

    it('rejects with aborted as soon as the signal aborts while waiting', async () => {
      const adapter = slow(60_000);
      const controller = new AbortController();
      const pending = adapter.getThread(MAIN, { signal: controller.signal });
      controller.abort();
      await expectFailure(pending, 'aborted');
    });

    it('changes nothing when a write is cancelled while waiting', async () => {
      const adapter = slow(20);
      const heard: string[] = [];
      adapter.subscribe(MAIN, (change) => heard.push(change.type));
      const controller = new AbortController();
      const writes = [
        adapter.createPost({ threadId: MAIN, body: 'Never.' }, { signal: controller.signal }),
        adapter.updatePost('m2', 'Never.', { signal: controller.signal }),
        adapter.deletePost('m7', { signal: controller.signal }),
        adapter.signOut({ signal: controller.signal }),
      ];
      controller.abort();
      for (const write of writes) await expectFailure(write, 'aborted');
      const posts = await listAll(adapter, MAIN);
      expect(posts.map((p) => p.id)).to.deep.equal(MAIN_ORDER);
      expect(posts[1].body).to.equal('Ana answers the opening post.');
      expect(posts[7].deleted ?? false).to.equal(false);
      expect((await adapter.getViewer()).user?.id).to.equal(ana.id);
      expect(heard).to.deep.equal([]);
    });
  });
});
