/**
 * Registers the elements a thread shows from the start: thread, post, quote and composer.
 * `<parley-sign-in>` registers when a reader first asks to sign in (`controllers/session.ts`),
 * and with `index.ts` (every element at once) or `later.ts` (`dist/parley.js`).
 */
import './components/quote/quote.js';
import './components/composer/composer.js';
import './components/post/post.js';
import './components/thread/thread.js';
