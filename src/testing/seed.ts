/**
 * The data of the shared adapter contract: four threads, the main thread's posts shuffled (an
 * adapter must order them), a tombstone with a reply, quotes, and a post written with another
 * UTC offset (order is by instant, not by string). Pure data, no browser: the contract suite
 * (wherever it runs) and the reference server's tests (in Node) both use it.
 */
import type { Author, Post, Thread, Viewer } from '../model/types.js';

/** The data an adapter under test must serve. */
export interface ContractSeed {
  threads: Thread[];
  posts: Post[];
  users: Author[];
  /** Who is reading at first; `{ user: null }` means signed out. */
  viewer?: Viewer;
}

export const ana: Author = { id: 'c-ana', name: 'Ana Lima', handle: 'ana' };
export const ben: Author = { id: 'c-ben', name: 'Ben Okafor', handle: 'ben' };
export const cy: Author = { id: 'c-cy', name: 'Cy Young', handle: 'cy' };

export const MAIN = 'contract-main';
export const SIDE = 'contract-side';
export const LOCKED = 'contract-locked';
export const EMPTY = 'contract-empty';

/** The main thread's posts in the order `listPosts` must return them (`m5a`/`m5b` tie on time). */
export const MAIN_ORDER = ['m1', 'm2', 'm3', 'm4', 'm5a', 'm5b', 'm6', 'm7'];

/** A seed time, on day `day` of March 2021 (any post created during a run is newer). */
export const at = (minute: number, day = 1) =>
  `2021-03-0${day}T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** A fresh seed; `extraUsers` join the three authors (a moderator, say). */
export function contractSeed(
  viewer: Viewer = { user: ana },
  extraUsers: Author[] = [],
): ContractSeed {
  const main: Post[] = [
    {
      id: 'm1',
      threadId: MAIN,
      author: ben,
      createdAt: at(0),
      body: 'The opening post of the main thread.',
    },
    // 10:05 UTC, written with its own offset.
    {
      id: 'm2',
      threadId: MAIN,
      author: ana,
      createdAt: '2021-03-01T11:05:00+01:00',
      body: 'Ana answers the opening post.',
    },
    {
      id: 'm3',
      threadId: MAIN,
      author: cy,
      createdAt: at(10),
      parentId: 'm2',
      body: 'Cy replies to Ana.',
    },
    {
      id: 'm4',
      threadId: MAIN,
      author: ben,
      createdAt: at(15),
      editedAt: at(16),
      deleted: true,
      body: '',
    },
    {
      id: 'm5a',
      threadId: MAIN,
      author: cy,
      createdAt: at(20),
      parentId: 'm4',
      body: 'A reply to a deleted post.',
    },
    {
      id: 'm5b',
      threadId: MAIN,
      author: ana,
      createdAt: at(20),
      quote: { postId: 'm1', text: 'The opening post' },
      body: 'Ana quotes the opening.',
    },
    {
      id: 'm6',
      threadId: MAIN,
      author: ben,
      createdAt: at(30),
      quote: { postId: 'm2', text: 'Ana answers' },
      body: 'Ben quotes Ana.',
    },
    { id: 'm7', threadId: MAIN, author: ana, createdAt: at(40), body: 'The newest seeded post.' },
  ];
  const byId = new Map(main.map((p) => [p.id, p]));
  const shuffled = ['m6', 'm1', 'm5b', 'm3', 'm7', 'm2', 'm5a', 'm4'].map((id) => byId.get(id)!);
  const seed: ContractSeed = {
    threads: [
      { id: MAIN, title: 'Contract main', url: 'https://example.com/main' },
      { id: SIDE, title: 'Contract side' },
      { id: LOCKED, title: 'Contract locked', locked: true },
      { id: EMPTY, title: 'Contract empty' },
    ],
    posts: [
      ...shuffled,
      { id: 's1', threadId: SIDE, author: cy, createdAt: at(0, 2), body: 'The side thread opens.' },
      {
        id: 's2',
        threadId: SIDE,
        author: ben,
        createdAt: at(5, 2),
        parentId: 's1',
        body: 'A reply in the side thread.',
      },
      {
        id: 'l1',
        threadId: LOCKED,
        author: ben,
        createdAt: at(0, 3),
        body: 'Nothing more to say here.',
      },
    ],
    users: [ana, ben, cy, ...extraUsers],
    viewer,
  };
  // A JSON round trip, not structuredClone: no two records may share an object.
  return JSON.parse(JSON.stringify(seed)) as ContractSeed;
}
