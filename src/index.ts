/**
 * parley-comments: embeddable comment threads as web components.
 * Importing this module registers `<parley-thread>`, `<parley-post>`, `<parley-composer>` and
 * `<parley-quote>`, and exports the public API.
 */
// First: the page's threads start their first requests while the rest of Parley is evaluated.
import './start.js';
import './define.js';

export { ParleyThread } from './components/thread/thread.component.js';
export { ParleyPost, permalinkOf } from './components/post/post.component.js';
export { ParleyComposer } from './components/composer/composer.component.js';
export { ParleyQuote } from './components/quote/quote.component.js';
export { ParleySignIn, type SignInMode } from './components/sign-in/sign-in.component.js';

export { MemoryAdapter, type MemoryAdapterOptions } from './adapters/memory.js';
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
export { validateSeed, type Seed } from './model/validate.js';
export {
  parseImagePolicy,
  renderMarkdown,
  type ImagePolicy,
  type RenderOptions,
} from './content/markdown.js';
export { messages, setMessages, en, type Messages } from './i18n/messages.js';
export { formatDateTime, formatRelative } from './i18n/format.js';

export {
  ParleyPostCreatedEvent,
  ParleyPostUpdatedEvent,
  ParleyPostDeletedEvent,
  ParleyErrorEvent,
  ParleyLoginRequestEvent,
  ParleyLogoutRequestEvent,
  ParleySignedInEvent,
  ParleySignInCancelEvent,
  type ParleyOperation,
} from './events/events.js';
