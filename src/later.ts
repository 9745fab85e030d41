/**
 * What `dist/parley.js` (`parley.ts`) exports but a reader of a thread from an `endpoint` does
 * not need to see it: `MemoryAdapter`, `<parley-composer>` and `<parley-sign-in>` (registered
 * here, or sooner by a thread that shows them), and the markdown parser that `renderMarkdown` uses. Loaded once the page's first threads are shown.
 */
import './content/markdown-ready.js';
// The rest of the English catalogue, so the exported `en` is complete.
import './i18n/messages-write.js';

export { MemoryAdapter } from './adapters/memory.js';
export { validateSeed } from './model/seed.js';
export {
  ParleyPostCreatedEvent,
  ParleyPostUpdatedEvent,
  ParleyPostDeletedEvent,
  ParleyLogoutRequestEvent,
  ParleySignedInEvent,
  ParleySignInCancelEvent,
} from './events/writing.js';
export { ParleySignIn } from './components/sign-in/sign-in.js';
export { ParleyComposer } from './components/composer/composer.js';
