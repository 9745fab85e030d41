import type { NewPost, Post, PostPage, Thread, ThreadChange, Viewer } from '../model/types.js';

/** Options every adapter call accepts. */
export interface CallOptions {
  /** Cancels the call; an aborted call rejects with a `ParleyError` of code `aborted`. */
  signal?: AbortSignal;
}

/** Options of `listPosts`. */
export interface ListPostsOptions extends CallOptions {
  /**
   * A page's `nextCursor` (the posts after it) or `prevCursor` (the posts before it); absent for
   * the first page, or with `direction: 'backward'` for the last.
   */
  cursor?: string | null;
  /** Most posts to return; adapters may return fewer. */
  limit?: number;
  /** Without a cursor: `forward` (default) starts at the first post, `backward` ends at the last. */
  direction?: 'forward' | 'backward';
}

/** Options of `listPostsAround`. */
export interface AroundOptions extends CallOptions {
  /** Posts to include before the target. Default 10. */
  before?: number;
  /** Posts to include after the target. Default 10. */
  after?: number;
}

/** Options of `createPost`. */
export interface CreatePostOptions extends CallOptions {
  /**
   * Same key, same post: a retried send with the key of an earlier attempt returns that post
   * instead of publishing again. Give every reply its own key and keep it for its retries (the
   * Retry after a failed send); a key sent again with a different post is a `conflict`.
   * Without one, each call is a new post.
   */
  idempotencyKey?: string;
}

/**
 * A way of signing in that an adapter offers, so the elements show the right form:
 * - `guest`: `signIn({ name })`, a guest identity by name;
 * - `password`: `signIn({ handle, password })`, a built-in account;
 * - `register`: `register({ name, handle, password })`, a new built-in account;
 * - `token`: `signIn({ token })` / `setToken()`, single sign-on with a token from the host site
 *   (the site runs the sign-in; the elements show no form for it);
 * - `member`: `signIn({ userId })`, one of a known list of people (demos).
 */
export type SignInMethod = 'guest' | 'password' | 'register' | 'token' | 'member';

/** Options of `signIn`. What they mean is up to the adapter. */
export interface SignInOptions extends CallOptions {
  /** Sign in as this known user (demo and embedded backends). */
  userId?: string;
  /** A display name for a guest identity. */
  name?: string;
  /** A token issued by the host site (single sign-on backends). */
  token?: string;
}

/** Receives the changes of one thread. */
export type ThreadListener = (change: ThreadChange) => void;

/**
 * What an adapter can do, declared rather than guessed from which methods it has: the elements
 * show only what it can do (no Edit button without `edit`, no sign-in form it does not offer).
 */
export interface AdapterCapabilities {
  /** `subscribe()` delivers live changes ("N new replies", edits and deletions as they happen). */
  readonly live: boolean;
  /**
   * `listPostsAround()` loads the window around any post: "Jump to this post" and `#post-` deep
   * links load it directly. Without it, the thread loads page after page until it reaches the post.
   */
  readonly window: boolean;
  /**
   * The ways of signing in the elements may offer (see `SignInMethod`), in the order a form shows
   * them; `false` when readers cannot sign in through the adapter (the site does it, or nobody
   * posts). An adapter that learns them from its server reports what it knows so far.
   */
  readonly signIn: false | readonly SignInMethod[];
  /** `updatePost()`: authors edit their posts. */
  readonly edit: boolean;
  /** `deletePost()`: authors delete their posts. */
  readonly delete: boolean;
  /** Pages carry `total`, the number of posts in the thread ("12 replies" before all are loaded). */
  readonly counts: boolean;
}

/**
 * What `<parley-thread>` needs from a backend (contract version 2). Every method is async,
 * takes an optional `AbortSignal` and fails with a `ParleyError`. Run an implementation through
 * the shared contract suite (`parley-comments/testing`) to prove it.
 */
