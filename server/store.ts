/**
 * Everything the server keeps, over one SQLite connection. better-sqlite3 is synchronous and
 * Node runs one request handler at a time between awaits, so every method here is atomic with
 * respect to every other: a write and the events it causes are one transaction, and listeners
 * hear about it only after it has committed.
 */
import type { Author, Post, PostPage, Quote, Thread } from '../src/model/types.js';
import type { Seed } from '../src/model/seed.js';
import { newToken, randomId, tokenHash } from './auth.js';
import type { DB } from './db.js';
import {
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
} from './storage/errors.js';
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
} from './records.js';

export type UserKind = 'account' | 'guest' | 'sso' | 'seed';

/** A user as the server knows them. */
export interface User {
  author: Author;
  kind: UserKind;
  passwordHash: string | null;
}

/** One committed change of a thread, as sent on its event stream. */
export interface StoredEvent {
  id: number;
  threadId: string;
  type: string;
  /** The JSON of the `ThreadChange`, one line. */
  data: string;
}

/**
 * An event as a replay reads it (`replayPage`): with the post it is about and the newest event
 * about that post, so a replay can send the post as it is now instead of text since edited away
 * or deleted.
 */
export interface ReplayEvent extends StoredEvent {
  /** The post a `post-*` event is about; null for a thread event. */
  postId: string | null;
  /** The newest event about that post (this one or a later one, its tombstone when deleted); null for a thread event. */
  latest: { id: number; type: string; data: string } | null;
}

/** Where the history stands, for a replay after event `afterId` (`replayWindow`). */
export interface ReplayWindow {
  /** The id of the newest event ever written (0 before the first). */
  head: number;
  /** The oldest event still kept (any thread), or null when none is. */
  oldest: number | null;
  /** The thread's events after `afterId` up to `head`, counted up to the cap asked for plus one. */
  backlog: number;
}

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_MS = 24 * 60 * 60 * 1000;

/** What `createPost` needs beyond the author. */
export interface PostInput {
  threadId: string;
  body: string;
  parentId: string | null;
  quote: Quote | null;
}

/**
 * A page of replay: the thread's events in (after, through], each joined to the newest event
 * about the same post. The same SQL on SQLite and PostgreSQL (`?` placeholders there become `$n`).
 */
export const REPLAY_SELECT = `SELECT e.id, e.thread_id AS "threadId", e.type, e.data, e.post_id AS "postId",
    l.id AS "latestId", l.type AS "latestType", l.data AS "latestData"
  FROM events e
  LEFT JOIN events l ON l.id = (SELECT MAX(x.id) FROM events x WHERE x.post_id = e.post_id)
  WHERE e.thread_id = ? AND e.id > ? AND e.id <= ?
  ORDER BY e.id
  LIMIT ?`;

/** A row of `REPLAY_SELECT`. */
export interface ReplayRow extends StoredEvent {
  postId: string | null;
  latestId: number | null;
  latestType: string | null;
  latestData: string | null;
}

export function toReplayEvent(row: ReplayRow): ReplayEvent {
  return {
    id: row.id,
    threadId: row.threadId,
    type: row.type,
    data: row.data,
    postId: row.postId,
    latest:
      row.postId !== null && row.latestId !== null
        ? { id: row.latestId, type: row.latestType!, data: row.latestData! }
        : null,
  };
}

export class Store {
  private pending: StoredEvent[] | null = null;
  private lastMs = 0;
  private sequence = 0;
  private readonly q;

