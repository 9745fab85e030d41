/**
 * The parts of the elements a thread renders, re-exported under a prefix (`post-body`,
 * `composer-submit`, …) so a page can style them through the thread with `::part()`.
 */
const exportParts = (prefix: string, parts: string[]) =>
  parts.map((p) => `${p}:${prefix}-${p}`).join(', ');

/** Post parts re-exported by the thread as `post-<name>`. */
export const POST_PARTS = exportParts('post', [
  'base',
  'header',
  'avatar',
  'author',
  'handle',
  'guest',
  'replying-to',
  'time',
  'edited',
  'body',
  'tombstone',
  'quote',
  'actions',
  'action',
  'confirm',
  'error',
  'selection-quote',
  'sending',
  'quote-base',
  'quote-author',
  'quote-excerpt',
  'quote-status',
  'quote-jump',
  'quote-popover',
]);
/** Sign-in form parts re-exported by the thread as `sign-in-<name>`. */
export const SIGN_IN_PARTS = exportParts('sign-in', [
  'base',
  'choice',
  'field',
  'hint',
  'error',
  'submit',
  'cancel',
]);
/** Composer parts re-exported by the thread as `composer-<name>`. */
export const COMPOSER_PARTS = exportParts('composer', [
  'base',
  'toolbar',
  'tab',
  'attached-quote',
  'textarea',
  'preview',
  'footer',
  'count',
  'submit',
  'cancel',
  'error',
  'signed-in-as',
  'sign-out',
  'signed-out',
  'locked',
  'suggestions',
  'suggestion',
]);
