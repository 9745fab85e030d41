import { comparePosts } from './threading.js';
import type { Post, PostPage } from './types.js';

/** A run of consecutive posts of a thread that is loaded, with the cursors that lead outwards. */
export interface Segment {
  /** Oldest first, consecutive in the thread's order. */
  posts: Post[];
  /** Position of the first post in the thread, when the backend said. */
  offset: number | null;
  /** Loads the posts just before this segment; `null` when it starts the thread. */
  prevCursor: string | null;
  /** Loads the posts just after this segment; `null` when it ends the thread. */
  nextCursor: string | null;
}

/** The hidden posts between two segments (or before the first, after the last). */
export interface Gap {
  /** The segment before the gap, or `null` at the start of the thread. */
  before: Segment | null;
  /** The segment after the gap, or `null` at the end of the thread. */
  after: Segment | null;
  /** How many posts it hides, when known. */
  count: number | null;
}

/**
 * The loaded part of a thread as a list of windows (segments) in thread order, with the gaps
 * between them. Pages and windows are merged as soon as they touch, so a thread read from the
 * start is one segment, and a jump far ahead adds a second one with a gap in between.
 */
export class PostStream {
  /** Segments in thread order; never overlapping. */
  segments: Segment[] = [];
  /** Posts in the thread (tombstones included), when the backend said. */
  total: number | null = null;
  private readonly index = new Map<string, Post>();

  /** Every loaded post, in thread order. */
  get posts(): Post[] {
    return this.segments.flatMap((s) => s.posts);
  }

  /** Number of loaded posts. */
  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  get(id: string): Post | undefined {
    return this.index.get(id);
  }

  /** Whether the whole thread is loaded. */
  get complete(): boolean {
    return (
      this.segments.length === 1 &&
      this.segments[0].prevCursor === null &&
      this.segments[0].nextCursor === null
    );
  }

  /** Empties the stream. */
  clear(): void {
    this.segments = [];
    this.total = null;
    this.index.clear();
  }

  /**
   * Adds a page: the first page, a page loaded from a segment's cursor, or a window around a post.
   * Returns how many posts were new.
   */
  add(page: PostPage): number {
    if (page.total !== undefined) this.total = page.total;
    const fresh = page.posts.filter((p) => !this.index.has(p.id)).length;
    for (const post of page.posts) this.index.set(post.id, post);
    if (page.posts.length === 0) {
      // An empty page still tells where the thread starts or ends.
      if (
        this.segments.length === 0 &&
        page.nextCursor === null &&
        (page.prevCursor ?? null) === null
      ) {
        this.segments.push({ posts: [], offset: 0, prevCursor: null, nextCursor: null });
      }
      return 0;
    }
    this.segments.push({
      posts: [...page.posts].sort(comparePosts),
      offset: page.offset ?? null,
      prevCursor: page.prevCursor ?? null,
      nextCursor: page.nextCursor,
    });
    this.normalize();
    return fresh;
  }

  /**
   * Places a post that arrived live: appended when the loaded part reaches the end of the thread
   * (or the thread was empty), otherwise only counted (it waits behind "Load more").
   * Returns whether it is now shown.
   */
  insert(post: Post): boolean {
    if (this.index.has(post.id)) return this.replace(post);
    if (this.total !== null) this.total++;
    const last = this.segments.at(-1);
    if (last && last.nextCursor !== null) return false;
    this.index.set(post.id, post);
    if (!last) this.segments.push({ posts: [post], offset: 0, prevCursor: null, nextCursor: null });
    else last.posts = [...last.posts, post].sort(comparePosts);
    this.segments = [...this.segments];
    return true;
  }

  /** Takes a post out (a post shown while sending, which failed or was replaced). */
  remove(id: string): void {
    if (!this.index.delete(id)) return;
    if (this.total !== null) this.total--;
    this.segments = this.segments.map((s) => ({ ...s, posts: s.posts.filter((p) => p.id !== id) }));
  }

  /** Replaces a loaded post with a newer version (an edit, a deletion). */
  replace(post: Post): boolean {
    if (!this.index.has(post.id)) return false;
    this.index.set(post.id, post);
    this.segments = this.segments.map((s) =>
      s.posts.some((p) => p.id === post.id)
        ? { ...s, posts: s.posts.map((p) => (p.id === post.id ? post : p)) }
        : s,
    );
    return true;
  }

  /** The gaps: before the first segment, between segments, after the last. Only real gaps. */
  gaps(): Gap[] {
    const gaps: Gap[] = [];
    let previous: Segment | null = null;
    for (const segment of this.segments) {
      if (segment.prevCursor !== null)
        gaps.push({ before: previous, after: segment, count: this.between(previous, segment) });
      previous = segment;
    }
    if (previous?.nextCursor)
      gaps.push({ before: previous, after: null, count: this.between(previous, null) });
    return gaps;
  }

  private between(a: Segment | null, b: Segment | null): number | null {
    const end = a ? (a.offset === null ? null : a.offset + a.posts.length) : 0;
    const start = b ? b.offset : this.total;
    return end === null || start === null || start === undefined ? null : Math.max(0, start - end);
  }

  /** Sorts the segments and merges those that overlap or touch. */
  private normalize(): void {
    const sorted = [...this.segments].sort((a, b) => comparePosts(a.posts[0], b.posts[0]));
    const merged: Segment[] = [];
    for (const segment of sorted) {
      const last = merged.at(-1);
      if (last && this.touch(last, segment)) merged[merged.length - 1] = this.join(last, segment);
      else merged.push(segment);
    }
    this.segments = merged;
  }

  private touch(a: Segment, b: Segment): boolean {
    if (a.nextCursor === null || b.prevCursor === null) return true;
    if (a.offset !== null && b.offset !== null) return a.offset + a.posts.length >= b.offset;
    const ids = new Set(a.posts.map((p) => p.id));
    return b.posts.some((p) => ids.has(p.id));
  }

  private join(a: Segment, b: Segment): Segment {
    const byId = new Map<string, Post>();
    for (const post of [...a.posts, ...b.posts]) byId.set(post.id, this.index.get(post.id) ?? post);
    const posts = [...byId.values()].sort(comparePosts);
    const aEnds = a.posts.at(-1)!;
    const bEnds = b.posts.at(-1)!;
    const later = comparePosts(bEnds, aEnds) >= 0 ? b : a;
    const bStart = posts.findIndex((p) => p.id === b.posts[0].id);
    const offset = a.offset ?? (b.offset === null ? null : b.offset - bStart);
    return { posts, offset, prevCursor: a.prevCursor, nextCursor: later.nextCursor };
  }
}
