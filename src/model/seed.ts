/**
 * Checking a whole data set for an embedded backend: every record (with the checks of
 * `validate.ts`), unique ids, and the references between them; and the parts of that check
 * `MemoryAdapter` makes as it serves each record. Its own module, so what checks one record from
 * a server does not bring it along.
 */
import type { Author, Post, Thread } from './types.js';
import {
  checkAuthor,
  checkPostKey,
  checkPostRest,
  checkThread,
  fail,
  isObject,
} from './validate.js';

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
  const { threads, posts, users } = checkSeedShape(seed);
  const threadIds = new Set(checkThreads(threads).map((thread) => thread.id));
  checkPostKeys(posts, threadIds);
  const byId = new Map((posts as Post[]).map((post) => [post.id, post]));
  const grounded = new Set<string>();
  for (let i = 0; i < posts.length; i++) {
    checkPostRest(posts[i] as Post, 'posts', i);
    checkReferences(posts[i] as Post, i, byId, grounded);
  }
  checkUsers(users);
  return seed as unknown as Seed;
}

/** The three lists of a seed (`users` empty when absent), once each is known to be an array. */
export function checkSeedShape(seed: unknown): {
  threads: unknown[];
  posts: unknown[];
  users: unknown[];
} {
  if (!isObject(seed)) fail('seed', -1, '', null, 'must be an object with threads and posts');
  if (!Array.isArray(seed.threads)) fail('threads', -1, '', null, 'must be an array');
  if (!Array.isArray(seed.posts)) fail('posts', -1, '', null, 'must be an array');
  if (seed.users !== undefined && !Array.isArray(seed.users))
    fail('users', -1, '', null, 'must be an array');
  return {
    threads: seed.threads as unknown[],
    posts: seed.posts as unknown[],
    users: (seed.users ?? []) as unknown[],
  };
}

/** Checks a seed's threads: each one's fields, and unique ids. */
export function checkThreads(seedThreads: readonly unknown[]): Thread[] {
  const ids = new Set<string>();
  for (let i = 0; i < seedThreads.length; i++) {
    const thread = checkThread(seedThreads[i], 'threads', i);
    if (ids.has(thread.id)) fail('threads', i, '.id', thread, 'is used by another thread');
    ids.add(thread.id);
  }
  return seedThreads as Thread[];
}

/**
 * Checks a seed's posts as far as storing and ordering them needs: each one's `checkPostKey`,
 * unique ids, and a thread among `threads`. Returns each post's time (`Date.parse` of its
 * `createdAt`), in the order of `seedPosts`. The rest of a post's check is `checkPostRest` and
 * `checkReferences`.
 */
export function checkPostKeys(
  seedPosts: readonly unknown[],
  threads: { has(id: string): boolean },
): number[] {
  const ids = new Set<string>();
  const times: number[] = [];
  for (let i = 0; i < seedPosts.length; i++) {
    times.push(checkPostKey(seedPosts[i], 'posts', i));
    const post = seedPosts[i] as Post;
    if (ids.has(post.id)) fail('posts', i, '.id', post, 'is used by another post');
    if (!threads.has(post.threadId))
      fail(
        'posts',
        i,
        '.threadId',
        post,
        `names thread "${post.threadId}", which is not in threads`,
      );
    ids.add(post.id);
  }
  return times;
}

/** Checks a seed's users: each one's fields, and unique ids. */
export function checkUsers(seedUsers: readonly unknown[]): Author[] {
  const users = new Set<string>();
  for (let i = 0; i < seedUsers.length; i++) {
    const user = checkAuthor(seedUsers[i], 'users', i, '');
    if (users.has(user.id)) fail('users', i, '.id', user, 'is used by another user');
    users.add(user.id);
  }
  return seedUsers as Author[];
}

/**
 * Checks what seed post `post` (at `posts[index]`) points at, once every post of the seed is in
 * `posts`: its parent and its quoted post are in its thread, and its parents lead back to the
 * top of the thread, never round in a circle. `grounded` holds the posts known to lead back to
 * the top, shared between calls: a walk up that reaches one stops there, so a long chain of
 * replies is walked once, not once per post in it.
 */
export function checkReferences(
  post: Post,
  index: number,
  posts: ReadonlyMap<string, Post>,
  grounded: Set<string>,
): void {
  const parent = post.parentId ? posts.get(post.parentId) : undefined;
  if (post.parentId && (!parent || parent.threadId !== post.threadId)) {
    fail(
      'posts',
      index,
      '.parentId',
      post,
      `names post "${post.parentId}", which is not in the same thread`,
    );
  }
  // A walk up that takes more steps than there are posts has gone round a circle (counting, so
  // that the walk allocates nothing).
  let steps = 0;
  for (let up = parent; up?.parentId && !grounded.has(up.id); up = posts.get(up.parentId)) {
    if (up.parentId === post.id || ++steps > posts.size)
      fail(
        'posts',
        index,
        '.parentId',
        post,
        'makes a circle of replies (a post cannot answer itself or its own replies)',
      );
  }
  // A post at the top of its thread is where walks end anyway: only replies are remembered.
  if (parent) grounded.add(post.id);
  for (let up = parent; up?.parentId && !grounded.has(up.id); up = posts.get(up.parentId))
    grounded.add(up.id);
  const quoted = post.quote ? posts.get(post.quote.postId) : undefined;
  if (post.quote && (!quoted || quoted.threadId !== post.threadId)) {
    fail(
      'posts',
      index,
      '.quote.postId',
      post,
      `names post "${post.quote.postId}", which is not in the same thread`,
    );
  }
}
