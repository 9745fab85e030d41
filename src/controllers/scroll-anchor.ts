import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { holdAt, scrollByInside } from '../internal/scroll.js';

/**
 * Keeps what the reader is looking at still while content is added above it (earlier posts, a
 * live reply nested higher up): before an update it notes the first item in view and where it
 * sits; after the update it scrolls by however far that item moved. Browsers with native scroll
 * anchoring usually leave nothing to correct; the others (and nested scrollers) get the same
 * result.
 */
export class ScrollAnchorController implements ReactiveController {
  private anchor: { element: HTMLElement; top: number } | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly items: () => ArrayLike<HTMLElement>,
  ) {
    host.addController(this);
  }

  /**
   * The first item that starts inside the viewport, or else the one crossing its top edge
   * (binary search: items are in order). An item starting in view has really been laid out; one
   * above may still have only its estimated, content-visibility size.
   */
  firstVisible(): HTMLElement | null {
    const list = this.items();
    let low = 0;
    let high = list.length - 1;
    let found: HTMLElement | null = null;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (list[mid].getBoundingClientRect().bottom > 0) {
        found = list[mid];
        high = mid - 1;
      } else {
        low = mid + 1;
      }
    }
    if (found && found.getBoundingClientRect().top < 0) {
      const next = list[Array.prototype.indexOf.call(list, found) + 1];
      if (next && next.getBoundingClientRect().top < window.innerHeight) return next;
    }
    return found;
  }

  /** Notes the anchor before an update. */
  capture(): void {
    const element = this.firstVisible();
    this.anchor = element ? { element, top: element.getBoundingClientRect().top } : null;
  }

  /** Scrolls the anchor back to where it was, after the update, and holds it while the page settles. */
  restore(): void {
    const anchor = this.anchor;
    this.anchor = null;
    if (!anchor?.element.isConnected) return;
    scrollByInside(anchor.element, anchor.element.getBoundingClientRect().top - anchor.top);
    void holdAt(anchor.element, anchor.top);
  }

  hostDisconnected(): void {
    this.anchor = null;
  }
}

/**
 * Keeps a reader who reached the end of the page at the end while posts settle. Off-screen posts
 * of a long thread have estimated heights (content-visibility); those the reader scrolls past
 * take their real height as they render, so End, a scrollbar dragged to the bottom, or "Skip to
 * the reply box" would land, then watch the reply box slide away. While the page's bottom is in
 * view, a change of the host's size scrolls back to the bottom.
 */
export class StickToEndController implements ReactiveController {
  private atEnd = false;
  private resize: ResizeObserver | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  private frame = 0;

  /** Notes, once a frame at most, whether the page's bottom is in view (reading scrollHeight lays out). */
  private readonly handleScroll = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const page = document.scrollingElement ?? document.documentElement;
      this.atEnd =
        window.scrollY + window.innerHeight >= page.scrollHeight - 2 && window.scrollY > 0;
    });
  };

  /**
   * End (or Ctrl+End) outside a text field, when the host ends the page: go to the end at once
   * rather than by a smooth scroll whose target was measured before the posts on the way took
   * their real heights, and stay there while they settle.
   */
  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (
      event.key !== 'End' ||
      event.defaultPrevented ||
      event.altKey ||
      event.shiftKey ||
      event.metaKey
    )
      return;
    const target = event.composedPath()[0] as HTMLElement | undefined;
    if (
      target?.closest?.('input, textarea, select, [contenteditable]') ||
      target?.isContentEditable
    )
      return;
    const page = document.scrollingElement ?? document.documentElement;
    const hostBottom = this.host.getBoundingClientRect().bottom + window.scrollY;
    if (page.scrollHeight - hostBottom > window.innerHeight) return;
    event.preventDefault();
    window.scrollTo({ top: page.scrollHeight, behavior: 'instant' });
    this.atEnd = true;
  };

  private readonly handleResize = (): void => {
    if (!this.atEnd) return;
    const page = document.scrollingElement ?? document.documentElement;
    window.scrollTo({ top: page.scrollHeight, behavior: 'instant' });
  };

  hostConnected(): void {
    window.addEventListener('scroll', this.handleScroll, { passive: true });
    window.addEventListener('keydown', this.handleKeydown);
    this.resize = new ResizeObserver(this.handleResize);
    this.resize.observe(this.host);
  }

  hostDisconnected(): void {
    window.removeEventListener('scroll', this.handleScroll);
    window.removeEventListener('keydown', this.handleKeydown);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.resize?.disconnect();
    this.resize = null;
    this.atEnd = false;
  }
}
