import type {
  AdapterCapabilities,
  AroundOptions,
  CallOptions,
  CommentAdapter,
  CreatePostOptions,
  ListPostsOptions,
  SignInMethod,
  SignInOptions,
  ThreadListener,
} from './adapter.js';
import { ParleyError, throwIfAborted } from '../model/errors.js';
import { comparePosts } from '../model/threading.js';
import {
  checkPostKeys,
  checkReferences,
  checkSeedShape,
  checkThreads,
  checkUsers,
} from '../model/seed.js';
import { checkPostRest, validateAuthor, validatePost, validateThread } from '../model/validate.js';
import { normalizeExcerpt } from '../model/quote.js';
import type {
  Author,
  NewPost,
  Post,
  PostPage,
  Thread,
  ThreadChange,
  Viewer,
} from '../model/types.js';

/** Options of `new MemoryAdapter(…)`. */
export interface MemoryAdapterOptions {
  /** The threads to serve. */
  threads?: Thread[];
  /** Their posts, in any order. */
  posts?: Post[];
  /** Who is reading at first; signed out when absent. */
  viewer?: Viewer;
  /** The people one can sign in as (`signIn({ userId })`). */
  users?: Author[];
  /**
   * Offer signing in as one of `users` (`signInMethods` then includes `member`), as a demo's
   * member picker does. Off by default: a visitor signs in as a guest by name, never as someone
   * else. (`signIn({ userId })` works either way; this only says what the elements offer.)
   */
  allowMemberSignIn?: boolean;
  /**
   * Persist new, edited and deleted posts (and who is signed in) to `localStorage` under
   * `parley:v1:<storageKey>`, so they survive a reload. Stored data that cannot be read is set
   * aside under `parley:v1:<storageKey>:set-aside:<time>` (never deleted) and reported in
   * `storageProblem` and on the console. A change that cannot be stored (the browser's storage
   * is full) is refused with `unavailable` and not made.
   */
  storageKey?: string;
  /** Create a thread on first `getThread` of an unknown id, titled like the page. */
  autoCreateThreads?: boolean;
  /** Longest body accepted, in characters. Default 10,000. */
  maxLength?: number;
  /** Milliseconds every call waits, to show loading states in demos. Default 0. */
  latency?: number;
  /** Page size when `listPosts` is called without a limit. Default 50. */
  pageSize?: number;
}

interface Stored {
  version: 1;
  threads: Record<string, Thread>;
  posts: Record<string, Post>;
  viewerId?: string | null;
  /** The guest last signed in by name, so that `viewerId` can name them after a reload. */
  guest?: Author;
  /** `idempotencyKey`s of created posts, by `<user id> <key>`. */
  keys?: Record<string, StoredKey>;
}

/** What an `idempotencyKey` published: the post, and the request, to tell a retry from a misuse. */
interface StoredKey {
  postId: string;
  request: string;
  /** When it was first used (ms since 1970); keys are forgotten after a day, as the server does. */
  at: number;
}

const STORAGE_VERSION = 1;
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What `copy` returns for what only `structuredClone` copies (a `Date`, a cycle) or refuses. */
const NOT_PLAIN = {};

/** Whether `value` needs copying: it is not a primitive (a function or symbol is refused later). */
const isComposite = (value: unknown) =>
  typeof value === 'object'
    ? value !== null
    : typeof value === 'function' || typeof value === 'symbol';

/** Whether `value` is an object a spread copies as `structuredClone` would: one without a class. */
function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A deep copy of plain data (objects without a class, arrays, primitives), or {@link NOT_PLAIN}. */
function copy(value: unknown, depth: number): unknown {
  if (!isComposite(value)) return value;
  if (typeof value !== 'object' || value === null || depth > 32) return NOT_PLAIN;
  if (Object.getPrototypeOf(value) === Array.prototype) {
    const out = new Array((value as unknown[]).length) as unknown as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      const item = copy((value as Record<string, unknown>)[key], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[key] = item;
    }
    return out;
  }
  if (!isPlainRecord(value)) return NOT_PLAIN;
  const out = { ...value } as Record<string, unknown>;
  for (const key in out) {
    const item = out[key];
    if (isComposite(item)) {
      const copied = copy(item, depth + 1);
      if (copied === NOT_PLAIN) return NOT_PLAIN;
      out[key] = copied;
    }
  }
  return out;
}

