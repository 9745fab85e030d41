/**
 * What only the PostgreSQL backend has to prove: migrations that run once however many instances
 * start, several instances on one database (LISTEN/NOTIFY fan-out, reconnection, handles and
 * idempotency keys contended across instances), and event ids in commit order under concurrency.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Author } from '../../../src/model/types.js';
import { StoreError } from '../errors.js';
import { openStorage } from '../open.js';
import { migratePostgres, PG_MIGRATIONS, PostgresStorage } from '../postgres.js';
import type { StoredEvent } from '../storage.js';
import { postgres } from './backends.js';

const ana: Author = { id: 'ana', name: 'Ana', handle: 'ana' };
const ben: Author = { id: 'ben', name: 'Ben', handle: 'ben' };
const quiet = { log: () => {} };

async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Two instances on one fresh database, seeded with one thread and two authors. */
async function pair(): Promise<{
  a: PostgresStorage;
  b: PostgresStorage;
  url: string;
  close: () => Promise<void>;
}> {
  const url = await postgres.database();
  const a = await PostgresStorage.open(url, quiet);
  const b = await PostgresStorage.open(url, quiet);
  await a.replaceAll(
    { threads: [{ id: 't', title: 'T' }], posts: [], users: [ana, ben] },
    new Map(),
    30,
  );
  return { a, b, url, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

const post = (body: string) => ({ threadId: 't', body, parentId: null, quote: null });

describe('postgres backend', { skip: postgres.skip }, () => {
  before(() => postgres.setup());
  after(() => postgres.teardown());

  describe('migrations', () => {
    it('applies each migration once, recorded in schema_migrations, idempotent on restart', async () => {
      const url = await postgres.emptyDatabase();
      const pool = new pg.Pool({ connectionString: url });
      try {
        assert.deepEqual(
          await migratePostgres(pool),
          PG_MIGRATIONS.map((m) => m.version),
        );
        assert.deepEqual(await migratePostgres(pool), []);
        const again = await PostgresStorage.open(url, quiet);
        await again.close();
        const { rows } = await pool.query(
          'SELECT version, name FROM schema_migrations ORDER BY version',
        );
        assert.deepEqual(
          rows,
          PG_MIGRATIONS.map(({ version, name }) => ({ version, name })),
        );
      } finally {
        await pool.end();
      }
    });

    it('migrates once when several instances start together', async () => {
      const url = await postgres.emptyDatabase();
      const storages = await Promise.all([1, 2, 3, 4].map(() => PostgresStorage.open(url, quiet)));
      const pool = new pg.Pool({ connectionString: url });
      try {
        const { rows } = await pool.query('SELECT count(*)::int AS n FROM schema_migrations');
        assert.equal(rows[0].n, PG_MIGRATIONS.length);
        assert.equal(await storages[3].hasThreads(), false);
      } finally {
        await pool.end();
        await Promise.all(storages.map((s) => s.close()));
      }
    });

    it('rolls a failing migration back and refuses a database newer than the server', async () => {
      const url = await postgres.emptyDatabase();
      const pool = new pg.Pool({ connectionString: url });
      try {
        const known = PG_MIGRATIONS.length;
        const broken = [
          ...PG_MIGRATIONS,
          {
            version: known + 1,
            name: 'broken',
            sql: 'CREATE TABLE half (x int); SELECT * FROM no_such_table;',
          },
        ];
        await assert.rejects(migratePostgres(pool, broken), /no_such_table/);
        const { rows } = await pool.query(
          "SELECT (SELECT max(version) FROM schema_migrations) AS v, to_regclass('half') AS half",
        );
        assert.deepEqual(rows[0], { v: known, half: null });
        await pool.query(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')",
        );
        await assert.rejects(
          PostgresStorage.open(url, quiet),
          new RegExp(`schema version 99, newer than this server knows \\(${known}\\)`),
        );
      } finally {
        await pool.end();
      }
    });

    it('keys handles stored without a key when it opens', async () => {
      const url = await postgres.database();
      const pool = new pg.Pool({ connectionString: url });
      try {
        await pool.query(
          "INSERT INTO users (id, name, handle, kind, created_ms) VALUES ('old', 'Old', 'DQua11s', 'seed', 0)",
        );
        const storage = await PostgresStorage.open(url, quiet);
        try {
          const { rows } = await pool.query("SELECT handle_key FROM users WHERE id = 'old'");
          assert.deepEqual(rows, [{ handle_key: 'dqualls' }]);
          await assert.rejects(
            storage.createAccount('New', 'dqualls', 'x'),
            (error: unknown) => error instanceof StoreError && error.kind === 'conflict',
          );
        } finally {
          await storage.close();
        }
      } finally {
        await pool.end();
      }
    });

    it('runs the suite on a database whose own collation does not sort ids as bytes', async (t) => {
      if (postgres.templateLocale === 'default')
        return t.skip(
          'this PostgreSQL has no ICU; the byte-order test ran on the default collation',
        );
      const pool = new pg.Pool({ connectionString: await postgres.database() });
      try {
        const { rows } = await pool.query(
          "SELECT array_agg(x ORDER BY x) AS sorted FROM unnest(ARRAY['b-a', 'b-B', 'b-_', 'b-10', 'b-9']) AS x",
        );
        assert.notDeepEqual(rows[0].sorted, ['b-10', 'b-9', 'b-B', 'b-_', 'b-a']);
      } finally {
        await pool.end();
      }
    });
  });

  describe('several instances', () => {
    it('delivers 200 events written through A to B within a second each, once, in order', async () => {
      const { a, b, close } = await pair();
      try {
        const received: { event: StoredEvent; at: number }[] = [];
        await b.onEvent((event) => received.push({ event, at: performance.now() }));
        /** When each write had committed, as A saw it. */
        const committed: number[] = [];
        const started = performance.now();
        for (let i = 0; i < 200; i++) {
          await a.createPost(i % 2 ? ana : ben, post(`event ${i}`), null);
          committed.push(performance.now());
        }
        await until(() => received.length >= 200, 2000, '200 events at B');
        await new Promise((resolve) => setTimeout(resolve, 100));
        const elapsed = performance.now() - started;
        assert.equal(received.length, 200, 'no event twice');
        assert.deepEqual(
          received.map((r) => r.event.id),
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
        assert.deepEqual(
          received.map((r) => JSON.parse(r.event.data).post.body),
          Array.from({ length: 200 }, (_, i) => `event ${i}`),
        );
        const lags = received.map((r, i) => r.at - committed[i]);
        const worst = Math.max(...lags);
        assert.ok(worst < 1000, `the slowest event took ${worst.toFixed(0)} ms`);
        console.log(
          `# 200 events A → B in ${elapsed.toFixed(0)} ms; lag after commit: median ${lags.sort((x, y) => x - y)[100].toFixed(1)} ms, worst ${worst.toFixed(1)} ms`,
        );
        assert.deepEqual(
          await b.eventsAfter('t', 0),
          received.map((r) => r.event),
        );
      } finally {
        await close();
      }
    });

    it('hears its own events too, so one code path serves every instance', async () => {
      const { a, close } = await pair();
      try {
        const seen: number[] = [];
        await a.onEvent((event) => seen.push(event.id));
        await a.setLocked('t', true);
        await until(() => seen.length === 1, 1000, 'the event');
        assert.deepEqual(seen, [1]);
      } finally {
        await close();
      }
    });

    it('numbers events in commit order when instances write at once, without gaps', async () => {
      const { a, b, close } = await pair();
      try {
        const atA: number[] = [];
        const atB: number[] = [];
        await a.onEvent((event) => atA.push(event.id));
        await b.onEvent((event) => atB.push(event.id));
        const writes = [];
        for (let i = 0; i < 60; i++)
          writes.push((i % 2 ? a : b).createPost(i % 3 ? ana : ben, post(`w${i}`), null));
        await Promise.all(writes);
        const expected = Array.from({ length: 60 }, (_, i) => i + 1);
        await until(() => atA.length >= 60 && atB.length >= 60, 3000, '60 events at both');
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(atA, expected);
        assert.deepEqual(atB, expected);
        assert.deepEqual(
          (await a.eventsAfter('t', 0)).map((e) => e.id),
          expected,
        );
        assert.equal(await b.headEventId(), 60);
        const page = await b.listPosts('t', { cursor: null, limit: 100, backward: false });
        assert.equal(page.total, 60);
      } finally {
        await close();
      }
    });

    it('puts posts in commit order, whatever the writing instance’s clock says', async () => {
      const { a, b, close } = await pair();
      const realNow = Date.now;
      try {
        const first = await b.createPost(ben, post('on time'), null);
        // An instance whose clock is a minute slow still writes after what has committed.
        Date.now = () => realNow() - 60_000;
        const late = await a.createPost(ana, post('slow clock'), null);
        Date.now = realNow;
        assert.ok(Date.parse(late.post.createdAt) > Date.parse(first.post.createdAt));
        const writes = [];
        for (let i = 0; i < 40; i++)
          writes.push((i % 2 ? a : b).createPost(ana, post(`c${i}`), null));
        await Promise.all(writes);
        const page = await a.listPosts('t', { cursor: null, limit: 100, backward: false });
        const byEvent = (await a.eventsAfter('t', 0)).map(
          (e) => JSON.parse(e.data).post.id as string,
        );
        assert.deepEqual(
          page.posts.map((p) => p.id),
          byEvent,
          'reading order is event (commit) order',
        );
        assert.equal(new Set(page.posts.map((p) => p.createdAt)).size, 42, 'one instant each');
      } finally {
        Date.now = realNow;
        await close();
      }
    });

    it('catches up after its listening connection is cut, each event once', async () => {
      const { a, b, url, close } = await pair();
      const admin = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const seen: number[] = [];
        await b.onEvent((event) => seen.push(event.id));
        await a.createPost(ben, post('before the cut'), null);
        await until(() => seen.length === 1, 1000, 'the first event');
        const { rows } = await admin.query(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'parley-listen' AND datname = current_database()",
        );
        assert.deepEqual(rows, [{ ok: true }]);
        // Written while B is not listening.
        for (let i = 0; i < 5; i++) await a.createPost(ana, post(`while away ${i}`), null);
        await until(() => seen.length >= 6, 5000, 'the events written while away');
        await a.setLocked('t', true);
        await until(() => seen.length >= 7, 5000, 'an event after the reconnect');
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
      } finally {
        await admin.end();
        await close();
      }
    });

    it('gives a handle to one of two instances creating it at once', async () => {
      const { a, b, close } = await pair();
      try {
        for (let round = 0; round < 5; round++) {
          // The same handle in another case, then two that only look alike.
          const [x, y] =
            round % 2 ? [`same${round}`, `SAME${round}`] : [`rn${round}q`, `M${round}Q`];
          const results = await Promise.allSettled([
            a.createAccount('One', x, 'x'),
            b.createAccount('Two', y, 'y'),
          ]);
          const failed = results.filter((r) => r.status === 'rejected');
          assert.equal(failed.length, 1, `round ${round}: exactly one fails`);
          const error = (failed[0] as PromiseRejectedResult).reason as unknown;
          assert.ok(
            error instanceof StoreError && error.kind === 'conflict' && error.field === 'handle',
            String(error),
          );
        }
      } finally {
        await close();
      }
    });

    it('gives a handle to one of an account and an SSO user claiming it at once', async () => {
      const { a, b, close } = await pair();
      try {
        for (let round = 0; round < 5; round++) {
          const [account, sso] = await Promise.allSettled([
            a.createAccount('One', `dee${round}`, 'x'),
            b.upsertSsoUser({ sub: `s${round}`, name: 'Two', handle: `clee${round}` }),
          ]);
          const accountGotIt = account.status === 'fulfilled';
          const ssoGotIt = sso.status === 'fulfilled' && sso.value.handle !== undefined;
          assert.equal(sso.status, 'fulfilled', 'the SSO user always signs in');
          assert.ok(
            accountGotIt !== ssoGotIt,
            `round ${round}: exactly one has the handle (account ${accountGotIt}, sso ${ssoGotIt})`,
          );
        }
      } finally {
        await close();
      }
    });

    it('publishes one post for one Idempotency-Key sent to two instances at once', async () => {
      const { a, b, close } = await pair();
      try {
        for (let round = 0; round < 5; round++) {
          const key = { key: `k${round}`, hash: 'h' };
          const [x, y] = await Promise.all([
            a.createPost(ana, post('once'), key),
            b.createPost(ana, post('once'), key),
          ]);
          assert.equal(x.post.id, y.post.id);
          assert.deepEqual([x.created, y.created].sort(), [false, true]);
        }
        assert.deepEqual(await a.counts(['t']), { t: 5 });
        assert.equal(await a.headEventId(), 5);
      } finally {
        await close();
      }
    });

    it('never posts into a thread once its lock has committed', async () => {
      const { a, b, close } = await pair();
      try {
        const writes = Array.from({ length: 20 }, (_, i) =>
          a.createPost(ana, post(`race ${i}`), null).then(
            (r) => r.post.createdAt,
            (error: unknown) => (error instanceof StoreError ? error.kind : 'other'),
          ),
        );
        await b.setLocked('t', true);
        const outcomes = await Promise.all(writes);
        assert.ok(
          outcomes.every((o) => o === 'locked' || /^\d{4}-/.test(o)),
          outcomes.join(', '),
        );
        const events = await b.eventsAfter('t', 0);
        const lockAt = events.findIndex((e) => e.type === 'thread-updated');
        assert.ok(lockAt >= 0);
        assert.ok(
          events.slice(lockAt + 1).every((e) => e.type !== 'post-created'),
          'no post-created after the lock',
        );
      } finally {
        await close();
      }
    });
  });

  it('is what openStorage opens when PARLEY_DATABASE_URL is set', async () => {
    const storage = await openStorage({
      databaseUrl: await postgres.database(),
      sqlitePath: ':memory:',
      postgres: quiet,
    });
    assert.equal(storage.backend, 'postgres');
    assert.equal(await storage.hasThreads(), false);
    await storage.close();
  });

  describe('failures', () => {
    it('rejects with unavailable when the database cannot be reached', async () => {
      const url = await postgres.database();
      const storage = await PostgresStorage.open(url, quiet);
      const admin = new pg.Pool({ connectionString: postgres.url('parley'), max: 1 });
      try {
        const name = new URL(url).pathname.slice(1);
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        await assert.rejects(
          storage.hasThreads(),
          (error: unknown) => error instanceof StoreError && error.kind === 'unavailable',
        );
        await assert.rejects(
          storage.listPosts('t', { cursor: null, limit: 1, backward: false }),
          (error: unknown) => error instanceof StoreError && error.kind === 'unavailable',
        );
      } finally {
        await admin.end();
        await storage.close();
      }
    });
  });
});
