/**
 * The `Storage` contract over the existing synchronous SQLite `Store` (server/store.ts), unchanged:
 * each call runs the Store's method and hands back its result (or its `StoreError`) as a promise.
 * Events reach `onEvent` listeners right after their commit, as the Store's own callback does.
 */
import type { Author, Post, PostPage, Thread } from '../../src/model/types.js';
import type { Seed } from '../../src/model/seed.js';
import { openDatabase, type DB } from '../db.js';
import {
  Store,
  type PostInput,
  type ReplayEvent,
  type ReplayWindow,
  type StoredEvent,
  type User,
} from '../store.js';
import type { EventListener, Idempotency, ListOptions, SsoIdentity, Storage } from './storage.js';

/** Runs a synchronous call and settles a promise with its outcome. */
const settle = <T>(fn: () => T): Promise<T> => {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
};

// ---- The contract keeps up with the Store, at compile time

type Method = (...args: never[]) => unknown;
type StoreMethod = { [K in keyof Store]: Store[K] extends Method ? K : never }[keyof Store];
/** Store methods the Storage contract lacks. */
type Missing = Exclude<StoreMethod, keyof Storage>;
/** Store methods whose Storage version takes other arguments or resolves to another type. */
type Drifted = {
  [K in StoreMethod & keyof Storage]: Store[K] extends (...args: infer A) => infer R
    ? Storage[K] extends (...args: A) => Promise<R>
      ? never
      : K
    : K;
}[StoreMethod & keyof Storage];

/**
 * `true` while every public method of the Store (server/store.ts) is in `Storage` with the same
 * arguments and an awaited result of the same type. A method added to or changed in the Store
 * breaks this line, naming it, until the contract (and PostgresStorage) follows.
 */
export const STORE_COVERED: [Missing | Drifted] extends [never]
  ? true
  : { notInStorage: Missing; changedInStore: Drifted } = true;

export class SqliteStorage implements Storage {
  readonly backend = 'sqlite';
  /** The wrapped Store, for code that still calls it directly. */
  readonly store: Store;
  private readonly listeners = new Set<EventListener>();

  /** Opens (creating and migrating when needed) the database at `path` (`:memory:` for tests). */
  static open(path: string): SqliteStorage {
    return new SqliteStorage(openDatabase(path));
  }

  constructor(readonly db: DB) {
    this.store = new Store(db, (event) => this.dispatch(event));
  }

  getThread(id: string): Promise<Thread | undefined> {
    return settle(() => this.store.getThread(id));
  }

  requireThread(id: string): Promise<Thread> {
    return settle(() => this.store.requireThread(id));
  }

  createThread(id: string, title: string, url: string | null): Promise<Thread> {
    return settle(() => this.store.createThread(id, title, url));
  }

  setLocked(id: string, locked: boolean): Promise<Thread> {
    return settle(() => this.store.setLocked(id, locked));
  }

  hasThreads(): Promise<boolean> {
    return settle(() => this.store.hasThreads());
  }

  getPost(id: string): Promise<Post | undefined> {
    return settle(() => this.store.getPost(id));
  }

  requirePost(id: string): Promise<Post> {
    return settle(() => this.store.requirePost(id));
  }

  listPosts(threadId: string, options: ListOptions): Promise<PostPage> {
    return settle(() => this.store.listPosts(threadId, options));
  }

  listAround(threadId: string, postId: string, before: number, after: number): Promise<PostPage> {
    return settle(() => this.store.listAround(threadId, postId, before, after));
  }

  counts(threadIds: readonly string[]): Promise<Record<string, number>> {
    return settle(() => this.store.counts(threadIds));
  }

  createPost(
    author: Author,
    input: PostInput,
    idempotency: Idempotency | null,
  ): Promise<{ post: Post; created: boolean }> {
    return settle(() => this.store.createPost(author, input, idempotency));
  }

  hasIdempotencyKey(userId: string, key: string): Promise<boolean> {
    return settle(() => this.store.hasIdempotencyKey(userId, key));
  }

  updatePost(author: Author, postId: string, body: string): Promise<Post> {
    return settle(() => this.store.updatePost(author, postId, body));
  }

  deletePost(author: Author, moderator: boolean, postId: string): Promise<Post> {
    return settle(() => this.store.deletePost(author, moderator, postId));
  }

  getUser(id: string): Promise<User | undefined> {
    return settle(() => this.store.getUser(id));
  }

  findAccount(handle: string): Promise<User | undefined> {
    return settle(() => this.store.findAccount(handle));
  }

  createAccount(name: string, handle: string, passwordHash: string): Promise<Author> {
    return settle(() => this.store.createAccount(name, handle, passwordHash));
  }

  createGuest(name: string): Promise<Author> {
    return settle(() => this.store.createGuest(name));
  }

  upsertSsoUser(identity: SsoIdentity): Promise<Author> {
    return settle(() => this.store.upsertSsoUser(identity));
  }

  disableAccounts(ids: readonly string[]): Promise<string[]> {
    return settle(() => this.store.disableAccounts(ids));
  }

  createSession(userId: string, days: number): Promise<string> {
    return settle(() => this.store.createSession(userId, days));
  }

  sessionUser(token: string, days: number, now = Date.now()): Promise<User | undefined> {
    return settle(() => this.store.sessionUser(token, days, now));
  }

  deleteSession(token: string): Promise<void> {
    return settle(() => this.store.deleteSession(token));
  }

  eventsAfter(threadId: string, lastId: number): Promise<StoredEvent[]> {
    return settle(() => this.store.eventsAfter(threadId, lastId).map((event) => ({ ...event })));
  }

  headEventId(): Promise<number> {
    return settle(() => this.store.headEventId());
  }

  replayWindow(threadId: string, afterId: number, cap: number): Promise<ReplayWindow> {
    return settle(() => this.store.replayWindow(threadId, afterId, cap));
  }

  replayPage(
    threadId: string,
    afterId: number,
    throughId: number,
    limit: number,
  ): Promise<ReplayEvent[]> {
    return settle(() => this.store.replayPage(threadId, afterId, throughId, limit));
  }

  onEvent(listener: EventListener): Promise<() => void> {
    // A distinct wrapper per call, so subscribing the same function twice hears events twice and
    // each unsubscribe ends only its own subscription.
    const entry: EventListener = (event) => listener(event);
    this.listeners.add(entry);
    return Promise.resolve(() => {
      this.listeners.delete(entry);
    });
  }

  prune(eventDays: number, now = Date.now()): Promise<void> {
    return settle(() => this.store.prune(eventDays, now));
  }

  replaceAll(
    seed: Seed,
    passwordHashes: ReadonlyMap<string, string>,
    sessionDays: number,
  ): Promise<Record<string, string>> {
    return settle(() => this.store.replaceAll(seed, passwordHashes, sessionDays));
  }

  close(): Promise<void> {
    this.listeners.clear();
    return settle(() => {
      if (this.db.open) this.db.close();
    });
  }

  private dispatch(event: StoredEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not stop the others, nor undo a committed write.
      }
    }
  }
}
