import type { Author, Post, Thread } from '../src/index.js';
export function generateThread(
  count: number,
  seed?: number,
): { thread: Thread; posts: Post[]; users: Author[] };
