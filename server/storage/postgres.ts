/**
 * The `Storage` contract on PostgreSQL, through `pg`: one pool for queries and transactions, and
 * one dedicated connection that LISTENs on `parley_events` so every instance hears the events
 * every other instance commits.
 *
 * It behaves as the SQLite `Store` does, down to the error messages and the cursor format:
 * - Reading order is by created instant, then id, compared as bytes (`COLLATE "C"`, as SQLite's
 *   BINARY), whatever the database's locale.
 * - What SQLite gets from one writer at a time, this gets from row locks: a write locks the rows
 *   it reads before changing them (`FOR UPDATE` / `FOR SHARE`), and requests with the same
 *   Idempotency-Key queue on an advisory lock of that key.
 * - Event ids come from the single row of `event_head`, updated inside the writing transaction:
 *   the row lock makes event-writing transactions take turns, so ids are gapless, never reused
 *   and in commit order. That is what lets a listener (and a `Last-Event-ID` replay) read "every
 *   event after id N" without ever skipping one that commits late.
 * - A new post takes its instant under that same lock, `GREATEST(last post + 1 ms, now)`: reading
 *   order is commit order across instances, whatever their clocks say, so a reader paging forward
 *   never misses a post that committed after its page (SQLite gets this from its single writer).
 * - `publish(id)` is `pg_notify('parley_events', id)` in the same transaction as the event, so a
 *   notification is sent if and only if the event commits, after it commits.
 */
import pg from 'pg';
import type { Author, Post, PostPage, Thread } from '../../src/model/types.js';
import type { Seed } from '../../src/model/seed.js';
import { newToken, randomId, tokenHash } from '../auth.js';
import { storageFault } from '../faults.js';
import {
  StoreError,
  badCursor,
  deletedPost,
  handleTaken,
  keyReused,
  lockedForEdits,
  lockedForReplies,
  noPost,
  noThread,
  notInThread,
  notYourPost,
  parentElsewhere,
  quoteElsewhere,
  unreachable,
} from './errors.js';
import {
  POST_SELECT,
  decodeCursor,
  encodeCursor,
  keyOf,
  toPost,
  toThread,
  toUser,
  type PostRow,
  type ThreadRow,
  modeOfNewThread,
  type UserRow,
} from '../records.js';
import {
  IDEMPOTENCY_MS,
  REPLAY_SELECT,
  toReplayEvent,
  type PostInput,
  type ReplayEvent,
  type ReplayRow,
  type ReplayWindow,
  type StoredEvent,
  type User,
} from '../store.js';
import type { EventListener, Idempotency, ListOptions, SsoIdentity, Storage } from './storage.js';
import { ChannelListener } from './channel.js';

type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** The channel events are announced on; the payload is the event id. */
export const EVENT_CHANNEL = 'parley_events';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every schema change, in order. Never edit one that has shipped: add the next number. The same
 * tables as server/db.ts, with times as BIGINT milliseconds and ids compared bytewise.
 */
