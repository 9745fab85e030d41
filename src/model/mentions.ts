import type { Author, Post } from './types.js';

/** A handle: letters, digits and `_`, with `.` or `-` inside. */
export const HANDLE_PATTERN = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?$/;

/**
 * `@handle` where it starts a word: not inside an e-mail address or a URL path.
 * Group 1 is the handle.
 */
export const MENTION_PATTERN = /(?<![\w@./-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)/g;

/**
 * Handles mentioned in a text, lower-cased, in order of first appearance.
 * @experimental
 */
export function mentionsIn(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) seen.add(match[1].toLowerCase());
  return [...seen];
}

/**
 * The authors of `posts` that have a handle, keyed by lower-cased handle; latest post wins.
 * @experimental
 */
export function participantsOf(posts: readonly Post[]): Map<string, Author> {
  const people = new Map<string, Author>();
  for (const post of posts) {
    const handle = post.author.handle;
    if (handle && !post.deleted) people.set(handle.toLowerCase(), post.author);
  }
  return people;
}

/** The `@query` being typed at `caret`, if any. */
export function mentionQueryAt(
  text: string,
  caret: number,
): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?:^|[^\w@./-])@([A-Za-z0-9_.-]{0,40})$/.exec(before);
  if (!match) return null;
  const query = match[1];
  return { start: caret - query.length - 1, query };
}

/**
 * Participants whose handle or name starts with (then contains) `query`, best first.
 * @experimental
 */
export function suggestMentions(people: Iterable<Author>, query: string, limit = 6): Author[] {
  const q = query.toLowerCase();
  const scored: { author: Author; score: number }[] = [];
  for (const author of people) {
    const handle = (author.handle ?? '').toLowerCase();
    const name = author.name.toLowerCase();
    let score = -1;
    if (handle.startsWith(q)) score = 0;
    else if (name.split(/\s+/).some((w) => w.startsWith(q))) score = 1;
    else if (handle.includes(q) || name.includes(q)) score = 2;
    if (score >= 0 && author.handle) scored.push({ author, score });
  }
  scored.sort((a, b) => a.score - b.score || a.author.handle!.localeCompare(b.author.handle!));
  return scored.slice(0, limit).map((s) => s.author);
}
