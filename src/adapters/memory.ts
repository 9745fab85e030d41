import type { AroundOptions, CallOptions, CommentAdapter, ListPostsOptions, SignInOptions, ThreadListener } from './adapter.js';
import { ParleyError, throwIfAborted } from './errors.js';
import { comparePosts } from '../model/threading.js';
import { validateAuthor, validatePost, validateSeed, validateThread } from '../model/validate.js';
import { normalizeExcerpt } from '../model/quote.js';
import type { Author, NewPost, Post, PostPage, Thread, ThreadChange, Viewer } from '../model/types.js';

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
   * Persist new, edited and deleted posts (and who is signed in) to `localStorage` under
   * `parley:v1:<storageKey>`, so they survive a reload. A corrupt stored value is reported in
   * `storageProblem` and on the console, then ignored.
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
}

const STORAGE_VERSION = 1;
const clone = <T>(value: T): T => structuredClone(value);

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `p${Date.now().toString(36)}${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The embedded backend: threads and posts held in the page, optionally persisted to
 * `localStorage`. The default adapter of `<parley-thread>`, and the reference every other
 * adapter is measured against by the contract suite.
 */
export class MemoryAdapter implements CommentAdapter {
  /** Why the stored data could not be used, when it could not; `null` otherwise. */
  storageProblem: string | null = null;

  private readonly threads = new Map<string, Thread>();
  private readonly posts = new Map<string, Post>();
  private readonly byThread = new Map<string, Post[]>();
  private readonly users = new Map<string, Author>();
  private readonly listeners = new Map<string, Set<ThreadListener>>();
  private readonly options: MemoryAdapterOptions;
  private viewer: Author | null;
  private changed: Stored = { version: STORAGE_VERSION, threads: {}, posts: {} };

  constructor(options: MemoryAdapterOptions = {}) {
    this.options = options;
    const seed = validateSeed({ threads: options.threads ?? [], posts: options.posts ?? [], users: options.users ?? [] });
    if (options.viewer !== undefined) {
      if (typeof options.viewer !== 'object' || options.viewer === null || !('user' in options.viewer)) {
        throw new ParleyError('invalid', 'viewer: must be { user: Author | null }', { field: 'viewer' });
      }
      if (options.viewer.user) validateAuthor(options.viewer.user, 'viewer.user');
    }
    for (const thread of seed.threads) this.threads.set(thread.id, clone(thread));
    for (const post of seed.posts) this.posts.set(post.id, clone(post));
    for (const user of seed.users ?? []) this.users.set(user.id, clone(user));
    this.viewer = options.viewer?.user ? clone(options.viewer.user) : null;
    this.restore();
    for (const post of this.posts.values()) this.index(post);
    for (const list of this.byThread.values()) list.sort(comparePosts);
  }

  async getThread(threadId: string, options?: CallOptions): Promise<Thread> {
    await this.wait(options);
    let thread = this.threads.get(threadId);
    if (!thread && this.options.autoCreateThreads && threadId) {
      thread = { id: threadId, title: typeof document === 'undefined' ? '' : document.title };
      this.threads.set(threadId, thread);
      this.changed.threads[threadId] = thread;
      this.persist();
    }
    if (!thread) throw new ParleyError('not-found', `There is no discussion with the id "${threadId}".`);
    return clone(thread);
  }

  async listPosts(threadId: string, options: ListPostsOptions = {}): Promise<PostPage> {
    await this.wait(options);
    const list = this.threadPosts(threadId);
    const limit = this.limitOf(options.limit);
    const cursor = options.cursor ? /^(after|before):(.+)$/.exec(options.cursor) : null;
    if (options.cursor && !cursor) throw this.badCursor();
    if (!cursor) return this.page(list, options.direction === 'backward' ? Math.max(0, list.length - limit) : 0, limit);
    const index = list.findIndex((p) => p.id === cursor[2]);
    if (index < 0) throw this.badCursor();
    if (cursor[1] === 'after') return this.page(list, index + 1, limit);
    const start = Math.max(0, index - limit);
    return this.page(list, start, index - start);
  }

  async listPostsAround(threadId: string, postId: string, options: AroundOptions = {}): Promise<PostPage> {
    await this.wait(options);
    const list = this.threadPosts(threadId);
    const index = list.findIndex((p) => p.id === postId);
    if (index < 0) throw new ParleyError('not-found', 'That post is not in this discussion (it may have been removed).');
    const count = (n: number | undefined) => Math.max(0, Math.min(250, Math.floor(Number.isFinite(n) ? n! : 10)));
    const start = Math.max(0, index - count(options.before));
    return this.page(list, start, index - start + 1 + count(options.after));
  }

  private threadPosts(threadId: string): Post[] {
    if (!this.threads.has(threadId)) throw new ParleyError('not-found', `There is no discussion with the id "${threadId}".`);
    return this.byThread.get(threadId) ?? [];
  }

  private limitOf(limit: number | undefined): number {
    // A limit that is not a number (`page-size="abc"`) would make an empty last page: use the default.
    const asked = [limit, this.options.pageSize].find((n) => typeof n === 'number' && !Number.isNaN(n)) ?? 50;
    return Math.max(1, Math.min(500, Math.floor(asked)));
  }

  private page(list: Post[], start: number, count: number): PostPage {
    const posts = list.slice(start, start + count);
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
    return new ParleyError('invalid', 'The page cursor is not valid for this discussion; reload to start again.', { field: 'cursor' });
  }

  async getPost(postId: string, options?: CallOptions): Promise<Post> {
    await this.wait(options);
    return clone(this.find(postId));
  }

  async createPost(input: NewPost, options?: CallOptions): Promise<Post> {
    await this.wait(options);
    const author = this.requireViewer('post a reply');
    const thread = this.threads.get(input.threadId);
    if (!thread) throw new ParleyError('not-found', `There is no discussion with the id "${input.threadId}".`);
    if (thread.locked) throw new ParleyError('forbidden', 'This discussion is locked: it takes no new replies.');
    const body = this.checkBody(input.body);
    const parentId = input.parentId ?? null;
    if (parentId) {
      const parent = this.posts.get(parentId);
      if (!parent || parent.threadId !== thread.id) throw new ParleyError('not-found', 'The post you are replying to no longer exists.', { field: 'parentId' });
    }
    let quote: Post['quote'] = null;
    if (input.quote) {
      const quoted = this.posts.get(input.quote.postId);
      if (!quoted || quoted.threadId !== thread.id) throw new ParleyError('not-found', 'The post you are quoting no longer exists.', { field: 'quote.postId' });
      if (typeof input.quote.text !== 'string') throw new ParleyError('invalid', 'The quoted text must be a string.', { field: 'quote.text' });
      quote = { postId: quoted.id, text: normalizeExcerpt(input.quote.text) };
    }
    const post: Post = { id: newId(), threadId: thread.id, author: clone(author), body, createdAt: new Date().toISOString(), parentId, quote };
    this.posts.set(post.id, post);
    this.index(post);
    this.save(post);
    this.emit(thread.id, { type: 'post-created', post: clone(post) });
    return clone(post);
  }

  async updatePost(postId: string, body: string, options?: CallOptions): Promise<Post> {
    await this.wait(options);
    const post = this.own(postId, 'edit');
    if (post.deleted) throw new ParleyError('conflict', 'This post was deleted, so it can no longer be edited.');
    post.body = this.checkBody(body);
    post.editedAt = new Date(Math.max(Date.now(), Date.parse(post.createdAt) + 1)).toISOString();
    this.save(post);
    this.emit(post.threadId, { type: 'post-updated', post: clone(post) });
    return clone(post);
  }

  async deletePost(postId: string, options?: CallOptions): Promise<Post> {
    await this.wait(options);
    const post = this.own(postId, 'delete');
    if (!post.deleted) {
      post.deleted = true;
      post.body = '';
      post.quote = null;
      post.editedAt = new Date().toISOString();
      this.save(post);
      this.emit(post.threadId, { type: 'post-deleted', post: clone(post) });
    }
    return clone(post);
  }

  async getViewer(options?: CallOptions): Promise<Viewer> {
    await this.wait(options);
    return { user: this.viewer ? clone(this.viewer) : null };
  }

  /**
   * Signs in as `userId` (one of `users`), as a guest called `name`, or, with neither, as the
   * first of `users`.
   */
  async signIn(options: SignInOptions = {}): Promise<Viewer> {
    await this.wait(options);
    let user: Author | undefined;
    if (options.userId) {
      user = this.users.get(options.userId);
      if (!user) throw new ParleyError('not-found', `There is no user with the id "${options.userId}" to sign in as.`, { field: 'userId' });
    } else if (options.name?.trim()) {
      const name = options.name.trim().slice(0, 80);
      user = { id: `guest-${newId()}`, name };
      this.users.set(user.id, user);
      this.changed.guest = clone(user);
    } else {
      user = this.users.values().next().value;
      if (!user) throw new ParleyError('unavailable', 'Signing in is not set up for this discussion.');
    }
    this.setViewer(user);
    return { user: clone(user) };
  }

  async signOut(options?: CallOptions): Promise<Viewer> {
    await this.wait(options);
    this.setViewer(null);
    return { user: null };
  }

  subscribe(threadId: string, listener: ThreadListener): () => void {
    let set = this.listeners.get(threadId);
    if (!set) this.listeners.set(threadId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  private setViewer(user: Author | null): void {
    this.viewer = user ? clone(user) : null;
    this.changed.viewerId = user?.id ?? null;
    this.persist();
    const change: ThreadChange = { type: 'viewer-changed', viewer: { user: user ? clone(user) : null } };
    for (const threadId of this.listeners.keys()) this.emit(threadId, change);
  }

  private find(postId: string): Post {
    const post = this.posts.get(postId);
    if (!post) throw new ParleyError('not-found', 'That post does not exist (it may have been removed).');
    return post;
  }

  private own(postId: string, verb: 'edit' | 'delete'): Post {
    const user = this.requireViewer(`${verb} a post`);
    const post = this.find(postId);
    if (post.author.id !== user.id) throw new ParleyError('forbidden', `You can only ${verb} your own posts.`);
    return post;
  }

  private requireViewer(action: string): Author {
    if (!this.viewer) throw new ParleyError('unauthorized', `Please log in to ${action}.`);
    return this.viewer;
  }

  private checkBody(body: unknown): string {
    if (typeof body !== 'string' || body.trim() === '') throw new ParleyError('invalid', 'Write something before posting.', { field: 'body' });
    const max = this.options.maxLength ?? 10_000;
    if (body.length > max) {
      throw new ParleyError('invalid', `The post is ${body.length.toLocaleString()} characters long; the limit is ${max.toLocaleString()}.`, { field: 'body' });
    }
    return body;
  }

  private index(post: Post): void {
    let list = this.byThread.get(post.threadId);
    if (!list) this.byThread.set(post.threadId, (list = []));
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

  private save(post: Post): void {
    this.changed.posts[post.id] = clone(post);
    this.persist();
  }

  private persist(): void {
    const name = this.storageName;
    if (!name) return;
    try {
      localStorage.setItem(name, JSON.stringify(this.changed));
    } catch (error) {
      this.report(`Could not save to localStorage["${name}"]: ${(error as Error).message}. New posts will not survive a reload.`);
    }
  }

  /** Lays stored changes over the seed. Anything unusable is reported and skipped. */
  private restore(): void {
    const name = this.storageName;
    if (!name) return;
    let raw: string | null;
    try {
      raw = localStorage.getItem(name);
    } catch (error) {
      this.report(`localStorage is not available (${(error as Error).message}); posts will not survive a reload.`);
      return;
    }
    if (raw === null) return;
    let stored: Stored;
    try {
      stored = JSON.parse(raw) as Stored;
      if (typeof stored !== 'object' || stored === null || stored.version !== STORAGE_VERSION) {
        throw new Error(`expected version ${STORAGE_VERSION}`);
      }
    } catch (error) {
      this.report(`Ignored the stored discussion data in localStorage["${name}"]: it is not valid (${(error as Error).message}).`);
      return;
    }
    const restored: Stored = { version: STORAGE_VERSION, threads: {}, posts: {} };
    for (const [id, thread] of Object.entries(stored.threads ?? {})) {
      try {
        validateThread(thread, `stored thread "${id}"`);
        this.threads.set(id, thread);
        restored.threads[id] = thread;
      } catch (error) {
        this.report(`Ignored a stored thread: ${(error as Error).message}`);
      }
    }
    for (const [id, post] of Object.entries(stored.posts ?? {})) {
      try {
        validatePost(post, `stored post "${id}"`);
        if (!this.threads.has(post.threadId)) throw new Error(`its thread "${post.threadId}" is unknown`);
        this.posts.set(id, post);
        restored.posts[id] = post;
      } catch (error) {
        this.report(`Ignored a stored post: ${(error as Error).message}`);
      }
    }
    if (stored.guest !== undefined) {
      try {
        const guest = validateAuthor(stored.guest, 'stored guest');
        if (!this.users.has(guest.id)) this.users.set(guest.id, guest);
        restored.guest = guest;
      } catch (error) {
        this.report(`Ignored the stored guest: ${(error as Error).message}`);
      }
    }
    if (typeof stored.viewerId === 'string' && this.users.has(stored.viewerId)) this.viewer = clone(this.users.get(stored.viewerId)!);
    else if (stored.viewerId === null) this.viewer = null;
    restored.viewerId = stored.viewerId;
    this.changed = restored;
  }

  private report(message: string): void {
    this.storageProblem = message;
    console.warn(`[parley] ${message}`);
  }
}