/**
 * {@link copy} of a record that holds records of primitives, as Parley's do (a post and its
 * author and quote): one spread per record, without `copy`'s general case. Anything deeper goes
 * to `copy`.
 */
function copyRecord(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !isPlainRecord(value)) return copy(value, 0);
  const out = { ...value } as Record<string, unknown>;
  for (const key in out) {
    const item = out[key];
    if (!isComposite(item)) continue;
    let copied: unknown = NOT_PLAIN;
    if (typeof item === 'object' && item !== null && isPlainRecord(item)) {
      const inner = { ...item } as Record<string, unknown>;
      copied = inner;
      for (const innerKey in inner) {
        if (isComposite(inner[innerKey])) {
          copied = copy(item, 1);
          break;
        }
      }
    } else {
      copied = copy(item, 1);
    }
    if (copied === NOT_PLAIN) return NOT_PLAIN;
    out[key] = copied;
  }
  return out;
}

/**
 * A deep copy, as `structuredClone` makes it, several times faster for the plain records Parley
 * holds; anything else goes to `structuredClone` itself.
 */
function clone<T>(value: T): T {
  const copied = copyRecord(value);
  return copied === NOT_PLAIN ? structuredClone(value) : (copied as T);
}

/**
 * Puts `list` in {@link comparePosts} order, given the posts' times (`Date.parse` of their
 * `createdAt`) when known. A list already in order, as seeds usually are, costs one pass; any
 * other is sorted on times read once per post, not twice per comparison.
 */
function order(list: Post[], known: number[] | null): void {
  const times = known ?? list.map((post) => Date.parse(post.createdAt));
  let sorted = true;
  for (let i = 1; i < list.length && sorted; i++) {
    sorted = times[i - 1] < times[i] || (times[i - 1] === times[i] && list[i - 1].id < list[i].id);
  }
  if (sorted) return;
  const keyed = list.map((post, i) => ({ time: times[i], post }));
  keyed.sort((a, b) =>
    a.time !== b.time
      ? a.time - b.time
      : a.post.id < b.post.id
        ? -1
        : a.post.id > b.post.id
          ? 1
          : 0,
  );
  for (let i = 0; i < keyed.length; i++) list[i] = keyed[i].post;
}

/** Whether a storage error means the browser's storage is full. */
function isQuotaError(error: unknown): boolean {
  return (
    error instanceof DOMException &&
    (error.name === 'QuotaExceededError' ||
      error.name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
      error.code === 22)
  );
}

/** Lists a few problems in one sentence: "a; b; c and 2 more". */
function summarize(problems: readonly string[]): string {
  const shown = problems.slice(0, 3).join('; ');
  return problems.length > 3 ? `${shown}; and ${problems.length - 3} more` : shown;
}

/**
 * Set (to `true`) on options whose seed nobody else holds (`<parley-thread>`'s inline JSON, just
 * parsed): the adapter keeps those records instead of copying them. Not part of the public API.
 */
export const OWNED_SEED = Symbol('parley.ownedSeed');

/**
 * Set on options to a function that rewords a problem found in the seed as its posts are served
 * (`<parley-thread>` says it is in its inline data). Not part of the public API.
 */
