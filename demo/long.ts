import { MemoryAdapter, type ParleyThread } from '../src/index.js';
// The benchmark's generator: the same threads `npm run bench` measures.
import { generateThread } from '../bench/generate.mjs';

const { thread, posts, users } = generateThread(10_000);
const element = document.querySelector<ParleyThread>('#long')!;
element.adapter = new MemoryAdapter({
  threads: [thread],
  posts,
  users,
  viewer: { user: users[0] },
});
