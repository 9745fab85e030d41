import { ParleyError } from './errors.js';
import { HANDLE_PATTERN } from './mentions.js';
import type { Author, Post, Thread } from './types.js';

export type Path = string;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** A string that is not blank. One that starts with a printable ASCII character is not, untrimmed. */
const isText = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  const first = v.charCodeAt(0);
  return (first > 32 && first < 127) || v.trim() !== '';
};
const label = (v: unknown) => (isObject(v) && typeof v.id === 'string' ? ` (id "${v.id}")` : '');
const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/**
 * Where a record is, as its parts: the error's path is `base`, then `[index]` unless `index` is
 * -1, then `field`. The checks below run over every record of a seed of thousands, so the path
 * and the record's label are only put together once something fails.
 */
export function fail(
  base: Path,
  index: number,
  field: string,
  record: unknown,
  problem: string,
): never {
  const path = `${index < 0 ? base : `${base}[${index}]`}${field}`;
  throw new ParleyError('invalid', `${path}${label(record)}: ${problem}`, { field: path });
}

/** `validateAuthor`, of the author at `base`/`index`/`at` ("posts", 2, ".author"). */
export function checkAuthor(value: unknown, base: Path, index: number, at: string): Author {
  if (!isObject(value)) fail(base, index, at, null, 'must be an object with id and name');
  if (!isText(value.id)) fail(base, index, `${at}.id`, value, 'must be a non-empty string');
  if (!isText(value.name)) fail(base, index, `${at}.name`, value, 'must be a non-empty string');
  if (
    value.handle !== undefined &&
    (typeof value.handle !== 'string' || !HANDLE_PATTERN.test(value.handle))
  ) {
    fail(
      base,
      index,
      `${at}.handle`,
      value,
      'must be letters, digits, "_", "." or "-" (no "@"), at most 40 characters',
    );
  }
  if (value.avatarUrl !== undefined && typeof value.avatarUrl !== 'string')
    fail(base, index, `${at}.avatarUrl`, value, 'must be a string');
  if (value.guest !== undefined && value.guest !== true)
    fail(base, index, `${at}.guest`, value, 'must be true, or absent for a member');
  return value as unknown as Author;
}

/** `validateThread`, of the thread at `base`/`index`. */
export function checkThread(value: unknown, base: Path, index: number): Thread {
  if (!isObject(value)) fail(base, index, '', null, 'must be an object with id and title');
  if (!isText(value.id)) fail(base, index, '.id', value, 'must be a non-empty string');
  if (typeof value.title !== 'string') fail(base, index, '.title', value, 'must be a string');
  if (value.url !== undefined && typeof value.url !== 'string')
    fail(base, index, '.url', value, 'must be a string');
  if (value.locked !== undefined && typeof value.locked !== 'boolean')
    fail(base, index, '.locked', value, 'must be true or false');
  if (value.mode !== undefined && value.mode !== 'discussion' && value.mode !== 'comments')
    fail(base, index, '.mode', value, 'must be "discussion" or "comments"');
  return value as unknown as Thread;
}

/**
 * The part of a post's check that storing and ordering it needs: an object with an `id`, a
 * `threadId`, a `createdAt` that is a date (whose time it returns) and, if any, an `html` string.
 */
export function checkPostKey(value: unknown, base: Path, index: number): number {
  if (!isObject(value)) fail(base, index, '', null, 'must be an object');
  if (!isText(value.id)) fail(base, index, '.id', value, 'must be a non-empty string');
  if (!isText(value.threadId)) fail(base, index, '.threadId', value, 'must be a non-empty string');
  if (value.html !== undefined && typeof value.html !== 'string')
    fail(base, index, '.html', value, 'must be a string of HTML');
  const time = typeof value.createdAt === 'string' ? Date.parse(value.createdAt) : NaN;
  if (Number.isNaN(time))
    fail(
      base,
      index,
      '.createdAt',
      value,
      'must be an ISO 8601 date, e.g. "2019-01-28T11:03:00-06:00"',
    );
  return time;
}

/** The rest of a post's check, for a post that passed `checkPostKey`. */
export function checkPostRest(post: Post, base: Path, index: number): Post {
  const value = post as unknown as Record<string, unknown>;
  checkAuthor(value.author, base, index, '.author');
  if (typeof value.body !== 'string')
    fail(base, index, '.body', value, 'must be a string of markdown');
  if (value.editedAt !== undefined && value.editedAt !== null && !isDate(value.editedAt))
    fail(base, index, '.editedAt', value, 'must be an ISO 8601 date');
  if (value.deleted !== undefined && typeof value.deleted !== 'boolean')
    fail(base, index, '.deleted', value, 'must be true or false');
  if (value.parentId !== undefined && value.parentId !== null && !isText(value.parentId))
    fail(base, index, '.parentId', value, 'must be a post id or null');
  if (value.quote !== undefined && value.quote !== null) {
    const quote = value.quote;
    if (!isObject(quote))
      fail(base, index, '.quote', value, 'must be an object with postId and text');
    if (!isText(quote.postId)) fail(base, index, '.quote.postId', value, 'must be a post id');
    if (typeof quote.text !== 'string') fail(base, index, '.quote.text', value, 'must be a string');
  }
  return post;
}

/** Checks an author record; `path` names it in the error ("posts[2].author"). */
export function validateAuthor(value: unknown, path: Path): Author {
  return checkAuthor(value, path, -1, '');
}

/** Checks a thread record. */
export function validateThread(value: unknown, path: Path): Thread {
  return checkThread(value, path, -1);
}

/** Checks a post record on its own (references are checked by `validateSeed`). */
export function validatePost(value: unknown, path: Path): Post {
  checkPostKey(value, path, -1);
  return checkPostRest(value as Post, path, -1);
}
