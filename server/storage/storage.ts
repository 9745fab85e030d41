/**
 * The storage contract: everything the reference server keeps, as one asynchronous interface, so
 * the same server can run on one SQLite file (`SqliteStorage`, one machine) or on PostgreSQL
 * (`PostgresStorage`, any number of machines sharing one database).
 *
 * The methods and their shapes are those of the synchronous `Store` (server/store.ts), with every
 * result wrapped in a promise; wiring app.ts to this interface is a matter of `await`. Failures
 * are the same domain errors: the promise rejects with a `StoreError` (server/storage/errors.ts)
 * whose `kind` is `not-found`, `invalid` (with `field`), `forbidden`, `locked`, `conflict` or
 * `gone` exactly where the Store throws them, and with the same messages; server/problem.ts maps
 * a kind to its problem document, in one place. A backend that cannot reach its database rejects
 * with `unavailable`. Storage faults (disk full, read-only, I/O) pass through as the driver's
 * errors, for server/faults.ts to name.
 *
 * Every write and the events it causes commit together, or not at all. Event ids increase in
 * commit order and are never reused (not after pruning, not after `replaceAll`), so a
 * `Last-Event-ID` always names the same point in the history.
 */
import type { Author, Post, PostPage, Thread } from '../../src/model/types.js';
import type { Seed } from '../../src/model/seed.js';
import type { PostInput, ReplayEvent, ReplayWindow, StoredEvent, User } from '../store.js';

export type {
  PostInput,
  ReplayEvent,
  ReplayWindow,
  StoredEvent,
  User,
  UserKind,
} from '../store.js';
export { IDEMPOTENCY_MS } from '../store.js';

/** Hears committed events. */
export type EventListener = (event: StoredEvent) => void;

/** What `createPost` is given with an `Idempotency-Key`: the key and a hash of the request. */
export interface Idempotency {
  key: string;
  hash: string;
}

/** The options of `listPosts`. */
export interface ListOptions {
  /** A cursor from an earlier page (`nextCursor` / `prevCursor`), or null for an end of the thread. */
  cursor: string | null;
  limit: number;
  /** Without a cursor: the last page instead of the first. */
  backward: boolean;
}

/** A single-sign-on identity, as `verifySsoToken` returns it. */
export interface SsoIdentity {
  sub: string;
  name: string;
  handle?: string;
  avatarUrl?: string;
}

export interface Storage {
  /** Which backend this is, for logs and the health check. */
  readonly backend: 'sqlite' | 'postgres';

  // ---- Threads

  getThread(id: string): Promise<Thread | undefined>;
  /** The thread, or `not-found`. */
  requireThread(id: string): Promise<Thread>;
  /** Creates the thread, or returns it unchanged when it exists. */
  createThread(id: string, title: string, url: string | null): Promise<Thread>;
  /** Locks or unlocks; `thread-updated` when it changed. `not-found` for an unknown thread. */
  setLocked(id: string, locked: boolean): Promise<Thread>;
  hasThreads(): Promise<boolean>;

  // ---- Reading posts

  getPost(id: string): Promise<Post | undefined>;
  /** The post, or `not-found`. */
  requirePost(id: string): Promise<Post>;
  /**
   * A page of a thread in reading order (created instant, then id), oldest first: from a cursor,
   * or the first (last, `backward`) page. `not-found` for an unknown thread; `invalid` (field
   * `cursor`) for a cursor this thread did not issue.
   */
  listPosts(threadId: string, options: ListOptions): Promise<PostPage>;
  /** Up to `before` posts, the post, up to `after` posts; `not-found` when the post is not in the thread. */
  listAround(threadId: string, postId: string, before: number, after: number): Promise<PostPage>;
  /** Posts that are not deleted, per thread; unknown threads count 0. */
  counts(threadIds: readonly string[]): Promise<Record<string, number>>;

  // ---- Writing posts

