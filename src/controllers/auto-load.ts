import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How long scrolling must rest before auto-load decides. */
const SCROLL_REST_MS = 200;
/** How far below the view the end of the loaded posts counts as near. */
const NEAR = '0px 0px 600px 0px';

export interface AutoLoadOptions {
  /** The element at the end of the loaded posts ("Load more"), or `null` when there is none or auto-load is off. */
  end(): Element | null;
  /** The reply box: nothing loads while it is in view below the posts. */
  composer(): Element | null;
  /** Whether a failure is showing (the reader retries by hand then). */
  failed(): boolean;
  /** Loads the next page. */
  loadMore(): void;
}

/**
 * Loads the next page as the reader nears the end of the loaded posts, but not while the reply
 * box below them is in view (a reader who pressed End, or "Skip to the reply box", stays at the
 * reply box instead of watching it move away as pages arrive above it; a box above the posts,
 * as in comments mode, does not move), and only once scrolling rests (End, or a flung
 * scrollbar, passes the end on its way to the reply box). Call `observe()` after each render.
 */
export class AutoLoadController implements ReactiveController {
  private endObserver: IntersectionObserver | null = null;
  private composerObserver: IntersectionObserver | null = null;
  private observedEnd: Element | null = null;
  private endInView = false;
  private timer = 0;
  private lastScrollAt = -Infinity;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: AutoLoadOptions,
  ) {
    host.addController(this);
  }

  private readonly handleScroll = (): void => {
    this.lastScrollAt = performance.now();
  };

  /** Follows the current end element and reply box. */
  observe(): void {
    const end = this.options.end();
    if (end === this.observedEnd) return;
    this.endObserver?.disconnect();
    this.observedEnd = end;
    this.endInView = false;
    if (!end) return;
    this.endObserver ??= new IntersectionObserver(
      (entries) => {
        this.endInView = entries.at(-1)!.isIntersecting;
        this.decide();
      },
      { rootMargin: NEAR },
    );
    this.endObserver.observe(end);
    // When the reply box leaves the view, the end may still be near: load then.
    this.composerObserver ??= new IntersectionObserver(() => this.decide());
    this.composerObserver.disconnect();
    const composer = this.options.composer();
    if (composer) this.composerObserver.observe(composer);
  }

  private decide(): void {
    clearTimeout(this.timer);
    if (!this.endInView || this.options.failed()) return;
    const idle = performance.now() - this.lastScrollAt;
    if (idle < SCROLL_REST_MS) {
      this.timer = window.setTimeout(() => this.decide(), SCROLL_REST_MS - idle + 10);
      return;
    }
    // Measured now: the two observers report separately, and the end may be reported first.
    const composer = this.options.composer();
    const below =
      !!composer &&
      !!this.observedEnd &&
      !!(this.observedEnd.compareDocumentPosition(composer) & Node.DOCUMENT_POSITION_FOLLOWING);
    const box = below ? composer.getBoundingClientRect() : null;
    const composerInView = !!box && box.top < window.innerHeight && box.bottom > 0;
    if (!composerInView) this.options.loadMore();
  }

  hostConnected(): void {
    window.addEventListener('scroll', this.handleScroll, { passive: true, capture: true });
  }

  hostDisconnected(): void {
    window.removeEventListener('scroll', this.handleScroll, { capture: true });
    clearTimeout(this.timer);
    this.endObserver?.disconnect();
    this.endObserver = null;
    this.composerObserver?.disconnect();
    this.composerObserver = null;
    this.observedEnd = null;
  }
}
