/**
 * The contract every `CommentAdapter` keeps, as one test suite: what `MemoryAdapter` and
 * `RestAdapter` pass, shipped as `parley-comments/testing` so any adapter can be run through it.
 *
 * It brings no test framework and no assertion library: hand it your runner's `describe`, `it`,
 * `beforeEach` and `afterEach` (mocha and web-test-runner, `node:test`, vitest, …):
 *
 *   import { describe, it, beforeEach, afterEach } from 'node:test';
 *   describeAdapterContract({ describe, it, beforeEach, afterEach }, 'MyAdapter', async (seed) => ({
 *     adapter: new MyAdapter(seed),
 *   }));
 *
 * `setup` is called before every test with a fresh `ContractSeed` and must return an adapter that
 * serves exactly that data, signed in as `seed.viewer` (signed out when `seed.viewer.user` is
 * `null`). A REST adapter can load the seed into a real server there and stop it in `teardown`.
 * Seed times lie in 2021, so any post created during the run is newer than all of them. A test of
 * an optional method the adapter lacks (`subscribe`, `signIn`, `signOut`) is skipped, through the
 * runner's own `skip()` (mocha's `this.skip()`, the test context's `skip()` in `node:test` and
 * vitest).
 */
import { capabilitiesOf, type CommentAdapter, type SignInOptions } from '../adapters/adapter.js';
import { ParleyError, type ParleyErrorCode } from '../model/errors.js';
import type { Author, Post, ThreadChange } from '../model/types.js';
import { expect } from './expect.js';

/** An adapter with every optional method of the contract (the suite skips what it lacks). */
type FullAdapter = CommentAdapter &
  Required<Pick<CommentAdapter, 'listPostsAround' | 'updatePost' | 'deletePost' | 'subscribe'>>;

/**
 * The parts of a test runner the suite registers its tests with. Mocha's globals, `node:test`'s
 * exports and vitest's exports all fit.
 */
export interface ContractFramework {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
  beforeEach(hook: () => Promise<void>): unknown;
  afterEach(hook: () => Promise<void>): unknown;
}

/** What `setup` hands back: the adapter, and how to dispose of it. */
export interface ContractSubject {
  adapter: CommentAdapter;
  teardown?: () => Promise<void>;
}

/** What the suite must know about an adapter that it cannot find out through the contract. */
export interface ContractOptions {
  /** The longest body the adapter accepts. Default 10,000 (the MemoryAdapter default). */
  maxLength?: number;
  /** The `signIn` options that sign in as `user`. Default `{ userId: user.id }`. */
  signInAs?: (user: Author) => SignInOptions;
  /**
   * How long a test waits for a change to reach a `subscribe` listener before it fails, in
   * milliseconds. Default 4,000.
   */
  changeTimeout?: number;
}

import {
  ana,
  ben,
  cy,
  MAIN,
  SIDE,
  LOCKED,
  EMPTY,
  MAIN_ORDER,
  at,
  contractSeed,
  type ContractSeed,
} from './seed.js';

/** Awaits a call that must fail, and checks it failed the contract's way. */
export async function expectFailure(
  call: Promise<unknown>,
  codes: ParleyErrorCode | ParleyErrorCode[],
  field?: string,
): Promise<ParleyError> {
  let outcome: unknown;
  try {
    outcome = await call;
  } catch (error) {
    expect(error, 'every failure is a ParleyError').to.be.instanceOf(ParleyError);
    const failure = error as ParleyError;
    expect(failure.message, 'the message says what went wrong')
      .to.be.a('string')
      .and.not.match(/^\s*$/);
    expect([codes].flat(), `code was "${failure.code}": ${failure.message}`).to.include(
      failure.code,
    );
    if (field !== undefined) expect(failure.field, 'the field at fault').to.equal(field);
    return failure;
  }
  expect.fail(
    `expected a ParleyError ${[codes].flat().join(' or ')}, but the call resolved with ${JSON.stringify(outcome)}`,
  );
}

/** Every post of a thread, page by page, checking each page's own promises on the way. */
export async function listAll(
  adapter: CommentAdapter,
  threadId: string,
  limit?: number,
): Promise<Post[]> {
  const all: Post[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result = await adapter.listPosts(threadId, { cursor, limit });
    if (limit !== undefined)
      expect(result.posts.length, 'a page holds at most `limit` posts').to.be.at.most(limit);
    all.push(...result.posts);
    cursor = result.nextCursor;
    if (cursor === null) return all;
    expect(cursor, 'nextCursor is a string or null').to.be.a('string').and.not.equal('');
    expect(result.posts.length, 'a page that is not the last is not empty').to.be.greaterThan(0);
  }
  expect.fail('listPosts never returned nextCursor: null');
}

/** What a contract test gets: a way to skip itself when the adapter lacks what it tests. */
interface ContractTest {
  skip(reason: string): never;
}

/** Thrown by `ContractTest.skip`, caught by the wrapper that registered the test. */
class Skipped extends Error {}

/** A runner's own way to skip the running test, if it has one: mocha's `this`, or the context. */
type RunnerSkip = { skip?: (reason?: string) => unknown };

const ids = (posts: readonly Post[]) => posts.map((p) => p.id);
const time = (iso: string | undefined) => Date.parse(iso ?? '');

