/**
 * More than one machine: two server processes on one PostgreSQL database. Writers spread over
 * both instances, listeners spread over both, and every listener hears every post exactly once,
 * in one order (event ids increasing). Then `kill -9` of one instance in the middle of a burst:
 * its writers retry with the same Idempotency-Key against the other instance, and no acknowledged
 * post is lost, none made twice. Bounded: 20 writers, 50 listeners, 2 × 200 posts, 127.0.0.1 only.
 * Skipped with a message without PostgreSQL binaries (a failure with PARLEY_REQUIRE_POSTGRES=1).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { PostgresLimits } from '../storage/postgres-limits.js';
import { PostgresStorage } from '../storage/postgres.js';
import {
  call,
  listAll,
  openEvents,
  postgresDatabase,
  postgresMissing,
  spawnServer,
  startServer,
  type ChildServer,
  type EventReader,
} from './helpers.js';

const THREAD = 'two-instances';
const WRITERS = 20;
const LISTENERS = 50;
const POSTS_PER_WRITER = 10;
/** The burst in which instance A is killed: after this many acknowledged posts. */
const KILL_AFTER = 60;
const DEADLINE_MS = 20_000;

const missing = postgresMissing();

describe('two instances on one PostgreSQL database', { skip: missing }, () => {
  let a: ChildServer;
  let b: ChildServer;
  const readers: { reader: EventReader; on: 'A' | 'B' }[] = [];
  const tokens: string[] = [];
  /** Post ids as acknowledged (201, or 200 for a retry of a committed one), in both bursts. */
  const acknowledged: string[] = [];

  before(async () => {
    const database = await postgresDatabase();
    [a, b] = await Promise.all([
      spawnServer({ PARLEY_DATABASE_URL: database }),
      spawnServer({ PARLEY_DATABASE_URL: database }),
    ]);
    const created = await call(a.url, 'POST', '/v1/_seed', {
      body: { threads: [{ id: THREAD, title: 'Two' }], posts: [] },
    });
    assert.equal(created.status, 200, created.text);
    for (let i = 0; i < WRITERS; i++) {
      // Signed in on one instance, writing on either: sessions live in the shared database.
      const res = await call(i % 2 ? b.url : a.url, 'POST', '/v1/auth/guest', {
        body: { name: `Writer ${i}` },
      });
      assert.equal(res.status, 200, res.text);
      tokens.push(res.body.token);
    }
    for (let i = 0; i < LISTENERS; i++) {
      const on = i % 2 ? 'B' : 'A';
      const reader = await openEvents(on === 'A' ? a.url : b.url, THREAD);
      readers.push({ reader, on });
    }
    // Primed with the resume point: the stream is live.
    await Promise.all(readers.map(({ reader }) => reader.until((r) => r.ids.length >= 1)));
  });

  after(async () => {
    for (const { reader } of readers) reader.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  /** Post ids and event ids a listener heard, in order. */
  const heard = (reader: EventReader) =>
    reader.events
      .filter((e) => e.type === 'post-created')
      .map((e) => ({
        id: Number(e.id),
        post: (JSON.parse(e.data) as { post: { id: string } }).post.id,
      }));

  function checkExactlyOnceInOrder(
    reader: EventReader,
    expected: ReadonlySet<string>,
    label: string,
  ): void {
    const events = heard(reader);
    for (let i = 1; i < events.length; i++)
      assert.ok(
        events[i].id > events[i - 1].id,
        `${label}: event ids increase (${events[i - 1].id} then ${events[i].id})`,
      );
    const posts = events.map((e) => e.post);
    assert.equal(new Set(posts).size, posts.length, `${label}: no post twice`);
    assert.equal(posts.length, expected.size, `${label}: every post`);
    for (const id of posts) assert.ok(expected.has(id), `${label}: ${id} is a post that was made`);
  }

  it('delivers every post, written on either instance, to every listener on either, once and in order', async (t) => {
    const started = performance.now();
    await Promise.all(
      tokens.map(async (token, w) => {
        const base = w % 2 ? b.url : a.url;
        for (let j = 0; j < POSTS_PER_WRITER; j++) {
          const res = await call(base, 'POST', `/v1/threads/${THREAD}/posts`, {
            token,
            body: { body: `Writer ${w}, post ${j}` },
          });
          assert.equal(res.status, 201, res.text);
          acknowledged.push(res.body.id);
        }
      }),
    );
    const written = performance.now();
    const total = WRITERS * POSTS_PER_WRITER;
    await Promise.all(
      readers.map(({ reader }) => reader.until((r) => heard(r).length >= total, DEADLINE_MS)),
    );
    const delivered = performance.now();
    const expected = new Set(acknowledged);
    assert.equal(expected.size, total);
    readers.forEach(({ reader, on }, i) =>
      checkExactlyOnceInOrder(reader, expected, `listener ${i} on ${on}`),
    );
    // One order for everyone: the same sequence on both instances.
    const first = heard(readers[0].reader).map((e) => e.post);
    for (const { reader } of readers)
      assert.deepEqual(
        heard(reader).map((e) => e.post),
        first,
      );
    // ... and it is the reading order of the thread.
    const stored = (await listAll(b.url, THREAD)).map((p) => p.id);
    assert.deepEqual(stored, first, 'events arrive in the reading order');
    const events = readers.reduce((n, { reader }) => n + heard(reader).length, 0);
    t.diagnostic(
      `${total} posts by ${WRITERS} writers in ${Math.round(written - started)} ms; ${events} events to ${LISTENERS} listeners (${LISTENERS / 2} per instance), ` +
        `all heard ${Math.round(delivered - written)} ms after the last write; 0 duplicates, 0 out of order`,
    );
  });

  it('loses no acknowledged post when one instance is killed mid-burst, retrying on the other', async (t) => {
    const before = new Set(acknowledged);
    const burst: string[] = [];
    let killed = false;
    let retries = 0;
    let replayed = 0;
    const killedAt = { acked: 0 };
    const exited = once(a.child, 'exit');
    const post = (base: string, token: string, key: string, body: string) =>
      call(base, 'POST', `/v1/threads/${THREAD}/posts`, {
        token,
        body: { body },
        headers: { 'Idempotency-Key': key },
      });
    await Promise.all(
      tokens.map(async (token, w) => {
        for (let j = 0; j < POSTS_PER_WRITER; j++) {
          const key = `burst-${w}-${j}`;
          const body = `Burst: writer ${w}, post ${j}`;
          let base = w % 2 || killed ? b.url : a.url;
          for (let attempt = 1; ; attempt++) {
            let res;
            try {
              res = await post(base, token, key, body);
            } catch (error) {
              // Instance A is gone: the same request, same key, on B.
              assert.ok(killed && attempt < 5, `writer ${w} failed: ${(error as Error).message}`);
              retries++;
              base = b.url;
              continue;
            }
            assert.ok(res.status === 201 || res.status === 200, `${res.status} ${res.text}`);
            if (res.status === 200) replayed++;
            burst.push(res.body.id);
            acknowledged.push(res.body.id);
            if (!killed && burst.length >= KILL_AFTER) {
              killed = true;
              killedAt.acked = burst.length;
              a.child.kill('SIGKILL');
            }
            break;
          }
        }
      }),
    );
    await exited;
    const total = WRITERS * POSTS_PER_WRITER;
    assert.equal(burst.length, total, 'every submission acknowledged once');
    assert.equal(new Set(burst).size, total, 'no two submissions acknowledged as one post');
    const stored = await listAll(b.url, THREAD);
    const storedIds = new Set(stored.map((p) => p.id));
    const lost = acknowledged.filter((id) => !storedIds.has(id));
    assert.deepEqual(lost, [], 'no acknowledged post lost');
    assert.equal(stored.length, before.size + total, 'no post made twice');
    // The listeners on B heard both bursts, each post once, in order.
    const expected = new Set(acknowledged);
    await Promise.all(
      readers
        .filter((r) => r.on === 'B')
        .map(({ reader }) => reader.until((r) => heard(r).length >= expected.size, DEADLINE_MS)),
    );
    readers
      .filter((r) => r.on === 'B')
      .forEach(({ reader }, i) => checkExactlyOnceInOrder(reader, expected, `listener ${i} on B`));
    t.diagnostic(
      `killed A after ${killedAt.acked} of ${total} acknowledgements; ${retries} requests retried on B (${replayed} of them answered 200: committed on A before the kill); ` +
        `lost ${lost.length}, doubled ${stored.length - before.size - total}; ${LISTENERS / 2} listeners on B heard all ${expected.size} posts once, in order`,
    );
  });
});

describe('limits shared by two instances on one PostgreSQL database', { skip: missing }, () => {
  it("counts a user's writes and a handle's failed logins across both instances", async () => {
    const database = await postgresDatabase();
    const settings = {
      PARLEY_DATABASE_URL: database,
      PARLEY_RATE_USER: '3/60',
      PARLEY_RATE_ADDRESS: 'off',
    };
    const [a, b] = await Promise.all([startServer(settings), startServer(settings)]);
    try {
      const seeded = await call(a.url, 'POST', '/v1/_seed', {
        body: { threads: [{ id: THREAD, title: 'Two' }], posts: [] },
      });
      assert.equal(seeded.status, 200, seeded.text);
      const { body } = await call(a.url, 'POST', '/v1/auth/guest', { body: { name: 'Busy' } });
      const write = (base: string, i: number) =>
        call(base, 'POST', `/v1/threads/${THREAD}/posts`, {
          token: body.token,
          body: { body: `Write ${i}` },
        });
      const statuses = [];
      for (const [i, base] of [a.url, b.url, a.url, b.url, a.url].entries())
        statuses.push((await write(base, i)).status);
      assert.deepEqual(
        statuses,
        [201, 201, 201, 429, 429],
        'a burst of 3 in all, not 3 per instance',
      );

      await call(a.url, 'POST', '/v1/auth/register', {
        body: { name: 'Target', handle: 'target', password: 'the real one' },
      });
      const logins = [];
      for (let i = 0; i < 7; i++)
        logins.push(
          (
            await call(i % 2 ? b.url : a.url, 'POST', '/v1/auth/login', {
              body: { handle: 'target', password: `guess ${i}` },
            })
          ).status,
        );
      assert.deepEqual(
        logins,
        [401, 401, 401, 401, 401, 429, 429],
        'five failures in all lock the handle on both',
      );
      const right = await call(b.url, 'POST', '/v1/auth/login', {
        body: { handle: 'target', password: 'the real one' },
      });
      assert.equal(right.status, 429);
      assert.equal(right.headers.get('retry-after'), '30');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('PostgresLimits', { skip: missing }, () => {
  it('locks as LoginThrottle does: doubling with every further failure, up to 15 minutes, forgotten after a day', async () => {
    const storage = await PostgresStorage.open(await postgresDatabase(), { log: () => {} });
    try {
      const limits = new PostgresLimits(storage.pool, { capacity: 2, perSeconds: 10 }, null);
      let now = 1_000_000;
      for (let i = 0; i < 4; i++) await limits.loginFailed('h', now);
      assert.equal(await limits.loginWait('h', now), 0);
      await limits.loginFailed('h', now);
      assert.equal(await limits.loginWait('h', now), 30);
      assert.equal(await limits.loginWait('h', now + 29_001), 1);
      now += 30_000;
      assert.equal(await limits.loginWait('h', now), 0, 'the lock ends');
      await limits.loginFailed('h', now);
      assert.equal(await limits.loginWait('h', now), 60);
      for (let i = 0; i < 10; i++) {
        now += 3_600_000;
        await limits.loginFailed('h', now);
      }
      assert.equal(await limits.loginWait('h', now), 900, 'at most 15 minutes');
      await limits.loginSucceeded('h');
      assert.equal(await limits.loginWait('h', now), 0);
      for (let i = 0; i < 4; i++) await limits.loginFailed('h', now);
      now += 25 * 3_600_000;
      await limits.loginFailed('h', now);
      assert.equal(await limits.loginWait('h', now), 0, 'failures a day old are forgotten');

      // Buckets: 2 at once, refilled at 2 per 10 s; all of a write's buckets or none.
      const t = 5_000_000;
      assert.equal(await limits.take([['user', 'u']], t), 0);
      assert.equal(
        await limits.take(
          [
            ['user', 'u'],
            ['address', 'a'],
          ],
          t,
        ),
        0,
        'the address bucket is off',
      );
      assert.equal(await limits.take([['user', 'u']], t), 5, 'empty: wait for one token');
      assert.equal(await limits.take([['user', 'u']], t + 5_000), 0, 'refilled one in 5 s');
      assert.equal(await limits.take([['user', 'u']], t + 5_000), 5);
      await limits.clear();
      assert.equal(await limits.take([['user', 'u']], t + 5_000), 0, 'a seed empties them');
    } finally {
      await storage.close();
    }
  });
});