export const PG_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    name: 'threads, users, posts, sessions, idempotency keys and events',
    sql: `
      CREATE TABLE threads (
        id         TEXT COLLATE "C" PRIMARY KEY,
        title      TEXT NOT NULL,
        url        TEXT,
        locked     BOOLEAN NOT NULL DEFAULT false,
        created_ms BIGINT NOT NULL
      );

      CREATE TABLE users (
        id            TEXT COLLATE "C" PRIMARY KEY,
        name          TEXT NOT NULL,
        handle        TEXT,
        avatar_url    TEXT,
        kind          TEXT NOT NULL CHECK (kind IN ('account', 'guest', 'sso', 'seed')),
        password_hash TEXT,
        created_ms    BIGINT NOT NULL
      );
      -- Handles are ASCII (see HANDLE_PATTERN), so lower() folds case completely.
      CREATE UNIQUE INDEX users_account_handle ON users (lower(handle)) WHERE kind = 'account';
      CREATE INDEX users_handle ON users (lower(handle));

      CREATE TABLE posts (
        id            TEXT COLLATE "C" PRIMARY KEY,
        thread_id     TEXT COLLATE "C" NOT NULL REFERENCES threads (id),
        author_id     TEXT COLLATE "C" NOT NULL REFERENCES users (id),
        body          TEXT NOT NULL,
        created_ms    BIGINT NOT NULL,
        edited_ms     BIGINT,
        deleted       BOOLEAN NOT NULL DEFAULT false,
        parent_id     TEXT COLLATE "C",
        quote_post_id TEXT COLLATE "C",
        quote_text    TEXT
      );
      -- The reading order: oldest first, ties by id. Pages are keyset queries on this index.
      CREATE INDEX posts_order ON posts (thread_id, created_ms, id);

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id),
        created_ms BIGINT NOT NULL,
        expires_ms BIGINT NOT NULL
      );
      CREATE INDEX sessions_expiry ON sessions (expires_ms);

      CREATE TABLE idempotency_keys (
        user_id      TEXT COLLATE "C" NOT NULL,
        key          TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        post_id      TEXT COLLATE "C" NOT NULL,
        created_ms   BIGINT NOT NULL,
        PRIMARY KEY (user_id, key)
      );
      CREATE INDEX idempotency_keys_age ON idempotency_keys (created_ms);

      -- Live changes. Ids come from event_head (below), never from a sequence.
      CREATE TABLE events (
        id         BIGINT PRIMARY KEY,
        thread_id  TEXT COLLATE "C" NOT NULL,
        type       TEXT NOT NULL,
        data       TEXT NOT NULL,
        created_ms BIGINT NOT NULL
      );
      CREATE INDEX events_thread ON events (thread_id, id);
      CREATE INDEX events_age ON events (created_ms);

      -- The id of the newest event ever written, one row. Updating it inside the writing
      -- transaction hands out ids one transaction at a time: gapless, in commit order, and never
      -- reused (pruning and seeding leave this row alone).
      CREATE TABLE event_head (
        singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
        last_id   BIGINT NOT NULL
      );
      INSERT INTO event_head (singleton, last_id) VALUES (true, 0);
    `,
  },
  {
    version: 2,
    name: 'handle keys: handles compared case-folded and by look-alike skeleton',
    sql: `
      -- handleSkeleton(handle) (server/handles.ts), filled in on open for rows without one.
      -- Not UNIQUE, as in SQLite: older data may hold clashing handles; writes keep new ones apart.
      ALTER TABLE users ADD COLUMN handle_key TEXT COLLATE "C";
      CREATE INDEX users_handle_key ON users (handle_key);
    `,
  },
  {
    version: 3,
    name: 'posts take their instant in commit order',
    sql: `
      -- The instant of the newest post written, next to the newest event id: a post takes
      -- GREATEST(last_post_ms + 1, now) under the row lock, so reading order is commit order
      -- across instances whatever their clocks say.
      ALTER TABLE event_head ADD COLUMN last_post_ms BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 4,
    name: 'write limits and the login throttle, shared by every instance',
    sql: `
      -- Token buckets (server/rate-limit.ts): 'user:<id>' and 'address:<ip or /64>'.
      CREATE TABLE rate_buckets (
        key        TEXT COLLATE "C" PRIMARY KEY,
        tokens     DOUBLE PRECISION NOT NULL,
        updated_ms BIGINT NOT NULL
      );
      CREATE INDEX rate_buckets_age ON rate_buckets (updated_ms);
      -- Failed logins per case-folded handle (LoginThrottle).
      CREATE TABLE login_failures (
        key          TEXT COLLATE "C" PRIMARY KEY,
        count        INTEGER NOT NULL,
        last_ms      BIGINT NOT NULL,
        locked_until BIGINT NOT NULL
      );
      CREATE INDEX login_failures_age ON login_failures (last_ms);
    `,
  },
  {
    version: 5,
    name: "a seed's moderators and origins, for every instance",
    sql: `
      -- What the latest POST /v1/_seed (tests and demos) set besides the data
      -- (storage/postgres-seed.ts): JSON lists, NULL for the configured ones.
      CREATE TABLE seed_settings (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        moderators TEXT,
        origins    TEXT
      );
    `,
  },
  {
    version: 6,
    name: 'events name their post, so a replay can send the post as it is now',
    sql: `
      -- As SQLite's migration 3: the post a post-* event is about (NULL for thread events).
      ALTER TABLE events ADD COLUMN post_id TEXT COLLATE "C";
      UPDATE events SET post_id = (data::json) -> 'post' ->> 'id'
        WHERE type IN ('post-created', 'post-updated', 'post-deleted');
      CREATE INDEX events_post ON events (post_id, id) WHERE post_id IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'threads carry their mode: a discussion, or the comments on a page',
    sql: `
      -- As SQLite's migration 4: 'discussion', 'comments', or NULL (the element decides).
      ALTER TABLE threads ADD COLUMN mode TEXT;
    `,
  },
];

/** Any constant: the advisory lock that lets one instance at a time migrate. */
const MIGRATION_LOCK = 7_270_001;

/**
 * Applies the migrations the database has not seen, each in its own transaction, under an
 * advisory lock so instances starting together migrate once. Resolves to the versions applied.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<number[]> {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const done: number[] = [];
  const client = await pool.connect();
  try {
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version    INTEGER PRIMARY KEY,
          name       TEXT NOT NULL,
          applied_at TEXT NOT NULL
        )`);
        const { rows } = await client.query<{ version: number }>(
          'SELECT version FROM schema_migrations',
        );
        const applied = new Set(rows.map((row) => row.version));
        const newest = Math.max(0, ...applied);
        if (newest > known) {
          throw new Error(
            `The database has schema version ${newest}, newer than this server knows (${known}). Use a newer server.`,
          );
        }
        if (!applied.has(migration.version)) {
          await client.query(migration.sql);
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [migration.version, migration.name, new Date().toISOString()],
          );
          done.push(migration.version);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }
    if (migrations.length === 0) {
      // Still refuse a database from the future.
      const { rows } = await client.query<{ v: number | null }>(
        "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN NULL ELSE (SELECT max(version) FROM schema_migrations) END AS v",
      );
      if ((rows[0]?.v ?? 0) > known)
        throw new Error(
          `The database has schema version ${rows[0].v}, newer than this server knows (${known}). Use a newer server.`,
        );
    }
  } finally {
    client.release();
  }
  return done;
}

// ---- Rows and the protocol's shapes (the same shapes, in the same key order, as store.ts)

const USER_SELECT = 'SELECT id, name, handle, avatar_url, kind, password_hash FROM users';
const EVENT_SELECT = 'SELECT id, thread_id AS "threadId", type, data FROM events';

/** Connection-level failures (class 08, shutdowns, too many clients, a dropped socket). */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (typeof code === 'string') {
    // 08 connection, 28 authorization, 53 resources, 57P shutdown, 3D000 no such database.
    if (
      /^(08|28|53|57P)/.test(code) ||
      code === '3D000' ||
      ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)
    )
      return true;
    if (code === '55000' && /not currently accepting connections/.test(message)) return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    message,
  );
}

