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
import { codeOfStatus, isWireCode, ParleyError, throwIfAborted } from '../model/errors.js';
import type { RestInternals } from './rest-account.js';
import { firstPagePath, sessionKey, takeEarly, threadPath } from './early.js';
import { painted } from '../internal/paint.js';
import { validateAuthor, validatePost, validateThread } from '../model/validate.js';
import type { NewPost, Post, PostPage, Thread, ThreadChange, Viewer } from '../model/types.js';

/** Options of `new RestAdapter(…)`. */
export interface RestAdapterOptions {
  /** The server's base URL, without `/v1`: `https://comments.example.com`. */
  endpoint: string;
  /**
   * A token the host site owns (single sign-on, or a session it obtained itself), sent as
   * `Authorization: Bearer <token>`. It is never stored, and while it is set it takes precedence
   * over a stored session.
   */
  token?: string | null;
  /**
   * Keep the session of `signIn` / `register` in `localStorage` (under
   * `parley:session:v1:<endpoint>`), so the reader stays signed in across reloads and tabs, and
   * follow other tabs signing in and out. Default `true`; `false` keeps it in this page only.
   */
  persistSession?: boolean;
  /** The `fetch` to call. Default: the page's. */
  fetch?: typeof fetch;
  /** Milliseconds a request (or opening the live stream) may take before it fails with `network`. Default 10,000. */
  timeout?: number;
  /** Further attempts for reads and post creations that failed in a way worth retrying. Default 2. */
  retries?: number;
  /** First backoff delay in milliseconds; it doubles with every attempt, with jitter. Default 500. */
  retryDelay?: number;
  /** Longest `Retry-After` worth waiting for, in seconds; a longer one fails the call at once. Default 30. */
  maxRetryAfter?: number;
  /** Milliseconds of silence (not even a keep-alive) after which the live stream is reopened. Default 45,000. */
  idleTimeout?: number;
  /** Let `getThread` create a thread the server does not know, titled like the page (when the server allows it). */
  autoCreateThreads?: boolean;
  /** Waits between attempts; it may resolve early when `signal` aborts. Inject it to control time in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** `signIn` options of the REST adapter: a token (single sign-on), a guest `name`, or `handle` and `password`. */
export interface RestSignInOptions extends SignInOptions {
  handle?: string;
  password?: string;
}

/** A new built-in account. */
export interface RegisterOptions extends CallOptions {
  name: string;
  handle: string;
  password: string;
}

/** One request of `send`. */
export interface Send extends CallOptions {
  method?: string;
  body?: unknown;
  /** The `Idempotency-Key` of a create, which makes it safe to retry. */
  key?: string;
  /** A token to send instead of the adapter's (`null`: none). */
  token?: string | null;
}

export interface Stream {
  listeners: Set<ThreadListener>;
  stop: AbortController;
  /** Settles once the stream has opened or failed to open, so that writes after `subscribe` are heard. */
  ready: Promise<void>;
  /** What the listeners were last told: live (as they assume at first) or not. */
  live: boolean;
}

/**
 * Who the adapter signs requests as: `none`; a `session` the server issued to `signIn` /
 * `register` (which `signOut` ends: offer a Sign out button); or `sso`, a token of the host site
 * (its own sign-out is followed: no Parley Sign out button).
 */
export type SessionKind = 'none' | 'session' | 'sso';

type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
export const enc = encodeURIComponent;
const clamp = (n: number | undefined, min: number, max: number, fallback: number) =>
  Math.max(min, Math.min(max, Math.floor(Number.isFinite(n) ? n! : fallback)));
export const retryable = (status: number) =>
  !status || status === 408 || status === 429 || status >= 500;

export function wrongShape(problem: string): never {
  throw new ParleyError('invalid', problem);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** Whether `localStorage` can be used (reading it throws where the browser blocks site data). */
function storageAvailable(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage !== null;
  } catch {
    return false;
  }
}

export const asPost = (v: unknown) => validatePost(v, 'post');
const asThread = (v: unknown) => validateThread(v, 'thread');

function asPage(v: unknown): PostPage {
  if (!isObject(v) || !Array.isArray(v.posts)) wrongShape('posts: must be an array');
  const cursor = (name: 'nextCursor' | 'prevCursor') => {
    const c = v[name];
    if (c === null || (c === undefined && name === 'prevCursor')) return null;
    return typeof c === 'string' && c ? c : wrongShape(`${name}: must be a cursor or null`);
  };
  const page: PostPage = {
    posts: v.posts.map((p, i) => validatePost(p, `posts[${i}]`)),
    nextCursor: cursor('nextCursor'),
    prevCursor: cursor('prevCursor'),
  };
  for (const name of ['total', 'offset'] as const) {
    const n = v[name];
    if (n === undefined || n === null) continue;
    if (!Number.isInteger(n) || (n as number) < 0) wrongShape(`${name}: must be a whole number`);
    page[name] = n as number;
  }
  return page;
}

export function asViewer(v: unknown): Viewer {
  if (!isObject(v) || !('user' in v)) wrongShape('must be { user }');
  return { user: v.user === null ? null : validateAuthor(v.user, 'user') };
}

/** What `signIn` of the REST adapter can do without being told: everything the protocol has, accounts first. */
const ALL_METHODS: readonly SignInMethod[] = ['password', 'register', 'guest', 'token'];

/** The sign-in methods a `GET /viewer` answer names (`signIn: { guests, accounts, sso }`), when it names them. */
function methodsOf(v: unknown): readonly SignInMethod[] | undefined {
  const offered = isObject(v) ? v.signIn : undefined;
  if (!isObject(offered)) return undefined;
  // In the order a sign-in form offers them: an account first, then a guest name.
  const methods: SignInMethod[] = [];
  if (offered.accounts === true) methods.push('password', 'register');
  if (offered.guests === true) methods.push('guest');
  if (offered.sso === true) methods.push('token');
  return methods;
}

/** Seconds from a `Retry-After` header (seconds or an HTTP date). */
function retryAfterOf(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * The adapter for a Parley server (`docs/protocol.md`; `server/` is the reference). Every call
 * times out, reads are retried with exponential backoff and jitter (as are post creations, made
 * safe by an `Idempotency-Key`), and every failure, malformed responses included, is a
 * `ParleyError`; one the browser withheld because the server does not allow the page's origin
 * (CORS) says so in its `diagnostic`. `subscribe` follows the thread's Server-Sent Events over
 * `fetch`, so the token goes in the `Authorization` header, reconnecting with `Last-Event-ID`
 * after the connection drops. The session of `signIn` / `register` is kept in `localStorage`
 * (see `persistSession`), so it lasts across reloads and tabs until `signOut` or the server ends it.
 */
export class RestAdapter implements CommentAdapter {
  /** The adapters in this page that keep a session, by storage key: they follow each other and other tabs. */
  private static readonly peers = new Map<string, Set<WeakRef<RestAdapter>>>();

  private readonly base: string;
  private readonly host: string;
  private readonly options: RestAdapterOptions;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly streams = new Map<string, Stream>();
  /** The host site's token (`token`, `setToken`, `signIn({ token })`): never stored. */
  private siteToken: string | null;
  /** The session the server issued to `signIn` / `register`, mirrored in `localStorage` under `storageKey`. */
  private sessionToken: string | null = null;
  /** Where the session is kept, or `null` when it is kept in memory only. */
  private readonly storageKey: string | null = null;
  /** Counts identity changes, so that a slow `setToken` does not report a stale viewer. */
  private identity = 0;
  private methods?: readonly SignInMethod[];
  // Protected, not private: read and written by rest-account.ts, which this adapter loads.
  protected corsWarned = false;

  constructor(options: RestAdapterOptions) {
    this.options = options;
    this.base = `${options.endpoint.replace(/\/+$/, '')}/v1`;
    let host = options.endpoint;
    try {
      host = new URL(options.endpoint, globalThis.location?.href).host;
    } catch {
      // Keep the endpoint as written: the messages still name it.
    }
    this.host = host;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? defaultSleep;
    this.siteToken = options.token || null;
    if (options.persistSession !== false && storageAvailable()) {
      this.storageKey = sessionKey(options.endpoint);
      this.sessionToken = this.readSession();
      RestAdapter.join(this.storageKey, this);
    }
  }

  /** The token sent with every request: the host site's, or else the session of `signIn` / `register`. */
  get token(): string | null {
    return this.siteToken ?? this.sessionToken;
  }

  /**
   * What the token is: `session` (issued by the server to `signIn` / `register`, kept across
   * reloads, ended by `signOut`: offer Sign out), `sso` (the host site's: follow the site's own
   * sign-out), or `none`.
   */
  get sessionKind(): SessionKind {
    return this.siteToken ? 'sso' : this.sessionToken ? 'session' : 'none';
  }

  /**
   * Everything the protocol has; the ways of signing in are those the server named in its
   * `GET /v1/viewer` answer (none before it was asked: see `getSignInMethods()`).
   */
  get capabilities(): AdapterCapabilities {
    return {
      live: true,
      window: true,
      signIn: this.methods ?? [],
      edit: true,
      delete: true,
      counts: true,
    };
  }

  /**
   * The ways of signing in the server offers, once it has said (after `getViewer()` or
   * `getSignInMethods()`); `undefined` before. A server that does not say offers them all.
   */
  get signInMethods(): readonly SignInMethod[] | undefined {
    return this.methods;
  }

  /**
   * The ways of signing in the server offers (`password` and `register`, `guest`, `token`, in
   * the order a form offers them), from its `GET /v1/viewer` answer: asked once, then remembered.
   */
  async getSignInMethods(options: CallOptions = {}): Promise<readonly SignInMethod[]> {
    const read = (v: unknown) => {
      asViewer(v);
      return methodsOf(v) ?? ALL_METHODS;
    };
    this.methods ??= await this.send('/viewer', read, { ...options, token: null });
    return this.methods;
  }

  async getThread(threadId: string, options: CallOptions = {}): Promise<Thread> {
    const path = threadPath(threadId, !!this.options.autoCreateThreads);
    return this.send(path, asThread, options);
  }

  listPosts(threadId: string, options: ListPostsOptions = {}): Promise<PostPage> {
    if (Number.isFinite(options.limit) && !options.cursor && options.direction !== 'backward')
      return this.send(firstPagePath(threadId, clamp(options.limit, 1, 200, 50)), asPage, options);
    const query = new URLSearchParams();
    if (Number.isFinite(options.limit))
      query.set('limit', String(clamp(options.limit, 1, 200, 50)));
    if (options.cursor) query.set('cursor', options.cursor);
    else if (options.direction === 'backward') query.set('direction', 'backward');
    return this.send(`/threads/${enc(threadId)}/posts?${query}`, asPage, options);
  }

  listPostsAround(
    threadId: string,
    postId: string,
    options: AroundOptions = {},
  ): Promise<PostPage> {
    const query = `before=${clamp(options.before, 0, 100, 10)}&after=${clamp(options.after, 0, 100, 10)}`;
    return this.send(
      `/threads/${enc(threadId)}/posts/${enc(postId)}/around?${query}`,
      asPage,
      options,
    );
  }

  getPost(postId: string, options: CallOptions = {}): Promise<Post> {
    return this.send(`/posts/${enc(postId)}`, asPost, options);
  }

  /**
   * Publishes a post. Its `Idempotency-Key` (`options.idempotencyKey`, or a new one per call) is
   * sent on every attempt, so a retry never posts twice; a later call with the same key returns
   * the post the first one published.
   */
  async createPost(post: NewPost, options: CreatePostOptions = {}): Promise<Post> {
    const [account, self] = await this.account();
    return account.createPost(self, post, options);
  }

  async updatePost(postId: string, body: string, options: CallOptions = {}): Promise<Post> {
    const [account, self] = await this.account();
    return account.updatePost(self, postId, body, options);
  }

  async deletePost(postId: string, options: CallOptions = {}): Promise<Post> {
    const [account, self] = await this.account();
    return account.deletePost(self, postId, options);
  }

  /**
   * Who is reading. A token the server no longer accepts reads as signed out (and a stored
   * session it refuses is forgotten). Also learns `signInMethods`.
   */
  async getViewer(options: CallOptions = {}): Promise<Viewer> {
    try {
      const { viewer, methods } = await this.send(
        '/viewer',
        (v) => ({ viewer: asViewer(v), methods: methodsOf(v) }),
        options,
      );
      this.methods = methods ?? this.methods ?? ALL_METHODS;
      return viewer;
    } catch (error) {
      if ((error as ParleyError).code === 'unauthorized') return { user: null };
      throw error;
    }
  }

  /**
   * Signs in with a single-sign-on `token` (checked with the server, then sent with every
   * request), as a guest called `name`, or with `handle` and `password`.
   */
  async signIn(options: RestSignInOptions = {}): Promise<Viewer> {
    const [account, self] = await this.account();
    return account.signIn(self, options);
  }

  /** Creates a built-in account and signs in as it. */
  async register(options: RegisterOptions): Promise<Viewer> {
    const [account, self] = await this.account();
    return account.register(self, options);
  }

  /**
   * Signs out: ends the server session of `signIn` / `register` (`POST /v1/auth/logout`) and
   * forgets it here and in every tab, and stops sending the host site's token.
   */
  async signOut(options: CallOptions = {}): Promise<Viewer> {
    const [account, self] = await this.account();
    return account.signOut(self, options);
  }

  /**
   * Replaces the host site's token (what `<parley-thread>`'s `auth-token` does; `null` when the
   * reader signed out on the site) and tells subscribers who is reading now with a
   * `viewer-changed` change. Resolves once they have been told; never rejects. The token is not
   * stored; while it is set it takes precedence over a session of `signIn` / `register`.
   */
  async setToken(token: string | null | undefined): Promise<void> {
    const before = this.token;
    this.siteToken = token || null;
    if (this.token !== before) await this.announce();
  }

  /** The number of posts that are not deleted in each thread (for index pages); unknown threads count 0. */
  async getCounts(
    threadIds: readonly string[],
    options: CallOptions = {},
  ): Promise<Record<string, number>> {
    const [account, self] = await this.account();
    return account.getCounts(self, threadIds, options);
  }

  /**
   * Live changes of one thread, over one stream per thread shared by its listeners, plus
   * `viewer-changed` when the reader signs in or out (here, in another tab, or through
   * `setToken`), and `connection-changed` when the stream drops, stalls or cannot be opened
   * (`live: false`, once, while it keeps reconnecting) and when it is open again (`live: true`).
   * The stream closes with its last listener.
   */
  subscribe(threadId: string, listener: ThreadListener): () => void {
    let stream = this.streams.get(threadId);
    if (!stream) this.streams.set(threadId, (stream = this.openStream(threadId)));
    const own = stream;
    own.listeners.add(listener);
    // A listener joining a stream that is down hears so, as the others did.
    if (!own.live)
      queueMicrotask(
        () =>
          !own.live &&
          own.listeners.has(listener) &&
          listener({ type: 'connection-changed', live: false }),
      );
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size || this.streams.get(threadId) !== own) return;
      this.streams.delete(threadId);
      own.stop.abort();
    };
  }

