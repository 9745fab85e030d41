import type { AroundOptions, CallOptions, CommentAdapter, ListPostsOptions, SignInOptions, ThreadListener } from './adapter.js';
import { ParleyError, throwIfAborted, type ParleyErrorCode } from './errors.js';
import { SseParser } from './sse.js';
import { validateAuthor, validatePost, validateThread } from '../model/validate.js';
import type { NewPost, Post, PostPage, Thread, ThreadChange, Viewer } from '../model/types.js';

/** Options of `new RestAdapter(…)`. */
export interface RestAdapterOptions {
  /** The server's base URL, without `/v1`: `https://comments.example.com`. */
  endpoint: string;
  /** A single-sign-on or session token, sent as `Authorization: Bearer <token>`. */
  token?: string | null;
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

interface Send extends CallOptions {
  method?: string;
  body?: unknown;
  /** The `Idempotency-Key` of a create, which makes it safe to retry. */
  key?: string;
  /** A token to send instead of the adapter's (`null`: none). */
  token?: string | null;
}

interface Stream {
  listeners: Set<ThreadListener>;
  stop: AbortController;
  /** Settles once the stream has opened or failed to open, so that writes after `subscribe` are heard. */
  ready: Promise<void>;
}

type Json = Record<string, unknown>;

const STATUS_CODES: Record<number, ParleyErrorCode> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  408: 'network',
  409: 'conflict',
  413: 'invalid',
  422: 'invalid',
  429: 'rate-limited',
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
const enc = encodeURIComponent;
const clamp = (n: number | undefined, min: number, max: number, fallback: number) => Math.max(min, Math.min(max, Math.floor(Number.isFinite(n) ? n! : fallback)));
const retryable = (status: number) => !status || status === 408 || status === 429 || status >= 500;

function wrongShape(problem: string): never {
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

function newKey(): string {
  // getRandomValues, not randomUUID: it also works on pages served over plain http.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

const asPost = (v: unknown) => validatePost(v, 'post');
const asThread = (v: unknown) => validateThread(v, 'thread');

function asPage(v: unknown): PostPage {
  if (!isObject(v) || !Array.isArray(v.posts)) wrongShape('posts: must be an array');
  const cursor = (name: 'nextCursor' | 'prevCursor') => {
    const c = v[name];
    if (c === null || (c === undefined && name === 'prevCursor')) return null;
    return typeof c === 'string' && c ? c : wrongShape(`${name}: must be a cursor or null`);
  };
  const page: PostPage = { posts: v.posts.map((p, i) => validatePost(p, `posts[${i}]`)), nextCursor: cursor('nextCursor'), prevCursor: cursor('prevCursor') };
  for (const name of ['total', 'offset'] as const) {
    const n = v[name];
    if (n === undefined || n === null) continue;
    if (!Number.isInteger(n) || (n as number) < 0) wrongShape(`${name}: must be a whole number`);
    page[name] = n as number;
  }
  return page;
}

function asViewer(v: unknown): Viewer {
  if (!isObject(v) || !('user' in v)) wrongShape('must be { user }');
  return { user: v.user === null ? null : validateAuthor(v.user, 'user') };
}

function asSession(v: unknown): { token: string; user: Viewer['user'] } {
  if (!isObject(v) || !text(v.token)) wrongShape('token: must be a string');
  return { token: v.token as string, user: validateAuthor(v.user, 'user') };
}

function asCounts(v: unknown): Record<string, number> {
  if (!isObject(v) || !isObject(v.counts)) wrongShape('counts: must be an object');
  for (const [id, n] of Object.entries(v.counts)) if (!Number.isInteger(n)) wrongShape(`counts["${id}"]: must be a whole number`);
  return v.counts as Record<string, number>;
}

/** A change from the live stream, or `null` for anything that is not one. */
function asChange(data: string): ThreadChange | null {
  try {
    const v: unknown = JSON.parse(data);
    if (!isObject(v)) return null;
    if (v.type === 'post-created' || v.type === 'post-updated' || v.type === 'post-deleted') return { type: v.type, post: asPost(v.post) };
    if (v.type === 'thread-updated') return { type: v.type, thread: asThread(v.thread) };
  } catch {
    // Not a change Parley knows: servers may send more than it reads.
  }
  return null;
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
 * `ParleyError`. `subscribe` follows the thread's Server-Sent Events over `fetch`, so the token
 * goes in the `Authorization` header, reconnecting with `Last-Event-ID` after the connection drops.
 */
export class RestAdapter implements CommentAdapter {
  private readonly base: string;
  private readonly host: string;
  private readonly options: RestAdapterOptions;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly streams = new Map<string, Stream>();
  private currentToken: string | null;
  /** Whether the token is a session the server issued (signed out with `POST /auth/logout`). */
  private session = false;
  /** Counts identity changes, so that a slow `setToken` does not report a stale viewer. */
  private identity = 0;

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
    this.currentToken = options.token || null;
  }

  /** The token sent with every request: the host's single-sign-on token, or the session of `signIn`/`register`. */
  get token(): string | null {
    return this.currentToken;
  }

  async getThread(threadId: string, options: CallOptions = {}): Promise<Thread> {
    let query = '';
    if (this.options.autoCreateThreads && typeof document !== 'undefined') {
      const url = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href ?? location.href.replace(/#.*/, '');
      query = `?${new URLSearchParams({ create: '1', title: document.title, url })}`;
    }
    return this.send(`/threads/${enc(threadId)}${query}`, asThread, options);
  }

  listPosts(threadId: string, options: ListPostsOptions = {}): Promise<PostPage> {
    const query = new URLSearchParams();
    if (Number.isFinite(options.limit)) query.set('limit', String(clamp(options.limit, 1, 200, 50)));
    if (options.cursor) query.set('cursor', options.cursor);
    else if (options.direction === 'backward') query.set('direction', 'backward');
    return this.send(`/threads/${enc(threadId)}/posts?${query}`, asPage, options);
  }

  listPostsAround(threadId: string, postId: string, options: AroundOptions = {}): Promise<PostPage> {
    const query = `before=${clamp(options.before, 0, 100, 10)}&after=${clamp(options.after, 0, 100, 10)}`;
    return this.send(`/threads/${enc(threadId)}/posts/${enc(postId)}/around?${query}`, asPage, options);
  }

  getPost(postId: string, options: CallOptions = {}): Promise<Post> {
    return this.send(`/posts/${enc(postId)}`, asPost, options);
  }

  /** Publishes a post. One `Idempotency-Key` per call, sent on every attempt: a retry never posts twice. */
  async createPost(post: NewPost, options: CallOptions = {}): Promise<Post> {
    await this.streamsReady();
    const body = { body: post.body, parentId: post.parentId ?? null, quote: post.quote ?? null };
    return this.send(`/threads/${enc(post.threadId)}/posts`, asPost, { ...options, method: 'POST', body, key: newKey() });
  }

  async updatePost(postId: string, body: string, options: CallOptions = {}): Promise<Post> {
    await this.streamsReady();
    return this.send(`/posts/${enc(postId)}`, asPost, { ...options, method: 'PATCH', body: { body } });
  }

  async deletePost(postId: string, options: CallOptions = {}): Promise<Post> {
    await this.streamsReady();
    return this.send(`/posts/${enc(postId)}`, asPost, { ...options, method: 'DELETE' });
  }

  /** Who is reading. A token the server no longer accepts reads as signed out. */
  async getViewer(options: CallOptions = {}): Promise<Viewer> {
    try {
      return await this.send('/viewer', asViewer, options);
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
    throwIfAborted(options.signal);
    const { token, name, handle, password, signal } = options;
    if (token) {
      const viewer = await this.send('/viewer', asViewer, { signal, token });
      if (!viewer.user) throw new ParleyError('unauthorized', 'The comment server did not accept the sign-in token.');
      return this.become(token, false, viewer);
    }
    if (handle || password) return this.startSession('/auth/login', { handle, password }, signal);
    if (name?.trim()) return this.startSession('/auth/guest', { name: name.trim() }, signal);
    throw new ParleyError('unauthorized', 'Log in on this site to take part in the discussion.');
  }

  /** Creates a built-in account and signs in as it. */
  register(options: RegisterOptions): Promise<Viewer> {
    const { name, handle, password, signal } = options;
    return this.startSession('/auth/register', { name, handle, password }, signal);
  }

  /** Signs out: ends the server session of `signIn`/`register`, and stops sending any token. */
  async signOut(options: CallOptions = {}): Promise<Viewer> {
    throwIfAborted(options.signal);
    if (this.currentToken && this.session) {
      try {
        await this.send('/auth/logout', () => undefined, { ...options, method: 'POST' });
      } catch (error) {
        // An expired session is as good as ended.
        if ((error as ParleyError).code !== 'unauthorized') throw error;
      }
    }
    return this.become(null, false, { user: null });
  }

  /**
   * Replaces the token (what `<parley-thread>`'s `auth-token` does) and tells subscribers who is
   * reading now with a `viewer-changed` change. Resolves once they have been told; never rejects.
   */
  async setToken(token: string | null | undefined): Promise<void> {
    token ||= null;
    if (token === this.currentToken) return;
    this.currentToken = token;
    this.session = false;
    const identity = ++this.identity;
    const viewer = token ? await this.getViewer().catch(() => null) : { user: null };
    if (viewer && identity === this.identity) this.notify(viewer);
  }

  /** The number of posts that are not deleted in each thread (for index pages); unknown threads count 0. */
  async getCounts(threadIds: readonly string[], options: CallOptions = {}): Promise<Record<string, number>> {
    const ids = [...new Set(threadIds)];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
    const counts = await Promise.all(chunks.map((chunk) => this.send(`/counts?${chunk.map((id) => `thread=${enc(id)}`).join('&')}`, asCounts, options)));
    return Object.fromEntries(ids.map((id) => [id, counts.find((c) => Object.hasOwn(c, id))?.[id] ?? 0]));
  }

  /**
   * Live changes of one thread, over one stream per thread shared by its listeners, plus
   * `viewer-changed` when this adapter's identity changes. The stream closes with its last listener.
   */
  subscribe(threadId: string, listener: ThreadListener): () => void {
    let stream = this.streams.get(threadId);
    if (!stream) this.streams.set(threadId, (stream = this.openStream(threadId)));
    const own = stream;
    own.listeners.add(listener);
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size || this.streams.get(threadId) !== own) return;
      this.streams.delete(threadId);
      own.stop.abort();
    };
  }

  private become(token: string | null, session: boolean, viewer: Viewer): Viewer {
    this.currentToken = token;
    this.session = session;
    this.identity++;
    this.notify(viewer);
    return viewer;
  }

  private async startSession(path: string, body: Json, signal?: AbortSignal): Promise<Viewer> {
    // No token: an expired one must not stand in the way of a new one.
    const session = await this.send(path, asSession, { method: 'POST', body, signal, token: null });
    return this.become(session.token, true, { user: session.user });
  }

  private notify(viewer: Viewer): void {
    for (const stream of this.streams.values()) this.deliver(stream, { type: 'viewer-changed', viewer: structuredClone(viewer) });
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

  private async streamsReady(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.ready));
  }

  private headers(token: string | null | undefined, extra: Record<string, string>): Record<string, string> {
    token = token === undefined ? this.currentToken : token;
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
      try {
        const headers = this.headers(o.token, { Accept: 'application/json' });
        if (o.body !== undefined) headers['Content-Type'] = 'application/json';
        if (o.key) headers['Idempotency-Key'] = o.key;
        const response = await this.fetch(`${this.base}${path}`, {
          method,
          headers,
          body: o.body === undefined ? undefined : JSON.stringify(o.body),
          signal: controller.signal,
          credentials: 'omit',
          cache: 'no-store',
        });
        status = response.status;
        retryAfter = response.headers.get('Retry-After');
        body = await response.text();
      } catch (cause) {
        if (o.signal?.aborted) throw new ParleyError('aborted', 'The request was cancelled.', { cause });
        status = 0; // the body, if not the answer, was lost on the way
      } finally {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', abort);
      }
      if (status >= 200 && status < 300) return this.read(body, read);
      const reason = controller.signal.aborted
        ? `The comment server at ${this.host} did not answer within ${timeout / 1000} seconds`
        : `Could not reach the comment server at ${this.host}`;
      const error = status ? this.problem(status, body, retryAfter) : new ParleyError('network', `${reason}. Check your connection and try again.`);
      if (attempt >= retries || !retryable(status)) throw error;
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
      throw new ParleyError('unavailable', `The comment server sent a response Parley could not read (${why}). Try again later.`, { cause });
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
    const byStatus = STATUS_CODES[status] ?? 'unavailable';
    const code = ParleyError.isCode(doc.code) && doc.code !== 'network' && doc.code !== 'aborted' ? doc.code : byStatus;
    const message =
      text(doc.detail) ??
      text(doc.title) ??
      (code === 'unavailable' || code === 'network'
        ? `The comment server at ${this.host} is not available right now (HTTP ${status}). Try again later.`
        : `The comment server at ${this.host} refused the request (HTTP ${status}).`);
    const retryAfter = typeof doc.retryAfter === 'number' && doc.retryAfter >= 0 ? doc.retryAfter : retryAfterOf(retryAfterHeader);
    return new ParleyError(code, message, { field: text(doc.field), retryAfter });
  }

  private openStream(threadId: string): Stream {
    let opened!: () => void;
    const stream: Stream = { listeners: new Set(), stop: new AbortController(), ready: new Promise((resolve) => (opened = resolve)) };
    void this.follow(threadId, stream, opened);
    return stream;
  }

  /** Reads the thread's event stream until unsubscribed, reconnecting with `Last-Event-ID`. */
  private async follow(threadId: string, stream: Stream, opened: () => void): Promise<void> {
    const seen = new Set<string>();
    const stop = stream.stop.signal;
    let lastEventId = '';
    let serverDelay: number | undefined;
    let failures = 0;
    while (!stop.aborted) {
      const controller = new AbortController();
      const abort = () => controller.abort();
      stop.addEventListener('abort', abort);
      let timer = setTimeout(abort, this.options.timeout ?? 10_000);
      let fatal = false;
      try {
        const headers = this.headers(undefined, lastEventId ? { Accept: 'text/event-stream', 'Last-Event-ID': lastEventId } : { Accept: 'text/event-stream' });
        const response = await this.fetch(`${this.base}/threads/${enc(threadId)}/events`, { headers, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
        // Like EventSource, give up on a refusal (no such thread, say); retry anything else.
        fatal = !response.ok && !retryable(response.status);
        if (response.ok && response.body) {
          opened();
          failures = 0;
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          const parser = new SseParser(lastEventId);
          for (;;) {
            clearTimeout(timer);
            timer = setTimeout(abort, this.options.idleTimeout ?? 45_000);
            const { done, value } = await reader.read();
            if (done) break;
            for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
              if (event.id !== undefined) {
                if (seen.has(event.id)) continue;
                seen.add(event.id);
                if (seen.size > 1000) seen.delete(seen.values().next().value!);
              }
              const change = asChange(event.data);
              if (change) this.deliver(stream, change);
            }
            lastEventId = parser.lastEventId;
            serverDelay = parser.retry ?? serverDelay;
          }
        }
      } catch {
        // The connection dropped, fell silent, or was closed by unsubscribing.
      } finally {
        clearTimeout(timer);
        stop.removeEventListener('abort', abort);
        abort(); // whatever is left of the connection
      }
      opened();
      if (fatal) return;
      if (!stop.aborted) await this.sleep(this.backoff(failures++, serverDelay), stop);
    }
  }
}
