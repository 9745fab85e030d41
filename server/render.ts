/**
 * Posts go out with `html`: their markdown rendered with the library's own rules
 * (src/content/markdown-parse.ts), so a reader's browser sanitises it and never needs to load
 * the markdown parser to show a thread. Rendered when a post is sent, not stored, so an edit or a
 * newer parser never leaves a stale copy; a cache keyed by the post's version (its body compared on
 * every hit) saves the work for the posts that are read again and again.
 */
import { parseMarkdown } from '../src/content/markdown-parse.js';
import type { Post, PostPage } from '../src/model/types.js';

const CACHE_SIZE = 5000;
/** Per post id and version, the body rendered and its html: a seed may reuse ids and times. */
const cache = new Map<string, { body: string; html: string }>();

/** The post with its `html` (a tombstone has none). */
export function rendered(post: Post): Post {
  if (post.deleted) return post;
  const key = `${post.id}\u0000${post.editedAt ?? post.createdAt}`;
  let entry = cache.get(key);
  if (entry?.body !== post.body) {
    entry = { body: post.body, html: parseMarkdown(post.body) };
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  } else cache.delete(key); // re-inserted below: the most recently used stay
  cache.set(key, entry);
  return { ...post, html: entry.html };
}

/** The page with every post's `html`. */
export function renderedPage<P extends PostPage>(page: P): P {
  return { ...page, posts: page.posts.map(rendered) };
}