  constructor(
    readonly db: DB,
    private readonly onEvent: (event: StoredEvent) => void = () => {},
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      thread: p('SELECT id, title, url, locked, mode FROM threads WHERE id = ?'),
      insertThread: p(
        'INSERT INTO threads (id, title, url, locked, mode, created_ms) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      lockThread: p('UPDATE threads SET locked = ? WHERE id = ?'),
      threadCount: p('SELECT COUNT(*) FROM threads').pluck(),
      post: p(`${POST_SELECT} WHERE p.id = ?`),
      postKey: p('SELECT thread_id, created_ms FROM posts WHERE id = ?'),
      first: p(`${POST_SELECT} WHERE p.thread_id = ? ORDER BY p.created_ms, p.id LIMIT ?`),
      last: p(`${POST_SELECT} WHERE p.thread_id = ? ORDER BY p.created_ms DESC, p.id DESC LIMIT ?`),
      after: p(
        `${POST_SELECT} WHERE p.thread_id = ? AND (p.created_ms, p.id) > (?, ?) ORDER BY p.created_ms, p.id LIMIT ?`,
      ),
      before: p(
        `${POST_SELECT} WHERE p.thread_id = ? AND (p.created_ms, p.id) < (?, ?) ORDER BY p.created_ms DESC, p.id DESC LIMIT ?`,
      ),
      total: p('SELECT COUNT(*) FROM posts WHERE thread_id = ?').pluck(),
      countBefore: p(
        'SELECT COUNT(*) FROM posts WHERE thread_id = ? AND (created_ms, id) < (?, ?)',
      ).pluck(),
      postExists: p('SELECT 1 FROM posts WHERE id = ?').pluck(),
      insertPost:
        p(`INSERT INTO posts (id, thread_id, author_id, body, created_ms, edited_ms, deleted, parent_id, quote_post_id, quote_text)
        VALUES (@id, @threadId, @authorId, @body, @createdMs, @editedMs, @deleted, @parentId, @quotePostId, @quoteText)`),
      editPost: p('UPDATE posts SET body = ?, edited_ms = ? WHERE id = ?'),
      deletePost: p(
        "UPDATE posts SET deleted = 1, body = '', quote_post_id = NULL, quote_text = NULL, edited_ms = ? WHERE id = ?",
      ),
      user: p('SELECT id, name, handle, avatar_url, kind, password_hash FROM users WHERE id = ?'),
      account: p(
        "SELECT id, name, handle, avatar_url, kind, password_hash FROM users WHERE kind = 'account' AND lower(handle) = lower(?)",
      ),
      // Whether someone other than the user with id (2nd) has a handle with key (1st).
      handleTaken: p(
        "SELECT 1 FROM users WHERE kind <> 'guest' AND handle_key = ? AND id <> ? LIMIT 1",
      ).pluck(),
      insertUser: p(
        'INSERT INTO users (id, name, handle, avatar_url, kind, password_hash, created_ms, handle_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateProfile: p(
        'UPDATE users SET name = ?, handle = ?, avatar_url = ?, handle_key = ? WHERE id = ?',
      ),
      insertSession: p(
        'INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)',
      ),
      session: p('SELECT user_id, expires_ms FROM sessions WHERE token_hash = ?'),
      renewSession: p('UPDATE sessions SET expires_ms = ? WHERE token_hash = ?'),
      deleteSession: p('DELETE FROM sessions WHERE token_hash = ?'),
      idempotency: p(
        'SELECT request_hash, post_id, created_ms FROM idempotency_keys WHERE user_id = ? AND key = ?',
      ),
      insertIdempotency: p(
        'INSERT OR REPLACE INTO idempotency_keys (user_id, key, request_hash, post_id, created_ms) VALUES (?, ?, ?, ?, ?)',
      ),
      insertEvent: p(
        'INSERT INTO events (thread_id, type, data, created_ms, post_id) VALUES (?, ?, ?, ?, ?)',
      ),
      eventsAfter: p(
        'SELECT id, thread_id AS threadId, type, data FROM events WHERE thread_id = ? AND id > ? ORDER BY id',
      ),
      headEvent: p("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck(),
      replayWindow: p(`SELECT
          COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS head,
          (SELECT MIN(id) FROM events) AS oldest,
          (SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE thread_id = ? AND id > ? LIMIT ?)) AS backlog`),
      replayPage: p(REPLAY_SELECT),
    };
    // Handles stored before migration 2 get their keys once.
    const unkeyed = db
      .prepare('SELECT id, handle FROM users WHERE handle IS NOT NULL AND handle_key IS NULL')
      .all() as { id: string; handle: string }[];
    const setKey = db.prepare('UPDATE users SET handle_key = ? WHERE id = ?');
    if (unkeyed.length > 0)
      db.transaction(() => unkeyed.forEach((row) => setKey.run(keyOf(row.handle), row.id)))();
  }

  // ---- Threads

  getThread(id: string): Thread | undefined {
    const row = this.q.thread.get(id) as ThreadRow | undefined;
    return row && toThread(row);
  }

  requireThread(id: string): Thread {
    const thread = this.getThread(id);
    if (!thread) throw noThread(id);
    return thread;
  }

  createThread(id: string, title: string, url: string | null): Thread {
    return this.write(() => {
      const existing = this.getThread(id);
      if (existing) return existing;
      this.q.insertThread.run(id, title, url, 0, modeOfNewThread(id, url), Date.now());
      return this.requireThread(id);
    });
  }

  setLocked(id: string, locked: boolean): Thread {
    return this.write(() => {
      const before = this.requireThread(id);
      if ((before.locked ?? false) === locked) return before;
      this.q.lockThread.run(locked ? 1 : 0, id);
      const thread = this.requireThread(id);
      this.emit(id, 'thread-updated', { thread });
      return thread;
    });
  }

  hasThreads(): boolean {
    return (this.q.threadCount.get() as number) > 0;
  }

  // ---- Reading posts

  getPost(id: string): Post | undefined {
    const row = this.q.post.get(id) as PostRow | undefined;
    return row && toPost(row);
  }

  requirePost(id: string): Post {
    const post = this.getPost(id);
    if (!post) throw noPost();
    return post;
  }

  /** A page of a thread, oldest first: from a cursor, or the first (last, `backward`) page. */
  listPosts(
    threadId: string,
    options: { cursor: string | null; limit: number; backward: boolean },
  ): PostPage {
    this.requireThread(threadId);
    const total = this.q.total.get(threadId) as number;
    const { limit } = options;
    if (options.cursor === null) {
      if (!options.backward)
        return this.page(this.rows(this.q.first.all(threadId, limit)), 0, total);
      const posts = this.rows(this.q.last.all(threadId, limit)).reverse();
      return this.page(posts, total - posts.length, total);
    }
    const cursor = decodeCursor(options.cursor);
    const key =
      cursor &&
      (this.q.postKey.get(cursor.postId) as { thread_id: string; created_ms: number } | undefined);
    if (!cursor || !key || key.thread_id !== threadId) throw badCursor();
    const before = this.q.countBefore.get(threadId, key.created_ms, cursor.postId) as number;
    if (cursor.direction === 'a') {
      return this.page(
        this.rows(this.q.after.all(threadId, key.created_ms, cursor.postId, limit)),
        before + 1,
        total,
      );
    }
    const posts = this.rows(
      this.q.before.all(threadId, key.created_ms, cursor.postId, limit),
    ).reverse();
    return this.page(posts, before - posts.length, total);
  }

  /** Up to `before` posts, the post, up to `after` posts. */
  listAround(threadId: string, postId: string, before: number, after: number): PostPage {
    this.requireThread(threadId);
    const key = this.q.postKey.get(postId) as { thread_id: string; created_ms: number } | undefined;
    if (!key || key.thread_id !== threadId) throw notInThread();
    const total = this.q.total.get(threadId) as number;
    const index = this.q.countBefore.get(threadId, key.created_ms, postId) as number;
    const earlier =
      before > 0
        ? this.rows(this.q.before.all(threadId, key.created_ms, postId, before)).reverse()
        : [];
    const later =
      after > 0 ? this.rows(this.q.after.all(threadId, key.created_ms, postId, after)) : [];
    return this.page(
      [...earlier, this.requirePost(postId), ...later],
      index - earlier.length,
      total,
    );
  }

  /** Posts that are not deleted, per thread; unknown threads count 0. */
  counts(threadIds: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const id of threadIds) counts[id] = 0;
    if (threadIds.length === 0) return counts;
    const placeholders = threadIds.map(() => '?').join(', ');
    const rows = this.db
      .prepare(
        `SELECT thread_id AS id, COUNT(*) AS n FROM posts WHERE deleted = 0 AND thread_id IN (${placeholders}) GROUP BY thread_id`,
      )
      .all(...threadIds) as { id: string; n: number }[];
    for (const row of rows) counts[row.id] = row.n;
    return counts;
  }

