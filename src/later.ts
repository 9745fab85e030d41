/**
 * What the package exports beyond `exports.ts`, which a reader of a thread from an `endpoint`
 * does not need to see it: `MemoryAdapter` and `validateSeed`, `<parley-composer>` and
 * `<parley-sign-in>` (registered here, or sooner by a thread that shows them), `<parley-count>`
 * (registered here: a page of counts, with no thread, loads this at once), the events of
 * writing and signing in, the markdown parser that `renderMarkdown` uses and the rest of the
 * English catalogue. `index.ts` exports it at once; `dist/parley.js` (`parley.ts`) loads it once
 * the page's first threads are shown.
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
export { ParleyCount } from './components/count/count.js';
export { ParleyComposer } from './components/composer/composer.js';