export interface CommentAdapter {
  /** What this adapter can do; the elements offer nothing else. */
  readonly capabilities: AdapterCapabilities;
  /** The thread with this id. Fails with `not-found` when there is none. */
  getThread(threadId: string, options?: CallOptions): Promise<Thread>;
  /** A page of the thread's posts, oldest first, tombstones included. */
  listPosts(threadId: string, options?: ListPostsOptions): Promise<PostPage>;
  /**
   * The window of posts around one post (up to `before` posts, the post, up to `after` posts),
   * oldest first, with cursors to page outwards from it: what "Jump to this post" and
   * `#post-<id>` deep links load instead of every page in between. Fails with `not-found` when
   * the post is not in the thread. With `capabilities.window`.
   */
  listPostsAround?(threadId: string, postId: string, options?: AroundOptions): Promise<PostPage>;
  /** One post by id, loaded or not. Fails with `not-found` when it never existed. */
  getPost(postId: string, options?: CallOptions): Promise<Post>;
  /**
   * Publishes a post as the viewer. Fails with `unauthorized` when signed out. With an
   * `idempotencyKey` that an earlier call already published with, returns that post instead.
   */
  createPost(post: NewPost, options?: CreatePostOptions): Promise<Post>;
  /** Replaces the body of one of the viewer's own posts. With `capabilities.edit`. */
  updatePost?(postId: string, body: string, options?: CallOptions): Promise<Post>;
  /** Deletes one of the viewer's own posts; returns its tombstone. With `capabilities.delete`. */
  deletePost?(postId: string, options?: CallOptions): Promise<Post>;
  /** Who is reading. */
  getViewer(options?: CallOptions): Promise<Viewer>;
  /**
   * The ways of signing in, asked of the adapter's server when it has one (`RestAdapter` reads
   * them from `GET /v1/viewer`); `capabilities.signIn` then reports the answer.
   */
  getSignInMethods?(options?: CallOptions): Promise<readonly SignInMethod[]>;
  /** Signs the reader in. Absent when the host site handles sign-in itself. */
  signIn?(options?: SignInOptions): Promise<Viewer>;
  /** Signs the reader out. */
  signOut?(options?: CallOptions): Promise<Viewer>;
  /** Replaces the host site's single-sign-on token (`auth-token`); `null` signs out. */
  setToken?(token: string | null): Promise<void>;
  /**
   * How many posts that are not deleted each of `threadIds` holds (0 for a thread that does not
   * exist), in one call: what every `<parley-count>` on a page asks at once. Optional: without
   * it, a count reads the first page of its thread.
   */
  getCounts?(threadIds: readonly string[], options?: CallOptions): Promise<Record<string, number>>;
  /** Live changes of one thread; returns the function that stops them. With `capabilities.live`. */
  subscribe?(threadId: string, listener: ThreadListener): () => void;
}

/**
 * The capabilities of any adapter: its declared `capabilities`, where a method they name
 * exists; for an adapter written before they were declared (JavaScript, contract version 1),
 * what its methods imply.
 */
export function capabilitiesOf(adapter: CommentAdapter | null | undefined): AdapterCapabilities {
  if (!adapter) return NONE;
  const declared = (adapter as Partial<CommentAdapter>).capabilities;
  const legacy = adapter as { signInMethods?: readonly SignInMethod[] };
  const has = (name: keyof CommentAdapter) => typeof adapter[name] === 'function';
  const signIn = declared?.signIn ?? (has('signIn') ? (legacy.signInMethods ?? ['guest']) : false);
  return {
    live: (declared?.live ?? true) && has('subscribe'),
    window: (declared?.window ?? true) && has('listPostsAround'),
    signIn,
    edit: (declared?.edit ?? true) && has('updatePost'),
    delete: (declared?.delete ?? true) && has('deletePost'),
    counts: declared?.counts ?? false,
  };
}

const NONE: AdapterCapabilities = {
  live: false,
  window: false,
  signIn: false,
  edit: false,
  delete: false,
  counts: false,
};
