/**
 * What `dist/parley.js` (`parley.ts`) exports but a reader of a thread from an `endpoint` does
 * not need to see it: `MemoryAdapter`, `<parley-sign-in>` (registered here), and the markdown
 * parser that `renderMarkdown` uses. Loaded once the page's first threads are shown.
 */
import './content/markdown-ready.js';

export { MemoryAdapter } from './adapters/memory.js';
export { ParleySignIn } from './components/sign-in/sign-in.js';
