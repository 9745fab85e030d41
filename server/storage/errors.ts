/**
 * The storage's domain errors: what went wrong in the terms of the data (no such post, someone
 * else's post, a locked discussion), never in HTTP's. Both backends throw these, with the same
 * kinds and messages; server/problem.ts (`fromStoreError`) is the one place that turns a kind
 * into a problem document's status and code. Nothing under server/storage/ (nor server/store.ts
 * or server/records.ts) imports server/problem.ts: the storage suite checks it.
 */

/**
 * What kind of failure a storage call had:
 * - `not-found`: no such thread or post (or not in that thread);
 * - `invalid`: an input the data refuses (a cursor of another thread, a parent elsewhere), with
 *   `field` naming it;
 * - `forbidden`: the caller may not touch this record (someone else's post);
 * - `locked`: the discussion is locked, so it takes no new words;
 * - `conflict`: the write clashes with what is stored (a handle taken, a reused idempotency key);
 * - `gone`: the record was deleted, so it can no longer change;
 * - `unavailable`: the database cannot be reached (retry after `retryAfter` seconds).
 */
export type StoreErrorKind =
  'not-found' | 'invalid' | 'forbidden' | 'locked' | 'conflict' | 'gone' | 'unavailable';

/** A storage failure; `message` is written for the reader, as the client is shown it. */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly options: { field?: string; retryAfter?: number } = {},
  ) {
    super(message);
  }

  /** The input at fault, for `invalid` and some `conflict`s. */
  get field(): string | undefined {
    return this.options.field;
  }
}

/** `invalid` naming `field`; the message starts with the field, as the protocol shows. */
export const invalidInput = (field: string, problem: string) =>
  new StoreError('invalid', `${field}: ${problem}`, { field });

export const badCursor = () =>
  invalidInput(
    'cursor',
    'this page cursor was not issued for this discussion; reload it to start again.',
  );

export const noThread = (id: string) =>
  new StoreError('not-found', `There is no discussion with the id "${id}".`);

export const noPost = () =>
  new StoreError('not-found', 'That post does not exist (it may never have been published).');

export const notInThread = () =>
  new StoreError(
    'not-found',
    'That post is not in this discussion (it may never have been published here).',
  );

export const handleTaken = (handle: string) =>
  new StoreError(
    'conflict',
    `handle: @${handle} is taken, or looks too much like a handle someone has; choose another.`,
    { field: 'handle' },
  );

export const keyReused = () =>
  new StoreError(
    'conflict',
    'This Idempotency-Key was already used for a different request; send a new key for a new post.',
  );

export const lockedForReplies = () =>
  new StoreError('locked', 'This discussion is locked: it takes no new replies.');

export const lockedForEdits = () =>
  new StoreError('locked', 'This discussion is locked: its posts can no longer be edited.');

export const parentElsewhere = () =>
  invalidInput('parentId', 'the post you are replying to is not in this discussion.');

export const quoteElsewhere = () =>
  invalidInput('quote.postId', 'the post you are quoting is not in this discussion.');

export const notYourPost = (action: 'edit' | 'delete') =>
  new StoreError('forbidden', `You can only ${action} your own posts.`);

export const deletedPost = () =>
  new StoreError('gone', 'This post was deleted, so it can no longer be edited.');

export const unreachable = () =>
  new StoreError('unavailable', 'The database is not reachable right now; try again in a moment.', {
    retryAfter: 2,
  });