/** Whether posts come oldest first, ties broken by id. */
function expectOldestFirst(posts: readonly Post[]): void {
  for (let i = 1; i < posts.length; i++) {
    const a = posts[i - 1];
    const b = posts[i];
    const inOrder =
      time(a.createdAt) < time(b.createdAt) ||
      (time(a.createdAt) === time(b.createdAt) && a.id < b.id);
    expect(inOrder, `${a.id} (${a.createdAt}) is listed before ${b.id} (${b.createdAt})`).to.equal(
      true,
    );
  }
}

/** Records the changes a listener receives; `until` waits for them, change by change. */
function recorder(timeout: number): {
  changes: ThreadChange[];
  listener: (change: ThreadChange) => void;
  postEvents: () => string[];
  until: (done: () => boolean, failure: string) => Promise<void>;
} {
  const changes: ThreadChange[] = [];
  const waiting = new Set<() => void>();
  return {
    changes,
    listener: (change) => {
      changes.push(change);
      for (const check of [...waiting]) check();
    },
    postEvents: () => changes.flatMap((c) => ('post' in c ? [`${c.type} ${c.post.id}`] : [])),
    until: (done, failure) =>
      new Promise<void>((resolve, reject) => {
        if (done()) return resolve();
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(
            new Error(
              `${failure} (after ${timeout} ms; heard ${JSON.stringify(changes.map((c) => c.type))})`,
            ),
          );
        }, timeout);
        const check = () => {
          if (!done()) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
      }),
  };
}

/**
 * Registers the contract suite for one adapter. `setup` builds an adapter serving `seed`;
 * `teardown`, when given, runs after each test.
 */
