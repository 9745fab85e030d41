/**
 * Every string the elements show, in one catalogue. Translating Parley means providing another
 * `Messages` object (see `setMessages`); dates and numbers go through `Intl` in `format.ts`.
 *
 * The English catalogue comes in two parts: here what showing a thread needs, and in
 * `messages-write.ts` what writing, signing in and moving around need, so a reader's first view
 * does not download them. The code that shows a thread reads its strings with
 * `readingMessages()`, typed to hold only this part, so it cannot use a string that may not have
 * loaded; the rest imports `messages` from `messages-write.ts`, which completes `en` first.
 */
import type { writeMessages } from './messages-write.js';

/**
 * A count in an English sentence: below 1,000 its digits (the same in every locale that writes
 * these sentences' digits), so a thread's first render does not wait for `Intl` to start up
 * (tens of milliseconds, once per page) just to write "12 replies"; from 1,000 on, grouped.
 */
export const count = (n: number) => (n >= 0 && n < 1000 ? String(n) : n.toLocaleString());

const reading = {
  replies: (n: number) => (n === 1 ? '1 reply' : `${count(n)} replies`),
  noReplies: 'No replies yet. Start the conversation.',
  comments: (n: number) => (n === 0 ? 'Comments' : n === 1 ? '1 comment' : `${count(n)} comments`),
  noComments: 'No comments yet. Be the first to comment.',
  loading: 'Loading the discussion…',
  loadFailed: 'The discussion could not be loaded.',
  actionsFailed:
    'That could not be done: part of the page did not load. Check your connection and try again.',
  forSiteOwner: 'Details for the site owner',
  storageProblem: (detail: string) =>
    `Replies in this browser could not be read or saved: ${detail}`,
  retry: 'Retry',
  loadMore: 'Load more replies',
  loadMoreComments: 'Load more comments',
  loadingMore: 'Loading…',
  loadedMore: (n: number) => (n === 1 ? 'Loaded 1 more reply.' : `Loaded ${n} more replies.`),
  loadedMoreComments: (n: number) =>
    n === 1 ? 'Loaded 1 more comment.' : `Loaded ${n} more comments.`,
  jumpToLatest: 'Jump to the latest reply',
  jumpToLatestComment: 'Jump to the latest comment',
  skipToReply: 'Skip to the reply box',
  skipToComment: 'Skip to the comment box',
  postedBy: 'Posted by',
  edited: 'edited',
  editedAt: (when: string) => `Edited ${when}`,
  deletedPost: 'This post was deleted.',
  replyingTo: (handle: string) => `replying to ${handle}`,
  reply: 'Reply',
  quote: 'Quote',
  quoteSelection: 'Quote',
  copyLink: 'Copy link',
  linkCopyFailed: (url: string) => `Could not copy the link. Here it is: ${url}`,
  linkCopied: 'Link copied to the clipboard.',
  image: 'Image',
  linkCopiedShort: 'Link copied ✓',
  edit: 'Edit',
  delete: 'Delete',
  postActions: (name: string) => `Actions for the post by ${name}`,
  jumpToPost: 'Jump to this post',
  quotedPostDeleted: 'The quoted post was deleted.',
  quotedPostMissing: 'The quoted post could not be found.',
  quoteOf: (name: string) => `Quote from ${name}`,
  quoteOfUnknown: 'Quote',
  jumpFailed: 'Could not find that post.',
  replyLabel: (name: string) => `Reply to ${name}`,
  sending: 'Sending…',
  guestMarker: 'guest',
  guestTitle: 'Posted as a guest: the name was not checked.',
};

/** The strings of showing a thread: what every catalogue has before `messages-write.ts` loads. */
export type ReadingMessages = typeof reading;
export type Messages = ReadingMessages & typeof writeMessages;

/** The English catalogue: complete once `messages-write.ts` has loaded (`index.ts` loads it at once). */
export const en = reading as Messages;

let current: Messages = en;

/** The active message catalogue. */
export function messages(): Messages {
  return current;
}

/** The active catalogue, as far as showing a thread needs it (see above). */
export const readingMessages: () => ReadingMessages = messages;

/** Replaces the message catalogue (for another language). Elements pick it up on next render. */
export function setMessages(catalogue: Messages): void {
  current = catalogue;
}
