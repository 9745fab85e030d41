/**
 * The storage contract, run with identical assertions against every backend (SQLite in memory,
 * PostgreSQL on a throwaway cluster). Each test gets a fresh, empty, migrated storage.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Author, Post, Thread } from '../../../src/model/types.js';
import {
  contractSeed,
  ana,
  ben,
  cy,
  MAIN,
  MAIN_ORDER,
  SIDE,
  LOCKED,
  EMPTY,
} from '../../../src/testing/seed.js';
import { StoreError, type StoreErrorKind } from '../errors.js';
import { IDEMPOTENCY_MS, type StoredEvent, type Storage } from '../storage.js';
import { BACKENDS } from './backends.js';

const DAY = 86_400_000;
const mod: Author = { id: 'mod', name: 'Mo Derator', handle: 'mo' };
const BYTES = 'bytes';
/** Posts at one instant order by id compared as bytes: digits < upper case < "_" < lower case. */
const BYTES_ORDER = ['b-10', 'b-9', 'b-B', 'b-_', 'b-a', 'b-b'];

/** The contract seed, a moderator, and a thread whose posts tie on time. */
function seed() {
  const base = contractSeed({ user: null }, [mod]);
  const tie = '2021-03-04T10:00:00.000Z';
  const shuffled = ['b-a', 'b-_', 'b-10', 'b-B', 'b-b', 'b-9'];
  return {
    threads: [...base.threads, { id: BYTES, title: 'Byte order' }],
    posts: [
      ...base.posts,
      ...shuffled.map((id): Post => ({
        id,
        threadId: BYTES,
        author: cy,
        createdAt: tie,
        body: `post ${id}`,
      })),
    ],
    users: base.users,
  };
}

const ids = (posts: readonly { id: string }[]) => posts.map((p) => p.id);

/**
 * Asserts that `promise` rejects with the storage's domain error of `kind` (and `field`): a
 * StoreError, never an HTTP problem, which only server/problem.ts makes of it.
 */
async function rejectsWith(
  promise: Promise<unknown>,
  kind: StoreErrorKind,
  field?: string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (field !== undefined) assert.equal(error.field, field);
    return true;
  });
}