export function domainError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  // Disk full, read-only, I/O error: named (server/faults.ts), not "not reachable".
  const fault = storageFault(error);
  if (fault) return error;
  if (isUnavailable(error)) return unreachable();
  return error;
}

/** BIGINT (int8, `COUNT(*)`) as a JS number: every value here (ms, ids, counts) is far below 2^53. */
function typeOverrides(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(20, (value: string) => Number(value));
  return types;
}

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  migrations?: readonly PgMigration[];
  /** Where listener failures and reconnects are reported (default: console.error). */
  log?: (message: string) => void;
}

interface Subscription {
  listener: EventListener;
  /** Events up to this id committed before the subscription was live. */
  from: number;
}

export class PostgresStorage implements Storage {
  readonly backend = 'postgres';
  private sequence = 0;
  private closed = false;
  private readonly log: (message: string) => void;

  // LISTEN state: one dedicated connection for all subscriptions of this instance.
  private readonly subscriptions = new Set<Subscription>();
  private channel: ChannelListener | null = null;
  private listening: Promise<void> | null = null;
  private cursor = 0;
  private draining = false;
  private drainAgain = false;

  /** Connects to `url` (`postgres://…`, e.g. PARLEY_DATABASE_URL) and brings the schema up to date. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: typeOverrides(),
      application_name: 'parley',
    });
    const storage = new PostgresStorage(pool, url, options.log);
    try {
      await migratePostgres(pool, options.migrations);
      await storage.keyHandles();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return storage;
  }

  private constructor(
    readonly pool: pg.Pool,
    private readonly url: string,
    log?: (message: string) => void,
  ) {
    this.log = log ?? ((message) => console.error(message));
    // An idle connection that the server drops must not crash the process; the pool replaces it.
    pool.on('error', (error) => this.log(`[parley] PostgreSQL connection lost: ${error.message}`));
  }

  /** Gives handles stored before migration 2 their keys, once (as the Store does on open). */
  private async keyHandles(): Promise<void> {
    const rows = await this.query<{ id: string; handle: string }>(
      'SELECT id, handle FROM users WHERE handle IS NOT NULL AND handle_key IS NULL',
    );
    if (rows.length === 0) return;
    await this.transaction(async (c) => {
      for (const row of rows)
        await this.query(
          'UPDATE users SET handle_key = $1 WHERE id = $2 AND handle_key IS NULL',
          [keyOf(row.handle), row.id],
          c,
        );
    });
  }

  // ---- Plumbing

  private async query<R extends pg.QueryResultRow>(
    sql: string,
    values: unknown[] = [],
    on: Queryable = this.pool,
  ): Promise<R[]> {
    try {
      return (await on.query<R>(sql, values)).rows;
    } catch (error) {
      throw domainError(error);
    }
  }

