import type { Author, Post, Thread } from '../src/index.js';
export function generateThread(
  count: number,
  seed?: number,
  options?: { idPrefix?: string },
): { thread: Thread; posts: Post[]; users: Author[] };
