/**
 * What a `RestAdapter` does only for a reader who writes or signs in, or when a request failed:
 * publishing, editing and deleting, signing in, registering and out, comment counts, and telling
 * a blocked origin (CORS) from a network that is down. Loaded on first use, so a reader who only
 * reads never downloads it.
 */
import type { CallOptions, CreatePostOptions } from './adapter.js';
import { ParleyError, throwIfAborted } from '../model/errors.js';
import { validateAuthor } from '../model/validate.js';
import type { NewPost, Post, Viewer } from '../model/types.js';
import {
  asPost,
  asViewer,
  enc,
  isObject,
  text,
  wrongShape,
  type RegisterOptions,
  type RestAdapterOptions,
  type RestSignInOptions,
  type Send,
} from './rest.js';

type Json = Record<string, unknown>;

/** What this module needs of a `RestAdapter`: its own state, which the adapter hands over. */
export interface RestInternals {
  siteToken: string | null;
  readonly sessionToken: string | null;
  readonly host: string;
  readonly base: string;
  readonly options: RestAdapterOptions;
  readonly fetch: typeof fetch;
  corsWarned: boolean;
  send<T>(path: string, read: (body: unknown) => T, o: Send): Promise<T>;
  keepSession(token: string | null): void;
  become(viewer: Viewer): Viewer;
  streamsReady(): Promise<void>;
}

function newKey(): string {
  // getRandomValues, not randomUUID: it also works on pages served over plain http.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

function asSession(v: unknown): { token: string; user: Viewer['user'] } {
  if (!isObject(v) || !text(v.token)) wrongShape('token: must be a string');
  return { token: v.token as string, user: validateAuthor(v.user, 'user') };
}

function asCounts(v: unknown): Record<string, number> {
  if (!isObject(v) || !isObject(v.counts)) wrongShape('counts: must be an object');
  for (const [id, n] of Object.entries(v.counts))
    if (!Number.isInteger(n)) wrongShape(`counts["${id}"]: must be a whole number`);
  return v.counts as Record<string, number>;
}

/** See `RestAdapter.createPost`. */
export async function createPost(
  a: RestInternals,
  post: NewPost,
  options: CreatePostOptions,
): Promise<Post> {
  await a.streamsReady();
  // Only what the protocol takes: a quote handed over with more (an attached quote's author)
  // would be refused as an unknown field.
  const quote = post.quote ? { postId: post.quote.postId, text: post.quote.text } : null;
  const body = { body: post.body, parentId: post.parentId ?? null, quote };
  const { idempotencyKey, ...rest } = options;
  return a.send(`/threads/${enc(post.threadId)}/posts`, asPost, {
    ...rest,
    method: 'POST',
    body,
    key: idempotencyKey ?? newKey(),
  });
}

/** See `RestAdapter.updatePost`. */
export async function updatePost(
  a: RestInternals,
  postId: string,
  body: string,
  options: CallOptions,
): Promise<Post> {
  await a.streamsReady();
  return a.send(`/posts/${enc(postId)}`, asPost, { ...options, method: 'PATCH', body: { body } });
}

/** See `RestAdapter.deletePost`. */
export async function deletePost(
  a: RestInternals,
  postId: string,
  options: CallOptions,
): Promise<Post> {
  await a.streamsReady();
  return a.send(`/posts/${enc(postId)}`, asPost, { ...options, method: 'DELETE' });
}

/** See `RestAdapter.signIn`. */
export async function signIn(a: RestInternals, options: RestSignInOptions): Promise<Viewer> {
  throwIfAborted(options.signal);
  const { token, name, handle, password, signal } = options;
  if (token) {
    const viewer = await a.send('/viewer', asViewer, { signal, token });
    if (!viewer.user)
      throw new ParleyError('unauthorized', 'The comment server did not accept the sign-in token.');
    a.siteToken = token;
    return a.become(viewer);
  }
  if (handle || password) return startSession(a, '/auth/login', { handle, password }, signal);
  if (name?.trim()) return startSession(a, '/auth/guest', { name: name.trim() }, signal);
  throw new ParleyError('unauthorized', 'Log in on this site to take part in the discussion.');
}

/** See `RestAdapter.register`. */
export function register(a: RestInternals, options: RegisterOptions): Promise<Viewer> {
  const { name, handle, password, signal } = options;
  return startSession(a, '/auth/register', { name, handle, password }, signal);
}

/** See `RestAdapter.signOut`. */
export async function signOut(a: RestInternals, options: CallOptions): Promise<Viewer> {
  throwIfAborted(options.signal);
  const session = a.sessionToken;
  if (session) {
    try {
      await a.send('/auth/logout', () => undefined, { ...options, method: 'POST', token: session });
    } catch (error) {
      // An expired session is as good as ended.
      if ((error as ParleyError).code !== 'unauthorized') throw error;
    }
  }
  a.siteToken = null;
  a.keepSession(null);
  return a.become({ user: null });
}

async function startSession(
  a: RestInternals,
  path: string,
  body: Json,
  signal?: AbortSignal,
): Promise<Viewer> {
  // No token: an expired one must not stand in the way of a new one.
  const session = await a.send(path, asSession, { method: 'POST', body, signal, token: null });
  // The reader chose to sign in here: that replaces the host site's token too.
  a.siteToken = null;
  a.keepSession(session.token);
  return a.become({ user: session.user });
}

/** See `RestAdapter.getCounts`. */
export async function getCounts(
  a: RestInternals,
  threadIds: readonly string[],
  options: CallOptions,
): Promise<Record<string, number>> {
  const ids = [...new Set(threadIds)];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
  const counts = await Promise.all(
    chunks.map((chunk) =>
      a.send(`/counts?${chunk.map((id) => `thread=${enc(id)}`).join('&')}`, asCounts, options),
    ),
  );
  return Object.fromEntries(
    ids.map((id) => [id, counts.find((c) => Object.hasOwn(c, id))?.[id] ?? 0]),
  );
}

/**
 * A request that could not be made (`lost`, a `TypeError` from fetch), when the reason is that
 * the server answers but the browser withholds its answers from this page: a `no-cors` request
 * reaches it (an opaque response), while a plain CORS request, with no header that would need a
 * preflight, still fails. Then the error that says so, else `null`.
 */
export async function corsFailure(
  a: RestInternals,
  lost: unknown,
  signal?: AbortSignal,
): Promise<ParleyError | null> {
  if (typeof location === 'undefined') return null;
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, a.options.timeout ?? 10_000);
  signal?.addEventListener('abort', abort);
  const reaches = (mode: RequestMode) =>
    a
      .fetch(`${a.base}/viewer`, {
        mode,
        credentials: 'omit',
        cache: 'no-store',
        signal: controller.signal,
      })
      .then(
        () => true,
        () => false,
      );
  try {
    // Not reachable at all; or readable now, so the failure was something else.
    const blocked =
      (await reaches('no-cors')) && !(await reaches('cors')) && !controller.signal.aborted;
    if (!blocked) return null;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
  const origin = location.origin;
  const diagnostic =
    `The comment server at ${a.host} answered, but did not allow this site's origin ${origin} (CORS), so the browser withheld its answers. ` +
    `Add ${origin} to the origins the server allows (PARLEY_ORIGINS on the Parley reference server).`;
  if (!a.corsWarned) {
    a.corsWarned = true;
    console.warn(`[parley] ${diagnostic}`);
  }
  return new ParleyError(
    'network',
    'The comments cannot be shown on this site: the comment server does not accept requests from it.',
    { diagnostic, cause: lost },
  );
}
