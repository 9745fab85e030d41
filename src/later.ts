/**
 * What `dist/parley.js` (`parley.ts`) exports but a reader of a thread from an `endpoint` does
 * not need to see it: `MemoryAdapter`, and the markdown parser that `renderMarkdown` uses. One
 * chunk, loaded once the page's first threads are shown.
 */
import './content/markdown-ready.js';

export { MemoryAdapter } from './adapters/memory.js';
