/**
 * The demo's discussion (demo/seed.ts), for an empty database: the "Social Media Access" thread
 * with its 9 posts and 4 members, who get built-in accounts with the password `parley-demo`, and
 * the release-notes thread. `server/build.mjs` compiles demo/seed.ts to server/dist/demo/seed.js
 * (types stripped), so the demo and the server share one copy of the data.
 */
import type { Author, Post, Thread } from '../src/model/types.js';
import type { SeedRequest } from './app.js';

/** The password of the demo members' accounts (handles dqualls, DanHinmon, angela_k_moore, jellis). */
export const DEMO_PASSWORD = 'parley-demo';

interface DemoModule {
  thread: Thread;
  posts: Post[];
  users: Author[];
  releaseThread: Thread;
  releasePosts: Post[];
  releaseUsers: Author[];
}

export async function demoSeed(): Promise<SeedRequest> {
  // A computed specifier: tsc must not type-check demo/seed.ts here (it imports the browser build's types).
  const where = new URL('../demo/seed.js', import.meta.url).href;
  const demo = (await import(where)) as DemoModule;
  return {
    threads: [demo.thread, demo.releaseThread],
    posts: [...demo.posts, ...demo.releasePosts],
    users: [
      ...demo.users.map((user) => ({ ...user, password: DEMO_PASSWORD })),
      ...demo.releaseUsers,
    ],
  };
}

/** The demo members who get built-in accounts (with the published password), as ids and handles. */
export async function demoAccounts(): Promise<{ id: string; handle: string }[]> {
  const seed = await demoSeed();
  return (seed.users ?? [])
    .filter((user) => user.password !== undefined)
    .map((user) => ({ id: user.id, handle: user.handle ?? user.id }));
}