export function describeAdapterContract(
  framework: ContractFramework,
  name: string,
  setup: (seed: ContractSeed) => Promise<ContractSubject>,
  options: ContractOptions = {},
): void {
  const maxLength = options.maxLength ?? 10_000;
  const signInAs = options.signInAs ?? ((user: Author) => ({ userId: user.id }));
  const changeTimeout = options.changeTimeout ?? 4_000;
  const { describe, beforeEach, afterEach } = framework;
  /** Registers a test; `t.skip()` skips it the runner's way. No declared parameters: mocha reads those as `done`. */
  const it = (title: string, body: (t: ContractTest) => Promise<void> | void) =>
    framework.it(title, async function (this: RunnerSkip | undefined, ...args: unknown[]) {
      const test: ContractTest = {
        skip: (reason) => {
          throw new Skipped(reason);
        },
      };
      try {
        await body(test);
      } catch (error) {
        if (!(error instanceof Skipped)) throw error;
        const context = args[0] as RunnerSkip | undefined;
        if (typeof this?.skip === 'function') this.skip(error.message);
        else if (typeof context?.skip === 'function') context.skip(error.message);
      }
    });

  describe(`${name} keeps the adapter contract`, () => {
    // The optional methods are there wherever a test may call them (see itIf).
    let adapter: FullAdapter;
    const teardowns: (() => Promise<void>)[] = [];

    /** An adapter over a fresh seed; `as` picks the viewer (`null`: signed out). */
    async function open(as: Author | null = ana): Promise<FullAdapter> {
      const subject = await setup(contractSeed({ user: as }));
      if (subject.teardown) teardowns.push(subject.teardown);
      return subject.adapter as FullAdapter;
    }

    /** A test of what only some adapters can do: skipped where `capabilities` says it cannot. */
    const itIf = (
      capability: 'window' | 'edit' | 'delete' | 'live',
      title: string,
      body: (t: ContractTest) => Promise<void>,
    ) =>
      it(title, async (t) => {
        if (!capabilitiesOf(adapter)[capability])
          t.skip(`${name} does not declare capabilities.${capability}`);
        await body(t);
      });

    beforeEach(async () => {
      adapter = await open();
    });

    afterEach(async () => {
      while (teardowns.length) await teardowns.pop()!();
    });

    describe('capabilities', () => {
      it('declares what it can do, with the methods that do it', () => {
        const declared = adapter.capabilities;
        expect(typeof declared).to.equal('object');
        for (const key of ['live', 'window', 'edit', 'delete', 'counts'] as const)
          expect(typeof declared[key], `capabilities.${key}`).to.equal('boolean');
        const methods = {
          live: 'subscribe',
          window: 'listPostsAround',
          edit: 'updatePost',
          delete: 'deletePost',
        } as const;
        for (const [capability, method] of Object.entries(methods)) {
          if (declared[capability as keyof typeof methods])
            expect(typeof adapter[method], `${method}, for capabilities.${capability}`).to.equal(
              'function',
            );
        }
        const { signIn } = declared;
        expect(signIn === false || Array.isArray(signIn), 'capabilities.signIn').to.equal(true);
        if (signIn && signIn.some((m) => m !== 'token'))
          expect(typeof adapter.signIn, 'signIn, for capabilities.signIn').to.equal('function');
      });
    });

    describe('getThread', () => {
      it('returns the thread with its id, title and url', async () => {
        const thread = await adapter.getThread(MAIN);
        expect(thread.id).to.equal(MAIN);
        expect(thread.title).to.equal('Contract main');
        expect(thread.url).to.equal('https://example.com/main');
        expect(thread.locked ?? false).to.equal(false);
      });

      it('says when a thread is locked', async () => {
        expect((await adapter.getThread(LOCKED)).locked).to.equal(true);
      });

      it('fails with not-found for an unknown thread', async () => {
        await expectFailure(adapter.getThread('no-such-thread'), 'not-found');
      });
    });

    describe('listPosts', () => {
      it('lists every post of the thread oldest first, ties broken by id, tombstones included', async () => {
        const posts = await listAll(adapter, MAIN, 500);
        expect(ids(posts)).to.deep.equal(MAIN_ORDER);
        const tombstone = posts.find((p) => p.id === 'm4')!;
        expect(tombstone.deleted).to.equal(true);
        expect(tombstone.body).to.equal('');
      });

      it('pages with cursor and limit, ending with nextCursor null', async () => {
        const first = await adapter.listPosts(MAIN, { limit: 3 });
        expect(ids(first.posts)).to.deep.equal(['m1', 'm2', 'm3']);
        expect(first.nextCursor).to.be.a('string');
        const second = await adapter.listPosts(MAIN, { limit: 3, cursor: first.nextCursor });
        expect(ids(second.posts)).to.deep.equal(['m4', 'm5a', 'm5b']);
        const third = await adapter.listPosts(MAIN, { limit: 3, cursor: second.nextCursor });
        expect(ids(third.posts)).to.deep.equal(['m6', 'm7']);
        expect(third.nextCursor).to.equal(null);
      });

      for (const limit of [1, 2, 3, 4, 7, 8, 9]) {
        it(`returns every post exactly once across pages of ${limit}`, async () => {
          const posts = await listAll(adapter, MAIN, limit);
          expect(ids(posts)).to.deep.equal(MAIN_ORDER);
        });
      }

      it('ends with nextCursor null when the last page is exactly full', async () => {
        const page = await adapter.listPosts(MAIN, { limit: 8 });
        expect(page.posts).to.have.length(8);
        expect(page.nextCursor).to.equal(null);
      });

      it('reports the total number of posts, tombstones included, when it reports one', async () => {
        const page = await adapter.listPosts(MAIN, { limit: 2 });
        if (page.total !== undefined) expect(page.total).to.equal(8);
        const side = await adapter.listPosts(SIDE, { limit: 2 });
        if (side.total !== undefined) expect(side.total).to.equal(2);
      });

      it('lists only the posts of the thread asked for', async () => {
        expect(ids(await listAll(adapter, SIDE))).to.deep.equal(['s1', 's2']);
        expect(ids(await listAll(adapter, LOCKED))).to.deep.equal(['l1']);
      });

      it('returns an empty last page for a thread with no posts', async () => {
        const page = await adapter.listPosts(EMPTY);
        expect(page.posts).to.deep.equal([]);
        expect(page.nextCursor).to.equal(null);
      });

      it('returns posts with their parent, quote and author as seeded', async () => {
        const posts = await listAll(adapter, MAIN);
        const byId = new Map(posts.map((p) => [p.id, p]));
        expect(byId.get('m3')!.parentId).to.equal('m2');
        expect(byId.get('m5b')!.quote).to.deep.equal({ postId: 'm1', text: 'The opening post' });
        expect(byId.get('m6')!.author).to.deep.include({
          id: ben.id,
          name: ben.name,
          handle: ben.handle,
        });
        expect(byId.get('m1')!.parentId ?? null).to.equal(null);
        expect(time(byId.get('m7')!.createdAt)).to.equal(time(at(40)));
      });

      it('fails with not-found for an unknown thread', async () => {
        await expectFailure(adapter.listPosts('no-such-thread'), 'not-found');
      });

      it('rejects a cursor it never issued as invalid', async () => {
        await expectFailure(adapter.listPosts(MAIN, { cursor: 'not-a-cursor' }), 'invalid');
      });

      it('shows a post created after the first page on a later page, once', async () => {
        const first = await adapter.listPosts(MAIN, { limit: 3 });
        const created = await adapter.createPost({ threadId: MAIN, body: 'Written while paging.' });
        const rest: Post[] = [];
        let cursor = first.nextCursor;
        while (cursor !== null) {
          const page = await adapter.listPosts(MAIN, { limit: 3, cursor });
          rest.push(...page.posts);
          cursor = page.nextCursor;
        }
        expect(ids([...first.posts, ...rest])).to.deep.equal([...MAIN_ORDER, created.id]);
      });
    });

    describe('listPosts backwards', () => {
      it('starts from the last page with direction backward and no cursor', async () => {
        const last = await adapter.listPosts(MAIN, { limit: 3, direction: 'backward' });
        expect(ids(last.posts)).to.deep.equal(['m5b', 'm6', 'm7']);
        expect(last.nextCursor).to.equal(null);
        expect(last.prevCursor).to.be.a('string');
        if (last.offset !== undefined) expect(last.offset).to.equal(5);
      });

      it('walks back to the first post with prevCursor, every post once, ending with prevCursor null', async () => {
        const seen: Post[] = [];
        let page = await adapter.listPosts(MAIN, { limit: 3, direction: 'backward' });
        seen.unshift(...page.posts);
        while (page.prevCursor) {
          page = await adapter.listPosts(MAIN, { limit: 3, cursor: page.prevCursor });
          seen.unshift(...page.posts);
        }
        expect(ids(seen)).to.deep.equal(MAIN_ORDER);
        expect(page.prevCursor ?? null).to.equal(null);
      });

      it('gives the first page prevCursor null and a middle page both cursors', async () => {
        const first = await adapter.listPosts(MAIN, { limit: 3 });
        expect(first.prevCursor ?? null).to.equal(null);
        const middle = await adapter.listPosts(MAIN, { limit: 3, cursor: first.nextCursor });
        expect(middle.prevCursor).to.be.a('string');
        expect(middle.nextCursor).to.be.a('string');
        const back = await adapter.listPosts(MAIN, { limit: 3, cursor: middle.prevCursor });
        expect(ids(back.posts)).to.deep.equal(['m1', 'm2', 'm3']);
      });
    });

    describe('listPostsAround', () => {
      itIf(
        'window',
        'returns the post with the posts before and after it, oldest first',
        async () => {
          const page = await adapter.listPostsAround(MAIN, 'm4', { before: 2, after: 2 });
          expect(ids(page.posts)).to.deep.equal(['m2', 'm3', 'm4', 'm5a', 'm5b']);
          expect(page.prevCursor).to.be.a('string');
          expect(page.nextCursor).to.be.a('string');
          if (page.offset !== undefined) expect(page.offset).to.equal(1);
          if (page.total !== undefined) expect(page.total).to.equal(8);
        },
      );

      itIf(
        'window',
        'pages outwards from the window with its cursors, meeting the rest of the thread exactly',
        async () => {
          const window = await adapter.listPostsAround(MAIN, 'm5a', { before: 1, after: 1 });
          const before = await adapter.listPosts(MAIN, { cursor: window.prevCursor, limit: 10 });
          const after = await adapter.listPosts(MAIN, { cursor: window.nextCursor, limit: 10 });
          expect(ids([...before.posts, ...window.posts, ...after.posts])).to.deep.equal(MAIN_ORDER);
          expect(before.prevCursor ?? null).to.equal(null);
          expect(after.nextCursor).to.equal(null);
        },
      );

      itIf('window', 'clips the window at the ends of the thread', async () => {
        const start = await adapter.listPostsAround(MAIN, 'm1', { before: 5, after: 1 });
        expect(ids(start.posts)).to.deep.equal(['m1', 'm2']);
        expect(start.prevCursor ?? null).to.equal(null);
        const end = await adapter.listPostsAround(MAIN, 'm7', { before: 1, after: 5 });
        expect(ids(end.posts)).to.deep.equal(['m6', 'm7']);
        expect(end.nextCursor).to.equal(null);
      });

      itIf('window', 'finds a tombstone too', async () => {
        const page = await adapter.listPostsAround(MAIN, 'm4', { before: 0, after: 0 });
        expect(ids(page.posts)).to.deep.equal(['m4']);
        expect(page.posts[0].deleted).to.equal(true);
      });

      itIf('window', 'fails with not-found for a post that is not in the thread', async () => {
        await expectFailure(adapter.listPostsAround(MAIN, 'no-such-post'), 'not-found');
        await expectFailure(adapter.listPostsAround(MAIN, 's1'), 'not-found');
        await expectFailure(adapter.listPostsAround('no-such-thread', 'm1'), 'not-found');
      });
    });

    describe('getPost', () => {
      it('returns a post that was never listed', async () => {
        const post = await adapter.getPost('s2');
        expect(post.id).to.equal('s2');
        expect(post.threadId).to.equal(SIDE);
        expect(post.parentId).to.equal('s1');
        expect(post.author.id).to.equal(ben.id);
        expect(post.body).to.equal('A reply in the side thread.');
      });

      it('returns a listed post as it was listed', async () => {
        const listed = (await listAll(adapter, MAIN)).find((p) => p.id === 'm6')!;
        expect(await adapter.getPost('m6')).to.deep.equal(listed);
      });

      it('returns a tombstone as deleted with an empty body', async () => {
        const post = await adapter.getPost('m4');
        expect(post.deleted).to.equal(true);
        expect(post.body).to.equal('');
        expect(post.author.id).to.equal(ben.id);
      });

      it('fails with not-found for a post that never existed', async () => {
        await expectFailure(adapter.getPost('no-such-post'), 'not-found');
      });
    });

    describe('getCounts', () => {
      it('counts the posts that are not deleted, per thread, in one call; an unknown thread is 0', async (t) => {
        if (!adapter.getCounts) t.skip(`${name} has no getCounts`);
        const shown = async (threadId: string) =>
          (await listAll(adapter, threadId)).filter((p) => !p.deleted).length;
        const counts = await adapter.getCounts!([MAIN, SIDE, 'no-such-thread']);
        expect(counts).to.deep.equal({
          [MAIN]: await shown(MAIN),
          [SIDE]: await shown(SIDE),
          'no-such-thread': 0,
        });
      });

      it('counts a new post, and no longer counts a deleted one', async (t) => {
        if (!adapter.getCounts) t.skip(`${name} has no getCounts`);
        const before = (await adapter.getCounts!([SIDE]))[SIDE];
        const post = await adapter.createPost({ threadId: SIDE, body: 'Counted.' });
        expect((await adapter.getCounts!([SIDE]))[SIDE]).to.equal(before + 1);
        if (!capabilitiesOf(adapter).delete) return;
        await adapter.deletePost(post.id);
        expect((await adapter.getCounts!([SIDE]))[SIDE]).to.equal(before);
      });
    });

    describe('createPost', () => {
      it('publishes a post as the viewer, with an id, author and creation time', async () => {
        const post = await adapter.createPost({ threadId: MAIN, body: 'Hello from the contract.' });
        expect(post.id).to.be.a('string').and.not.equal('');
        expect(MAIN_ORDER).not.to.include(post.id);
        expect(post.threadId).to.equal(MAIN);
        expect(post.author).to.deep.include({ id: ana.id, name: ana.name });
        expect(post.body).to.equal('Hello from the contract.');
        expect(Number.isNaN(time(post.createdAt)), 'createdAt is a date').to.equal(false);
        expect(time(post.createdAt), 'newer than every seeded post').to.be.greaterThan(
          time(at(40)),
        );
        expect(post.parentId ?? null).to.equal(null);
        expect(post.quote ?? null).to.equal(null);
        expect(post.deleted ?? false).to.equal(false);
      });

      it('lists the new post last and serves it from getPost', async () => {
        const post = await adapter.createPost({ threadId: MAIN, body: 'Listed last.' });
        const listed = await listAll(adapter, MAIN, 3);
        expect(ids(listed)).to.deep.equal([...MAIN_ORDER, post.id]);
        const fetched = await adapter.getPost(post.id);
        expect(fetched).to.deep.include({
          id: post.id,
          threadId: MAIN,
          body: 'Listed last.',
          createdAt: post.createdAt,
        });
        expect(fetched.author.id).to.equal(ana.id);
      });

      it('gives each new post its own id and keeps them oldest first', async () => {
        const created: Post[] = [];
        for (let i = 0; i < 6; i++)
          created.push(await adapter.createPost({ threadId: SIDE, body: `Quick post ${i}` }));
        expect(new Set(ids(created)).size).to.equal(6);
        const listed = await listAll(adapter, SIDE);
        expect(listed).to.have.length(8);
        expectOldestFirst(listed);
        expect(ids(listed).slice(0, 2)).to.deep.equal(['s1', 's2']);
      });

      it('keeps the parent and the quote', async () => {
        const post = await adapter.createPost({
          threadId: MAIN,
          body: 'Replying and quoting.',
          parentId: 'm3',
          quote: { postId: 'm2', text: 'Ana answers' },
        });
        expect(post.parentId).to.equal('m3');
        expect(post.quote).to.deep.equal({ postId: 'm2', text: 'Ana answers' });
        const fetched = await adapter.getPost(post.id);
        expect(fetched.parentId).to.equal('m3');
        expect(fetched.quote).to.deep.equal({ postId: 'm2', text: 'Ana answers' });
      });

      it('returns the post already published when sent again with its idempotencyKey, publishing it once', async () => {
        const input = { threadId: MAIN, body: 'Sent twice, published once.', parentId: 'm2' };
        const first = await adapter.createPost(input, { idempotencyKey: 'contract-retry-1' });
        const again = await adapter.createPost(input, { idempotencyKey: 'contract-retry-1' });
        expect(again.id, 'the same post').to.equal(first.id);
        expect(again).to.deep.include({
          body: first.body,
          createdAt: first.createdAt,
          parentId: 'm2',
        });
        expect(ids(await listAll(adapter, MAIN)), 'in the thread once').to.deep.equal([
          ...MAIN_ORDER,
          first.id,
        ]);
        const other = await adapter.createPost(input, { idempotencyKey: 'contract-retry-2' });
        expect(other.id, 'another key is another post').not.to.equal(first.id);
      });

      it('refuses an idempotencyKey sent again with a different post as a conflict, publishing nothing more', async () => {
        const first = await adapter.createPost(
          { threadId: MAIN, body: 'The first use of a key.' },
          { idempotencyKey: 'contract-reused' },
        );
        await expectFailure(
          adapter.createPost(
            { threadId: MAIN, body: 'Another post, same key.' },
            { idempotencyKey: 'contract-reused' },
          ),
          'conflict',
        );
        expect(ids(await listAll(adapter, MAIN))).to.deep.equal([...MAIN_ORDER, first.id]);
      });

      it('fails with unauthorized when signed out, and publishes nothing', async () => {
        const signedOut = await open(null);
        await expectFailure(
          signedOut.createPost({ threadId: MAIN, body: 'Who am I?' }),
          'unauthorized',
        );
        expect(ids(await listAll(signedOut, MAIN))).to.deep.equal(MAIN_ORDER);
      });

      for (const body of ['', '   ', ' \n\t ']) {
        it(`rejects the empty body ${JSON.stringify(body)} as invalid, naming the field body`, async () => {
          await expectFailure(adapter.createPost({ threadId: MAIN, body }), 'invalid', 'body');
          expect(ids(await listAll(adapter, MAIN))).to.deep.equal(MAIN_ORDER);
        });
      }

      it(`accepts a body of exactly ${maxLength} characters`, async () => {
        const post = await adapter.createPost({ threadId: MAIN, body: 'x'.repeat(maxLength) });
        expect(post.body).to.have.length(maxLength);
      });

      it('rejects a body over the length limit as invalid, naming the field body', async () => {
        await expectFailure(
          adapter.createPost({ threadId: MAIN, body: 'x'.repeat(maxLength + 1) }),
          'invalid',
          'body',
        );
        expect(ids(await listAll(adapter, MAIN))).to.deep.equal(MAIN_ORDER);
      });

      it('fails with forbidden in a locked thread', async () => {
        await expectFailure(
          adapter.createPost({ threadId: LOCKED, body: 'Let me in.' }),
          'forbidden',
        );
        expect(ids(await listAll(adapter, LOCKED))).to.deep.equal(['l1']);
      });

      it('fails with not-found in an unknown thread', async () => {
        await expectFailure(
          adapter.createPost({ threadId: 'no-such-thread', body: 'Anyone?' }),
          'not-found',
        );
      });

      it('rejects a reply to an unknown post', async () => {
        await expectFailure(
          adapter.createPost({ threadId: MAIN, body: 'Reply.', parentId: 'no-such-post' }),
          ['not-found', 'invalid'],
        );
        expect(ids(await listAll(adapter, MAIN))).to.deep.equal(MAIN_ORDER);
      });

      it('rejects a reply to a post of another thread', async () => {
        await expectFailure(
          adapter.createPost({ threadId: MAIN, body: 'Reply.', parentId: 's1' }),
          ['not-found', 'invalid'],
        );
      });

      it('rejects a quote of an unknown post', async () => {
        await expectFailure(
          adapter.createPost({
            threadId: MAIN,
            body: 'Quote.',
            quote: { postId: 'no-such-post', text: 'words' },
          }),
          ['not-found', 'invalid'],
        );
        expect(ids(await listAll(adapter, MAIN))).to.deep.equal(MAIN_ORDER);
      });

      it('rejects a quote of a post of another thread', async () => {
        await expectFailure(
          adapter.createPost({
            threadId: MAIN,
            body: 'Quote.',
            quote: { postId: 's1', text: 'The side' },
          }),
          ['not-found', 'invalid'],
        );
      });
    });

    describe('updatePost', () => {
      itIf('edit', "replaces the body of the viewer's own post and sets editedAt", async () => {
        const updated = await adapter.updatePost('m2', 'Ana, edited.');
        expect(updated.id).to.equal('m2');
        expect(updated.body).to.equal('Ana, edited.');
        expect(time(updated.editedAt), 'editedAt is a date after createdAt').to.be.greaterThan(
          time(updated.createdAt),
        );
        expect(time(updated.createdAt)).to.equal(time(at(5)));
        expect(updated.author.id).to.equal(ana.id);
        expect((await adapter.getPost('m2')).body).to.equal('Ana, edited.');
        const listed = (await listAll(adapter, MAIN)).find((p) => p.id === 'm2')!;
        expect(listed.body).to.equal('Ana, edited.');
      });

      itIf('edit', 'keeps the quote, the parent and the place in the thread', async () => {
        const updated = await adapter.updatePost('m5b', 'Still quoting.');
        expect(updated.quote).to.deep.equal({ postId: 'm1', text: 'The opening post' });
        const reply = await adapter.createPost({
          threadId: MAIN,
          body: 'A reply.',
          parentId: 'm2',
        });
        const edited = await adapter.updatePost(reply.id, 'An edited reply.');
        expect(edited.parentId).to.equal('m2');
        expect(ids(await listAll(adapter, MAIN))).to.deep.equal([...MAIN_ORDER, reply.id]);
      });

      itIf(
        'edit',
        "fails with forbidden on another person's post, and leaves it unchanged",
        async () => {
          await expectFailure(adapter.updatePost('m1', 'Not mine.'), 'forbidden');
          expect((await adapter.getPost('m1')).body).to.equal(
            'The opening post of the main thread.',
          );
        },
      );

      itIf('edit', 'fails with unauthorized when signed out', async () => {
        const signedOut = await open(null);
        await expectFailure(signedOut.updatePost('m2', 'Anonymous edit.'), 'unauthorized');
        expect((await signedOut.getPost('m2')).body).to.equal('Ana answers the opening post.');
      });

      itIf('edit', 'rejects an empty body as invalid, naming the field body', async () => {
        await expectFailure(adapter.updatePost('m2', '  '), 'invalid', 'body');
        expect((await adapter.getPost('m2')).body).to.equal('Ana answers the opening post.');
      });

      itIf('edit', 'rejects a body over the length limit as invalid', async () => {
        await expectFailure(adapter.updatePost('m2', 'y'.repeat(maxLength + 1)), 'invalid', 'body');
      });

      itIf('edit', 'fails with not-found for an unknown post', async () => {
        await expectFailure(adapter.updatePost('no-such-post', 'Edit.'), 'not-found');
      });

      itIf(
        'edit',
        'fails with forbidden in a locked thread, where the author may still delete the post',
        async () => {
          const asBen = await open(ben);
          await expectFailure(asBen.updatePost('l1', 'Edited after the lock.'), 'forbidden');
          expect((await asBen.getPost('l1')).body).to.equal('Nothing more to say here.');
          expect((await asBen.deletePost('l1')).deleted).to.equal(true);
        },
      );

      itIf('edit', 'fails with conflict on a post the viewer deleted', async () => {
        await adapter.deletePost('m7');
        await expectFailure(adapter.updatePost('m7', 'Back from the dead.'), 'conflict');
        expect((await adapter.getPost('m7')).body).to.equal('');
      });
    });

    describe('deletePost', () => {
      itIf('delete', "turns the viewer's own post into a tombstone", async () => {
        const tombstone = await adapter.deletePost('m5b');
        expect(tombstone.id).to.equal('m5b');
        expect(tombstone.deleted).to.equal(true);
        expect(tombstone.body).to.equal('');
        expect(tombstone.quote ?? null, 'a tombstone keeps no quoted text').to.equal(null);
        expect(tombstone.threadId).to.equal(MAIN);
        expect(tombstone.author.id).to.equal(ana.id);
        expect(time(tombstone.createdAt)).to.equal(time(at(20)));
      });

      itIf('delete', 'keeps the tombstone in its place in the thread and in getPost', async () => {
        await adapter.deletePost('m2');
        const listed = await listAll(adapter, MAIN, 3);
        expect(ids(listed)).to.deep.equal(MAIN_ORDER);
        expect(listed[1]).to.deep.include({ id: 'm2', deleted: true, body: '' });
        expect(await adapter.getPost('m2')).to.deep.include({ deleted: true, body: '' });
        expect((await adapter.getPost('m3')).parentId, 'its replies still point at it').to.equal(
          'm2',
        );
      });

      itIf('delete', 'deletes a post the viewer just created', async () => {
        const post = await adapter.createPost({ threadId: SIDE, body: 'Oops.' });
        expect(await adapter.deletePost(post.id)).to.deep.include({
          id: post.id,
          deleted: true,
          body: '',
        });
        expect((await listAll(adapter, SIDE)).map((p) => p.deleted ?? false)).to.deep.equal([
          false,
          false,
          true,
        ]);
      });

      itIf('delete', 'returns the tombstone again when the post is already deleted', async () => {
        await adapter.deletePost('m7');
        expect(await adapter.deletePost('m7')).to.deep.include({
          id: 'm7',
          deleted: true,
          body: '',
        });
      });

      itIf(
        'delete',
        "fails with forbidden on another person's post, and leaves it unchanged",
        async () => {
          await expectFailure(adapter.deletePost('m1'), 'forbidden');
          expect(await adapter.getPost('m1')).to.deep.include({
            body: 'The opening post of the main thread.',
          });
          expect((await adapter.getPost('m1')).deleted ?? false).to.equal(false);
        },
      );

      itIf('delete', 'fails with unauthorized when signed out', async () => {
        const signedOut = await open(null);
        await expectFailure(signedOut.deletePost('m2'), 'unauthorized');
        expect((await signedOut.getPost('m2')).deleted ?? false).to.equal(false);
      });

      itIf('delete', 'fails with not-found for an unknown post', async () => {
        await expectFailure(adapter.deletePost('no-such-post'), 'not-found');
      });
    });

    describe('viewer', () => {
      it('getViewer returns the signed-in person', async () => {
        const viewer = await adapter.getViewer();
        expect(viewer.user).to.deep.include({ id: ana.id, name: ana.name });
      });

      it('getViewer returns user null when signed out', async () => {
        expect(await (await open(null)).getViewer()).to.deep.equal({ user: null });
      });

      it('signIn signs in as the person asked for, who then posts as themself', async (t) => {
        if (!adapter.signIn) t.skip('the adapter has no signIn');
        const viewer = await adapter.signIn!(signInAs(ben));
        expect(viewer.user).to.deep.include({ id: ben.id, name: ben.name });
        expect((await adapter.getViewer()).user?.id).to.equal(ben.id);
        const post = await adapter.createPost({ threadId: MAIN, body: 'Ben here.' });
        expect(post.author.id).to.equal(ben.id);
        await expectFailure(adapter.updatePost('m2', "Ben edits Ana's post."), 'forbidden');
        expect((await adapter.updatePost('m1', 'Ben edits his own.')).body).to.equal(
          'Ben edits his own.',
        );
      });

      it('signIn signs in a reader who was signed out', async (t) => {
        const signedOut = await open(null);
        if (!signedOut.signIn) t.skip('the adapter has no signIn');
        expect((await signedOut.signIn!(signInAs(cy))).user?.id).to.equal(cy.id);
        expect(
          (await signedOut.createPost({ threadId: SIDE, body: 'Cy again.' })).author.id,
        ).to.equal(cy.id);
      });

      it('signOut signs the reader out, after which posting is unauthorized', async (t) => {
        if (!adapter.signOut) t.skip('the adapter has no signOut');
        expect(await adapter.signOut!()).to.deep.equal({ user: null });
        expect(await adapter.getViewer()).to.deep.equal({ user: null });
        await expectFailure(
          adapter.createPost({ threadId: MAIN, body: 'After signing out.' }),
          'unauthorized',
        );
        await expectFailure(adapter.deletePost('m2'), 'unauthorized');
      });
    });

    describe('subscribe', () => {
      it('tells a listener about posts created, updated and deleted in its thread', async (t) => {
        if (!adapter.subscribe) t.skip('the adapter has no subscribe');
        const main = recorder(changeTimeout);
        const stop = adapter.subscribe!(MAIN, main.listener);
        try {
          const post = await adapter.createPost({ threadId: MAIN, body: 'Live.' });
          await main.until(() => main.postEvents().length >= 1, 'no post-created event');
          await adapter.updatePost(post.id, 'Live, edited.');
          await main.until(() => main.postEvents().length >= 2, 'no post-updated event');
          await adapter.deletePost(post.id);
          await main.until(() => main.postEvents().length >= 3, 'no post-deleted event');
          expect(main.postEvents()).to.deep.equal([
            `post-created ${post.id}`,
            `post-updated ${post.id}`,
            `post-deleted ${post.id}`,
          ]);
          const posts = main.changes.flatMap((c) => ('post' in c ? [c.post] : []));
          expect(posts[0]).to.deep.include({ threadId: MAIN, body: 'Live.' });
          expect(posts[1]).to.deep.include({ body: 'Live, edited.' });
          expect(posts[2]).to.deep.include({ deleted: true, body: '' });
        } finally {
          stop();
        }
      });

      it('tells a listener nothing about other threads', async (t) => {
        if (!adapter.subscribe) t.skip('the adapter has no subscribe');
        const side = recorder(changeTimeout);
        const main = recorder(changeTimeout);
        const stops = [
          adapter.subscribe!(SIDE, side.listener),
          adapter.subscribe!(MAIN, main.listener),
        ];
        try {
          const inMain = await adapter.createPost({ threadId: MAIN, body: 'Main only.' });
          await adapter.updatePost('m2', 'Main only, edited.');
          await adapter.deletePost('m7');
          await main.until(() => main.postEvents().length >= 3, 'the main listener heard nothing');
          // Changes arrive in order, so once the side listener hears its own post it has heard all before it.
          const inSide = await adapter.createPost({ threadId: SIDE, body: 'Side only.' });
          await side.until(() => side.postEvents().length >= 1, 'the side listener heard nothing');
          expect(side.postEvents()).to.deep.equal([`post-created ${inSide.id}`]);
          expect(main.postEvents()).to.deep.equal([
            `post-created ${inMain.id}`,
            'post-updated m2',
            'post-deleted m7',
          ]);
        } finally {
          stops.forEach((stop) => stop());
        }
      });

      it('stops telling a listener once it unsubscribes', async (t) => {
        if (!adapter.subscribe) t.skip('the adapter has no subscribe');
        const stopped = recorder(changeTimeout);
        const still = recorder(changeTimeout);
        const stop = adapter.subscribe!(MAIN, stopped.listener);
        const stopStill = adapter.subscribe!(MAIN, still.listener);
        try {
          const before = await adapter.createPost({ threadId: MAIN, body: 'Heard by both.' });
          await stopped.until(() => stopped.postEvents().length >= 1, 'a listener heard nothing');
          await still.until(() => still.postEvents().length >= 1, 'a listener heard nothing');
          stop();
          const after = await adapter.createPost({ threadId: MAIN, body: 'Heard by one.' });
          await still.until(
            () => still.postEvents().length >= 2,
            'the remaining listener heard nothing',
          );
          expect(stopped.postEvents()).to.deep.equal([`post-created ${before.id}`]);
          expect(still.postEvents()).to.deep.equal([
            `post-created ${before.id}`,
            `post-created ${after.id}`,
          ]);
        } finally {
          stop();
          stopStill();
        }
      });

      it('tells no listener about a failed call', async (t) => {
        if (!adapter.subscribe) t.skip('the adapter has no subscribe');
        const main = recorder(changeTimeout);
        const stop = adapter.subscribe!(MAIN, main.listener);
        try {
          await expectFailure(adapter.updatePost('m1', 'Not mine.'), 'forbidden');
          await expectFailure(adapter.deletePost('m1'), 'forbidden');
          await expectFailure(adapter.createPost({ threadId: MAIN, body: '' }), 'invalid');
          const marker = await adapter.createPost({ threadId: MAIN, body: 'Marker.' });
          await main.until(() => main.postEvents().length >= 1, 'the listener heard nothing');
          expect(main.postEvents()).to.deep.equal([`post-created ${marker.id}`]);
        } finally {
          stop();
        }
      });
    });

    describe('cancelling', () => {
      const aborted = () => {
        const controller = new AbortController();
        controller.abort();
        return controller.signal;
      };
      const calls: [
        string,
        (a: CommentAdapter, signal: AbortSignal) => Promise<unknown> | undefined,
      ][] = [
        ['getThread', (a, signal) => a.getThread(MAIN, { signal })],
        ['listPosts', (a, signal) => a.listPosts(MAIN, { signal })],
        ['listPostsAround', (a, signal) => a.listPostsAround?.(MAIN, 'm4', { signal })],
        ['getPost', (a, signal) => a.getPost('m1', { signal })],
        [
          'createPost',
          (a, signal) => a.createPost({ threadId: MAIN, body: 'Cancelled.' }, { signal }),
        ],
        ['updatePost', (a, signal) => a.updatePost?.('m2', 'Cancelled edit.', { signal })],
        ['deletePost', (a, signal) => a.deletePost?.('m2', { signal })],
        ['getViewer', (a, signal) => a.getViewer({ signal })],
        ['signIn', (a, signal) => a.signIn?.({ ...signInAs(ben), signal })],
        ['signOut', (a, signal) => a.signOut?.({ signal })],
      ];
      for (const [method, call] of calls) {
        it(`${method} rejects with aborted when its signal is already aborted`, async (t) => {
          const pending = call(adapter, aborted());
          if (pending === undefined) t.skip(`the adapter has no ${method}`);
          await expectFailure(pending!, 'aborted');
        });
      }

      it('changes nothing when a write is cancelled', async () => {
        await expectFailure(
          adapter.createPost({ threadId: MAIN, body: 'Cancelled.' }, { signal: aborted() }),
          'aborted',
        );
        const can = capabilitiesOf(adapter);
        if (can.edit)
          await expectFailure(
            adapter.updatePost('m2', 'Cancelled edit.', { signal: aborted() }),
            'aborted',
          );
        if (can.delete)
          await expectFailure(adapter.deletePost('m7', { signal: aborted() }), 'aborted');
        const posts = await listAll(adapter, MAIN);
        expect(ids(posts)).to.deep.equal(MAIN_ORDER);
        expect(posts[1].body).to.equal('Ana answers the opening post.');
        expect(posts[7].deleted ?? false).to.equal(false);
      });

      it('keeps the viewer when signing in or out is cancelled', async (t) => {
        if (!adapter.signIn && !adapter.signOut)
          t.skip('the adapter has neither signIn nor signOut');
        if (adapter.signIn)
          await expectFailure(adapter.signIn({ ...signInAs(ben), signal: aborted() }), 'aborted');
        if (adapter.signOut) await expectFailure(adapter.signOut({ signal: aborted() }), 'aborted');
        expect((await adapter.getViewer()).user?.id).to.equal(ana.id);
      });
    });
  });
}
