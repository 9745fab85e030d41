/**
 * The embedded backend of a `<parley-thread>` without `adapter` or `endpoint`: a `MemoryAdapter`
 * seeded from the thread's inline JSON script (or the JSON file at its `src`) and kept in
 * `localStorage`, with the markdown parser its posts need (they come without server-rendered
 * html). Loaded on first use by `adapter-selection.ts`, so a thread fed by a server never
 * downloads it.
 */
import {
  MemoryAdapter,
  OWNED_SEED,
  SEED_PROBLEM,
  type MemoryAdapterOptions,
} from '../adapters/memory.js';
import type { CommentAdapter } from '../adapters/adapter.js';
import '../content/markdown-ready.js';
import { renderMarkdown } from '../content/markdown.js';
import { messages } from '../i18n/messages-write.js';
import { ParleyError } from '../model/errors.js';
import type { AdapterHost } from './adapter-selection.js';

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
 * The answer for the JSON file at `url`, or a `ParleyError` of code `unavailable` saying why
 * there is none. A `<link rel="preload" as="fetch" crossorigin href="…">` in the page's head
 * starts the download with the page's; `fetch` then uses that response.
 */
async function fetchSeedFile(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new ParleyError('unavailable', messages().seedFileFailed(url, null), { cause: error });
  }
  if (!response.ok)
    throw new ParleyError('unavailable', messages().seedFileFailed(url, response.status));
  return response;
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

/**
 * The embedded backend of `host`, as `adapter-selection.ts` chooses it, or `null` when the page
 * gave the thread another backend meanwhile (or took the thread away). Opening stays in short
 * tasks: this module ran in the one before (marked compiles its rules as it loads), the
 * markdown path warms up in the next, the data is read and checked in the one after, and the
 * first page renders in the last. Between them the page may have chosen. Throws a
 * `ParleyError` when the data cannot be had or is not valid (see {@link embeddedAdapter}); a
 * thread without `thread-id` gets its adapter, and `report` says what is missing.
 */
export async function embeddedFor(
  host: AdapterHost & { src?: string },
  report: (error: ParleyError) => void,
): Promise<CommentAdapter | null> {
  const stillOurs = async () => {
    await nextTask();
    return !host.adapter && host.isConnected && !host.endpoint;
  };
  if (!(await stillOurs())) return null;
  warmMarkdown();
  if (!(await stillOurs())) return null;
  const adapter = await embeddedAdapter(host, host.threadId);
  if (!(await stillOurs())) return null;
  if (!host.threadId)
    report(new ParleyError('invalid', messages().missingThreadId, { field: 'thread-id' }));
  return adapter;
}

/**
 * The embedded backend of `host` (thread `threadId`), from its inline data, else from the JSON
 * file its `src` names. Fails with a `ParleyError` of code `invalid`, naming the field, when
 * that data is not valid (then or as its posts are served), and `unavailable` when the file
 * cannot be fetched.
 */
async function embeddedAdapter(
  host: HTMLElement & { src?: string },
  threadId: string,
): Promise<MemoryAdapter> {
  const inline = host.querySelector(':scope > script[type="application/json"]');
  const url = !inline && host.src ? new URL(host.src, document.baseURI).href : '';
  const file = url ? await fetchSeedFile(url) : null;
  /** A problem of the data, said to be one of this thread's inline data or of its file. */
  const inData = (error: unknown) => {
    const { message, field } = ParleyError.from(error);
    const reason = url ? messages().badSeedFile(url, message) : messages().badInlineData(message);
    return new ParleyError('invalid', reason, { field, cause: error });
  };
  try {
    const seed = file
      ? ((await file.json().catch((error: Error) => {
          throw new Error(`it is not JSON (${error.message})`);
        })) as MemoryAdapterOptions)
      : inlineSeed(host);
    // Parsed here, held by nobody else: the adapter keeps the records as they are.
    return new MemoryAdapter({
      ...seed,
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
function warmMarkdown(): void {
  renderMarkdown(SAMPLE);
}