  /** Runs `fn` in one transaction on one connection, retried once on a serialization failure or deadlock. */
  private async transaction<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw domainError(error);
      }
      let broken = false;
      try {
        await client.query(begin);
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (error as { code?: unknown }).code;
        if (attempt < 3 && (code === '40001' || code === '40P01')) continue;
        throw domainError(error);
      } finally {
        client.release(broken || undefined);
      }
    }
  }

  private async one<R extends pg.QueryResultRow>(
    sql: string,
    values: unknown[],
    on: Queryable = this.pool,
  ): Promise<R | undefined> {
    return (await this.query<R>(sql, values, on))[0];
  }

  // ---- Threads

  getThread(id: string): Promise<Thread | undefined> {
    return this.thread(id, this.pool);
  }

  requireThread(id: string): Promise<Thread> {
    return this.mustThread(id, this.pool);
  }

  /** The thread, read on `on`, optionally locking its row (`FOR UPDATE`, `FOR SHARE`). */
  private async thread(id: string, on: Queryable, lock = ''): Promise<Thread | undefined> {
    const row = await this.one<ThreadRow>(
      `SELECT id, title, url, locked, mode FROM threads WHERE id = $1 ${lock}`,
      [id],
      on,
    );
    return row && toThread(row);
  }

  private async mustThread(id: string, on: Queryable, lock = ''): Promise<Thread> {
    const thread = await this.thread(id, on, lock);
    if (!thread) throw noThread(id);
    return thread;
  }

  async createThread(id: string, title: string, url: string | null): Promise<Thread> {
    await this.query(
      'INSERT INTO threads (id, title, url, locked, mode, created_ms) VALUES ($1, $2, $3, false, $4, $5) ON CONFLICT (id) DO NOTHING',
      [id, title, url, modeOfNewThread(id, url), Date.now()],
    );
    return this.requireThread(id);
  }

  setLocked(id: string, locked: boolean): Promise<Thread> {
    return this.transaction(async (c) => {
      const before = await this.mustThread(id, c, 'FOR UPDATE');
      if ((before.locked ?? false) === locked) return before;
      await this.query('UPDATE threads SET locked = $1 WHERE id = $2', [locked, id], c);
      const thread = await this.mustThread(id, c);
      await this.emit(c, id, 'thread-updated', { thread });
      return thread;
    });
  }

  async hasThreads(): Promise<boolean> {
    return (await this.query('SELECT 1 FROM threads LIMIT 1')).length > 0;
  }

  // ---- Reading posts

  getPost(id: string): Promise<Post | undefined> {
    return this.post(id, this.pool);
  }

  requirePost(id: string): Promise<Post> {
    return this.mustPost(id, this.pool);
  }

  private async post(id: string, on: Queryable): Promise<Post | undefined> {
    const row = await this.one<PostRow>(`${POST_SELECT} WHERE p.id = $1`, [id], on);
    return row && toPost(row);
  }

  private async mustPost(id: string, on: Queryable): Promise<Post> {
    const post = await this.post(id, on);
    if (!post) throw noPost();
    return post;
  }

  private async postKey(
    id: string,
    on: Queryable,
    lock = '',
  ): Promise<{ thread_id: string; created_ms: number } | undefined> {
    return this.one(`SELECT thread_id, created_ms FROM posts WHERE id = $1 ${lock}`, [id], on);
  }

  private async total(threadId: string, on: Queryable): Promise<number> {
    return (await this.one<{ n: number }>(
      'SELECT COUNT(*) AS n FROM posts WHERE thread_id = $1',
      [threadId],
      on,
    ))!.n;
  }

  private async countBefore(
    threadId: string,
    createdMs: number,
    id: string,
    on: Queryable,
  ): Promise<number> {
    return (await this.one<{ n: number }>(
      'SELECT COUNT(*) AS n FROM posts WHERE thread_id = $1 AND (created_ms, id) < ($2, $3)',
      [threadId, createdMs, id],
      on,
    ))!.n;
  }

  private async after(
    threadId: string,
    createdMs: number,
    id: string,
    limit: number,
    on: Queryable,
  ): Promise<Post[]> {
    const rows = await this.query<PostRow>(
      `${POST_SELECT} WHERE p.thread_id = $1 AND (p.created_ms, p.id) > ($2, $3) ORDER BY p.created_ms, p.id LIMIT $4`,
      [threadId, createdMs, id, limit],
      on,
    );
    return rows.map(toPost);
  }

  private async before(
    threadId: string,
    createdMs: number,
    id: string,
    limit: number,
    on: Queryable,
  ): Promise<Post[]> {
    const rows = await this.query<PostRow>(
      `${POST_SELECT} WHERE p.thread_id = $1 AND (p.created_ms, p.id) < ($2, $3) ORDER BY p.created_ms DESC, p.id DESC LIMIT $4`,
      [threadId, createdMs, id, limit],
      on,
    );
    return rows.map(toPost).reverse();
  }

  /** Reads in one snapshot, so the page, its total and its offset agree under concurrent writes. */
  private snapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.transaction(fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  listPosts(threadId: string, options: ListOptions): Promise<PostPage> {
    return this.snapshot(async (c) => {
      await this.mustThread(threadId, c);
      const total = await this.total(threadId, c);
      const { limit } = options;
      if (options.cursor === null) {
        if (!options.backward) {
          const rows = await this.query<PostRow>(
            `${POST_SELECT} WHERE p.thread_id = $1 ORDER BY p.created_ms, p.id LIMIT $2`,
            [threadId, limit],
            c,
          );
          return this.page(rows.map(toPost), 0, total);
        }
        const rows = await this.query<PostRow>(
          `${POST_SELECT} WHERE p.thread_id = $1 ORDER BY p.created_ms DESC, p.id DESC LIMIT $2`,
          [threadId, limit],
          c,
        );
        const posts = rows.map(toPost).reverse();
        return this.page(posts, total - posts.length, total);
      }
      const cursor = decodeCursor(options.cursor);
      const key = cursor && (await this.postKey(cursor.postId, c));
      if (!cursor || !key || key.thread_id !== threadId) throw badCursor();
      const before = await this.countBefore(threadId, key.created_ms, cursor.postId, c);
      if (cursor.direction === 'a')
        return this.page(
          await this.after(threadId, key.created_ms, cursor.postId, limit, c),
          before + 1,
          total,
        );
      const posts = await this.before(threadId, key.created_ms, cursor.postId, limit, c);
      return this.page(posts, before - posts.length, total);
    });
  }

  listAround(threadId: string, postId: string, before: number, after: number): Promise<PostPage> {
    return this.snapshot(async (c) => {
      await this.mustThread(threadId, c);
      const key = await this.postKey(postId, c);
      if (!key || key.thread_id !== threadId) throw notInThread();
      const total = await this.total(threadId, c);
      const index = await this.countBefore(threadId, key.created_ms, postId, c);
      const earlier =
        before > 0 ? await this.before(threadId, key.created_ms, postId, before, c) : [];
      const later = after > 0 ? await this.after(threadId, key.created_ms, postId, after, c) : [];
      return this.page(
        [...earlier, await this.mustPost(postId, c), ...later],
        index - earlier.length,
        total,
      );
    });
  }

  async counts(threadIds: readonly string[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const id of threadIds) counts[id] = 0;
    if (threadIds.length === 0) return counts;
    const rows = await this.query<{ id: string; n: number }>(
      'SELECT thread_id AS id, COUNT(*) AS n FROM posts WHERE deleted = false AND thread_id = ANY($1::text[]) GROUP BY thread_id',
      [[...threadIds]],
    );
    for (const row of rows) counts[row.id] = row.n;
    return counts;
  }

  private page(posts: Post[], offset: number, total: number): PostPage {
    const end = offset + posts.length;
    return {
      posts,
      nextCursor:
        posts.length > 0 && end < total ? encodeCursor('a', posts[posts.length - 1].id) : null,
      prevCursor: posts.length > 0 && offset > 0 ? encodeCursor('b', posts[0].id) : null,
      total,
      offset,
    };
  }

  // ---- Writing posts

  createPost(
    author: Author,
    input: PostInput,
    idempotency: Idempotency | null,
  ): Promise<{ post: Post; created: boolean }> {
    return this.transaction(async (c) => {
      const now = Date.now();
      if (idempotency) {
        // Requests with the same key take turns, on every instance.
        await this.query(
          "SELECT pg_advisory_xact_lock(hashtextextended($1 || ' ' || $2, 0))",
          [author.id, idempotency.key],
          c,
        );
        const seen = await this.one<{ request_hash: string; post_id: string; created_ms: number }>(
          'SELECT request_hash, post_id, created_ms FROM idempotency_keys WHERE user_id = $1 AND key = $2',
          [author.id, idempotency.key],
          c,
        );
        if (seen && seen.created_ms > now - IDEMPOTENCY_MS) {
          if (seen.request_hash !== idempotency.hash) {
            throw keyReused();
          }
          const post = await this.post(seen.post_id, c);
          if (post) return { post, created: false };
        }
      }
      // FOR SHARE: a concurrent lock waits for this post, and this post for a concurrent lock.
      const thread = await this.mustThread(input.threadId, c, 'FOR SHARE');
      if (thread.locked) throw lockedForReplies();
      if (input.parentId !== null) {
        const parent = await this.postKey(input.parentId, c);
        if (!parent || parent.thread_id !== thread.id) throw parentElsewhere();
      }
      if (input.quote !== null) {
        const quoted = await this.postKey(input.quote.postId, c);
        if (!quoted || quoted.thread_id !== thread.id) throw quoteElsewhere();
      }
      // Take the next event id now, and with it the head row's lock, which every event-writing
      // transaction queues on: this post's instant is later than every post committed before it,
      // on any instance, so a reader paging forward never misses one that commits late.
      const [head] = await this.query<{ event_id: number; created_ms: number }>(
        'UPDATE event_head SET last_id = last_id + 1, last_post_ms = GREATEST(last_post_ms + 1, $1) RETURNING last_id AS event_id, last_post_ms AS created_ms',
        [now],
        c,
      );
      const createdMs = head.created_ms;
      let id: string;
      for (;;) {
        id = this.newPostId(createdMs);
        const inserted = await this.query(
          `INSERT INTO posts (id, thread_id, author_id, body, created_ms, edited_ms, deleted, parent_id, quote_post_id, quote_text)
           VALUES ($1, $2, $3, $4, $5, NULL, false, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
          [
            id,
            thread.id,
            author.id,
            input.body,
            createdMs,
            input.parentId,
            input.quote?.postId ?? null,
            input.quote?.text ?? null,
          ],
          c,
        );
        if (inserted.length === 1) break;
      }
      if (idempotency) {
        await this.query(
          `INSERT INTO idempotency_keys (user_id, key, request_hash, post_id, created_ms) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, post_id = EXCLUDED.post_id, created_ms = EXCLUDED.created_ms`,
          [author.id, idempotency.key, idempotency.hash, id, now],
          c,
        );
      }
      const post = await this.mustPost(id, c);
      await this.emit(c, thread.id, 'post-created', { post }, head.event_id);
      return { post, created: true };
    });
  }

  async hasIdempotencyKey(userId: string, key: string): Promise<boolean> {
    const seen = await this.one<{ created_ms: number }>(
      'SELECT created_ms FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    );
    return seen !== undefined && seen.created_ms > Date.now() - IDEMPOTENCY_MS;
  }

  updatePost(author: Author, postId: string, body: string): Promise<Post> {
    return this.transaction(async (c) => {
      await this.postKey(postId, c, 'FOR UPDATE');
      const post = await this.mustPost(postId, c);
      if (post.author.id !== author.id) throw notYourPost('edit');
      if (post.deleted) throw deletedPost();
      // Locked means the discussion stands as it is: no new words, and no rewritten ones.
      // Deleting stays possible (see deletePost). FOR SHARE: a lock being set waits for this edit.
      if ((await this.mustThread(post.threadId, c, 'FOR SHARE')).locked) throw lockedForEdits();
      await this.query(
        'UPDATE posts SET body = $1, edited_ms = $2 WHERE id = $3',
        [body, Math.max(Date.now(), Date.parse(post.createdAt) + 1), postId],
        c,
      );
      const updated = await this.mustPost(postId, c);
      await this.emit(c, post.threadId, 'post-updated', { post: updated });
      return updated;
    });
  }

  deletePost(author: Author, moderator: boolean, postId: string): Promise<Post> {
    return this.transaction(async (c) => {
      await this.postKey(postId, c, 'FOR UPDATE');
      const post = await this.mustPost(postId, c);
      if (post.author.id !== author.id && !moderator) throw notYourPost('delete');
      if (post.deleted) return post;
      await this.query(
        "UPDATE posts SET deleted = true, body = '', quote_post_id = NULL, quote_text = NULL, edited_ms = $1 WHERE id = $2",
        [Math.max(Date.now(), Date.parse(post.createdAt) + 1), postId],
        c,
      );
      const tombstone = await this.mustPost(postId, c);
      await this.emit(c, post.threadId, 'post-deleted', { post: tombstone });
      return tombstone;
    });
  }

  /** Ids sort in creation order within a millisecond: `p` + time + sequence + random (as store.ts). */
  private newPostId(ms: number): string {
    return `p${ms.toString(36).padStart(9, '0')}${(this.sequence++ % 36 ** 4).toString(36).padStart(4, '0')}${randomId('').slice(0, 4)}`;
  }

  // ---- Users and sessions

  getUser(id: string): Promise<User | undefined> {
    return this.user(id, this.pool);
  }

  private async user(id: string, on: Queryable): Promise<User | undefined> {
    const row = await this.one<UserRow>(`${USER_SELECT} WHERE id = $1`, [id], on);
    return row && toUser(row);
  }

  async findAccount(handle: string): Promise<User | undefined> {
    const row = await this.one<UserRow>(
      `${USER_SELECT} WHERE kind = 'account' AND lower(handle) = lower($1)`,
      [handle],
    );
    return row && toUser(row);
  }

  /**
   * Makes writes of handles with the same key take turns, on every instance, until the caller's
   * transaction ends; the check that a handle is free and the insert then act as one.
   */
  private async lockHandle(key: string | null, c: pg.PoolClient): Promise<void> {
    if (key !== null)
      await this.query(
        "SELECT pg_advisory_xact_lock(hashtextextended('handle ' || $1, 0))",
        [key],
        c,
      );
  }

  /** Whether someone other than `exceptId` (not a guest) has a handle with `key`. */
  private async handleTaken(key: string | null, exceptId: string, on: Queryable): Promise<boolean> {
    if (key === null) return false;
    return (
      (
        await this.query(
          "SELECT 1 FROM users WHERE kind <> 'guest' AND handle_key = $1 AND id <> $2 LIMIT 1",
          [key, exceptId],
          on,
        )
      ).length > 0
    );
  }

  async createAccount(name: string, handle: string, passwordHash: string): Promise<Author> {
    try {
      return await this.transaction(async (c) => {
        const key = keyOf(handle);
        await this.lockHandle(key, c);
        if (await this.handleTaken(key, '', c)) throw handleTaken(handle);
        const id = randomId('u-');
        await this.query(
          "INSERT INTO users (id, name, handle, avatar_url, kind, password_hash, created_ms, handle_key) VALUES ($1, $2, $3, NULL, 'account', $4, $5, $6)",
          [id, name, handle, passwordHash, Date.now(), key],
          c,
        );
        return (await this.user(id, c))!.author;
      });
    } catch (error) {
      // The unique index on lower(handle) backs the lock up.
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === '23505' && constraint === 'users_account_handle') throw handleTaken(handle);
      throw error;
    }
  }

  async createGuest(name: string): Promise<Author> {
    const id = randomId('guest-');
    await this.query(
      "INSERT INTO users (id, name, handle, avatar_url, kind, password_hash, created_ms, handle_key) VALUES ($1, $2, NULL, NULL, 'guest', NULL, $3, NULL)",
      [id, name, Date.now()],
    );
    return (await this.getUser(id))!.author;
  }

  /**
   * Records (or refreshes) `sso:<sub>`; writes only when something changed. A handle someone else
   * has (compared by `handle_key`) is dropped: the user keeps their identity and name, without it.
   */
  async upsertSsoUser(identity: SsoIdentity): Promise<Author> {
    const id = `sso:${identity.sub}`;
    const avatar = identity.avatarUrl ?? null;
    const key = identity.handle === undefined ? null : keyOf(identity.handle);
    const handleFor = async (on: Queryable) =>
      identity.handle !== undefined && !(await this.handleTaken(key, id, on))
        ? identity.handle
        : null;
    // An unchanged profile (the common case: every request carries the token) costs two reads.
    const row = await this.one<UserRow>(`${USER_SELECT} WHERE id = $1`, [id]);
    if (
      row &&
      row.name === identity.name &&
      row.avatar_url === avatar &&
      row.handle === (await handleFor(this.pool))
    )
      return toUser(row).author;
    return this.transaction(async (c) => {
      await this.lockHandle(key, c);
      const handle = await handleFor(c);
      await this.query(
        `INSERT INTO users (id, name, handle, avatar_url, kind, password_hash, created_ms, handle_key) VALUES ($1, $2, $3, $4, 'sso', NULL, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, handle = EXCLUDED.handle, avatar_url = EXCLUDED.avatar_url, handle_key = EXCLUDED.handle_key`,
        [id, identity.name, handle, avatar, Date.now(), keyOf(handle)],
        c,
      );
      return (await this.user(id, c))!.author;
    });
  }

  disableAccounts(ids: readonly string[]): Promise<string[]> {
    return this.transaction(async (c) => {
      const disabled: string[] = [];
      for (const id of ids) {
        const rows = await this.query<UserRow>(`${USER_SELECT} WHERE id = $1 FOR UPDATE`, [id], c);
        const user = rows[0] && toUser(rows[0]);
        if (!user || user.kind !== 'account') continue;
        await this.query(
          "UPDATE users SET kind = 'seed', password_hash = NULL WHERE id = $1",
          [id],
          c,
        );
        await this.query('DELETE FROM sessions WHERE user_id = $1', [id], c);
        disabled.push(user.author.handle ?? id);
      }
      return disabled;
    });
  }

  createSession(userId: string, days: number): Promise<string> {
    return this.session(userId, days, this.pool);
  }

  private async session(userId: string, days: number, on: Queryable): Promise<string> {
    const token = newToken();
    const now = Date.now();
    await this.query(
      'INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4)',
      [tokenHash(token), userId, now, now + days * 86_400_000],
      on,
    );
    return token;
  }

  async sessionUser(token: string, days: number, now = Date.now()): Promise<User | undefined> {
    const hash = tokenHash(token);
    const row = await this.one<{ user_id: string; expires_ms: number }>(
      'SELECT user_id, expires_ms FROM sessions WHERE token_hash = $1',
      [hash],
    );
    if (!row || row.expires_ms <= now) return undefined;
    const life = days * 86_400_000;
    if (row.expires_ms - now < life / 2)
      await this.query('UPDATE sessions SET expires_ms = $1 WHERE token_hash = $2', [
        now + life,
        hash,
      ]);
    return this.getUser(row.user_id);
  }

  async deleteSession(token: string): Promise<void> {
    await this.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
  }

  // ---- Events

  eventsAfter(threadId: string, lastId: number): Promise<StoredEvent[]> {
    return this.query<StoredEvent>(`${EVENT_SELECT} WHERE thread_id = $1 AND id > $2 ORDER BY id`, [
      threadId,
      lastId,
    ]);
  }

  async headEventId(): Promise<number> {
    return (
      (await this.one<{ last_id: number }>('SELECT last_id FROM event_head', []))?.last_id ?? 0
    );
  }

  async replayWindow(threadId: string, afterId: number, cap: number): Promise<ReplayWindow> {
    // One statement, so one snapshot: the head, the oldest event and the backlog agree.
    const row = await this.one<ReplayWindow>(
      `SELECT (SELECT last_id FROM event_head) AS head, (SELECT MIN(id) FROM events) AS oldest,
         (SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE thread_id = $1 AND id > $2 LIMIT $3) b) AS backlog`,
      [threadId, afterId, cap + 1],
    );
    return row!;
  }

  async replayPage(
    threadId: string,
    afterId: number,
    throughId: number,
    limit: number,
  ): Promise<ReplayEvent[]> {
    let n = 0;
    const rows = await this.query<ReplayRow>(
      REPLAY_SELECT.replace(/\?/g, () => `$${++n}`),
      [threadId, afterId, throughId, limit],
    );
    return rows.map(toReplayEvent);
  }

  /**
   * Writes an event inside the caller's transaction and announces it on commit; its id is the
   * next from `event_head`, or `reserved` when the caller already took it.
   */
  private async emit(
    c: pg.PoolClient,
    threadId: string,
    type: string,
    payload: Record<string, unknown>,
    reserved?: number,
  ): Promise<void> {
    const data = JSON.stringify({ type, ...payload });
    const postId = (payload.post as Post | undefined)?.id ?? null;
    const values = [threadId, type, data, Date.now(), postId];
    const [{ id }] =
      reserved === undefined
        ? await this.query<{ id: number }>(
            `WITH next AS (UPDATE event_head SET last_id = last_id + 1 RETURNING last_id)
             INSERT INTO events (id, thread_id, type, data, created_ms, post_id) SELECT last_id, $1, $2, $3, $4, $5 FROM next RETURNING id`,
            values,
            c,
          )
        : await this.query<{ id: number }>(
            'INSERT INTO events (id, thread_id, type, data, created_ms, post_id) VALUES ($6, $1, $2, $3, $4, $5) RETURNING id',
            [...values, reserved],
            c,
          );
    await this.publish(c, id);
  }

  /** `NOTIFY parley_events, '<id>'`, delivered to every listener if and only if the transaction commits. */
  private async publish(c: pg.PoolClient, eventId: number): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, String(eventId)], c);
  }

  async onEvent(listener: EventListener): Promise<() => void> {
    if (this.closed) throw new Error('This storage is closed.');
    await this.listen();
    // Live from here: everything after the head as it is now reaches this listener.
    const subscription: Subscription = { listener, from: await this.headEventId() };
    this.subscriptions.add(subscription);
    // Events between the shared cursor and `from` are skipped for this listener (not its business).
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  /** Starts (once) the dedicated LISTEN connection; resolves when it listens. */
  private listen(): Promise<void> {
    this.listening ??= (async () => {
      this.cursor = await this.headEventId();
      const channel = new ChannelListener({
        client: { connectionString: this.url, types: typeOverrides() },
        channel: EVENT_CHANNEL,
        name: 'event listener',
        applicationName: 'parley-listen',
        notified: () => void this.drain(),
        // Whatever committed while nobody was listening (after a reconnect).
        connected: () => void this.drain(),
        log: this.log,
      });
      await channel.start();
      this.channel = channel;
    })().catch((error: unknown) => {
      this.listening = null;
      throw domainError(error);
    });
    return this.listening;
  }

  /**
   * Delivers every committed event after the cursor, in id order, each once. Ids are handed out
   * in commit order, so "after the cursor" never skips an event that was still committing.
   */
  private async drain(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        for (;;) {
          const events = await this.pool.query<StoredEvent>(
            `${EVENT_SELECT} WHERE id > $1 ORDER BY id LIMIT 500`,
            [this.cursor],
          );
          for (const event of events.rows) {
            this.cursor = event.id;
            for (const subscription of [...this.subscriptions]) {
              if (event.id <= subscription.from) continue;
              try {
                subscription.listener(event);
              } catch (error) {
                this.log(
                  `[parley] an event listener failed: ${(error as Error).stack ?? String(error)}`,
                );
              }
            }
          }
          if (events.rows.length < 500 || this.closed) break;
        }
      } while (this.drainAgain && !this.closed);
    } catch (error) {
      if (!this.closed) {
        this.log(`[parley] reading events failed: ${(error as Error).message}; retrying.`);
        setTimeout(() => void this.drain(), 500).unref();
      }
    } finally {
      this.draining = false;
    }
  }

  // ---- Maintenance and seeding

  async prune(eventDays: number, now = Date.now()): Promise<void> {
    await this.query('DELETE FROM idempotency_keys WHERE created_ms <= $1', [now - IDEMPOTENCY_MS]);
    await this.query('DELETE FROM sessions WHERE expires_ms <= $1', [now]);
    await this.query('DELETE FROM events WHERE created_ms <= $1', [now - eventDays * 86_400_000]);
  }

  replaceAll(
    seed: Seed,
    passwordHashes: ReadonlyMap<string, string>,
    sessionDays: number,
  ): Promise<Record<string, string>> {
    return this.transaction(async (c) => {
      await this.query('TRUNCATE posts, idempotency_keys, sessions, events, threads, users', [], c);
      const now = Date.now();
      for (const thread of seed.threads) {
        await this.query(
          'INSERT INTO threads (id, title, url, locked, mode, created_ms) VALUES ($1, $2, $3, $4, $5, $6)',
          [
            thread.id,
            thread.title,
            thread.url ?? null,
            thread.locked === true,
            thread.mode ?? null,
            now,
          ],
          c,
        );
      }
      const users = new Map<string, Author>();
      for (const user of seed.users ?? []) users.set(user.id, user);
      for (const post of seed.posts)
        if (!users.has(post.author.id)) users.set(post.author.id, post.author);
      for (const user of users.values()) {
        const hash = passwordHashes.get(user.id) ?? null;
        await this.query(
          'INSERT INTO users (id, name, handle, avatar_url, kind, password_hash, created_ms, handle_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [
            user.id,
            user.name,
            user.handle ?? null,
            user.avatarUrl ?? null,
            hash ? 'account' : user.guest ? 'guest' : 'seed',
            hash,
            now,
            keyOf(user.handle),
          ],
          c,
        );
      }
      for (const post of seed.posts) {
        const deleted = post.deleted === true;
        await this.query(
          `INSERT INTO posts (id, thread_id, author_id, body, created_ms, edited_ms, deleted, parent_id, quote_post_id, quote_text)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            post.id,
            post.threadId,
            post.author.id,
            deleted ? '' : post.body,
            Date.parse(post.createdAt),
            post.editedAt ? Date.parse(post.editedAt) : null,
            deleted,
            post.parentId ?? null,
            !deleted && post.quote ? post.quote.postId : null,
            !deleted && post.quote ? post.quote.text : null,
          ],
          c,
        );
      }
      const tokens: Record<string, string> = {};
      for (const user of seed.users ?? [])
        tokens[user.id] = await this.session(user.id, sessionDays, c);
      return tokens;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.clear();
    await this.channel?.close();
    this.channel = null;
    await this.pool.end();
  }
}
