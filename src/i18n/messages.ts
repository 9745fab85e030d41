/**
 * Every string the elements show, in one catalogue. Translating Parley means providing another
 * `Messages` object (see `setMessages`); dates and numbers go through `Intl` in `format.ts`.
 */
import type { ParleyErrorCode } from '../model/errors.js';

/**
 * A count in an English sentence: below 1,000 its digits (the same in every locale that writes
 * these sentences' digits), so a thread's first render does not wait for `Intl` to start up
 * (tens of milliseconds, once per page) just to write "12 replies"; from 1,000 on, grouped.
 */
const count = (n: number) => (n >= 0 && n < 1000 ? String(n) : n.toLocaleString());

export const en = {
  replies: (n: number) => (n === 1 ? '1 reply' : `${count(n)} replies`),
  noReplies: 'No replies yet. Start the conversation.',
  loading: 'Loading the discussion…',
  loadFailed: 'The discussion could not be loaded.',
  editorFailed: 'The reply box could not be loaded. Check your connection and try again.',
  actionsFailed:
    'That could not be done: part of the page did not load. Check your connection and try again.',
  signInFormFailed: 'The sign-in form could not be loaded. Check your connection and try again.',
  missingThreadId:
    'This discussion has no thread-id: set the thread-id attribute on <parley-thread>.',
  inlineDataCut:
    'It looks cut short: a post probably contains "</script>", which ends the script element early. Write the JSON with every "<" escaped as \\u003c (see the README).',
  forSiteOwner: 'Details for the site owner',
  liveDown: 'Live updates paused: reconnecting… New replies will show once the connection is back.',
  liveBack: 'Live updates are back.',
  storageProblem: (detail: string) =>
    `Replies in this browser could not be read or saved: ${detail}`,
  badInlineData: (reason: string) =>
    `The discussion data inside <parley-thread> is not valid: ${reason}`,
  retry: 'Retry',
  loadMore: 'Load more replies',
  loadingMore: 'Loading…',
  loadedMore: (n: number) => (n === 1 ? 'Loaded 1 more reply.' : `Loaded ${n} more replies.`),
  loadLater: (n: number | null, after: string) =>
    n === null
      ? `Load the posts after ${after}`
      : n === 1
        ? `Load the next post, after ${after}`
        : `Load the next ${count(n)} posts, after ${after}`,
  loadEarlier: (n: number | null, before: string) =>
    n === null
      ? `Load the posts before ${before}`
      : n === 1
        ? `Load the post just before ${before}`
        : `Load the ${count(n)} posts just before ${before}`,
  gapSpan: (from: string, to: string) => `between ${from} and ${to}`,
  loadHidden: (n: number) => (n === 1 ? 'Load 1 hidden post' : `Load ${count(n)} hidden posts`),
  hiddenPosts: (n: number | null) =>
    n === null
      ? 'More posts here are not loaded.'
      : n === 1
        ? '1 post here is not loaded.'
        : `${count(n)} posts here are not loaded.`,
  backShortcut: 'Shortcut: B',
  jumpToLatest: 'Jump to the latest reply',
  skipToReply: 'Skip to the reply box',
  backToPlace: 'Back to where I was',
  returned: 'Back where you were.',
  threadLocked: 'This discussion is locked. New replies are turned off.',
  openingPost: 'Question',
  postedBy: 'Posted by',
  edited: 'edited',
  editedAt: (when: string) => `Edited ${when}`,
  deletedPost: 'This post was deleted.',
  replyingTo: (handle: string) => `replying to ${handle}`,
  reply: 'Reply',
  quote: 'Quote',
  quoteSelection: 'Quote',
  copyLink: 'Copy link',
  linkCopied: 'Link copied to the clipboard.',
  image: 'Image',
  linkCopiedShort: 'Link copied ✓',
  linkCopyFailed: (url: string) => `Could not copy the link. Here it is: ${url}`,
  edit: 'Edit',
  delete: 'Delete',
  confirmDelete: 'Delete this post?',
  confirmDeleteYes: 'Delete',
  confirmDeleteNo: 'Keep',
  postActions: (name: string) => `Actions for the post by ${name}`,
  postLabel: (name: string, when: string) => `Post by ${name}, ${when}`,
  jumpToPost: 'Jump to this post',
  quotedPostDeleted: 'The quoted post was deleted.',
  quotedPostMissing: 'The quoted post could not be found.',
  quoteOf: (name: string) => `Quote from ${name}`,
  quoteOfUnknown: 'Quote',
  quotedPostLoading: 'Loading the quoted post…',
  jumpFailed: 'Could not find that post.',
  targetDeleted: 'That post was deleted.',
  jumpedTo: (name: string) => `Showing the post by ${name}.`,
  // Composer
  composerLabel: 'Write a reply',
  replyLabel: (name: string) => `Reply to ${name}`,
  editLabel: 'Edit your post',
  placeholder: 'Write a reply… Markdown and @mentions work.',
  write: 'Write',
  preview: 'Preview',
  nothingToPreview: 'Nothing to preview yet.',
  submit: 'Post reply',
  save: 'Save',
  sending: 'Sending…',
  saving: 'Saving…',
  cancel: 'Cancel',
  quoting: (name: string) => `Quoting ${name}`,
  removeQuote: 'Remove quote',
  charCount: (n: number, max: number) => `${count(n)} / ${max.toLocaleString()}`,
  tooLong: (over: number) => `${over.toLocaleString()} characters over the limit.`,
  empty: 'Write something before posting.',
  sendFailed: 'Your reply was not sent. Your text is still here.',
  sendUnconfirmed:
    'Your reply may not have been sent. Your text is still here, and Retry will not post it twice.',
  saveFailed: 'Your changes were not saved. Your text is still here.',
  logInToQuote: 'Log in to quote this post. The quote will be waiting in the reply box.',
  draftKept: 'Reply closed. Your text is kept as a draft.',
  editKept: 'Edit closed. Your changes are kept for when you edit again.',
  deleteFailed: 'The post was not deleted.',
  signedOut: 'Please log in or register to post a reply.',
  logIn: 'Log in',
  register: 'Register',
  asGuest: 'Guest',
  continueAsGuest: 'Continue as guest',
  signInTitle: 'Log in to post a reply',
  yourName: 'Your name',
  handle: 'Handle (for @mentions)',
  password: 'Password',
  signedInAs: (name: string) => `Posting as ${name}`,
  signOut: 'Sign out',
  signedOutNow: 'You are signed out.',
  signedInNow: (name: string) => `Signed in as ${name}.`,
  guestMarker: 'guest',
  guestTitle: 'Posted as a guest: the name was not checked.',
  signedInAsGuest: (name: string) => `Posting as ${name} (guest)`,
  guestHint: 'Your name is shown with your replies. No account or password needed.',
  signInUnavailable: 'Signing in is not available for this discussion.',
  shortcutHint: 'Ctrl+Enter to send',
  draftRestored: 'Your unsent draft was restored.',
  mentionSuggestions: 'People in this discussion',
  posted: 'Your reply was posted.',
  postedBy2: (name: string) => `New reply from ${name}.`,
  newReplies: (n: number) => (n === 1 ? 'Show 1 new reply' : `Show ${count(n)} new replies`),
  saved: 'Your post was updated.',
  deleted: 'Your post was deleted.',
  // Error codes → what a reader can do about them
  errors: {
    unauthorized: 'Please log in to do that.',
    forbidden: 'You are not allowed to do that.',
    'not-found': 'That could not be found; it may have been removed.',
    invalid: 'Something in the request was not accepted.',
    'rate-limited': 'Too many requests. Wait a moment, then try again.',
    conflict: 'Someone else changed this first. Reload and try again.',
    network: 'No connection to the comment server. Check your connection, then retry.',
    unavailable: 'The comment service is not available right now. Try again in a moment.',
    aborted: 'Cancelled.',
    internal: 'Something went wrong in this comment section. Reload the page to try again.',
  } satisfies Record<ParleyErrorCode, string>,
};

export type Messages = typeof en;

let current: Messages = en;

/** The active message catalogue. */
export function messages(): Messages {
  return current;
}

/** Replaces the message catalogue (for another language). Elements pick it up on next render. */
export function setMessages(catalogue: Messages): void {
  current = catalogue;
}