  private rows(rows: unknown[]): Post[] {
    return (rows as PostRow[]).map(toPost);
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

  /**
   * Publishes a post, or with an idempotency key already used for the same request returns the
   * post that request created (`created: false`). Throws `conflict` for a key reused for a
   * different request.
   */
  createPost(
    author: Author,
    input: PostInput,
    idempotency: { key: string; hash: string } | null,
  ): { post: Post; created: boolean } {
    return this.write(() => {
      const now = Date.now();
      if (idempotency) {
        const seen = this.q.idempotency.get(author.id, idempotency.key) as
          { request_hash: string; post_id: string; created_ms: number } | undefined;
        if (seen && seen.created_ms > now - IDEMPOTENCY_MS) {
          if (seen.request_hash !== idempotency.hash) {
            throw keyReused();
          }
          const post = this.getPost(seen.post_id);
          if (post) return { post, created: false };
        }
      }
      const thread = this.requireThread(input.threadId);
      if (thread.locked) throw lockedForReplies();
      if (input.parentId !== null) {
        const parent = this.q.postKey.get(input.parentId) as { thread_id: string } | undefined;
        if (!parent || parent.thread_id !== thread.id) throw parentElsewhere();
      }
      if (input.quote !== null) {
        const quoted = this.q.postKey.get(input.quote.postId) as { thread_id: string } | undefined;
        if (!quoted || quoted.thread_id !== thread.id) throw quoteElsewhere();
      }
      const createdMs = (this.lastMs = Math.max(now, this.lastMs));
      const id = this.newPostId(createdMs);
      this.q.insertPost.run({
        id,
        threadId: thread.id,
        authorId: author.id,
        body: input.body,
        createdMs,
        editedMs: null,
        deleted: 0,
        parentId: input.parentId,
        quotePostId: input.quote?.postId ?? null,
        quoteText: input.quote?.text ?? null,
      });
      if (idempotency)
        this.q.insertIdempotency.run(author.id, idempotency.key, idempotency.hash, id, now);
      const post = this.requirePost(id);
      this.emit(thread.id, 'post-created', { post });
      return { post, created: true };
    });
  }

  /** Whether `userId` used `key` in the last 24 hours (a retry, which costs no rate-limit token). */
  hasIdempotencyKey(userId: string, key: string): boolean {
    const seen = this.q.idempotency.get(userId, key) as { created_ms: number } | undefined;
    return seen !== undefined && seen.created_ms > Date.now() - IDEMPOTENCY_MS;
  }

  /** Replaces the body of `author`'s own post. */
  updatePost(author: Author, postId: string, body: string): Post {
    return this.write(() => {
      const post = this.requirePost(postId);
      if (post.author.id !== author.id) throw notYourPost('edit');
      if (post.deleted) throw deletedPost();
      // Locked means the discussion stands as it is: no new words, and no rewritten ones.
      // Deleting stays possible (see deletePost).
      if (this.requireThread(post.threadId).locked) throw lockedForEdits();
      this.q.editPost.run(body, Math.max(Date.now(), Date.parse(post.createdAt) + 1), postId);
      const updated = this.requirePost(postId);
      this.emit(post.threadId, 'post-updated', { post: updated });
      return updated;
    });
  }

  /**
   * Turns a post into its tombstone: its author's own, or any post for a moderator, in a locked
   * thread too (people may always take back their own words; a lock only stops new ones).
   */
  deletePost(author: Author, moderator: boolean, postId: string): Post {
    return this.write(() => {
      const post = this.requirePost(postId);
      if (post.author.id !== author.id && !moderator) throw notYourPost('delete');
      if (post.deleted) return post;
      this.q.deletePost.run(Math.max(Date.now(), Date.parse(post.createdAt) + 1), postId);
      const tombstone = this.requirePost(postId);
      this.emit(post.threadId, 'post-deleted', { post: tombstone });
      return tombstone;
    });
  }

  /** Ids sort in creation order within a millisecond: `p` + time + sequence + random. */
  private newPostId(ms: number): string {
    for (;;) {
      const id = `p${ms.toString(36).padStart(9, '0')}${(this.sequence++ % 36 ** 4).toString(36).padStart(4, '0')}${randomId('').slice(0, 4)}`;
      if (!this.q.postExists.get(id)) return id;
    }
  }

  // ---- Users and sessions

  getUser(id: string): User | undefined {
    const row = this.q.user.get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  findAccount(handle: string): User | undefined {
    const row = this.q.account.get(handle) as UserRow | undefined;
    return row && toUser(row);
  }

  /** A new built-in account; `conflict` when the handle is taken. */
  createAccount(name: string, handle: string, passwordHash: string): Author {
    return this.write(() => {
      if (this.q.handleTaken.get(keyOf(handle), '')) {
        throw handleTaken(handle);
      }
      const id = randomId('u-');
      this.q.insertUser.run(
        id,
        name,
        handle,
        null,
        'account',
        passwordHash,
        Date.now(),
        keyOf(handle),
      );
      return this.getUser(id)!.author;
    });
  }

  createGuest(name: string): Author {
    const id = randomId('guest-');
    this.q.insertUser.run(id, name, null, null, 'guest', null, Date.now(), null);
    return this.getUser(id)!.author;
  }

  /**
   * Records (or refreshes) a single-sign-on user as `sso:<sub>`; writes only when something
   * changed. A handle someone else has (any kind of user, compared by `handle_key`) is dropped:
   * the user keeps their identity and name, without the handle.
   */
  upsertSsoUser(identity: {
    sub: string;
    name: string;
    handle?: string;
    avatarUrl?: string;
  }): Author {
    const id = `sso:${identity.sub}`;
    const avatar = identity.avatarUrl ?? null;
    const row = this.q.user.get(id) as UserRow | undefined;
    const handleFor = () =>
      identity.handle !== undefined && !this.q.handleTaken.get(keyOf(identity.handle), id)
        ? identity.handle
        : null;
    // An unchanged profile (the common case: every request carries the token) costs two reads.
    if (
      row &&
      row.name === identity.name &&
      row.avatar_url === avatar &&
      row.handle === handleFor()
    )
      return toUser(row).author;
    return this.write(() => {
      const handle = handleFor();
      if (!row)
        this.q.insertUser.run(
          id,
          identity.name,
          handle,
          avatar,
          'sso',
          null,
          Date.now(),
          keyOf(handle),
        );
      else this.q.updateProfile.run(identity.name, handle, avatar, keyOf(handle), id);
      return this.getUser(id)!.author;
    });
  }

  /**
   * Turns the built-in accounts among `ids` into password-less members (kind `seed`) and ends
   * their sessions; their posts and handles stay. Returns the handles of the accounts changed.
   */
  disableAccounts(ids: readonly string[]): string[] {
    return this.write(() => {
      const disabled: string[] = [];
      for (const id of ids) {
        const user = this.getUser(id);
        if (!user || user.kind !== 'account') continue;
        this.db
          .prepare("UPDATE users SET kind = 'seed', password_hash = NULL WHERE id = ?")
          .run(id);
        this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
        disabled.push(user.author.handle ?? id);
      }
      return disabled;
    });
  }

  /** A new session for `userId`; returns the token (only its hash is stored). */
  createSession(userId: string, days: number): string {
    const token = newToken();
    const now = Date.now();
    this.q.insertSession.run(tokenHash(token), userId, now, now + days * 86_400_000);
    return token;
  }

  /**
   * The user a session token belongs to, when it is valid. Sessions slide: one used when less
   * than half of its `days` is left is extended to `days` from now, so a reader who comes back
   * stays signed in, and one who stays away is signed out `days` after their last visit.
   */
  sessionUser(token: string, days: number, now = Date.now()): User | undefined {
    const hash = tokenHash(token);
    const row = this.q.session.get(hash) as { user_id: string; expires_ms: number } | undefined;
    if (!row || row.expires_ms <= now) return undefined;
    const life = days * 86_400_000;
    if (row.expires_ms - now < life / 2) this.q.renewSession.run(now + life, hash);
    return this.getUser(row.user_id);
  }

  deleteSession(token: string): void {
    this.q.deleteSession.run(tokenHash(token));
  }

  // ---- Events

  /** The committed changes of a thread after event `lastId`, in order. */
  eventsAfter(threadId: string, lastId: number): StoredEvent[] {
    return this.q.eventsAfter.all(threadId, lastId) as StoredEvent[];
  }

  /** The id of the newest event ever written (0 before the first). */
  headEventId(): number {
    return (this.q.headEvent.get() as number | undefined) ?? 0;
  }

  /** Where the history stands for a replay of `threadId` after `afterId`; `backlog` counted up to `cap + 1`. */
  replayWindow(threadId: string, afterId: number, cap: number): ReplayWindow {
    return this.q.replayWindow.get(threadId, afterId, cap + 1) as ReplayWindow;
  }

  /**
   * Up to `limit` of the thread's events after `afterId` and up to `throughId`, in order, each
   * with the newest event about its post.
   */
  replayPage(threadId: string, afterId: number, throughId: number, limit: number): ReplayEvent[] {
    return (this.q.replayPage.all(threadId, afterId, throughId, limit) as ReplayRow[]).map(
      toReplayEvent,
    );
  }

  private emit(threadId: string, type: string, payload: Record<string, unknown>): void {
    if (!this.pending) throw new Error('events are written inside write()');
    const data = JSON.stringify({ type, ...payload });
    const post = payload.post as Post | undefined;
    const id = Number(
      this.q.insertEvent.run(threadId, type, data, Date.now(), post?.id ?? null).lastInsertRowid,
    );
    this.pending.push({ id, threadId, type, data });
  }

  /** Runs `fn` in one IMMEDIATE transaction; its events reach listeners after the commit. */
  private write<T>(fn: () => T): T {
    if (this.pending) return fn();
    const pending: StoredEvent[] = (this.pending = []);
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } finally {
      this.pending = null;
    }
    for (const event of pending) this.onEvent(event);
    return result;
  }

  // ---- Maintenance and seeding

  /** Forgets idempotency keys after 24 hours, expired sessions, and events older than `eventDays`. */
  prune(eventDays: number, now = Date.now()): void {
    this.db.prepare('DELETE FROM idempotency_keys WHERE created_ms <= ?').run(now - IDEMPOTENCY_MS);
    this.db.prepare('DELETE FROM sessions WHERE expires_ms <= ?').run(now);
    this.db.prepare('DELETE FROM events WHERE created_ms <= ?').run(now - eventDays * 86_400_000);
  }

  /**
   * Replaces ALL data with a validated seed (threads, posts, users; see `validateSeed`). Users
   * with a password hash become built-in accounts; the authors of posts who are not in `users`
   * are recorded too. Event ids keep increasing. Returns a session token for every user in `users`.
   */
  replaceAll(
    seed: Seed,
    passwordHashes: ReadonlyMap<string, string>,
    sessionDays: number,
  ): Record<string, string> {
    return this.write(() => {
      for (const table of ['posts', 'idempotency_keys', 'sessions', 'events', 'threads', 'users'])
        this.db.exec(`DELETE FROM ${table}`);
      const now = Date.now();
      for (const thread of seed.threads)
        this.q.insertThread.run(
          thread.id,
          thread.title,
          thread.url ?? null,
          thread.locked ? 1 : 0,
          thread.mode ?? null,
          now,
        );
      const users = new Map<string, Author>();
      for (const user of seed.users ?? []) users.set(user.id, user);
      for (const post of seed.posts)
        if (!users.has(post.author.id)) users.set(post.author.id, post.author);
      for (const user of users.values()) {
        const hash = passwordHashes.get(user.id) ?? null;
        this.q.insertUser.run(
          user.id,
          user.name,
          user.handle ?? null,
          user.avatarUrl ?? null,
          hash ? 'account' : user.guest ? 'guest' : 'seed',
          hash,
          now,
          keyOf(user.handle),
        );
      }
      for (const post of seed.posts) {
        const deleted = post.deleted === true;
        this.q.insertPost.run({
          id: post.id,
          threadId: post.threadId,
          authorId: post.author.id,
          body: deleted ? '' : post.body,
          createdMs: Date.parse(post.createdAt),
          editedMs: post.editedAt ? Date.parse(post.editedAt) : null,
          deleted: deleted ? 1 : 0,
          parentId: post.parentId ?? null,
          quotePostId: !deleted && post.quote ? post.quote.postId : null,
          quoteText: !deleted && post.quote ? post.quote.text : null,
        });
      }
      const tokens: Record<string, string> = {};
      for (const user of seed.users ?? [])
        tokens[user.id] = this.createSession(user.id, sessionDays);
      return tokens;
    });
  }
}

/**
 * Gives the password-less members among `ids` (kind `seed`) built-in accounts again, with
 * `passwordHash`: what `Store.disableAccounts` undid, for demo mode on a database that ran
 * without it. Returns the handles of the accounts restored. A function beside the Store rather
 * than a method, so the Storage contract (server/storage/) need not carry a demo-only operation.
 */
export function restoreAccounts(
  store: Store,
  ids: readonly string[],
  passwordHash: string,
): string[] {
  const update = store.db.prepare(
    "UPDATE users SET kind = 'account', password_hash = ? WHERE id = ? AND kind = 'seed'",
  );
  return store.db
    .transaction(() => {
      const restored: string[] = [];
      for (const id of ids) {
        const user = store.getUser(id);
        if (!user || user.kind !== 'seed' || !user.author.handle) continue;
        update.run(passwordHash, id);
        restored.push(user.author.handle);
      }
      return restored;
    })
    .immediate();
}