  /**
   * The writing and signing-in side (`rest-account.ts`), loaded on first use, with this adapter's
   * state handed over to it.
   */
  private async account(): Promise<[typeof import('./rest-account.js'), RestInternals]> {
    try {
      return [await import('./rest-account.js'), this as unknown as RestInternals];
    } catch (cause) {
      throw new ParleyError(
        'network',
        'Part of the page did not load, so this could not be done. Check your connection and try again.',
        { cause },
      );
    }
  }

  /** The identity changed to `viewer`: tells subscribers. */
  private become(viewer: Viewer): Viewer {
    this.identity++;
    this.notify(viewer);
    return viewer;
  }

  /** The token changed: asks the server who it names, then tells subscribers (unless it changed again meanwhile). */
  private async announce(): Promise<void> {
    const identity = ++this.identity;
    const viewer = this.token ? await this.getViewer().catch(() => null) : { user: null };
    if (viewer && identity === this.identity) this.notify(viewer);
  }

  /** The stored session token, or `null` (none, unreadable, or storage that is not available). */
  private readSession(): string | null {
    try {
      const raw = localStorage.getItem(this.storageKey!);
      if (raw === null) return null;
      const stored: unknown = JSON.parse(raw);
      if (isObject(stored) && text(stored.token)) return stored.token as string;
    } catch {
      // Not readable: as good as none.
    }
    return null;
  }

