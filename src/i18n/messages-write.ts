/**
 * The English strings of writing, signing in, moving around a thread and of the embedded
 * backend's inline data: the second part of the catalogue in `messages.ts`. Importing `messages`
 * from here rather than from there completes `en` first, so code that shows these strings
 * imports it from here.
 */
import type { ParleyErrorCode } from '../model/errors.js';
import { count, en, messages } from './messages.js';

export const writeMessages = {
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
  confirmDelete: 'Delete this post?',
  confirmDeleteYes: 'Delete',
  confirmDeleteNo: 'Keep',
  deleteFailed: 'The post was not deleted.',
  inlineDataCut:
    'It looks cut short: a post probably contains "</script>", which ends the script element early. Write the JSON with every "<" escaped as \\u003c (see the README).',
  badInlineData: (reason: string) =>
    `The discussion data inside <parley-thread> is not valid: ${reason}`,
  badSeedFile: (url: string, reason: string) =>
    `The discussion data at ${url} is not valid: ${reason}`,
  seedFileFailed: (url: string, status: number | null) =>
    status === null
      ? `The discussion data at ${url} could not be loaded. Check your connection and try again.`
      : `The discussion data at ${url} could not be loaded (HTTP ${status}).`,
  signInFormFailed: 'The sign-in form could not be loaded. Check your connection and try again.',
  returned: 'Back where you were.',
  threadLocked: 'This discussion is locked. New replies are turned off.',
  targetDeleted: 'That post was deleted.',
  jumpedTo: (name: string) => `Showing the post by ${name}.`,
  editorFailed: 'The reply box could not be loaded. Check your connection and try again.',
  backShortcut: 'Shortcut: B',
  backToPlace: 'Back to where I was',
  newReplies: (n: number) => (n === 1 ? 'Show 1 new reply' : `Show ${count(n)} new replies`),
  missingThreadId:
    'This discussion has no thread-id: set the thread-id attribute on <parley-thread>.',
  liveDown: 'Live updates paused: reconnecting… New replies will show once the connection is back.',
  liveBack: 'Live updates are back.',
  composerLabel: 'Write a reply',
  commentLabel: 'Write a comment',
  commentPlaceholder: 'Write a comment… Markdown and @mentions work.',
  postComment: 'Post comment',
  signedOutToComment: 'Please log in or register to comment.',
  editLabel: 'Edit your post',
  placeholder: 'Write a reply… Markdown and @mentions work.',
  write: 'Write',
  preview: 'Preview',
  nothingToPreview: 'Nothing to preview yet.',
  submit: 'Post reply',
  save: 'Save',
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
  commentFailed: 'Your comment was not sent. Your text is still here.',
  commentUnconfirmed:
    'Your comment may not have been sent. Your text is still here, and Retry will not post it twice.',
  saveFailed: 'Your changes were not saved. Your text is still here.',
  logInToQuote: 'Log in to quote this post. The quote will be waiting in the reply box.',
  draftKept: 'Reply closed. Your text is kept as a draft.',
  editKept: 'Edit closed. Your changes are kept for when you edit again.',
  signedOut: 'Please log in or register to post a reply.',
  logIn: 'Log in',
  register: 'Register',
  asGuest: 'Guest',
  continueAsGuest: 'Continue as guest',
  signInTitle: 'Log in to post a reply',
  signInToComment: 'Log in to comment',
  yourName: 'Your name',
  handle: 'Handle (for @mentions)',
  password: 'Password',
  signedInAs: (name: string) => `Posting as ${name}`,
  signOut: 'Sign out',
  signedOutNow: 'You are signed out.',
  signedInNow: (name: string) => `Signed in as ${name}.`,
  signedInAsGuest: (name: string) => `Posting as ${name} (guest)`,
  guestHint: 'Your name is shown with your replies. No account or password needed.',
  guestCommentHint: 'Your name is shown with your comments. No account or password needed.',
  signInUnavailable: 'Signing in is not available for this discussion.',
  shortcutHint: 'Ctrl+Enter to send',
  draftRestored: 'Your unsent draft was restored.',
  mentionSuggestions: 'People in this discussion',
  posted: 'Your reply was posted.',
  commentPosted: 'Your comment was posted.',
  commentCount: (n: number) => (n === 1 ? '1 comment' : `${count(n)} comments`),
  countWithoutBackend:
    '<parley-count> has no backend: set its endpoint attribute, or its adapter property.',
  newCommentFrom: (name: string) => `New comment from ${name}.`,
  newComments: (n: number) => (n === 1 ? 'Show 1 new comment' : `Show ${count(n)} new comments`),
  postedBy2: (name: string) => `New reply from ${name}.`,
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

Object.assign(en, writeMessages);

export { messages };
