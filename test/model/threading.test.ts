/** `layoutThread` and `comparePosts`: a thread's posts arranged for reading. */
import { expect } from '@open-wc/testing';
import { comparePosts, layoutThread, type ThreadNode } from '../../src/model/threading.js';

/** Every node of a tree in reading order. */
const walk = (nodes: readonly ThreadNode[]): ThreadNode[] =>
  nodes.flatMap((n) => [n, ...walk(n.children)]);
import type { Author, Post } from '../../src/model/types.js';
import { posts as seedPosts } from '../../demo/seed.js';

const ann: Author = { id: 'u-ann', name: 'Ann', handle: 'ann' };
const bob: Author = { id: 'u-bob', name: 'Bob', handle: 'bob' };
const cat: Author = { id: 'u-cat', name: 'Cat', handle: 'cat' };

/** A post at `minute` past ten, replying to `parentId` when given. */
function post(
  id: string,
  minute: number,
  parentId: string | null = null,
  extra: Partial<Post> = {},
): Post {
  return {
    id,
    threadId: 't',
    author: ann,
    body: `Post ${id}`,
    createdAt: `2021-05-01T10:${String(minute).padStart(2, '0')}:00Z`,
    parentId,
    ...extra,
  };
}

/** The tree as `id@depth[children]` strings, with `>handle` for replyingTo: easy to compare. */
function shape(nodes: readonly ThreadNode[]): string[] {
  return nodes.map((n) => {
    const to = n.replyingTo ? `>${n.replyingTo.handle}` : '';
    const children = n.children.length ? `[${shape(n.children).join(' ')}]` : '';
    return `${n.post.id}@${n.depth}${to}${children}`;
  });
}

