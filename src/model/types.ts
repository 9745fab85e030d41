/**
 * The Parley data model. Every adapter speaks it; every element renders it.
 * All text fields are untrusted user input.
 */

/** A person who writes posts. */
export interface Author {
  /** Stable id, unique per backend. */
  id: string;
  /** Display name. */
  name: string;
  /** Mention handle without the leading `@`. */
  handle?: string;
  /** Absolute `http(s)` URL of an avatar image. */
  avatarUrl?: string;
  /**
   * `true` for a guest: someone who gave only a name, which nobody checked. Show it wherever the
   * name shows (a "guest" marker), so a guest cannot pass for a member. Absent for members.
   */
  guest?: true;
}

/**
 * How a thread reads: `discussion`, a forum topic whose first post is the opening post and the
 * rest replies to it; `comments`, the comments under a page (an article), where the page is the
 * topic and every top-level post is a comment on it.
 */
export type ThreadMode = 'discussion' | 'comments';

/** A discussion: one opening post and its replies, or the comments on a page. */
export interface Thread {
  id: string;
  title: string;
  /** Canonical URL of the page the thread belongs to. */
  url?: string;
  /** A locked thread accepts no new posts. */
  locked?: boolean;
  /**
   * How the thread reads, as its backend decides (`<parley-thread mode>` overrides it). Absent:
   * `comments` for a thread keyed by its page's canonical URL, else `discussion`.
   */
  mode?: ThreadMode;
}

/** The excerpt of another post that a post quotes. */
export interface Quote {
  /** Id of the quoted post. */
  postId: string;
  /** The quoted excerpt, as plain text. */
  text: string;
}

/** One post in a thread. The first post without a parent is the thread's opening post. */
export interface Post {
  id: string;
  threadId: string;
  author: Author;
  /** Markdown source, untrusted. Empty for a deleted post. */
  body: string;
  /**
   * `body` rendered to HTML by the backend with Parley's markdown rules (`markdown-parse.ts`),
   * untrusted like `body`: the elements sanitise it exactly as they sanitise their own rendering,
   * and skip loading the markdown parser for posts that have it. Optional; absent from tombstones.
   */
  html?: string;
  /** ISO 8601 creation time. */
  createdAt: string;
  /** ISO 8601 time of the last edit. */
  editedAt?: string;
  /** A deleted post is kept as a tombstone so its replies still read in context. */
  deleted?: boolean;
  /** The post this one replies to; `null` or absent for a reply to the thread. */
  parentId?: string | null;
  /** The post (and excerpt) this one quotes. */
  quote?: Quote | null;
}

/** Who is reading. */
export interface Viewer {
  /** The signed-in person, or `null` when signed out. */
  user: Author | null;
}

/** One page (or window) of a thread's posts, oldest first. */
export interface PostPage {
  posts: Post[];
  /** Pass to `listPosts` for the posts after this page; `null` when it ends the thread. */
  nextCursor: string | null;
  /** Pass to `listPosts` for the posts before this page; `null` when it starts the thread. */
  prevCursor?: string | null;
  /** Total number of posts in the thread (tombstones included), when the backend knows it. */
  total?: number;
  /** Position of the page's first post in the thread (0-based), when the backend knows it. */
  offset?: number;
}

/** What a reader submits from the composer. */
export interface NewPost {
  threadId: string;
  body: string;
  parentId?: string | null;
  quote?: Quote | null;
}

/**
 * A change in a thread, delivered to `subscribe` listeners:
 * - `post-created`, `post-updated`, `post-deleted`, `thread-updated`: made by anyone;
 * - `viewer-changed`: the reader signed in or out (here, in another tab, or on the host site);
 * - `reload`: the backend cannot say what changed while the listener was away (too much did, or
 *   its history no longer reaches back that far): show the thread afresh;
 * - `connection-changed`: live updates stopped (`live: false`, once, when the connection drops,
 *   stalls or cannot be opened; the adapter keeps trying) or came back (`live: true`, only after
 *   a `live: false`). Listeners start out assuming they are live. Changes missed in between are
 *   delivered when the connection is back, where the backend can replay them.
 */
export type ThreadChange =
  | { type: 'post-created'; post: Post }
  | { type: 'post-updated'; post: Post }
  | { type: 'post-deleted'; post: Post }
  | { type: 'thread-updated'; thread: Thread }
  | { type: 'viewer-changed'; viewer: Viewer }
  | { type: 'reload' }
  | { type: 'connection-changed'; live: boolean };
