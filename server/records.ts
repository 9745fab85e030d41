/**
 * What both storage backends share: how a database row becomes a thread, post or user, the
 * opaque page cursors (the same on SQLite and PostgreSQL, so they survive a change of backend).
 * Their domain errors are in server/storage/errors.ts. SQLite stores booleans as 0/1, PostgreSQL
 * as booleans.
 */
import type { Author, Post, Thread } from '../src/model/types.js';
import { handleSkeleton } from './handles.js';
import type { User, UserKind } from './store.js';

export interface PostRow {
  id: string;
  thread_id: string;
  body: string;
  created_ms: number;
  edited_ms: number | null;
  deleted: number | boolean;
  parent_id: string | null;
  quote_post_id: string | null;
  quote_text: string | null;
  author_id: string;
  a_name: string;
  a_handle: string | null;
  a_avatar: string | null;
  a_kind: UserKind;
}

export interface ThreadRow {
  id: string;
  title: string;
  url: string | null;
  locked: number | boolean;
  mode: string | null;
}

export interface UserRow {
  id: string;
  name: string;
  handle: string | null;
  avatar_url: string | null;
  kind: UserKind;
  password_hash: string | null;
}

/** A post with its author, in the shape `toPost` reads. */
export const POST_SELECT = `SELECT p.id, p.thread_id, p.body, p.created_ms, p.edited_ms, p.deleted, p.parent_id,
  p.quote_post_id, p.quote_text, p.author_id, u.name AS a_name, u.handle AS a_handle, u.avatar_url AS a_avatar, u.kind AS a_kind
  FROM posts p JOIN users u ON u.id = p.author_id`;

export const iso = (ms: number) => new Date(ms).toISOString();

export function toAuthor(row: {
  id: string;
  name: string;
  handle: string | null;
  avatar: string | null;
  kind: UserKind;
}): Author {
  const author: Author = { id: row.id, name: row.name };
  if (row.handle) author.handle = row.handle;
  if (row.avatar) author.avatarUrl = row.avatar;
  if (row.kind === 'guest') author.guest = true;
  return author;
}

/** The `handle_key` of a handle: equal keys are the same handle (see server/handles.ts). */
export const keyOf = (handle: string | null | undefined) =>
  handle ? handleSkeleton(handle) : null;

export function toPost(row: PostRow): Post {
  const post: Post = {
    id: row.id,
    threadId: row.thread_id,
    author: toAuthor({
      id: row.author_id,
      name: row.a_name,
      handle: row.a_handle,
      avatar: row.a_avatar,
      kind: row.a_kind,
    }),
    body: row.body,
    createdAt: iso(row.created_ms),
  };
  if (row.edited_ms !== null) post.editedAt = iso(row.edited_ms);
  post.deleted = Boolean(row.deleted);
  post.parentId = row.parent_id;
  post.quote =
    row.quote_post_id === null ? null : { postId: row.quote_post_id, text: row.quote_text ?? '' };
  return post;
}

export function toThread(row: ThreadRow): Thread {
  const thread: Thread = { id: row.id, title: row.title };
  if (row.url) thread.url = row.url;
  thread.locked = Boolean(row.locked);
  if (row.mode === 'comments' || row.mode === 'discussion') thread.mode = row.mode;
  return thread;
}

/**
 * The mode a thread created for a page gets: `comments` when it is keyed by the page's URL (as
 * `<parley-thread endpoint>` keys a page without `thread-id`), else none (the element decides).
 */
export function modeOfNewThread(id: string, url: string | null): 'comments' | null {
  return url !== null && id === url ? 'comments' : null;
}

export function toUser(row: UserRow): User {
  return {
    author: toAuthor({
      id: row.id,
      name: row.name,
      handle: row.handle,
      avatar: row.avatar_url,
      kind: row.kind,
    }),
    kind: row.kind,
    passwordHash: row.password_hash,
  };
}

/** Cursors are opaque to clients: base64url of `["a" | "b", postId]` (after / before that post). */
export function encodeCursor(direction: 'a' | 'b', postId: string): string {
  return Buffer.from(JSON.stringify([direction, postId])).toString('base64url');
}

export function decodeCursor(cursor: string): { direction: 'a' | 'b'; postId: string } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (value[0] === 'a' || value[0] === 'b') &&
      typeof value[1] === 'string'
    ) {
      return { direction: value[0], postId: value[1] };
    }
  } catch {
    // Not one of ours.
  }
  return null;
}
