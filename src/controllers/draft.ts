import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Author, Quote } from '../model/types.js';

/** A quote attached in the composer, with its author for display. */
export interface AttachedQuote extends Quote {
  author: Author;
}

/** What is kept of an unsent reply. */
export interface Draft {
  body: string;
  quote: AttachedQuote | null;
  savedAt: string;
  /**
   * The idempotency key of a send that was attempted but not acknowledged: a Retry (even after a
   * reload) sends the same key, so the server publishes the reply at most once.
   */
  sendKey?: string;
}

const PREFIX = 'parley:draft:v1:';
const SAVE_DELAY = 250;

/**
 * Keeps the unsent text of a composer in `localStorage`, per thread and per parent post, so it
 * survives a reload. Saving is debounced and flushed when the host disconnects or the page hides.
 */
export class DraftController implements ReactiveController {
  private timer = 0;
  private pending: { key: string; draft: Draft | null } | null = null;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The stored draft under `key`, if there is a readable one. */
  load(key: string | null): Draft | null {
    if (!key) return null;
    try {
      const raw = localStorage.getItem(PREFIX + key);
      if (!raw) return null;
      const draft = JSON.parse(raw) as Draft;
      if (typeof draft?.body !== 'string') return null;
      const q = draft.quote;
      const quoteOk =
        q === null ||
        (typeof q?.postId === 'string' &&
          typeof q.text === 'string' &&
          typeof q.author?.name === 'string');
      const sendKey =
        typeof draft.sendKey === 'string' && /^[\x21-\x7e]{1,200}$/.test(draft.sendKey)
          ? draft.sendKey
          : undefined;
      return {
        body: draft.body,
        quote: quoteOk ? q : null,
        savedAt: String(draft.savedAt ?? ''),
        sendKey,
      };
    } catch {
      return null;
    }
  }

  /** Saves (or, for an empty draft, removes) the draft under `key`, shortly. */
  save(key: string | null, body: string, quote: AttachedQuote | null, sendKey?: string): void {
    if (!key) return;
    const empty = body.trim() === '' && !quote;
    this.pending = {
      key,
      draft: empty
        ? null
        : { body, quote, savedAt: new Date().toISOString(), ...(sendKey ? { sendKey } : {}) },
    };
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.flush(), SAVE_DELAY);
  }

  /** Forgets the draft under `key` now. */
  clear(key: string | null): void {
    clearTimeout(this.timer);
    this.pending = null;
    if (!key) return;
    try {
      localStorage.removeItem(PREFIX + key);
    } catch {
      // Storage unavailable: nothing was kept either.
    }
  }

  /** Writes a pending save now. */
  flush(): void {
    clearTimeout(this.timer);
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    try {
      if (pending.draft) localStorage.setItem(PREFIX + pending.key, JSON.stringify(pending.draft));
      else localStorage.removeItem(PREFIX + pending.key);
    } catch {
      // Storage full or blocked: the text is still in the composer.
    }
  }

  private readonly handlePageHide = () => this.flush();

  hostConnected(): void {
    window.addEventListener('pagehide', this.handlePageHide);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.handlePageHide);
    this.flush();
  }
}