  /** Makes `token` the session, stored for the other tabs and the next visit (unless `persistSession` is off). */
  private keepSession(token: string | null): void {
    this.sessionToken = token;
    const key = this.storageKey;
    if (!key || this.readSession() === token) return;
    try {
      if (token) localStorage.setItem(key, JSON.stringify({ token }));
      else localStorage.removeItem(key);
    } catch (error) {
      console.warn(
        `[parley] Could not keep the sign-in in localStorage["${key}"] (${(error as Error).message}): it lasts only as long as this page.`,
      );
    }
    RestAdapter.tell(key, this);
  }

  /** Another tab (or adapter in this page) signed in or out: follow it. */
  private followStoredSession(): void {
    const token = this.readSession();
    if (token === this.sessionToken) return;
    const before = this.token;
    this.sessionToken = token;
    if (this.token !== before) void this.announce();
  }

  /** The server refused `token`: when it is the session, forget it (everywhere, unless another tab has a newer one) and say the reader is signed out. */
  private refused(token: string | null): void {
    if (!token || token !== this.sessionToken) return;
    if (this.storageKey && this.readSession() === token) this.keepSession(null);
    else this.sessionToken = null;
    if (!this.siteToken) this.become({ user: null });
  }

  private static join(key: string, adapter: RestAdapter): void {
    if (!RestAdapter.peers.size && typeof window !== 'undefined') {
      window.addEventListener('storage', (event) => {
        if (event.storageArea !== localStorage) return;
        // `key` is null when the storage was cleared: every session is gone.
        for (const k of event.key === null ? [...RestAdapter.peers.keys()] : [event.key])
          RestAdapter.tell(k, null);
      });
    }
    let set = RestAdapter.peers.get(key);
    if (!set) RestAdapter.peers.set(key, (set = new Set()));
    set.add(new WeakRef(adapter));
  }

