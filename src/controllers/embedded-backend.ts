/**
 * The embedded backend of a `<parley-thread>` without `adapter` or `endpoint`: a `MemoryAdapter`
 * seeded from the thread's inline JSON script and kept in `localStorage`, with the markdown
 * parser its posts need (they come without server-rendered html). Loaded on first use by
 * `adapter-selection.ts`, so a thread fed by a server never downloads it.
 */
import {
  MemoryAdapter,
  OWNED_SEED,
  SEED_PROBLEM,
  type MemoryAdapterOptions,
} from '../adapters/memory.js';
import '../content/markdown-ready.js';
import { renderMarkdown } from '../content/markdown.js';
import { messages } from '../i18n/messages-write.js';
import { ParleyError } from '../model/errors.js';

/** The seed in the thread's inline JSON script, if it has one. Throws on bad data. */
function inlineSeed(host: HTMLElement): MemoryAdapterOptions {
  const script = host.querySelector(':scope > script[type="application/json"]');
  if (!script) return {};
  try {
    return JSON.parse(script.textContent ?? '') as MemoryAdapterOptions;
  } catch (error) {
    // A "</script>" inside a post ends the script element early: the rest of the data spills
    // into the page as text. Say so, with the fix, instead of a bare parse error.
    const spilled = [...host.childNodes].some(
      (node) =>
        node !== script &&
        node.nodeType === Node.TEXT_NODE &&
        /[\]}"]/.test(node.textContent ?? ''),
    );
    const cut =
      spilled ||
      /end of (JSON|data)|unterminated|unexpected end/i.test(String((error as Error).message));
    if (cut)
      throw new ParleyError('invalid', messages().inlineDataCut, { field: 'script', cause: error });
    throw error;
  }
}

/**
 * The embedded backend of `host` (thread `threadId`), from its inline data. Throws a
 * `ParleyError` of code `invalid`, naming the field, when that data is not valid.
 */
export function embeddedAdapter(host: HTMLElement, threadId: string): MemoryAdapter {
  const inData = (error: unknown) => {
    const e = ParleyError.from(error);
    return new ParleyError('invalid', messages().badInlineData(e.message), {
      field: e.field,
      cause: error,
    });
  };
  try {
    // Parsed here, held by nobody else: the adapter keeps the records as they are. What it checks
    // as it serves them (see `MemoryAdapter`) is reported as a problem of the inline data too.
    return new MemoryAdapter({
      ...inlineSeed(host),
      storageKey: `thread:${threadId}`,
      autoCreateThreads: true,
      [OWNED_SEED]: true,
      [SEED_PROBLEM]: inData,
    } as MemoryAdapterOptions);
  } catch (error) {
    throw inData(error);
  }
}

/** Markdown using the rules posts use most: what {@link warmMarkdown} renders. */
const SAMPLE = [
  '## A *b* **c** `d`',
  '> e [f](https://example.com/g) https://example.org/h <i>',
  '- j\n- k\n\n1. l',
  '| m | n |\n| - | :-: |\n| o | p |',
  '```\nq\n```\n\nr  \ns\n***',
].join('\n\n');

/**
 * Renders a sample and throws it away, in a task before the first posts render: the first use
 * of marked's rules compiles their regular expressions, and DOMPurify's first call makes its
 * document, which in the first posts' task made it a long one (50–65 ms for five posts).
 */
export function warmMarkdown(): void {
  renderMarkdown(SAMPLE);
}
