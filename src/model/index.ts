/**
 * parley-comments/model: the pure functions the elements are built on (reply-tree layout, post
 * order, mentions, seed validation) and the data types. No DOM and no elements are loaded, so it
 * also runs in Node, on a server. What is marked `@experimental` may change shape in a minor
 * release; `validateSeed`, `ParleyError` and the types are stable, and `parley-comments` exports
 * them too.
 */
export {
  layoutThread,
  comparePosts,
  type LayoutOptions,
  type ThreadLayout,
  type ThreadNode,
} from './threading.js';
export { mentionsIn, participantsOf, suggestMentions } from './mentions.js';
export { validateSeed, type Seed } from './seed.js';
export { ParleyError, type ParleyErrorCode } from './errors.js';
export type {
  Author,
  Thread,
  ThreadMode,
  Quote,
  Post,
  Viewer,
  PostPage,
  NewPost,
  ThreadChange,
} from './types.js';