  /** Lets the adapters kept under `key` (but `except`) follow the stored session. */
  private static tell(key: string, except: RestAdapter | null): void {
    const set = RestAdapter.peers.get(key);
    for (const ref of set ?? []) {
      const peer = ref.deref();
      if (!peer) set!.delete(ref);
      else if (peer !== except) peer.followStoredSession();
    }
  }

  private notify(viewer: Viewer): void {
    for (const stream of this.streams.values())
      this.deliver(stream, { type: 'viewer-changed', viewer: structuredClone(viewer) });
  }

  private deliver(stream: Stream, change: ThreadChange): void {
    for (const listener of [...stream.listeners]) {
      try {
        listener(change);
      } catch (error) {
        console.error('[parley] a thread listener threw', error);
      }
    }
  }

  /** Settles once every stream has opened (read by rest-account.ts, hence not private). */
  protected async streamsReady(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.ready));
  }

  private headers(token: string | null, extra: Record<string, string>): Record<string, string> {
    return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
  }

  private backoff(attempt: number, base = this.options.retryDelay ?? 500): number {
    return Math.min(30_000, base * 2 ** attempt) * (0.5 + Math.random() / 2);
  }

  /** One request, retried when that is safe and worth it; resolves to `read(body)`. */
  private async send<T>(path: string, read: (body: unknown) => T, o: Send): Promise<T> {
    const method = o.method ?? 'GET';
    const retries = method === 'GET' || o.key ? (this.options.retries ?? 2) : 0;
    const timeout = this.options.timeout ?? 10_000;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(o.signal);
      const controller = new AbortController();
      const abort = () => controller.abort();
      const timer = setTimeout(abort, timeout);
      o.signal?.addEventListener('abort', abort);
      let status = 0;
      let body = '';
      let retryAfter: string | null = null;
      let lost: unknown;
      const token = o.token === undefined ? this.token : o.token;
      try {
        const headers = this.headers(token, { Accept: 'application/json' });
        if (o.body !== undefined) headers['Content-Type'] = 'application/json';
        if (o.key) headers['Idempotency-Key'] = o.key;
        // The thread's first requests may have started before the elements did (early.ts).
        const started =
          method === 'GET' && attempt === 0 && !token && !this.options.fetch
            ? takeEarly(`${this.base}${path}`)
            : undefined;
        const response = await (started ??
          this.fetch(`${this.base}${path}`, {
            method,
            headers,
            body: o.body === undefined ? undefined : JSON.stringify(o.body),
            signal: controller.signal,
            credentials: 'omit',
            cache: 'no-store',
          }));
        throwIfAborted(o.signal);
        status = response.status;
        retryAfter = response.headers.get('Retry-After');
        body = await response.text();
      } catch (cause) {
        if (o.signal?.aborted)
          throw new ParleyError('aborted', 'The request was cancelled.', { cause });
        status = 0; // the body, if not the answer, was lost on the way
        lost = cause;
      } finally {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', abort);
      }
      if (status >= 200 && status < 300) return this.read(body, read);
      if (status === 401) this.refused(token);
      const timedOut = controller.signal.aborted;
      const reason = timedOut
        ? `The comment server at ${this.host} did not answer within ${timeout / 1000} seconds`
        : `Could not reach the comment server at ${this.host}`;
      const error = status
        ? this.problem(status, body, retryAfter)
        : new ParleyError('network', `${reason}. Check your connection and try again.`, {
            cause: lost,
          });
      if (attempt >= retries || !retryable(status)) {
        // fetch fails the same way for a network down and an answer the browser withheld (CORS): tell them apart.
        if (!status && !timedOut && lost instanceof TypeError) {
          // (When that code cannot be loaded either, the network is what failed.)
          const blocked = await this.account().then(
            ([account, self]) => account.corsFailure(self, lost, o.signal),
            () => null,
          );
          if (blocked) throw blocked;
        }
        throw error;
      }
      let delay = this.backoff(attempt);
      if (error.retryAfter !== undefined) {
        // Never sooner than the server asked; and not at all when it asks too long a wait.
        if (error.retryAfter > (this.options.maxRetryAfter ?? 30)) throw error;
        delay = error.retryAfter * 1000;
      }
      await this.sleep(delay, o.signal);
    }
  }

  private read<T>(body: string, read: (body: unknown) => T): T {
    try {
      return read(body ? JSON.parse(body) : undefined);
    } catch (cause) {
      const why = cause instanceof SyntaxError ? 'it is not JSON' : (cause as Error).message;
      throw new ParleyError(
        'unavailable',
        `The comment server sent a response Parley could not read (${why}). Try again later.`,
        { cause },
      );
    }
  }

  /** The `ParleyError` of an HTTP failure, from its problem document when it has one. */
  private problem(status: number, body: string, retryAfterHeader: string | null): ParleyError {
    let doc: Json = {};
    try {
      const parsed: unknown = JSON.parse(body);
      if (isObject(parsed)) doc = parsed;
    } catch {
      // Not a problem document (a proxy's error page, say): the status speaks for it.
    }
    const byStatus = codeOfStatus(status);
    const code = isWireCode(doc.code) ? doc.code : byStatus;
    const message =
      text(doc.detail) ??
      text(doc.title) ??
      (code === 'unavailable' || code === 'network'
        ? `The comment server at ${this.host} is not available right now (HTTP ${status}). Try again later.`
        : `The comment server at ${this.host} refused the request (HTTP ${status}).`);
    const retryAfter =
      typeof doc.retryAfter === 'number' && doc.retryAfter >= 0
        ? doc.retryAfter
        : retryAfterOf(retryAfterHeader);
    return new ParleyError(code, message, { field: text(doc.field), retryAfter });
  }

  private openStream(threadId: string): Stream {
    let opened!: () => void;
    const stream: Stream = {
      listeners: new Set(),
      stop: new AbortController(),
      ready: new Promise((resolve) => (opened = resolve)),
      live: true,
    };
    void this.followLater(threadId, stream, opened);
    return stream;
  }

  /**
   * Follows the stream with the reader in `rest-stream.ts`, loaded on first use, once what the
   * page is showing has been painted. A failed load counts as a failed connection.
   */
  private async followLater(threadId: string, stream: Stream, opened: () => void): Promise<void> {
    const stop = stream.stop.signal;
    // A thread subscribes as it shows its first posts: the stream waits until they are painted.
    await painted();
    for (let failures = 0; !stop.aborted;) {
      let follow: typeof import('./rest-stream.js').follow;
      try {
        ({ follow } = await import('./rest-stream.js'));
      } catch {
        opened();
        this.setLive(stream, false);
        await this.sleep(this.backoff(failures++), stop);
        continue;
      }
      return follow(stream, opened, {
        url: `${this.base}/threads/${enc(threadId)}/events`,
        fetch: this.fetch,
        sleep: this.sleep,
        token: () => this.token,
        headers: (token, extra) => this.headers(token, extra),
        backoff: (attempt, base) => this.backoff(attempt, base),
        timeout: this.options.timeout ?? 10_000,
        idleTimeout: this.options.idleTimeout ?? 45_000,
        deliver: (change) => this.deliver(stream, change),
        setLive: (live) => this.setLive(stream, live),
      });
    }
  }

  /** Tells the stream's listeners when live updates stop or come back (once per change; they start out live). */
  private setLive(stream: Stream, live: boolean): void {
    if (stream.live === live) return;
    stream.live = live;
    this.deliver(stream, { type: 'connection-changed', live });
  }
}