/** Resolves once `test` holds, polling; rejects after `ms`. */
async function until(test: () => boolean, ms = 3000, what = 'a condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Subscribes and collects events. */
async function collect(storage: Storage): Promise<{ events: StoredEvent[]; stop: () => void }> {
  const events: StoredEvent[] = [];
  const stop = await storage.onEvent((event) => events.push(event));
  return { events, stop };
}

const input = (
  threadId: string,
  body: string,
  extra: { parentId?: string; quote?: { postId: string; text: string } } = {},
) => ({
  threadId,
  body,
  parentId: extra.parentId ?? null,
  quote: extra.quote ?? null,
});

for (const backend of BACKENDS) {
  describe(`storage: ${backend.name}`, { skip: backend.skip }, () => {
    let s: Storage;
    let tokens: Record<string, string>;
    /** Seeds the standard data; most tests start here. */
    const seeded = async () => {
      tokens = await s.replaceAll(seed(), new Map([['c-ana', 'scrypt$hash-of-ana']]), 30);
    };

    before(() => backend.setup());
    after(() => backend.teardown());
    beforeEach(async () => {
      s = await backend.fresh();
    });
    afterEach(() => s.close());

    describe('threads', () => {
      it('starts empty: no threads, head event 0', async () => {
        assert.equal(await s.hasThreads(), false);
        assert.equal(await s.headEventId(), 0);
        assert.equal(await s.getThread('nope'), undefined);
      });

      it('creates a thread once and returns the existing one unchanged', async () => {
        const thread = await s.createThread('t-1', 'First', 'https://example.com/1');
        assert.deepEqual(thread, {
          id: 't-1',
          title: 'First',
          url: 'https://example.com/1',
          locked: false,
        });
        assert.deepEqual(await s.createThread('t-1', 'Other title', null), thread);
        assert.deepEqual(await s.createThread('t-2', '', null), {
          id: 't-2',
          title: '',
          locked: false,
        });
        assert.equal(await s.hasThreads(), true);
        assert.equal(await s.headEventId(), 0, 'creating a thread is not an event');
      });

      it("gives a thread created for a page keyed by its URL comments mode, and keeps a seed's", async () => {
        const url = 'https://example.com/articles/why-tests';
        assert.deepEqual(await s.createThread(url, 'Why tests', url), {
          id: url,
          title: 'Why tests',
          url,
          locked: false,
          mode: 'comments',
        });
        assert.deepEqual(await s.getThread(url), await s.requireThread(url));
        assert.equal((await s.createThread('t-3', 'Keyed otherwise', url)).mode, undefined);
        await s.replaceAll(
          {
            threads: [
              { id: 'article', title: 'An article', mode: 'comments' },
              { id: 'topic', title: 'A topic', mode: 'discussion' },
              { id: 'plain', title: 'No mode' },
            ],
            posts: [],
            users: [],
          },
          new Map(),
          30,
        );
        assert.equal((await s.requireThread('article')).mode, 'comments');
        assert.equal((await s.requireThread('topic')).mode, 'discussion');
        assert.equal('mode' in (await s.requireThread('plain')), false);
      });

      it('requireThread rejects an unknown thread with not-found', async () => {
        await rejectsWith(s.requireThread('missing'), 'not-found');
      });

      it('locks and unlocks with one thread-updated event per change', async () => {
        await seeded();
        const { events } = await collect(s);
        const locked = await s.setLocked(SIDE, true);
        assert.equal(locked.locked, true);
        assert.deepEqual(await s.setLocked(SIDE, true), locked, 'no change, no event');
        assert.equal((await s.setLocked(SIDE, false)).locked, false);
        await until(() => events.length >= 2, 3000, 'two events');
        assert.deepEqual(
          events.map((e) => [e.threadId, e.type]),
          [
            [SIDE, 'thread-updated'],
            [SIDE, 'thread-updated'],
          ],
        );
        assert.deepEqual(JSON.parse(events[0].data), { type: 'thread-updated', thread: locked });
        await rejectsWith(s.setLocked('missing', true), 'not-found');
      });
    });

    describe('reading posts', () => {
      beforeEach(seeded);

      it('orders by instant, not by the written offset, ties by id', async () => {
        const page = await s.listPosts(MAIN, { cursor: null, limit: 50, backward: false });
        assert.deepEqual(ids(page.posts), MAIN_ORDER);
        assert.equal(page.total, 8);
        assert.equal(page.offset, 0);
        assert.equal(page.nextCursor, null);
        assert.equal(page.prevCursor, null);
        assert.equal(page.posts[1].createdAt, '2021-03-01T10:05:00.000Z');
      });

      it('breaks ties on time by id compared as bytes', async () => {
        const page = await s.listPosts(BYTES, { cursor: null, limit: 50, backward: false });
        assert.deepEqual(ids(page.posts), BYTES_ORDER);
        const around = await s.listAround(BYTES, 'b-_', 1, 1);
        assert.deepEqual(ids(around.posts), ['b-B', 'b-_', 'b-a']);
        assert.equal(around.offset, 2);
      });

      it('pages forward with cursors, with offsets and totals', async () => {
        const seen: string[] = [];
        const offsets: number[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 10; pages++) {
          const page = await s.listPosts(MAIN, { cursor, limit: 3, backward: false });
          assert.equal(page.total, 8);
          offsets.push(page.offset!);
          seen.push(...ids(page.posts));
          if (seen.length > 3) assert.notEqual(page.prevCursor, null);
          cursor = page.nextCursor;
          if (cursor === null) break;
        }
        assert.deepEqual(seen, MAIN_ORDER);
        assert.deepEqual(offsets, [0, 3, 6]);
      });

      it('pages backward from the end with prevCursor', async () => {
        const last = await s.listPosts(MAIN, { cursor: null, limit: 3, backward: true });
        assert.deepEqual(ids(last.posts), ['m5b', 'm6', 'm7']);
        assert.equal(last.offset, 5);
        assert.equal(last.nextCursor, null);
        assert.notEqual(last.prevCursor, null);
        const middle = await s.listPosts(MAIN, {
          cursor: last.prevCursor!,
          limit: 3,
          backward: false,
        });
        assert.deepEqual(ids(middle.posts), ['m3', 'm4', 'm5a']);
        assert.equal(middle.offset, 2);
        const first = await s.listPosts(MAIN, {
          cursor: middle.prevCursor!,
          limit: 3,
          backward: false,
        });
        assert.deepEqual(ids(first.posts), ['m1', 'm2']);
        assert.equal(first.offset, 0);
        assert.equal(first.prevCursor, null);
        assert.notEqual(first.nextCursor, null);
        const forward = await s.listPosts(MAIN, {
          cursor: first.nextCursor!,
          limit: 100,
          backward: false,
        });
        assert.deepEqual(ids(forward.posts), MAIN_ORDER.slice(2));
      });

      it('lists an empty thread as one empty page', async () => {
        for (const backward of [false, true]) {
          assert.deepEqual(await s.listPosts(EMPTY, { cursor: null, limit: 10, backward }), {
            posts: [],
            nextCursor: null,
            prevCursor: null,
            total: 0,
            offset: 0,
          });
        }
      });

      it('rejects cursors from another thread, forged or garbled, and unknown threads', async () => {
        const side = await s.listPosts(SIDE, { cursor: null, limit: 1, backward: false });
        await rejectsWith(
          s.listPosts(MAIN, { cursor: side.nextCursor!, limit: 3, backward: false }),
          'invalid',
          'cursor',
        );
        await rejectsWith(
          s.listPosts(MAIN, { cursor: 'not a cursor!', limit: 3, backward: false }),
          'invalid',
          'cursor',
        );
        const forged = Buffer.from(JSON.stringify(['a', 'no-such-post'])).toString('base64url');
        await rejectsWith(
          s.listPosts(MAIN, { cursor: forged, limit: 3, backward: false }),
          'invalid',
          'cursor',
        );
        await rejectsWith(
          s.listPosts(MAIN, {
            cursor: Buffer.from('["x","m1"]').toString('base64url'),
            limit: 3,
            backward: false,
          }),
          'invalid',
          'cursor',
        );
        await rejectsWith(
          s.listPosts('missing', { cursor: null, limit: 3, backward: false }),
          'not-found',
        );
      });

      it('lists around a post, with fewer posts near the ends', async () => {
        const around = await s.listAround(MAIN, 'm4', 2, 2);
        assert.deepEqual(ids(around.posts), ['m2', 'm3', 'm4', 'm5a', 'm5b']);
        assert.equal(around.offset, 1);
        assert.equal(around.total, 8);
        assert.notEqual(around.prevCursor, null);
        assert.notEqual(around.nextCursor, null);
        const start = await s.listAround(MAIN, 'm1', 5, 1);
        assert.deepEqual(ids(start.posts), ['m1', 'm2']);
        assert.equal(start.offset, 0);
        assert.equal(start.prevCursor, null);
        const end = await s.listAround(MAIN, 'm7', 1, 5);
        assert.deepEqual(ids(end.posts), ['m6', 'm7']);
        assert.equal(end.nextCursor, null);
        const alone = await s.listAround(MAIN, 'm5b', 0, 0);
        assert.deepEqual(ids(alone.posts), ['m5b']);
        assert.equal(alone.offset, 5);
        const before = await s.listPosts(MAIN, {
          cursor: around.prevCursor!,
          limit: 10,
          backward: false,
        });
        assert.deepEqual(ids(before.posts), ['m1']);
      });

      it('rejects around a post of another thread, or of none', async () => {
        await rejectsWith(s.listAround(MAIN, 's1', 1, 1), 'not-found');
        await rejectsWith(s.listAround(MAIN, 'nope', 1, 1), 'not-found');
        await rejectsWith(s.listAround('missing', 'm1', 1, 1), 'not-found');
      });

      it('reads a post as the protocol shapes it, tombstones included', async () => {
        assert.deepEqual(await s.getPost('m5b'), {
          id: 'm5b',
          threadId: MAIN,
          author: ana,
          body: 'Ana quotes the opening.',
          createdAt: '2021-03-01T10:20:00.000Z',
          deleted: false,
          parentId: null,
          quote: { postId: 'm1', text: 'The opening post' },
        });
        assert.deepEqual(await s.getPost('m4'), {
          id: 'm4',
          threadId: MAIN,
          author: ben,
          body: '',
          createdAt: '2021-03-01T10:15:00.000Z',
          editedAt: '2021-03-01T10:16:00.000Z',
          deleted: true,
          parentId: null,
          quote: null,
        });
        assert.equal((await s.requirePost('m5a')).parentId, 'm4');
        assert.equal(await s.getPost('nope'), undefined);
        await rejectsWith(s.requirePost('nope'), 'not-found');
      });

      it('counts posts that are not deleted; unknown threads count 0', async () => {
        assert.deepEqual(await s.counts([MAIN, SIDE, LOCKED, EMPTY, 'missing']), {
          [MAIN]: 7,
          [SIDE]: 2,
          [LOCKED]: 1,
          [EMPTY]: 0,
          missing: 0,
        });
        assert.deepEqual(await s.counts([]), {});
      });
    });

    describe('writing posts', () => {
      beforeEach(seeded);

      it('publishes a post at the end of the thread with a post-created event', async () => {
        const { events } = await collect(s);
        const { post, created } = await s.createPost(ana, input(MAIN, 'Hello'), null);
        assert.equal(created, true);
        assert.equal(post.threadId, MAIN);
        assert.deepEqual(post.author, ana);
        assert.equal(post.body, 'Hello');
        assert.equal(post.deleted, false);
        assert.equal(post.parentId, null);
        assert.equal(post.quote, null);
        assert.equal(post.editedAt, undefined);
        assert.ok(Math.abs(Date.parse(post.createdAt) - Date.now()) < 5000);
        assert.deepEqual(await s.getPost(post.id), post);
        const last = await s.listPosts(MAIN, { cursor: null, limit: 1, backward: true });
        assert.deepEqual(ids(last.posts), [post.id]);
        assert.equal(last.total, 9);
        await until(() => events.length === 1, 3000, 'post-created');
        assert.equal(events[0].type, 'post-created');
        assert.equal(events[0].threadId, MAIN);
        assert.deepEqual(JSON.parse(events[0].data), { type: 'post-created', post });
        assert.equal(await s.headEventId(), events[0].id);
      });

      it('keeps creation order for posts written in the same millisecond', async () => {
        const written: string[] = [];
        for (let i = 0; i < 30; i++)
          written.push((await s.createPost(ben, input(EMPTY, `n${i}`), null)).post.id);
        const page = await s.listPosts(EMPTY, { cursor: null, limit: 100, backward: false });
        assert.deepEqual(ids(page.posts), written);
      });

      it('replies and quotes within the thread only', async () => {
        const reply = await s.createPost(
          cy,
          input(MAIN, 'A reply', { parentId: 'm2', quote: { postId: 'm1', text: 'opening' } }),
          null,
        );
        assert.equal(reply.post.parentId, 'm2');
        assert.deepEqual(reply.post.quote, { postId: 'm1', text: 'opening' });
        await rejectsWith(
          s.createPost(cy, input(MAIN, 'x', { parentId: 's1' }), null),
          'invalid',
          'parentId',
        );
        await rejectsWith(
          s.createPost(cy, input(MAIN, 'x', { parentId: 'nope' }), null),
          'invalid',
          'parentId',
        );
        await rejectsWith(
          s.createPost(cy, input(MAIN, 'x', { quote: { postId: 's1', text: 't' } }), null),
          'invalid',
          'quote.postId',
        );
      });

      it('refuses posts to a locked or unknown thread, and writes nothing', async () => {
        const { events } = await collect(s);
        await rejectsWith(s.createPost(ana, input(LOCKED, 'x'), null), 'locked');
        await rejectsWith(s.createPost(ana, input('missing', 'x'), null), 'not-found');
        assert.deepEqual(await s.counts([LOCKED]), { [LOCKED]: 1 });
        assert.equal(await s.headEventId(), 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(events, []);
      });

      it('edits the author’s own post, stamping editedAt after createdAt', async () => {
        const { post } = await s.createPost(ana, input(SIDE, 'Draft'), null);
        const { events } = await collect(s);
        const edited = await s.updatePost(ana, post.id, 'Final');
        assert.equal(edited.body, 'Final');
        assert.ok(edited.editedAt && Date.parse(edited.editedAt) > Date.parse(edited.createdAt));
        assert.equal(edited.createdAt, post.createdAt);
        assert.deepEqual(await s.getPost(post.id), edited);
        await until(() => events.length === 1, 3000, 'post-updated');
        assert.deepEqual(JSON.parse(events[0].data), { type: 'post-updated', post: edited });
        await rejectsWith(s.updatePost(ben, post.id, 'Hijack'), 'forbidden');
        await rejectsWith(s.updatePost(ben, 'm4', 'Revive'), 'gone');
        await rejectsWith(s.updatePost(ana, 'nope', 'x'), 'not-found');
      });

      it('deletes into a tombstone that keeps its place, once', async () => {
        const { events } = await collect(s);
        const tombstone = await s.deletePost(ana, false, 'm5b');
        assert.equal(tombstone.deleted, true);
        assert.equal(tombstone.body, '');
        assert.equal(tombstone.quote, null);
        assert.ok(tombstone.editedAt);
        assert.deepEqual(
          await s.deletePost(ana, false, 'm5b'),
          tombstone,
          'deleting twice changes nothing',
        );
        const page = await s.listPosts(MAIN, { cursor: null, limit: 50, backward: false });
        assert.deepEqual(ids(page.posts), MAIN_ORDER);
        assert.equal(page.total, 8);
        assert.deepEqual(await s.counts([MAIN]), { [MAIN]: 6 });
        await until(() => events.length >= 1, 3000, 'post-deleted');
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(
          events.map((e) => e.type),
          ['post-deleted'],
        );
        assert.deepEqual(JSON.parse(events[0].data), { type: 'post-deleted', post: tombstone });
      });

      it('refuses edits in a locked thread, but still lets posts be deleted there', async () => {
        const { post } = await s.createPost(ana, input(SIDE, 'Before the lock'), null);
        await s.setLocked(SIDE, true);
        await rejectsWith(s.updatePost(ana, post.id, 'After'), 'locked');
        assert.equal((await s.requirePost(post.id)).body, 'Before the lock');
        assert.equal((await s.deletePost(ana, false, post.id)).deleted, true);
        assert.equal((await s.deletePost(mod, true, 'l1')).deleted, true);
      });

      it('lets only the author or a moderator delete', async () => {
        await rejectsWith(s.deletePost(ben, false, 'm7'), 'forbidden');
        assert.equal((await s.deletePost(mod, true, 'm7')).deleted, true);
        await rejectsWith(s.deletePost(mod, true, 'nope'), 'not-found');
      });
    });

    describe('idempotency keys', () => {
      beforeEach(seeded);

      it('returns the first post for a retry of the same request, with no second event', async () => {
        const { events } = await collect(s);
        const key = { key: 'k-1', hash: 'h-1' };
        const first = await s.createPost(ana, input(SIDE, 'Once'), key);
        const retry = await s.createPost(ana, input(SIDE, 'Once'), key);
        assert.equal(first.created, true);
        assert.equal(retry.created, false);
        assert.deepEqual(retry.post, first.post);
        assert.deepEqual(await s.counts([SIDE]), { [SIDE]: 3 });
        await until(() => events.length >= 1, 3000, 'post-created');
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(events.length, 1);
      });

      it('rejects a key reused for a different request with conflict', async () => {
        await s.createPost(ana, input(SIDE, 'Once'), { key: 'k-1', hash: 'h-1' });
        await rejectsWith(
          s.createPost(ana, input(SIDE, 'Other'), { key: 'k-1', hash: 'h-2' }),
          'conflict',
        );
      });

      it('scopes keys to their user', async () => {
        const a = await s.createPost(ana, input(SIDE, 'Same'), { key: 'k', hash: 'h' });
        const b = await s.createPost(ben, input(SIDE, 'Same'), { key: 'k', hash: 'h' });
        assert.equal(b.created, true);
        assert.notEqual(a.post.id, b.post.id);
        assert.equal(await s.hasIdempotencyKey('c-ana', 'k'), true);
        assert.equal(await s.hasIdempotencyKey('c-cy', 'k'), false);
      });

      it('forgets keys after 24 hours (prune) and then publishes anew', async () => {
        const first = await s.createPost(ana, input(SIDE, 'Once'), { key: 'k', hash: 'h' });
        await s.prune(365, Date.now() + IDEMPOTENCY_MS + 1000);
        assert.equal(await s.hasIdempotencyKey('c-ana', 'k'), false);
        const again = await s.createPost(ana, input(SIDE, 'Once'), { key: 'k', hash: 'h2' });
        assert.equal(again.created, true);
        assert.notEqual(again.post.id, first.post.id);
        assert.equal(await s.hasIdempotencyKey('c-ana', 'k'), true);
        assert.equal(
          (await s.createPost(ana, input(SIDE, 'Once'), { key: 'k', hash: 'h2' })).created,
          false,
        );
      });

      it('does not record a key when the write fails', async () => {
        await rejectsWith(s.createPost(ana, input(LOCKED, 'x'), { key: 'k', hash: 'h' }), 'locked');
        assert.equal(await s.hasIdempotencyKey('c-ana', 'k'), false);
      });
    });

    describe('users', () => {
      beforeEach(seeded);

      it('creates accounts, found by handle in any case', async () => {
        const author = await s.createAccount('Dee', 'DeeDee', 'scrypt$dee');
        assert.equal(author.name, 'Dee');
        assert.equal(author.handle, 'DeeDee');
        assert.match(author.id, /^u-/);
        const found = await s.findAccount('deedee');
        assert.deepEqual(found, { author, kind: 'account', passwordHash: 'scrypt$dee' });
        assert.deepEqual(await s.getUser(author.id), found);
        assert.equal(await s.findAccount('nobody'), undefined);
      });

      it('refuses a handle held by an account, a seeded or an SSO user, not by a guest', async () => {
        await s.createAccount('Dee', 'dee', 'x');
        await rejectsWith(s.createAccount('Other Dee', 'DEE', 'y'), 'conflict', 'handle');
        await rejectsWith(s.createAccount('Not Ben', 'Ben', 'y'), 'conflict', 'handle');
        await s.upsertSsoUser({ sub: '42', name: 'Sam', handle: 'sam' });
        await rejectsWith(s.createAccount('Not Sam', 'sam', 'y'), 'conflict', 'handle');
        const guest = await s.createGuest('Gus');
        assert.equal((await s.createAccount('Gus', 'gus', 'z')).handle, 'gus');
        assert.deepEqual(await s.getUser(guest.id), {
          author: { id: guest.id, name: 'Gus', guest: true },
          kind: 'guest',
          passwordHash: null,
        });
      });

      it('refuses handles that look like a taken one (case, 0/o, 1/l, rn/m, cl/d)', async () => {
        await s.createAccount('D', 'dqualls', 'x');
        for (const lookalike of ['DQualls', 'dqua11s', 'clqualls', 'dqual1s'])
          await rejectsWith(s.createAccount('Other', lookalike, 'y'), 'conflict', 'handle');
        await s.createAccount('Mary', 'mary', 'x');
        await rejectsWith(s.createAccount('Other', 'rnary', 'y'), 'conflict', 'handle');
        await s.createAccount('Ro', 'room', 'x');
        await rejectsWith(s.createAccount('Other', 'r00m', 'y'), 'conflict', 'handle');
        assert.equal((await s.createAccount('Rom', 'roam', 'z')).handle, 'roam');
      });

      it('finds only accounts by handle (not seeded users, SSO users or guests)', async () => {
        assert.equal(
          (await s.findAccount('ANA'))?.author.id,
          'c-ana',
          'a seeded user with a password is an account',
        );
        assert.equal(await s.findAccount('ben'), undefined);
        await s.upsertSsoUser({ sub: '7', name: 'Sam', handle: 'sam' });
        assert.equal(await s.findAccount('sam'), undefined);
      });

      it('creates guests with ids of their own', async () => {
        const a = await s.createGuest('Gus');
        const b = await s.createGuest('Gus');
        assert.match(a.id, /^guest-/);
        assert.notEqual(a.id, b.id);
        assert.deepEqual(a, { id: a.id, name: 'Gus', guest: true });
        const { post } = await s.createPost(a, input(SIDE, 'as a guest'), null);
        assert.deepEqual(
          post.author,
          { id: a.id, name: 'Gus', guest: true },
          'posts mark their guest authors',
        );
      });

      it('records SSO users as sso:<sub> and refreshes their profile', async () => {
        const first = await s.upsertSsoUser({
          sub: 'abc',
          name: 'Sam',
          handle: 'sam',
          avatarUrl: 'https://example.com/a.png',
        });
        assert.deepEqual(first, {
          id: 'sso:abc',
          name: 'Sam',
          handle: 'sam',
          avatarUrl: 'https://example.com/a.png',
        });
        assert.deepEqual(
          await s.upsertSsoUser({
            sub: 'abc',
            name: 'Sam',
            handle: 'sam',
            avatarUrl: 'https://example.com/a.png',
          }),
          first,
        );
        const renamed = await s.upsertSsoUser({ sub: 'abc', name: 'Samantha' });
        assert.deepEqual(renamed, { id: 'sso:abc', name: 'Samantha' });
        assert.deepEqual(await s.getUser('sso:abc'), {
          author: renamed,
          kind: 'sso',
          passwordHash: null,
        });
      });

      it('drops an SSO handle that someone else has, or one like it, and keeps its own', async () => {
        assert.deepEqual(await s.upsertSsoUser({ sub: '1', name: 'Not Ben', handle: 'BEN' }), {
          id: 'sso:1',
          name: 'Not Ben',
        });
        await s.createAccount('Dee', 'dee', 'x');
        assert.deepEqual(await s.upsertSsoUser({ sub: '2', name: 'Dee Too', handle: 'clee' }), {
          id: 'sso:2',
          name: 'Dee Too',
        });
        assert.deepEqual(await s.upsertSsoUser({ sub: '3', name: 'Sam', handle: 'sam' }), {
          id: 'sso:3',
          name: 'Sam',
          handle: 'sam',
        });
        assert.deepEqual(
          await s.upsertSsoUser({ sub: '3', name: 'Sam', handle: 'Sam' }),
          { id: 'sso:3', name: 'Sam', handle: 'Sam' },
          'its own handle in another case',
        );
        assert.deepEqual(await s.upsertSsoUser({ sub: '4', name: 'Sam 2', handle: 'sarn' }), {
          id: 'sso:4',
          name: 'Sam 2',
        });
        await rejectsWith(s.createAccount('Sam', 'SAM', 'y'), 'conflict', 'handle');
      });

      it('disables accounts: no password, no sessions, posts and handles kept', async () => {
        const dee = await s.createAccount('Dee', 'dee', 'x');
        const token = await s.createSession(dee.id, 30);
        await s.createPost(dee, input(SIDE, 'mine'), null);
        const guest = await s.createGuest('Gus');
        assert.deepEqual(await s.disableAccounts([dee.id, 'c-ben', guest.id, 'nobody']), ['dee']);
        assert.deepEqual(await s.getUser(dee.id), {
          author: dee,
          kind: 'seed',
          passwordHash: null,
        });
        assert.equal(await s.sessionUser(token, 30), undefined);
        assert.equal(await s.findAccount('dee'), undefined);
        await rejectsWith(s.createAccount('Dee again', 'dee', 'y'), 'conflict', 'handle');
        assert.equal(
          (await s.listPosts(SIDE, { cursor: null, limit: 10, backward: true })).posts.at(-1)
            ?.author.id,
          dee.id,
        );
        assert.deepEqual(await s.disableAccounts([dee.id]), [], 'once');
        assert.equal((await s.getUser('c-ana'))?.kind, 'account');
      });
    });

    describe('sessions', () => {
      beforeEach(seeded);

      it('signs in with a token until it expires', async () => {
        const user = await s.createAccount('Dee', 'dee', 'x');
        const token = await s.createSession(user.id, 30);
        assert.match(token, /^[A-Za-z0-9_-]{43}$/);
        assert.deepEqual((await s.sessionUser(token, 30))?.author, user);
        assert.equal(await s.sessionUser(token, 30, Date.now() + 31 * DAY), undefined);
        assert.equal(await s.sessionUser('not-a-token', 30), undefined);
      });

      it('slides a session used in the second half of its life', async () => {
        const token = await s.createSession('c-ben', 10);
        const now = Date.now();
        // 4 days in: more than half left, not renewed; it still ends on day 10.
        assert.ok(await s.sessionUser(token, 10, now + 4 * DAY));
        assert.equal(await s.sessionUser(token, 10, now + 10 * DAY + 1000), undefined);
        const other = await s.createSession('c-ben', 10);
        // 6 days in: renewed to day 16.
        assert.ok(await s.sessionUser(other, 10, now + 6 * DAY));
        assert.ok(await s.sessionUser(other, 10, now + 15 * DAY));
        assert.equal(await s.sessionUser(other, 10, now + 26 * DAY), undefined);
      });

      it('ends a session on sign-out, and prunes expired ones', async () => {
        const token = await s.createSession('c-ben', 1);
        const kept = await s.createSession('c-ben', 30);
        await s.deleteSession(token);
        assert.equal(await s.sessionUser(token, 1), undefined);
        await s.deleteSession('unknown');
        const short = await s.createSession('c-cy', 1);
        await s.prune(365, Date.now() + 2 * DAY);
        assert.equal(
          await s.sessionUser(short, 1),
          undefined,
          'pruned even when asked with the current time',
        );
        assert.ok(await s.sessionUser(kept, 30));
      });
    });

    describe('events', () => {
      beforeEach(seeded);

      /** Writes one event of each kind across two threads; returns the events in order. */
      const writeSome = async () => {
        const { post } = await s.createPost(ana, input(MAIN, 'one'), null);
        await s.createPost(ben, input(SIDE, 'side'), null);
        await s.updatePost(ana, post.id, 'one, edited');
        await s.setLocked(MAIN, true);
        await s.deletePost(mod, true, post.id);
        return post;
      };

      it('replays a thread’s events after an id, in order', async () => {
        await writeSome();
        const main = await s.eventsAfter(MAIN, 0);
        assert.deepEqual(
          main.map((e) => e.type),
          ['post-created', 'post-updated', 'thread-updated', 'post-deleted'],
        );
        assert.ok(main.every((e) => e.threadId === MAIN));
        assert.deepEqual(
          main.map((e) => e.id),
          [...main.map((e) => e.id)].sort((a, b) => a - b),
        );
        assert.equal(typeof main[0].id, 'number');
        assert.deepEqual(await s.eventsAfter(MAIN, main[1].id), main.slice(2));
        assert.deepEqual(await s.eventsAfter(MAIN, main[3].id), []);
        const side = await s.eventsAfter(SIDE, 0);
        assert.deepEqual(
          side.map((e) => e.type),
          ['post-created'],
        );
        assert.equal(await s.headEventId(), main[3].id);
        assert.deepEqual(
          (await s.eventsAfter(MAIN, 0)).map((e) => JSON.parse(e.data).type),
          main.map((e) => e.type),
        );
      });

      it('numbers events 1, 2, 3… across threads', async () => {
        await writeSome();
        const all = [...(await s.eventsAfter(MAIN, 0)), ...(await s.eventsAfter(SIDE, 0))]
          .map((e) => e.id)
          .sort((a, b) => a - b);
        assert.deepEqual(all, [1, 2, 3, 4, 5]);
      });

      it('tells every listener of every committed event once, in order, until it unsubscribes', async () => {
        const a = await collect(s);
        const b = await collect(s);
        await writeSome();
        await until(() => a.events.length === 5 && b.events.length === 5, 3000, 'five events each');
        assert.deepEqual(a.events, b.events);
        assert.deepEqual(
          a.events.map((e) => e.id),
          [1, 2, 3, 4, 5],
        );
        assert.deepEqual(
          a.events.map((e) => [e.threadId, e.type]),
          [
            [MAIN, 'post-created'],
            [SIDE, 'post-created'],
            [MAIN, 'post-updated'],
            [MAIN, 'thread-updated'],
            [MAIN, 'post-deleted'],
          ],
        );
        assert.deepEqual(
          a.events.filter((e) => e.threadId === MAIN),
          await s.eventsAfter(MAIN, 0),
        );
        a.stop();
        await s.setLocked(MAIN, false);
        await until(() => b.events.length === 6, 3000, 'the sixth event');
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(a.events.length, 5);
      });

      it('keeps telling the others when a listener throws', async () => {
        await s.onEvent(() => {
          throw new Error('a broken listener');
        });
        const ok = await collect(s);
        const { post } = await s.createPost(ana, input(MAIN, 'still'), null);
        await until(() => ok.events.length === 1, 3000, 'the event');
        assert.equal(JSON.parse(ok.events[0].data).post.id, post.id);
      });

      it('prunes old events; ids keep counting from the head', async () => {
        await writeSome();
        const head = await s.headEventId();
        await s.prune(1, Date.now() + 2 * DAY);
        assert.deepEqual(await s.eventsAfter(MAIN, 0), []);
        assert.equal(await s.headEventId(), head);
        await s.setLocked(MAIN, false);
        assert.deepEqual(
          (await s.eventsAfter(MAIN, 0)).map((e) => e.id),
          [head + 1],
        );
        await s.prune(1);
        assert.equal((await s.eventsAfter(MAIN, 0)).length, 1, 'recent events stay');
      });
    });

    describe('seeding (replaceAll)', () => {
      it('replaces all data and returns a working session per user', async () => {
        await s.createThread('old', 'Old thread', null);
        const old = await s.createAccount('Old', 'old', 'x');
        const oldToken = await s.createSession(old.id, 30);
        await seeded();
        assert.equal(await s.getThread('old'), undefined);
        assert.equal(await s.getUser(old.id), undefined);
        assert.equal(await s.sessionUser(oldToken, 30), undefined);
        assert.deepEqual(Object.keys(tokens).sort(), ['c-ana', 'c-ben', 'c-cy', 'mod']);
        assert.deepEqual((await s.sessionUser(tokens.mod, 30))?.author, mod);
        assert.deepEqual(await s.getThread(MAIN), {
          id: MAIN,
          title: 'Contract main',
          url: 'https://example.com/main',
          locked: false,
        } satisfies Thread);
        assert.equal((await s.getThread(LOCKED))?.locked, true);
        assert.deepEqual(await s.counts([MAIN, SIDE, LOCKED, EMPTY, BYTES]), {
          [MAIN]: 7,
          [SIDE]: 2,
          [LOCKED]: 1,
          [EMPTY]: 0,
          [BYTES]: 6,
        });
      });

      it('makes users with a password hash accounts, guests guests, the others seed users', async () => {
        await seeded();
        assert.deepEqual(await s.getUser('c-ana'), {
          author: ana,
          kind: 'account',
          passwordHash: 'scrypt$hash-of-ana',
        });
        assert.deepEqual(await s.getUser('c-ben'), {
          author: ben,
          kind: 'seed',
          passwordHash: null,
        });
        const gus: Author = { id: 'g-1', name: 'Gus', guest: true };
        await s.replaceAll(
          {
            threads: [{ id: 't', title: 'T' }],
            posts: [
              {
                id: 'p',
                threadId: 't',
                author: gus,
                createdAt: '2021-01-01T00:00:00.000Z',
                body: 'hi',
              },
            ],
            users: [],
          },
          new Map(),
          30,
        );
        assert.deepEqual(await s.getUser('g-1'), {
          author: gus,
          kind: 'guest',
          passwordHash: null,
        });
        assert.deepEqual((await s.requirePost('p')).author, gus);
      });

      it('keys seeded handles, so a look-alike cannot register later', async () => {
        await seeded();
        await rejectsWith(s.createAccount('Not Cy', 'CY', 'x'), 'conflict', 'handle');
        await rejectsWith(s.createAccount('Not Mo', 'rno', 'x'), 'conflict', 'handle');
      });

      it('records post authors missing from users, and turns deleted posts into tombstones', async () => {
        const stranger: Author = {
          id: 'x-1',
          name: 'Stranger',
          avatarUrl: 'https://example.com/x.png',
        };
        await s.replaceAll(
          {
            threads: [{ id: 't', title: 'T' }],
            posts: [
              {
                id: 'p1',
                threadId: 't',
                author: stranger,
                createdAt: '2021-01-01T00:00:00.000Z',
                body: 'Hi',
              },
              {
                id: 'p2',
                threadId: 't',
                author: stranger,
                createdAt: '2021-01-01T00:01:00.000Z',
                body: 'secret',
                deleted: true,
                quote: { postId: 'p1', text: 'Hi' },
              },
            ],
          },
          new Map(),
          30,
        );
        assert.deepEqual(await s.getUser('x-1'), {
          author: stranger,
          kind: 'seed',
          passwordHash: null,
        });
        const tombstone = await s.requirePost('p2');
        assert.equal(tombstone.body, '');
        assert.equal(tombstone.quote, null);
        assert.equal(tombstone.deleted, true);
      });

      it('keeps event ids increasing across a reseed', async () => {
        await seeded();
        await s.setLocked(MAIN, true);
        const head = await s.headEventId();
        assert.ok(head > 0);
        await seeded();
        assert.deepEqual(await s.eventsAfter(MAIN, 0), []);
        assert.equal(await s.headEventId(), head);
        await s.setLocked(MAIN, true);
        assert.deepEqual(
          (await s.eventsAfter(MAIN, 0)).map((e) => e.id),
          [head + 1],
        );
      });
    });
  });
}
