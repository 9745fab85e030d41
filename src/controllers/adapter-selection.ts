import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CommentAdapter } from '../adapters/adapter.js';
import { ParleyError } from '../model/errors.js';
import type { MemoryAdapterOptions } from '../adapters/memory.js';
import { RestAdapter } from '../adapters/rest.js';
import { canonicalUrl } from '../adapters/early.js';
import { messages } from '../i18n/messages.js';

/** What the controller reads from and sets on its element. */
export interface AdapterHost extends ReactiveControllerHost, HTMLElement {
  adapter: CommentAdapter | null;
  threadId: string;
  endpoint?: string;
  authToken?: string;
}

/**
 * Chooses the backend of a `<parley-thread>`: an explicit `.adapter` wins; else `endpoint` (a
 * `RestAdapter` carrying `auth-token`, the page's canonical URL naming the thread when there is
 * no `thread-id`); else the embedded `MemoryAdapter`, seeded from an inline JSON script. The
 * choice waits until the page has run its own scripts, so a host script that sets `adapter`
 * right after the element never sees a flash of the default.
 */
export class AdapterSelectionController implements ReactiveController {
  /** The adapter this controller made (replaced when `endpoint` changes). */
  private own: CommentAdapter | null = null;
  private timer = 0;

  constructor(
    private readonly host: AdapterHost,
    /** Reports a problem the site owner must fix (bad inline data, no thread-id). */
    private readonly report: (error: ParleyError) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.host.adapter) return;
    const decide = () => {
      this.timer = window.setTimeout(() => void this.chooseDefault());
    };
    if (document.readyState === 'loading')
      document.addEventListener('DOMContentLoaded', decide, { once: true });
    else decide();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** A new `endpoint` replaces the adapter this controller made for the old one. */
  endpointChanged(): void {
    const host = this.host;
    if (host.endpoint && host.adapter && host.adapter === this.own) host.adapter = this.rest();
  }

  private async chooseDefault(): Promise<void> {
    const host = this.host;
    if (host.adapter || !host.isConnected) return;
    if (!host.threadId && host.endpoint) host.threadId = canonicalUrl();
    const noThreadId = () => {
      if (!host.threadId)
        this.report(new ParleyError('invalid', messages().missingThreadId, { field: 'thread-id' }));
    };
    if (host.endpoint) {
      host.adapter = this.rest();
      noThreadId();
      return;
    }
    let seed: MemoryAdapterOptions;
    try {
      seed = this.inlineSeed();
    } catch (error) {
      this.badInlineData(error);
      return;
    }
    // The embedded backend and the markdown parser its posts need load on first use.
    let memory: typeof import('../adapters/memory.js');
    try {
      [memory] = await Promise.all([
        import('../adapters/memory.js'),
        import('../content/markdown-ready.js'),
      ]);
    } catch (error) {
      this.report(ParleyError.from(error));
      return;
    }
    if (host.adapter || !host.isConnected || host.endpoint) return;
    try {
      host.adapter = this.own = new memory.MemoryAdapter({
        ...seed,
        storageKey: `thread:${host.threadId}`,
        autoCreateThreads: true,
      });
    } catch (error) {
      this.badInlineData(error);
      return;
    }
    noThreadId();
  }

  private badInlineData(error: unknown): void {
    const e = ParleyError.from(error);
    this.report(
      new ParleyError('invalid', messages().badInlineData(e.message), {
        field: e.field,
        cause: error,
      }),
    );
  }

  /** The adapter for `endpoint`: a `RestAdapter` carrying `auth-token`. */
  private rest(): CommentAdapter {
    return (this.own = new RestAdapter({
      endpoint: this.host.endpoint!,
      token: this.host.authToken ?? null,
      autoCreateThreads: true,
    }));
  }

  /** The seed in the thread's inline JSON script, if it has one. Throws on bad data. */
  private inlineSeed(): MemoryAdapterOptions {
    const host = this.host;
    const script = host.querySelector(':scope > script[type="application/json"]');
    let seed: MemoryAdapterOptions = {};
    if (script) {
      try {
        seed = JSON.parse(script.textContent ?? '') as MemoryAdapterOptions;
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
          throw new ParleyError('invalid', messages().inlineDataCut, {
            field: 'script',
            cause: error,
          });
        throw error;
      }
    }
    return seed;
  }
}
