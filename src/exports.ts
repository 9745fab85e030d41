/**
 * The public API that the package's main module (`index.ts`) and `dist/parley.js` (`parley.ts`)
 * both export at once. What they add: `MemoryAdapter`, `validateSeed`, `ParleyComposer`,
 * `ParleySignIn` and the events of writing and signing in (`events/writing.ts`), which `index.ts`
 * exports statically and `parley.ts` once they have loaded (`later.ts`).
 */
export { ParleyThread } from './components/thread/thread.component.js';
export { ParleyPost, permalinkOf } from './components/post/post.component.js';
export { ParleyQuote } from './components/quote/quote.component.js';
export type { SignInMode } from './components/sign-in/sign-in.component.js';

export type { MemoryAdapterOptions } from './adapters/memory.js';
export {
  RestAdapter,
  type RestAdapterOptions,
  type RestSignInOptions,
  type RegisterOptions,
  type SessionKind,
} from './adapters/rest.js';
export { ParleyError, type ParleyErrorCode } from './model/errors.js';
export { capabilitiesOf } from './adapters/adapter.js';
export type {
  AdapterCapabilities,
  AroundOptions,
  CommentAdapter,
  CallOptions,
  CreatePostOptions,
  ListPostsOptions,
  SignInMethod,
  SignInOptions,
  ThreadListener,
} from './adapters/adapter.js';
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
} from './model/types.js';
export type { AttachedQuote } from './controllers/draft.js';

// The experimental model helpers (layoutThread, comparePosts, mentionsIn, participantsOf,
// suggestMentions) are exported from parley-comments/model (src/model/index.ts), without the DOM.
export type { Seed } from './model/seed.js';
export {
  loadMarkdown,
  parseImagePolicy,
  renderMarkdown,
  type ImagePolicy,
  type RenderOptions,
} from './content/markdown.js';
export { messages, setMessages, en, type Messages } from './i18n/messages.js';
export { formatDateTime, formatRelative } from './i18n/format.js';

export {
  ParleyErrorEvent,
  ParleyLoginRequestEvent,
  type ParleyOperation,
} from './events/events.js';
