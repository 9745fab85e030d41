/**
 * Importing this module makes the markdown parser available to `markdown.ts`: at once for what
 * imports it statically (the package's main module, the composer's editor, `MemoryAdapter`),
 * and on first use for the rest (`loadMarkdown()`), so a reader whose posts arrive with server-
 * rendered `html` never loads marked.
 */
import { parseMarkdown } from './markdown-parse.js';
import { setMarkdownParser } from './markdown.js';

setMarkdownParser(parseMarkdown);
