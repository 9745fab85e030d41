import {
  html,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';
import { ParleyAnnounceEvent } from '../events/events.js';

/**
 * The polite live region of an element: `announce()` says something to screen readers (new
 * posts, loaded pages, jumps, copied links, sign-in and sign-out), and `render()` is placed once
 * in the host's template. The same text twice is announced twice. What the elements inside the
 * host ask to be said (`parley-announce`: a copied link, a kept draft) is said here and goes no
 * further.
 */
export class AnnouncerController implements ReactiveController {
  private message = '';

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  private readonly handleAnnounce = (event: ParleyAnnounceEvent): void => {
    event.stopPropagation();
    this.announce(event.detail.message);
  };

  hostConnected(): void {
    this.host.addEventListener(ParleyAnnounceEvent.type, this.handleAnnounce);
  }

  /** Says `message` to screen readers. */
  announce(message: string): void {
    // Re-setting the same text would not be announced again: clear it first, then set it.
    this.message = '';
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => {
      this.message = message;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.host.removeEventListener(ParleyAnnounceEvent.type, this.handleAnnounce);
    this.message = '';
  }

  render(): TemplateResult {
    return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.message}</div>`;
  }
}
