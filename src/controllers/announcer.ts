import {
  html,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';

/**
 * The polite live region of an element: `announce()` says something to screen readers (new
 * posts, loaded pages, jumps, copied links, sign-in and sign-out), and `render()` is placed once
 * in the host's template. The same text twice is announced twice.
 */
export class AnnouncerController implements ReactiveController {
  private message = '';

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
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
    this.message = '';
  }

  render(): TemplateResult {
    return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.message}</div>`;
  }
}
