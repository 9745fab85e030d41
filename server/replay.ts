/**
 * `Last-Event-ID` replay (docs/protocol.md, "Live changes"): what a reconnecting reader is sent
 * before its stream goes live.
 *
 * - Nothing edited away or deleted comes back. A post's first event in the replay is sent at its
 *   place in the history carrying the post as it is now (its tombstone when deleted); its later
 *   events in the replay are dropped, being already contained in it. A `post-created` stays a
 *   `post-created` (the reader has not seen the post), any other first event takes the type of
 *   the post's newest event (`post-updated`, or `post-deleted` for a tombstone).
 * - Bounded: a reader more than `limit` events behind, or one whose resume point is no longer in
 *   the history (pruned, replaced by a seed, or not from this server), is sent one `reload`
 *   event instead: it reloads the thread, and its stream continues live from the head.
 * - Streamed: the events are read from the storage a page at a time, and the next page is read
 *   only once the previous one has left the process (the response drained).
 */
import type { ReplayEvent, Storage } from './storage/storage.js';
import { formatEvent } from './events.js';

/** Events read from the storage per query. */
export const REPLAY_PAGE = 100;

/** The event that tells a reader to reload the thread, with the id to resume from. */
export const reloadEvent = (id: number) =>
  `id: ${id}\nevent: reload\ndata: ${JSON.stringify({ type: 'reload' })}\n\n`;

/** What a stream opening after `lastId` is sent before it goes live. */
export type ReplayPlan =
  /** No resume point: prime the client with the head. */
  | { kind: 'prime'; through: number }
  /** Too far behind, or a resume point outside the history. */
  | { kind: 'reload'; through: number }
  /** The thread's events in (after, through]. */
  | { kind: 'replay'; after: number; through: number };

export async function planReplay(
  storage: Storage,
  threadId: string,
  lastId: number | null,
  limit: number,
): Promise<ReplayPlan> {
  if (lastId === null) return { kind: 'prime', through: await storage.headEventId() };
  const window = await storage.replayWindow(threadId, lastId, limit);
  const through = window.head;
  // Events after lastId were removed (pruned by age, or a seed replaced the data), so the
  // reader's view cannot be brought up to date by events; nor can one from another history.
  const oldest = window.oldest ?? through + 1;
  const gone = lastId < through && lastId + 1 < oldest;
  if (lastId > through || gone || window.backlog > limit) return { kind: 'reload', through };
  return { kind: 'replay', after: lastId, through };
}

/**
 * The replay's text, a page of events at a time. `covered` receives, per post sent, the id of
 * the newest event its state includes: later copies of those events (the hub's held and live
 * ones) are redundant.
 */
export async function* replayEvents(
  storage: Storage,
  threadId: string,
  after: number,
  through: number,
  covered: Map<string, number>,
): AsyncGenerator<string> {
  let from = after;
  for (;;) {
    const page = await storage.replayPage(threadId, from, through, REPLAY_PAGE);
    let text = '';
    for (const event of page) text += replayed(event, covered);
    if (text) yield text;
    if (page.length < REPLAY_PAGE) return;
    from = page[page.length - 1].id;
  }
}

/** One event as the replay sends it ('' when it is dropped). */
function replayed(event: ReplayEvent, covered: Map<string, number>): string {
  if (event.postId === null || event.latest === null) return formatEvent(event);
  const seen = covered.get(event.postId);
  if (seen !== undefined && event.id <= seen) return '';
  const latest = event.latest;
  covered.set(event.postId, latest.id);
  const type = event.type === 'post-created' ? 'post-created' : latest.type;
  const data =
    type === latest.type
      ? latest.data
      : JSON.stringify({ ...(JSON.parse(latest.data) as object), type });
  return formatEvent({ id: event.id, threadId: event.threadId, type, data });
}
