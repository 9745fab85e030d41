/**
 * parley-comments: embeddable comment threads as web components.
 * Importing this module registers `<parley-thread>`, `<parley-post>`, `<parley-composer>`,
 * `<parley-quote>`, `<parley-sign-in>` and `<parley-count>`, and exports the public API
 * (`exports.ts`).
 */
// First: the page's threads start their first requests while the rest of Parley is evaluated.
import './start.js';
import './define.js';

export * from './exports.js';
// At once, with the markdown parser and the whole English catalogue (dist/parley.js loads these
// after the page's first threads are shown).
export * from './later.js';
