import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CommentAdapter } from '../adapters/adapter.js';
import { ParleyError } from '../model/errors.js';
import { RestAdapter } from '../adapters/rest.js';
import { canonicalUrl } from '../adapters/early.js';

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
 * no `thread-id`); else the embedded `MemoryAdapter`, seeded from an inline JSON script or the
 * JSON file at `src`. The choice waits until the page has run its own scripts, so a host script
 * that sets `adapter` right after the element never sees a flash of the default.
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
    if (host.endpoint) {
      // Without `thread-id`, the page's canonical URL names the thread.
      host.threadId ||= canonicalUrl();
      host.adapter = this.rest();
      return;
    }
    // The embedded backend, and the markdown parser its posts need, load on first use.
    let adapter: CommentAdapter | null;
    try {
      adapter = await (await import('./embedded-backend.js')).embeddedFor(host, this.report);
    } catch (error) {
      this.report(ParleyError.from(error));
      return;
    }
    if (adapter) host.adapter = this.own = adapter;
  }

  /** The adapter for `endpoint`: a `RestAdapter` carrying `auth-token`. */
  private rest(): CommentAdapter {
    return (this.own = new RestAdapter({
      endpoint: this.host.endpoint!,
      token: this.host.authToken ?? null,
      autoCreateThreads: true,
    }));
  }
}