export const SEED_PROBLEM = Symbol('parley.seedProblem');

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `p${Date.now().toString(36)}${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The embedded backend: threads and posts held in the page, optionally persisted to
 * `localStorage`. The default adapter of `<parley-thread>`, and the reference every other
 * adapter is measured against by the contract suite.
 *
 * The constructor throws a `ParleyError` (`invalid`, naming the record and field) for a seed it
 * cannot store: posts without a usable `id`, `threadId` or `createdAt`, duplicate ids, unknown
 * threads, bad threads, users or `viewer`. The rest of each post's check is made the first time
 * the post is served, and a read that would serve a bad post fails with that error instead:
 * opening a large seed costs little more than its first page. `validateSeed` checks all at once.
 */
export class MemoryAdapter implements CommentAdapter {
  /**
   * What went wrong with the browser's storage, for the site owner (the console has it too):
   * stored data that could not be read and was set aside, or storage that is not available.
   * `null` when all is well.
   */
  storageProblem: string | null = null;

  private readonly threads = new Map<string, Thread>();
  private readonly posts = new Map<string, Post>();
  /** Each thread's posts: in `comparePosts` order once the thread has no `unorderedTimes`. */
  private readonly byThread = new Map<string, Post[]>();
  /**
   * The times of the posts in each `byThread` list not yet put in order, as the seed's check
   * read them; a thread is in order once it is no longer here.
   */
  private readonly unorderedTimes = new Map<string, number[] | null>();
  private readonly users = new Map<string, Author>();
  /**
   * The seed's posts not yet served, with their place in `posts` of the options: the rest of
   * their check is made when they are first served (`check`).
   */
  private readonly unchecked = new Map<Post, number>();
  /** The posts whose parents are known to lead back to the top of their thread. */
  private readonly grounded = new Set<string>();
  /** How a problem in the seed is put to whoever reads it (`<parley-thread>` names its data). */
  private readonly describeSeedProblem: (problem: ParleyError) => ParleyError;
  private readonly listeners = new Map<string, Set<ThreadListener>>();
  private readonly options: MemoryAdapterOptions;
  private viewer: Author | null;
  private changed: Stored = { version: STORAGE_VERSION, threads: {}, posts: {} };
  /** Whether `localStorage` could be read at start: without it the adapter works in memory only. */
  private storageUsable = false;
  /** Why nothing may be written over the stored value (it could not be set aside), when so. */
  private storageBlocked: { why: string; full: boolean; error: unknown } | null = null;

  constructor(options: MemoryAdapterOptions = {}) {
    this.options = options;
    this.describeSeedProblem =
      (options as { [SEED_PROBLEM]?: (problem: ParleyError) => ParleyError })[SEED_PROBLEM] ??
      ((problem) => problem);
    const seed = checkSeedShape({
      threads: options.threads ?? [],
      posts: options.posts ?? [],
      users: options.users ?? [],
    });
    if (options.viewer !== undefined) {
      if (
        typeof options.viewer !== 'object' ||
        options.viewer === null ||
        !('user' in options.viewer)
      ) {
        throw new ParleyError('invalid', 'viewer: must be { user: Author | null }', {
          field: 'viewer',
        });
      }
      if (options.viewer.user) validateAuthor(options.viewer.user, 'viewer.user');
    }
    // A seed nobody else holds needs no copy: nothing outside can change it.
    const own = (options as { [OWNED_SEED]?: boolean })[OWNED_SEED] === true;
    const keep = own ? <T>(value: T): T => value : clone;
    for (const thread of checkThreads(seed.threads)) this.threads.set(thread.id, keep(thread));
    // Each post is checked here only as far as storing and ordering it needs (its id, thread and
    // time); the rest of its check (author, body, replies, quote) waits until it is first served
    // (`check`), so a seed of thousands costs little more than its first page before that page.
    const times = checkPostKeys(seed.posts, this.threads);
    // Consecutive posts are mostly of one thread: its list is looked up once per run of them.
    let threadId: string | undefined;
    let list: Post[] = [];
    let listTimes: number[] = [];
    for (let i = 0; i < seed.posts.length; i++) {
      const copied = keep(seed.posts[i] as Post);
      // Its posts render in the browser: a seed's `html` (which nothing checks against `body`) goes.
      if (copied.html !== undefined) delete copied.html;
      this.posts.set(copied.id, copied);
      this.unchecked.set(copied, i);
      if (copied.threadId !== threadId) {
        threadId = copied.threadId;
        list = this.byThread.get(threadId) ?? [];
        listTimes = this.unorderedTimes.get(threadId) ?? [];
        this.byThread.set(threadId, list);
        this.unorderedTimes.set(threadId, listTimes);
      }
      list.push(copied);
      listTimes.push(times[i]);
    }
    for (const user of checkUsers(seed.users)) this.users.set(user.id, keep(user));
    this.viewer = options.viewer?.user ? clone(options.viewer.user) : null;
    this.restore();
    // Each list is put in order when its thread is first read (`postsOf`), not here: a page
    // showing one thread of many does not wait for the others.
  }

  /** Everything: live changes, windows, edits, deletions, counts; guests sign in by name. */
  get capabilities(): AdapterCapabilities {
    return {
      live: true,
      window: true,
      signIn: this.signInMethods,
      edit: true,
      delete: true,
      counts: true,
    };
  }

  /** `guest`, and `member` with `allowMemberSignIn`. */
  get signInMethods(): readonly SignInMethod[] {
    return this.options.allowMemberSignIn ? ['guest', 'member'] : ['guest'];
  }

  async getThread(threadId: string, options?: CallOptions): Promise<Thread> {
    await this.wait(options);
    let thread = this.threads.get(threadId);
    if (!thread && this.options.autoCreateThreads && threadId) {
      thread = { id: threadId, title: typeof document === 'undefined' ? '' : document.title };
      this.threads.set(threadId, thread);
      // Reading a discussion must not fail on full storage: the thread is stored with the next change.
      this.persistOrReport({
        ...this.changed,
        threads: { ...this.changed.threads, [threadId]: thread },
      });
    }
    if (!thread)
      throw new ParleyError('not-found', `There is no discussion with the id "${threadId}".`);
    return clone(thread);
  }

  async listPosts(threadId: string, options: ListPostsOptions = {}): Promise<PostPage> {
    await this.wait(options);
    const list = this.threadPosts(threadId);
    const limit = this.limitOf(options.limit);
    const cursor = options.cursor ? /^(after|before):(.+)$/.exec(options.cursor) : null;
    if (options.cursor && !cursor) throw this.badCursor();
    if (!cursor)
      return this.page(
        list,
        options.direction === 'backward' ? Math.max(0, list.length - limit) : 0,
        limit,
      );
    const index = list.findIndex((p) => p.id === cursor[2]);
    if (index < 0) throw this.badCursor();
    if (cursor[1] === 'after') return this.page(list, index + 1, limit);
    const start = Math.max(0, index - limit);
    return this.page(list, start, index - start);
  }

  async listPostsAround(
    threadId: string,
    postId: string,
    options: AroundOptions = {},
  ): Promise<PostPage> {
    await this.wait(options);
    const list = this.threadPosts(threadId);
    const index = list.findIndex((p) => p.id === postId);
    if (index < 0)
      throw new ParleyError(
        'not-found',
        'That post is not in this discussion (it may have been removed).',
      );
    const count = (n: number | undefined) =>
      Math.max(0, Math.min(250, Math.floor(Number.isFinite(n) ? n! : 10)));
    const start = Math.max(0, index - count(options.before));
    return this.page(list, start, index - start + 1 + count(options.after));
  }

  private threadPosts(threadId: string): Post[] {
    if (!this.threads.has(threadId))
      throw new ParleyError('not-found', `There is no discussion with the id "${threadId}".`);
    return this.postsOf(threadId);
  }

  /** The posts of `threadId`, in `comparePosts` order (put in order on first use). */
  private postsOf(threadId: string): Post[] {
    let list = this.byThread.get(threadId);
    if (!list) this.byThread.set(threadId, (list = []));
    const times = this.unorderedTimes.get(threadId);
    if (times !== undefined) {
      order(list, times);
      this.unorderedTimes.delete(threadId);
    }
    return list;
  }

  private limitOf(limit: number | undefined): number {
    // A limit that is not a number (`page-size="abc"`) would make an empty last page: use the default.
    const asked =
      [limit, this.options.pageSize].find((n) => typeof n === 'number' && !Number.isNaN(n)) ?? 50;
    return Math.max(1, Math.min(500, Math.floor(asked)));
  }

  private page(list: Post[], start: number, count: number): PostPage {
    const posts = list.slice(start, start + count);
    this.check(posts);
    const end = start + posts.length;
    return {
      posts: posts.map(clone),
      nextCursor: posts.length && end < list.length ? `after:${posts[posts.length - 1].id}` : null,
      prevCursor: posts.length && start > 0 ? `before:${posts[0].id}` : null,
      total: list.length,
      offset: start,
    };
  }

  private badCursor(): ParleyError {
    return new ParleyError(
      'invalid',
      'The page cursor is not valid for this discussion; reload to start again.',
      { field: 'cursor' },
    );
  }

  async getPost(postId: string, options?: CallOptions): Promise<Post> {
    await this.wait(options);
    return clone(this.find(postId));
  }

  /**
   * Publishes a post as the viewer. With an `idempotencyKey` this viewer already published with
   * (in the last 24 hours, persisted with `storageKey`), returns that post as it is now; the same
   * key with a different post is a `conflict`.
   */
  async createPost(input: NewPost, options?: CreatePostOptions): Promise<Post> {
    await this.wait(options);
    const author = this.requireViewer('post a reply');
    const key = options?.idempotencyKey;
    if (key !== undefined && (typeof key !== 'string' || key === '' || key.length > 200)) {
      throw new ParleyError(
        'invalid',
        'The idempotency key must be a string of 1 to 200 characters.',
        { field: 'idempotencyKey' },
      );
    }
    const keyId = key === undefined ? null : `${author.id} ${key}`;
    const request = JSON.stringify([
      input.threadId,
      input.body ?? null,
      input.parentId ?? null,
      input.quote ?? null,
    ]);
    const known = keyId ? this.changed.keys?.[keyId] : undefined;
    if (known && known.at > Date.now() - KEY_LIFETIME_MS && this.posts.has(known.postId)) {
      if (known.request !== request)
        throw new ParleyError(
          'conflict',
          'This idempotency key was already used for a different post; send a new key for a new post.',
          { field: 'idempotencyKey' },
        );
      return clone(this.posts.get(known.postId)!);
    }
    const thread = this.threads.get(input.threadId);
    if (!thread)
      throw new ParleyError('not-found', `There is no discussion with the id "${input.threadId}".`);
    if (thread.locked)
      throw new ParleyError('forbidden', 'This discussion is locked: it takes no new replies.');
    const body = this.checkBody(input.body);
    const parentId = input.parentId ?? null;
    if (parentId) {
      const parent = this.posts.get(parentId);
      if (!parent || parent.threadId !== thread.id)
        throw new ParleyError('not-found', 'The post you are replying to no longer exists.', {
          field: 'parentId',
        });
    }
    let quote: Post['quote'] = null;
    if (input.quote) {
      const quoted = this.posts.get(input.quote.postId);
      if (!quoted || quoted.threadId !== thread.id)
        throw new ParleyError('not-found', 'The post you are quoting no longer exists.', {
          field: 'quote.postId',
        });
      if (typeof input.quote.text !== 'string')
        throw new ParleyError('invalid', 'The quoted text must be a string.', {
          field: 'quote.text',
        });
      quote = { postId: quoted.id, text: normalizeExcerpt(input.quote.text) };
    }
    const post: Post = {
      id: newId(),
      threadId: thread.id,
      author: clone(author),
      body,
      createdAt: new Date().toISOString(),
      parentId,
      quote,
    };
    const next: Stored = {
      ...this.changed,
      posts: { ...this.changed.posts, [post.id]: clone(post) },
    };
    if (keyId)
      next.keys = { ...this.freshKeys(), [keyId]: { postId: post.id, request, at: Date.now() } };
    this.persist(next, 'reply');
    this.posts.set(post.id, post);
    this.index(post);
    this.emit(thread.id, { type: 'post-created', post: clone(post) });
    return clone(post);
  }

  async updatePost(postId: string, body: string, options?: CallOptions): Promise<Post> {
    await this.wait(options);
    const post = this.own(postId, 'edit');
    if (post.deleted)
      throw new ParleyError('conflict', 'This post was deleted, so it can no longer be edited.');
    // As on the server: a locked thread takes no edits; its posts can still be deleted.
    if (this.threads.get(post.threadId)?.locked)
      throw new ParleyError(
        'forbidden',
        'This discussion is locked: its posts can no longer be edited.',
      );
    const edited: Post = {
      ...clone(post),
      body: this.checkBody(body),
      editedAt: new Date(Math.max(Date.now(), Date.parse(post.createdAt) + 1)).toISOString(),
    };
    this.save(post, edited, 'edit');
    this.emit(post.threadId, { type: 'post-updated', post: clone(post) });
    return clone(post);
  }

  async deletePost(postId: string, options?: CallOptions): Promise<Post> {
    await this.wait(options);
    const post = this.own(postId, 'delete');
    if (!post.deleted) {
      this.save(
        post,
        {
          ...clone(post),
          deleted: true,
          body: '',
          quote: null,
          editedAt: new Date().toISOString(),
        },
        'deletion',
      );
      this.emit(post.threadId, { type: 'post-deleted', post: clone(post) });
    }
    return clone(post);
  }

  async getViewer(options?: CallOptions): Promise<Viewer> {
    await this.wait(options);
    return { user: this.viewer ? clone(this.viewer) : null };
  }

  /**
   * Signs in as a guest called `name`, or as `userId` (one of `users`). With neither it fails
   * with `invalid` (field `name`): it never picks someone for the reader.
   */
  async signIn(options: SignInOptions = {}): Promise<Viewer> {
    await this.wait(options);
    let user: Author | undefined;
    let guest: Author | undefined;
    if (options.userId) {
      user = this.users.get(options.userId);
      if (!user)
        throw new ParleyError(
          'not-found',
          `There is no user with the id "${options.userId}" to sign in as.`,
          { field: 'userId' },
        );
    } else if (typeof options.name === 'string' && options.name.trim()) {
      user = guest = {
        id: `guest-${newId()}`,
        name: options.name.trim().slice(0, 80),
        guest: true,
      };
      this.users.set(user.id, user);
    } else {
      throw new ParleyError('invalid', 'Enter the name you want to post under as a guest.', {
        field: 'name',
      });
    }
    this.setViewer(user, guest);
    return { user: clone(user) };
  }

  async signOut(options?: CallOptions): Promise<Viewer> {
    await this.wait(options);
    this.setViewer(null);
    return { user: null };
  }

  /** Posts that are not deleted, per thread (0 for an unknown one). */
  async getCounts(
    threadIds: readonly string[],
    options?: CallOptions,
  ): Promise<Record<string, number>> {
    await this.wait(options);
    return Object.fromEntries(
      threadIds.map((id) => [id, (this.byThread.get(id) ?? []).filter((p) => !p.deleted).length]),
    );
  }

  subscribe(threadId: string, listener: ThreadListener): () => void {
    let set = this.listeners.get(threadId);
    if (!set) this.listeners.set(threadId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  private setViewer(user: Author | null, guest?: Author): void {
    this.viewer = user ? clone(user) : null;
    // Signing in or out must not fail on full storage; it just may not survive a reload.
    this.persistOrReport({
      ...this.changed,
      viewerId: user?.id ?? null,
      ...(guest ? { guest: clone(guest) } : {}),
    });
    const change: ThreadChange = {
      type: 'viewer-changed',
      viewer: { user: user ? clone(user) : null },
    };
    for (const threadId of this.listeners.keys()) this.emit(threadId, change);
  }

  private find(postId: string): Post {
    const post = this.posts.get(postId);
    if (!post)
      throw new ParleyError('not-found', 'That post does not exist (it may have been removed).');
    this.check([post]);
    return post;
  }

  /**
   * Finishes the check of the seed's posts among `posts` that have not been served yet, in the
   * seed's order, so that the first problem reported is the one `validateSeed` would report
   * first among them. Throws a `ParleyError` of code `invalid` naming the post and the field.
   */
  private check(posts: readonly Post[]): void {
    if (!this.unchecked.size) return;
    const due = posts.filter((post) => this.unchecked.has(post));
    if (due.length > 1) due.sort((a, b) => this.unchecked.get(a)! - this.unchecked.get(b)!);
    for (const post of due) {
      const index = this.unchecked.get(post)!;
      try {
        checkPostRest(post, 'posts', index);
        checkReferences(post, index, this.posts, this.grounded);
      } catch (error) {
        throw error instanceof ParleyError ? this.describeSeedProblem(error) : error;
      }
      this.unchecked.delete(post);
    }
  }

  private own(postId: string, verb: 'edit' | 'delete'): Post {
    const user = this.requireViewer(`${verb} a post`);
    const post = this.find(postId);
    if (post.author.id !== user.id)
      throw new ParleyError('forbidden', `You can only ${verb} your own posts.`);
    return post;
  }

  private requireViewer(action: string): Author {
    if (!this.viewer) throw new ParleyError('unauthorized', `Please log in to ${action}.`);
    return this.viewer;
  }

  private checkBody(body: unknown): string {
    if (typeof body !== 'string' || body.trim() === '')
      throw new ParleyError('invalid', 'Write something before posting.', { field: 'body' });
    const max = this.options.maxLength ?? 10_000;
    if (body.length > max) {
      throw new ParleyError(
        'invalid',
        `The post is ${body.length.toLocaleString()} characters long; the limit is ${max.toLocaleString()}.`,
        { field: 'body' },
      );
    }
    return body;
  }

  private index(post: Post): void {
    const list = this.postsOf(post.threadId);
    // Keep `comparePosts` order: posts created in the same millisecond tie on time, and their
    // random ids need not sort in the order they were created.
    let at = list.length;
    while (at > 0 && comparePosts(list[at - 1], post) > 0) at--;
    list.splice(at, 0, post);
  }

  private emit(threadId: string, change: ThreadChange): void {
    for (const listener of [...(this.listeners.get(threadId) ?? [])]) {
      try {
        listener(change);
      } catch (error) {
        console.error('[parley] a thread listener threw', error);
      }
    }
  }

  private async wait(options?: CallOptions): Promise<void> {
    throwIfAborted(options?.signal);
    const latency = this.options.latency ?? 0;
    if (latency > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, latency);
        options?.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(new ParleyError('aborted', 'The request was cancelled.'));
          },
          { once: true },
        );
      });
    } else {
      await Promise.resolve();
    }
    throwIfAborted(options?.signal);
  }

  private get storageName(): string | null {
    return this.options.storageKey ? `parley:v${STORAGE_VERSION}:${this.options.storageKey}` : null;
  }

  /** Stores `post` as `next`, then makes the change; a change that cannot be stored is not made. */
  private save(post: Post, next: Post, what: 'edit' | 'deletion'): void {
    this.persist(
      { ...this.changed, posts: { ...this.changed.posts, [post.id]: clone(next) } },
      what,
    );
    Object.assign(post, next);
  }

  /** The stored idempotency keys younger than a day. */
  private freshKeys(now = Date.now()): Record<string, StoredKey> {
    return Object.fromEntries(
      Object.entries(this.changed.keys ?? {}).filter(([, k]) => k.at > now - KEY_LIFETIME_MS),
    );
  }

  /**
   * Writes `next` to `localStorage` and makes it the stored state. Throws `unavailable` when the
   * browser refuses it (its storage is full, say), leaving everything as it was.
   */
  private persist(next: Stored, what: 'reply' | 'edit' | 'deletion'): void {
    const failure = this.store(next);
    if (failure) {
      const diagnostic = `Could not save to localStorage["${this.storageName}"]: ${failure.why}. The ${what} was not made.`;
      console.warn(`[parley] ${diagnostic}`);
      throw new ParleyError(
        'unavailable',
        failure.full
          ? `Your ${what} could not be saved: this browser's storage for this site is full. Free some space (in the browser's settings for site data) and try again.`
          : `Your ${what} could not be saved: this browser did not let this site store it. Allow this site to store data (in the browser's settings) and try again.`,
        { diagnostic, cause: failure.error },
      );
    }
    this.changed = next;
  }

  /** `persist`, for changes that must not fail on storage (signing in, say): a failure is reported instead. */
  private persistOrReport(next: Stored): void {
    const failure = this.store(next);
    this.changed = next;
    if (failure)
      this.report(
        `Could not save to localStorage["${this.storageName}"]: ${failure.why}. The change holds in this page but will not survive a reload.`,
      );
  }

  /** Writes `next`; returns why that failed, or `null`. */
  private store(next: Stored): { why: string; full: boolean; error: unknown } | null {
    const name = this.storageName;
    if (!name || !this.storageUsable) return null;
    if (this.storageBlocked) return this.storageBlocked;
    try {
      localStorage.setItem(name, JSON.stringify(next));
      return null;
    } catch (error) {
      const full = isQuotaError(error);
      return {
        full,
        error,
        why: full
          ? "the browser's storage for this site is full"
          : `the browser refused it (${(error as Error).message})`,
      };
    }
  }

  /**
   * Lays stored changes over the seed. Whatever cannot be used is reported, and the stored value
   * as it was is set aside under a backup key before anything overwrites it: nothing is lost.
   */
  private restore(): void {
    const name = this.storageName;
    if (!name) return;
    let raw: string | null;
    try {
      raw = localStorage.getItem(name);
    } catch (error) {
      this.report(
        `localStorage is not available (${(error as Error).message}), so new posts stay in this page and will not survive a reload.`,
      );
      return;
    }
    this.storageUsable = true;
    if (raw === null) return;
    let stored: Stored;
    try {
      stored = JSON.parse(raw) as Stored;
      if (typeof stored !== 'object' || stored === null || Array.isArray(stored))
        throw new Error('it is not a JSON object');
      if (stored.version !== STORAGE_VERSION)
        throw new Error(
          `it is version ${JSON.stringify((stored as { version?: unknown }).version ?? null)}, not ${String(STORAGE_VERSION)}`,
        );
    } catch (error) {
      const why =
        error instanceof SyntaxError
          ? `it is not valid JSON (${error.message})`
          : (error as Error).message;
      this.setAside(
        raw,
        `The discussion data stored in this browser under localStorage["${name}"] could not be read: ${why}. None of it was used`,
      );
      return;
    }
    const problems: string[] = [];
    const restored: Stored = { version: STORAGE_VERSION, threads: {}, posts: {} };
    /** The threads whose posts stored ones replace or join: their lists are made again. */
    const touched = new Set<string>();
    for (const [id, thread] of Object.entries(stored.threads ?? {})) {
      try {
        validateThread(thread, `stored thread "${id}"`);
        this.threads.set(id, thread);
        restored.threads[id] = thread;
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    for (const [id, post] of Object.entries(stored.posts ?? {})) {
      try {
        validatePost(post, `stored post "${id}"`);
        if (!this.threads.has(post.threadId))
          throw new Error(`stored post "${id}": its thread "${post.threadId}" is unknown`);
        const replaced = this.posts.get(id);
        if (replaced) touched.add(replaced.threadId);
        touched.add(post.threadId);
        this.posts.set(id, post);
        restored.posts[id] = post;
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (touched.size) this.relist(touched);
    if (stored.guest !== undefined) {
      try {
        const guest = validateAuthor(stored.guest, 'stored guest');
        if (!this.users.has(guest.id)) this.users.set(guest.id, guest);
        restored.guest = guest;
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    const now = Date.now();
    for (const [id, key] of Object.entries(stored.keys ?? {})) {
      const usable =
        typeof key === 'object' &&
        key !== null &&
        typeof key.postId === 'string' &&
        typeof key.request === 'string' &&
        Number.isFinite(key.at);
      if (!usable)
        problems.push(`stored idempotency key "${id}": it is not { postId, request, at }`);
      else if (key.at > now - KEY_LIFETIME_MS) (restored.keys ??= {})[id] = key;
    }
    if (typeof stored.viewerId === 'string' && this.users.has(stored.viewerId))
      this.viewer = clone(this.users.get(stored.viewerId)!);
    else if (stored.viewerId === null) this.viewer = null;
    restored.viewerId = stored.viewerId;
    this.changed = restored;
    if (problems.length) {
      const count =
        problems.length === 1 ? 'One stored record' : `${problems.length} stored records`;
      this.setAside(
        raw,
        `${count} of the discussion data in localStorage["${name}"] could not be read (${summarize(problems)}), so ${problems.length === 1 ? 'it was' : 'they were'} left out; the rest was restored`,
      );
    }
  }

  /** Makes the `byThread` lists of `threadIds` again from `posts`, to be put in order on use. */
  private relist(threadIds: Set<string>): void {
    for (const threadId of threadIds) {
      this.byThread.set(threadId, []);
      this.unorderedTimes.set(threadId, null);
    }
    for (const post of this.posts.values())
      if (threadIds.has(post.threadId)) this.byThread.get(post.threadId)!.push(post);
  }

  /**
   * Keeps `raw`, the stored value that could not be (fully) used, under a backup key, then
   * reports `problem` saying where it is. Once it is safe, the usable part is written back.
   */
  private setAside(raw: string, problem: string): void {
    const name = this.storageName!;
    const prefix = `${name}:set-aside:`;
    let backup: string | null = null;
    try {
      for (let i = 0; i < localStorage.length && !backup; i++) {
        const key = localStorage.key(i);
        if (key?.startsWith(prefix) && localStorage.getItem(key) === raw) backup = key;
      }
      if (!backup) {
        backup = `${prefix}${new Date().toISOString()}`;
        localStorage.setItem(backup, raw);
      }
    } catch (error) {
      // Nowhere to keep it: leave it where it is, and store nothing over it.
      const full = isQuotaError(error);
      const why = full
        ? "the browser's storage for this site is full"
        : `the browser refused it (${(error as Error).message})`;
      this.storageBlocked = {
        full,
        error,
        why: `the stored value that could not be read is still there, and could not be set aside (${why})`,
      };
      this.report(
        `${problem}. It could not be set aside (${why}), so it was left untouched in localStorage["${name}"], and new changes are refused until it is copied and removed.`,
      );
      return;
    }
    this.report(
      `${problem}. The stored value was set aside, not deleted: it is kept as it was in localStorage["${backup}"].`,
    );
    this.persistOrReport(this.changed);
  }

  private report(message: string): void {
    this.storageProblem = message;
    console.warn(`[parley] ${message}`);
  }
}
