import type { Author, Post } from './types.js';

/**
 * One post placed in the reply tree.
 * @experimental
 */
export interface ThreadNode {
  post: Post;
  /** Indentation level: 0 for a reply to the thread, at most `maxDepth`. */
  depth: number;
  /** Set when the post answers a deeper post than its indentation shows ("replying to @handle"). */
  replyingTo?: Author;
  children: ThreadNode[];
}

/**
 * A thread's loaded posts arranged for reading.
 * @experimental
 */
export interface ThreadLayout {
  /** The first post without a parent, or `null` while none is loaded. */
  opening: Post | null;
  /** Replies to the thread (and to the opening post), oldest first, with their nested replies. */
  replies: ThreadNode[];
  /** Number of replies that are not deleted. */
  replyCount: number;
}

/**
 * Orders posts oldest first; ties break on id so the order is stable across backends.
 * @experimental
 */
export function comparePosts(a: Post, b: Post): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Options of `layoutThread`.
 * @experimental
 */
export interface LayoutOptions {
  /**
   * The thread's opening post, when known: with it, the posts passed may be any window of the
   * thread (replies to the opening post count as replies to the thread). `null` when the window
   * does not hold it.
   */
  openingId?: string | null;
  /** Finds a post outside `posts` (to say whom a reply in a window answers). */
  lookup?: (id: string) => Post | undefined;
}

/**
 * Arranges posts into the opening post and a reply tree.
 * Replies nest under their parent up to `maxDepth` levels; deeper replies sit at the last level
 * in time order and carry `replyingTo`. A deleted post stays (as a tombstone) only while a visible
 * reply depends on it. A reply whose parent is not loaded is shown at the top level.
 * @experimental
 */
export function layoutThread(
  posts: readonly Post[],
  maxDepth = 3,
  options: LayoutOptions = {},
): ThreadLayout {
  const ordered = [...posts].sort(comparePosts);
  const opening =
    options.openingId === undefined
      ? (ordered.find((p) => !p.parentId) ?? null)
      : (ordered.find((p) => p.id === options.openingId) ?? null);
  const openingId = options.openingId === undefined ? opening?.id : options.openingId;
  const byId = new Map(ordered.map((p) => [p.id, p]));
  const nodes = new Map<string, ThreadNode>();
  const replies: ThreadNode[] = [];
  const limit = Math.max(0, Math.floor(maxDepth));

  for (const post of ordered) {
    if (post === opening) continue;
    const parent = post.parentId ? byId.get(post.parentId) : undefined;
    const parentNode = parent && parent !== opening ? nodes.get(parent.id) : undefined;
    let node: ThreadNode;
    if (!parentNode) {
      // A reply whose parent is elsewhere (another window of the thread) says whom it answers.
      const away =
        !parent && post.parentId && post.parentId !== openingId
          ? options.lookup?.(post.parentId)
          : undefined;
      node = { post, depth: 0, children: [], ...(away ? { replyingTo: away.author } : {}) };
      replies.push(node);
    } else if (parentNode.depth < limit) {
      node = { post, depth: parentNode.depth + 1, children: [] };
      parentNode.children.push(node);
    } else {
      // Too deep to indent further: a sibling of the parent, saying whom it answers.
      const host = findHost(parentNode, nodes, byId);
      node = { post, depth: parentNode.depth, replyingTo: parent!.author, children: [] };
      (host ? host.children : replies).push(node);
    }
    nodes.set(post.id, node);
  }

  // A tombstone stays while a visible post replies to it, directly or through other tombstones,
  // whether that reply is nested under it or flattened beside it.
  const needed = new Set<string>();
  for (const post of ordered) {
    if (post.deleted) continue;
    for (let id = post.parentId; id && !needed.has(id); id = byId.get(id)?.parentId) needed.add(id);
  }
  const visible = pruneTombstones(replies, needed);
  const replyCount = ordered.filter((p) => p !== opening && !p.deleted).length;
  return { opening, replies: visible, replyCount };
}

/** The node whose children list holds `node`. */
function findHost(
  node: ThreadNode,
  nodes: Map<string, ThreadNode>,
  byId: Map<string, Post>,
): ThreadNode | undefined {
  let current: Post | undefined = node.post;
  const seen = new Set<string>();
  // Walk up past flattened siblings until a node one level shallower is found. Parents that form
  // a loop (bad data) end the walk instead of hanging it.
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    const parentId: string | null | undefined = current.parentId;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (!parent) return undefined;
    if (parent.depth < node.depth) return parent;
    current = byId.get(parent.post.id);
  }
  return undefined;
}

function pruneTombstones(list: ThreadNode[], needed: ReadonlySet<string>): ThreadNode[] {
  const kept: ThreadNode[] = [];
  for (const node of list) {
    node.children = pruneTombstones(node.children, needed);
    if (!node.post.deleted || node.children.length > 0 || needed.has(node.post.id)) kept.push(node);
  }
  return kept;
}