  /**
   * Publishes a post (`post-created`), or with an idempotency key already used for the same
   * request in the last 24 hours returns the post that request created (`created: false`, no
   * event). `conflict` for a key reused for a different request; `not-found` for an unknown
   * thread; `forbidden` for a locked one; `invalid` (`parentId`, `quote.postId`) for a parent or
   * quoted post outside the thread.
   */
  createPost(
    author: Author,
    input: PostInput,
    idempotency: Idempotency | null,
  ): Promise<{ post: Post; created: boolean }>;
  /** Whether `userId` used `key` in the last 24 hours (a retry, which costs no rate-limit token). */
  hasIdempotencyKey(userId: string, key: string): Promise<boolean>;
  /**
   * Replaces the body of `author`'s own post (`post-updated`); `forbidden` for another's or in a
   * locked thread, `conflict` for a tombstone.
   */
  updatePost(author: Author, postId: string, body: string): Promise<Post>;
  /** Turns a post into its tombstone (`post-deleted`): its author's own, or any post for a moderator; locked threads too. */
  deletePost(author: Author, moderator: boolean, postId: string): Promise<Post>;

  // ---- Users and sessions

  getUser(id: string): Promise<User | undefined>;
  /** The built-in account with this handle (any case). */
  findAccount(handle: string): Promise<User | undefined>;
  /**
   * A new built-in account; `conflict` (field `handle`) when a user who is not a guest has the
   * handle or one that looks like it (`handleSkeleton`, server/handles.ts).
   */
  createAccount(name: string, handle: string, passwordHash: string): Promise<Author>;
  /** A guest: a name nobody checked; its author carries `guest: true`. */
  createGuest(name: string): Promise<Author>;
  /** Records (or refreshes) a single-sign-on user as `sso:<sub>`, dropping a handle someone else has. */
  upsertSsoUser(identity: SsoIdentity): Promise<Author>;
  /**
   * Turns the built-in accounts among `ids` into password-less members (kind `seed`) and ends
   * their sessions; their posts and handles stay. Resolves to the handles of the accounts changed.
   */
  disableAccounts(ids: readonly string[]): Promise<string[]>;
  /** A new session for `userId`; resolves to the token (only its hash is stored). */
  createSession(userId: string, days: number): Promise<string>;
  /** The user of a valid session token; sessions with less than half of `days` left slide to `days` from `now`. */
  sessionUser(token: string, days: number, now?: number): Promise<User | undefined>;
  deleteSession(token: string): Promise<void>;

  // ---- Events

  /** The committed changes of a thread after event `lastId`, in order. */
  eventsAfter(threadId: string, lastId: number): Promise<StoredEvent[]>;
  /** The id of the newest event ever written (0 before the first). */
  headEventId(): Promise<number>;
  /**
   * Where the history stands for a replay of `threadId` after event `afterId`, read at one
   * instant: the head, the oldest event kept, and how many of the thread's events follow
   * `afterId` (counted up to `cap + 1`, so a caller can tell "more than `cap`").
   */
  replayWindow(threadId: string, afterId: number, cap: number): Promise<ReplayWindow>;
  /**
   * One page of a replay: up to `limit` of the thread's events after `afterId` and up to
   * `throughId`, in id order, each with the newest event about its post (see server/replay.ts).
   */
  replayPage(
    threadId: string,
    afterId: number,
    throughId: number,
    limit: number,
  ): Promise<ReplayEvent[]>;
  /**
   * Subscribes to committed events, in id order, each once. SQLite: the events this instance
   * writes, right after their commit. PostgreSQL: the events EVERY instance on the database
   * writes (LISTEN/NOTIFY), this one's included, caught up after a lost connection. Resolves
   * once the subscription is live (events committed after that reach `listener`) to the
   * function that ends it.
   */
  onEvent(listener: EventListener): Promise<() => void>;

  // ---- Maintenance and seeding

  /** Forgets idempotency keys after 24 hours, expired sessions, and events older than `eventDays`. */
  prune(eventDays: number, now?: number): Promise<void>;
  /**
   * Replaces ALL data with a validated seed (threads, posts, users). Users with a password hash
   * become built-in accounts; post authors missing from `users` are recorded too. Event ids keep
   * increasing. Resolves to a session token for every user in `users`. For tests and demos.
   */
  replaceAll(
    seed: Seed,
    passwordHashes: ReadonlyMap<string, string>,
    sessionDays: number,
  ): Promise<Record<string, string>>;
  /** Stops listening and closes the connection(s). */
  close(): Promise<void>;
}
