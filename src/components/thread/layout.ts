import { NO_PARTICIPANTS, type Participants } from '../../context/thread.js';
import { participantsOf } from '../../model/mentions.js';
import type { PostStream, Segment } from '../../model/stream.js';
import { layoutThread, type ThreadLayout } from '../../model/threading.js';
import type { Post } from '../../model/types.js';

/** What a thread shows of its loaded posts. */
export interface StreamView {
  /** The opening post, once the start of the thread is loaded (never in comments mode). */
  readonly opening: Post | null;
  /** Each loaded window as a reply tree. */
  readonly sections: readonly { segment: Segment; layout: ThreadLayout }[];
  /**
   * Replies in the whole thread (not only the loaded ones), deleted ones left out; in comments
   * mode, every post counts (the comments and the replies to them).
   */
  readonly replyCount: number;
  readonly participants: Participants;
  /** Laid out as comments on the page (no opening post). */
  readonly comments: boolean;
}

export const EMPTY_VIEW: StreamView = {
  opening: null,
  sections: [],
  replyCount: 0,
  participants: NO_PARTICIPANTS,
  comments: false,
};

/**
 * Lays each loaded window out as a reply tree, and counts replies and participants. What did not
 * change keeps its identity: the opening post while the start is not loaded, and the
 * participants until someone new posts (every post and composer reads them). In comments mode
 * (`comments`) there is no opening post: every top-level post is a comment on the page.
 */
export function viewOf(
  stream: PostStream,
  maxDepth: number,
  before: StreamView,
  comments = false,
): StreamView {
  const posts = stream.posts;
  const first = stream.segments[0];
  const opening = comments
    ? null
    : first && first.prevCursor === null
      ? (first.posts.find((p) => !p.parentId) ?? null)
      : before.opening;
  const openingId = opening?.id ?? null;
  const lookup = (id: string) => stream.get(id);
  const sections = stream.segments.map((segment) => ({
    segment,
    layout: layoutThread(segment.posts, maxDepth, { openingId, lookup }),
  }));
  const deleted = posts.filter((p) => p.deleted && p.id !== openingId).length;
  const total = stream.total ?? posts.length;
  const replyCount = Math.max(0, total - (opening ? 1 : 0) - deleted);
  const people = participantsOf(posts);
  const { handles } = before.participants;
  const participants =
    people.size !== handles.size || [...people.keys()].some((h) => !handles.has(h))
      ? { handles: new Set(people.keys()), people: [...people.values()] }
      : before.participants;
  return { opening, sections, replyCount, participants, comments };
}
