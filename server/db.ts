/**
 * The SQLite database: opened in WAL mode with `synchronous=FULL`, so a transaction that has
 * returned is on disk (a 201 is only sent after that), and brought up to date by numbered
 * migrations recorded in `schema_migrations`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type DB = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every schema change, in order. Never edit one that has shipped: add the next number.
 * Times are milliseconds since 1970 (UTC); ids are the protocol's strings.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'threads, users, posts, sessions, idempotency keys and events',
    sql: `
      CREATE TABLE threads (
        id         TEXT PRIMARY KEY,
        title      TEXT NOT NULL,
        url        TEXT,
        locked     INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL
      );

      -- Everyone who can author a post. kind: 'account' (handle + password), 'guest',
      -- 'sso' (id "sso:<sub>"), 'seed' (imported with data; signs in only through a seed token).
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        handle        TEXT,
        avatar_url    TEXT,
        kind          TEXT NOT NULL CHECK (kind IN ('account', 'guest', 'sso', 'seed')),
        password_hash TEXT,
        created_ms    INTEGER NOT NULL
      );
      -- Handles are ASCII (see HANDLE_PATTERN), so lower() folds case completely.
      CREATE UNIQUE INDEX users_account_handle ON users (lower(handle)) WHERE kind = 'account';
      CREATE INDEX users_handle ON users (lower(handle));

      CREATE TABLE posts (
        id            TEXT PRIMARY KEY,
        thread_id     TEXT NOT NULL REFERENCES threads (id),
        author_id     TEXT NOT NULL REFERENCES users (id),
        body          TEXT NOT NULL,
        created_ms    INTEGER NOT NULL,
        edited_ms     INTEGER,
        deleted       INTEGER NOT NULL DEFAULT 0,
        parent_id     TEXT,
        quote_post_id TEXT,
        quote_text    TEXT
      );
      -- The reading order: oldest first, ties by id. Pages are keyset queries on this index.
      CREATE INDEX posts_order ON posts (thread_id, created_ms, id);

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id),
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE idempotency_keys (
        user_id      TEXT NOT NULL,
        key          TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        post_id      TEXT NOT NULL,
        created_ms   INTEGER NOT NULL,
        PRIMARY KEY (user_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_keys_age ON idempotency_keys (created_ms);

      -- Live changes. AUTOINCREMENT: ids are never reused, even after rows are pruned or the
      -- data is replaced by a seed, so a Last-Event-ID always means the same point in time.
      CREATE TABLE events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        thread_id  TEXT NOT NULL,
        type       TEXT NOT NULL,
        data       TEXT NOT NULL,
        created_ms INTEGER NOT NULL
      );
      CREATE INDEX events_thread ON events (thread_id, id);
    `,
  },
  {
    version: 2,
    name: 'handle keys: handles compared case-folded and by look-alike skeleton',
    sql: `
      -- handleSkeleton(handle) (server/handles.ts), filled in by the Store for rows without one.
      -- Not UNIQUE: databases from before may hold clashing handles; the Store keeps new ones apart.
      ALTER TABLE users ADD COLUMN handle_key TEXT;
      CREATE INDEX users_handle_key ON users (handle_key);
    `,
  },
  {
    version: 3,
    name: 'events name their post, so a replay can send the post as it is now',
    sql: `
      -- The post a post-created / -updated / -deleted event is about (NULL for thread events):
      -- a Last-Event-ID replay sends each post's newest state, never text edited away or deleted.
      ALTER TABLE events ADD COLUMN post_id TEXT;
      UPDATE events SET post_id = json_extract(data, '$.post.id')
        WHERE type IN ('post-created', 'post-updated', 'post-deleted');
      CREATE INDEX events_post ON events (post_id, id) WHERE post_id IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'threads carry their mode: a discussion, or the comments on a page',
    sql: `
      -- 'discussion', 'comments', or NULL (the element decides: comments for a thread keyed by its
      -- page's canonical URL, else a discussion).
      ALTER TABLE threads ADD COLUMN mode TEXT;
    `,
  },
];

/** Opens (creating when needed) and migrates the database at `path`. */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    if (path !== ':memory:') {
      // EXCLUSIVE before WAL: the WAL index lives in this process's memory instead of a
      // memory-mapped -shm file, which a full disk or an unwritable file turns into SIGBUS (the
      // process killed, nothing logged). It also keeps a second server off the same file, where
      // it would miss the first one's events (several instances: PostgreSQL).
      db.pragma('locking_mode = EXCLUSIVE');
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal')
        throw new Error(`SQLite refused WAL mode for ${path} (journal_mode is ${String(mode)}).`);
    }
    // FULL: a commit syncs the WAL, so an acknowledged write survives a crash or power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY'))
      throw new Error(
        `another process has ${path} open (one server per SQLite file; several instances need PostgreSQL, PARLEY_DATABASE_URL).`,
      );
    throw error;
  }
}

/** Applies the migrations the database has not seen, each in its own transaction. */
export function migrate(db: DB, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(
      `The database has schema version ${newest}, newer than this server knows (${known}). Use a newer server.`,
    );
  }
  const done: number[] = [];
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
    done.push(migration.version);
  }
  return done;
}
