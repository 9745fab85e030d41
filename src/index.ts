/**
 * parley-comments: embeddable comment threads as web components.
 * Importing this module registers `<parley-thread>`, `<parley-post>`, `<parley-composer>`,
 * `<parley-quote>` and `<parley-sign-in>`, and exports the public API (`exports.ts`).
 */
// First: the page's threads start their first requests while the rest of Parley is evaluated.
import './start.js';
import './define.js';
import './components/sign-in/sign-in.js';
// What imports the package renders markdown at once (dist/parley.js loads it on first use).
import './content/markdown-ready.js';
// The whole English catalogue (`en`), not only what showing a thread needs.
import './i18n/messages-write.js';

export * from './exports.js';
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
export { ParleySignIn } from './components/sign-in/sign-in.component.js';
export { ParleyComposer } from './components/composer/composer.component.js';
