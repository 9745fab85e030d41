import { ParleyError } from './errors.js';
import { HANDLE_PATTERN } from './mentions.js';
import type { Author, Post, Thread } from './types.js';

type Path = string;

function fail(path: Path, record: string, problem: string): never {
  throw new ParleyError('invalid', `${path}${record}: ${problem}`, { field: path });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const label = (v: Record<string, unknown>) => (typeof v.id === 'string' ? ` (id "${v.id}")` : '');

/** Checks an author record; `path` names it in the error ("posts[2].author"). */
export function validateAuthor(value: unknown, path: Path): Author {
  if (!isObject(value)) fail(path, '', 'must be an object with id and name');
  const where = label(value);
  if (!isText(value.id)) fail(`${path}.id`, where, 'must be a non-empty string');
  if (!isText(value.name)) fail(`${path}.name`, where, 'must be a non-empty string');
  if (
    value.handle !== undefined &&
    (typeof value.handle !== 'string' || !HANDLE_PATTERN.test(value.handle))
  ) {
    fail(
      `${path}.handle`,
      where,
      'must be letters, digits, "_", "." or "-" (no "@"), at most 40 characters',
    );
  }
  if (value.avatarUrl !== undefined && typeof value.avatarUrl !== 'string')
    fail(`${path}.avatarUrl`, where, 'must be a string');
  if (value.guest !== undefined && value.guest !== true)
    fail(`${path}.guest`, where, 'must be true, or absent for a member');
  return value as unknown as Author;
}

/** Checks a thread record. */
export function validateThread(value: unknown, path: Path): Thread {
  if (!isObject(value)) fail(path, '', 'must be an object with id and title');
  const where = label(value);
  if (!isText(value.id)) fail(`${path}.id`, where, 'must be a non-empty string');
  if (typeof value.title !== 'string') fail(`${path}.title`, where, 'must be a string');
  if (value.url !== undefined && typeof value.url !== 'string')
    fail(`${path}.url`, where, 'must be a string');
  if (value.locked !== undefined && typeof value.locked !== 'boolean')
    fail(`${path}.locked`, where, 'must be true or false');
  return value as unknown as Thread;
}

const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** Checks a post record on its own (references are checked by `validateSeed`). */
export function validatePost(value: unknown, path: Path): Post {
  if (!isObject(value)) fail(path, '', 'must be an object');
  const where = label(value);
  if (!isText(value.id)) fail(`${path}.id`, where, 'must be a non-empty string');
  if (!isText(value.threadId)) fail(`${path}.threadId`, where, 'must be a non-empty string');
  validateAuthor(value.author, `${path}.author`);
  if (typeof value.body !== 'string') fail(`${path}.body`, where, 'must be a string of markdown');
  if (value.html !== undefined && typeof value.html !== 'string')
    fail(`${path}.html`, where, 'must be a string of HTML');
  if (!isDate(value.createdAt))
    fail(`${path}.createdAt`, where, 'must be an ISO 8601 date, e.g. "2019-01-28T11:03:00-06:00"');
  if (value.editedAt !== undefined && value.editedAt !== null && !isDate(value.editedAt))
    fail(`${path}.editedAt`, where, 'must be an ISO 8601 date');
  if (value.deleted !== undefined && typeof value.deleted !== 'boolean')
    fail(`${path}.deleted`, where, 'must be true or false');
  if (value.parentId !== undefined && value.parentId !== null && !isText(value.parentId))
    fail(`${path}.parentId`, where, 'must be a post id or null');
  if (value.quote !== undefined && value.quote !== null) {
    const quote = value.quote;
    if (!isObject(quote)) fail(`${path}.quote`, where, 'must be an object with postId and text');
    if (!isText(quote.postId)) fail(`${path}.quote.postId`, where, 'must be a post id');
    if (typeof quote.text !== 'string') fail(`${path}.quote.text`, where, 'must be a string');
  }
  return value as unknown as Post;
}

/** A complete data set for an embedded backend. */
export interface Seed {
  threads: Thread[];
  posts: Post[];
  users?: Author[];
}

/**
 * Checks a whole seed: every record's fields, unique ids, and that every post points at a thread
 * that exists and at parents and quoted posts of the same thread.
 * Throws a `ParleyError` of code `invalid` naming the record and the field.
 */
export function validateSeed(seed: unknown): Seed {
  if (!isObject(seed)) fail('seed', '', 'must be an object with threads and posts');
  if (!Array.isArray(seed.threads)) fail('threads', '', 'must be an array');
  if (!Array.isArray(seed.posts)) fail('posts', '', 'must be an array');
  if (seed.users !== undefined && !Array.isArray(seed.users)) fail('users', '', 'must be an array');

  const threads = new Set<string>();
  seed.threads.forEach((t, i) => {
    const thread = validateThread(t, `threads[${i}]`);
    if (threads.has(thread.id))
      fail(`threads[${i}].id`, label(t as Record<string, unknown>), 'is used by another thread');
    threads.add(thread.id);
  });
  const posts = new Map<string, Post>();
  seed.posts.forEach((p, i) => {
    const post = validatePost(p, `posts[${i}]`);
    if (posts.has(post.id))
      fail(`posts[${i}].id`, label(p as Record<string, unknown>), 'is used by another post');
    if (!threads.has(post.threadId))
      fail(
        `posts[${i}].threadId`,
        label(p as Record<string, unknown>),
        `names thread "${post.threadId}", which is not in threads`,
      );
    posts.set(post.id, post);
  });
  // Posts whose parents are known to lead back to the top: a walk up that reaches one stops
  // there, so a long chain of replies is walked once, not once per post in it.
  const grounded = new Set<string>();
  seed.posts.forEach((p, i) => {
    const post = p as Post;
    const parent = post.parentId ? posts.get(post.parentId) : undefined;
    if (post.parentId && (!parent || parent.threadId !== post.threadId)) {
      fail(
        `posts[${i}].parentId`,
        label(p as Record<string, unknown>),
        `names post "${post.parentId}", which is not in the same thread`,
      );
    }
    // Parents must lead back to the top of the thread, never round in a circle.
    const seen = new Set<string>([post.id]);
    for (let up = parent; up?.parentId && !grounded.has(up.id); up = posts.get(up.parentId)) {
      if (seen.has(up.parentId))
        fail(
          `posts[${i}].parentId`,
          label(p as Record<string, unknown>),
          'makes a circle of replies (a post cannot answer itself or its own replies)',
        );
      seen.add(up.parentId);
    }
    for (const id of seen) grounded.add(id);
    const quoted = post.quote ? posts.get(post.quote.postId) : undefined;
    if (post.quote && (!quoted || quoted.threadId !== post.threadId)) {
      fail(
        `posts[${i}].quote.postId`,
        label(p as Record<string, unknown>),
        `names post "${post.quote.postId}", which is not in the same thread`,
      );
    }
  });
  const users = new Set<string>();
  (seed.users ?? []).forEach((u, i) => {
    const user = validateAuthor(u, `users[${i}]`);
    if (users.has(user.id))
      fail(`users[${i}].id`, label(u as Record<string, unknown>), 'is used by another user');
    users.add(user.id);
  });
  return seed as unknown as Seed;
}
