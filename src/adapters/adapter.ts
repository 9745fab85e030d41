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
 * What `<parley-thread>` needs from a backend. Every method is async, takes an optional
 * `AbortSignal` and fails with a `ParleyError`. Run an implementation through the shared
 * contract suite (`parley-comments/testing`, src/testing/) to prove it.
 */
export interface CommentAdapter {
  /** The thread with this id. Fails with `not-found` when there is none. */
  getThread(threadId: string, options?: CallOptions): Promise<Thread>;
  /** A page of the thread's posts, oldest first, tombstones included. */
  listPosts(threadId: string, options?: ListPostsOptions): Promise<PostPage>;
  /**
   * The window of posts around one post (up to `before` posts, the post, up to `after` posts),
   * oldest first, with cursors to page outwards from it: what "Jump to this post" and
   * `#post-<id>` deep links load instead of every page in between. Fails with `not-found` when
   * the post is not in the thread.
   */
  listPostsAround(threadId: string, postId: string, options?: AroundOptions): Promise<PostPage>;
  /** One post by id, loaded or not. Fails with `not-found` when it never existed. */
  getPost(postId: string, options?: CallOptions): Promise<Post>;
  /**
   * Publishes a post as the viewer. Fails with `unauthorized` when signed out. With an
   * `idempotencyKey` that an earlier call already published with, returns that post instead.
   */
  createPost(post: NewPost, options?: CreatePostOptions): Promise<Post>;
  /** Replaces the body of one of the viewer's own posts. */
  updatePost(postId: string, body: string, options?: CallOptions): Promise<Post>;
  /** Deletes one of the viewer's own posts; returns its tombstone. */
  deletePost(postId: string, options?: CallOptions): Promise<Post>;
  /** Who is reading. */
  getViewer(options?: CallOptions): Promise<Viewer>;
  /**
   * The ways of signing in this adapter offers, when it knows them (some learn them from their
   * server; see `RestAdapter.getSignInMethods()`). Absent or empty: the elements offer none of
   * their own forms.
   */
  readonly signInMethods?: readonly SignInMethod[];
  /** Signs the reader in. Absent when the host site handles sign-in itself. */
  signIn?(options?: SignInOptions): Promise<Viewer>;
  /** Signs the reader out. */
  signOut?(options?: CallOptions): Promise<Viewer>;
  /** Live changes of one thread; returns the function that stops them. */
  subscribe?(threadId: string, listener: ThreadListener): () => void;
}