describe('layoutThread', () => {
  describe('opening post', () => {
    it('takes the oldest post without a parent as the opening post, outside the replies', () => {
      const layout = layoutThread([post('r1', 5), post('open', 0), post('r2', 9)]);
      expect(layout.opening?.id).to.equal('open');
      expect(shape(layout.replies)).to.deep.equal(['r1@0', 'r2@0']);
    });

    it('puts replies to the opening post at the top level', () => {
      const layout = layoutThread([post('open', 0), post('a', 1, 'open'), post('b', 2, 'open')]);
      expect(shape(layout.replies)).to.deep.equal(['a@0', 'b@0']);
      expect(layout.replies.every((n) => n.replyingTo === undefined)).to.equal(true);
    });

    it('has no opening post while none is loaded, and shows the replies at the top level', () => {
      const layout = layoutThread([post('a', 1, 'unloaded'), post('b', 2, 'a')]);
      expect(layout.opening).to.equal(null);
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1]']);
    });

    it('is null for no posts', () => {
      expect(layoutThread([])).to.deep.equal({ opening: null, replies: [], replyCount: 0 });
    });
  });

  describe('nesting', () => {
    it('nests each reply under its parent, one level deeper, up to maxDepth', () => {
      const layout = layoutThread(
        [
          post('open', 0),
          post('a', 1),
          post('b', 2, 'a'),
          post('c', 3, 'b'),
          post('d', 4, 'c'),
          post('e', 5, 'a'),
        ],
        3,
      );
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1[c@2[d@3]] e@1]']);
    });

    it('keeps siblings in time order whatever order the posts come in', () => {
      const layout = layoutThread([
        post('c', 3, 'a'),
        post('a', 1),
        post('open', 0),
        post('b', 2, 'a'),
        post('z', 9),
      ]);
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1 c@1]', 'z@0']);
    });

    it('flattens replies deeper than maxDepth into the last level, saying whom they answer', () => {
      const posts = [
        post('open', 0),
        post('a', 1),
        post('b', 2, 'a', { author: bob }),
        post('c', 3, 'b', { author: cat }),
        post('d', 4, 'c', { author: ann }),
        post('e', 5, 'b'),
        post('f', 6, 'd'),
      ];
      const layout = layoutThread(posts, 1);
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1 c@1>bob d@1>cat e@1>bob f@1>ann]']);
      const d = layout.replies[0].children.find((n) => n.post.id === 'd')!;
      expect(d.replyingTo).to.deep.equal(cat);
    });

    it('shows every reply at the top level with maxDepth 0, replies to replies saying whom they answer', () => {
      const layout = layoutThread(
        [
          post('open', 0),
          post('a', 1),
          post('b', 2, 'a', { author: bob }),
          post('c', 3, 'b'),
          post('d', 4, 'open'),
        ],
        0,
      );
      expect(shape(layout.replies)).to.deep.equal(['a@0', 'b@0>ann', 'c@0>bob', 'd@0']);
    });

    it('uses three levels by default', () => {
      const layout = layoutThread([
        post('a', 1),
        post('b', 2, 'a'),
        post('c', 3, 'b'),
        post('d', 4, 'c'),
        post('e', 5, 'd'),
      ]);
      // `a` is the opening post here, so `b` is at the top level.
      expect(shape(layout.replies)).to.deep.equal(['b@0[c@1[d@2[e@3]]]']);
    });

    it('shows a reply whose parent is not loaded at the top level, in time order', () => {
      const layout = layoutThread([
        post('open', 0),
        post('a', 1),
        post('orphan', 2, 'not-loaded'),
        post('b', 3, 'a'),
      ]);
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1]', 'orphan@0']);
      expect(layout.replies[1].replyingTo).to.equal(undefined);
    });

    it('ends, placing every post once, when parents form a loop', () => {
      const looped = [
        post('open', 0),
        post('self', 1, 'self'),
        post('x', 2, 'y'),
        post('y', 3, 'x'),
        post('r', 4, 'self'),
        post('s', 5, 'y'),
      ];
      for (const depth of [0, 1, 3]) {
        const layout = layoutThread(looped, depth);
        const placed = [...walk(layout.replies)].map((n) => n.post.id).sort();
        expect(placed, `maxDepth ${depth}`).to.deep.equal(['r', 's', 'self', 'x', 'y']);
      }
    });

    it('does not change the array it is given', () => {
      const posts = [post('b', 2, 'a'), post('a', 1), post('open', 0)];
      const before = structuredClone(posts);
      layoutThread(posts);
      expect(posts).to.deep.equal(before);
    });
  });

  describe('tombstones', () => {
    const gone = { deleted: true, body: '' };

    it('drops a deleted post that has no replies', () => {
      const layout = layoutThread([post('open', 0), post('a', 1, null, gone), post('b', 2)]);
      expect(shape(layout.replies)).to.deep.equal(['b@0']);
    });

    it('keeps a deleted post that has a visible reply', () => {
      const layout = layoutThread([post('open', 0), post('a', 1, null, gone), post('b', 2, 'a')]);
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1]']);
      expect(layout.replies[0].post.deleted).to.equal(true);
    });

    it('drops a deleted post whose replies are all deleted too', () => {
      const layout = layoutThread([
        post('open', 0),
        post('a', 1, null, gone),
        post('b', 2, 'a', gone),
        post('c', 3, 'b', gone),
        post('z', 9),
      ]);
      expect(shape(layout.replies)).to.deep.equal(['z@0']);
    });

    it('keeps a chain of deleted posts above a visible reply', () => {
      const layout = layoutThread([
        post('open', 0),
        post('a', 1, null, gone),
        post('b', 2, 'a', gone),
        post('c', 3, 'b', gone),
        post('d', 4, 'c'),
      ]);
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1[c@2[d@3]]]']);
    });

    it('keeps a deleted post at the deepest level whose visible reply was flattened beside it', () => {
      const layout = layoutThread(
        [
          post('open', 0),
          post('a', 1),
          post('b', 2, 'a', { ...gone, author: bob }),
          post('c', 3, 'b'),
        ],
        1,
      );
      expect(shape(layout.replies)).to.deep.equal(['a@0[b@1 c@1>bob]']);
    });

    it('keeps a deleted opening post as the opening post', () => {
      const layout = layoutThread([post('open', 0, null, gone), post('a', 1)]);
      expect(layout.opening?.id).to.equal('open');
      expect(layout.opening?.deleted).to.equal(true);
    });
  });

  describe('replyCount', () => {
    it('counts replies that are not deleted, leaving out the opening post', () => {
      const gone = { deleted: true, body: '' };
      const layout = layoutThread(
        [
          post('open', 0),
          post('a', 1, null, gone),
          post('b', 2, 'a'),
          post('c', 3, 'b'),
          post('d', 4, 'c'),
          post('e', 5, 'd'),
          post('f', 6, 'missing'),
          post('g', 7, null, gone),
        ],
        2,
      );
      expect(layout.replyCount).to.equal(5);
    });

    it('does not count a deleted opening post either', () => {
      expect(
        layoutThread([post('open', 0, null, { deleted: true, body: '' }), post('a', 1)]).replyCount,
      ).to.equal(1);
    });
  });

  describe('ordering', () => {
    it('breaks ties on time by id', () => {
      const layout = layoutThread([post('open', 0), post('m', 5), post('k', 5), post('l', 5)]);
      expect(shape(layout.replies)).to.deep.equal(['k@0', 'l@0', 'm@0']);
    });

    it('picks the opening post by id when two parentless posts share a time', () => {
      expect(layoutThread([post('b', 0), post('a', 0)]).opening?.id).to.equal('a');
    });

    it('compares times as instants, whatever their offset', () => {
      const chicago = post('x', 0, null, { createdAt: '2019-01-28T11:03:00-06:00' });
      const utc = post('y', 0, null, { createdAt: '2019-01-28T17:02:00Z' });
      expect(comparePosts(utc, chicago)).to.be.lessThan(0);
      expect(comparePosts(chicago, utc)).to.be.greaterThan(0);
      expect(comparePosts(chicago, { ...chicago })).to.equal(0);
    });
  });

  describe('the seed discussion', () => {
    it('opens with Dalya, nests her thanks under Dan, and counts eight replies', () => {
      const layout = layoutThread(seedPosts);
      expect(layout.opening?.id).to.equal('p1');
      expect(shape(layout.replies)).to.deep.equal([
        'p2@0[p3@1]',
        'p4@0',
        'p5@0',
        'p6@0',
        'p7@0',
        'p8@0',
        'p9@0',
      ]);
      expect(layout.replyCount).to.equal(8);
    });
  });
});
