import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ParleyError } from '../model/errors.js';
import { ParleyJumpRequestEvent, type ParleyOperation } from '../events/events.js';
import { messages } from '../i18n/messages-write.js';
import type { PostStream } from '../model/stream.js';
import type { Post } from '../model/types.js';
import { holdAt, scrollByInside } from '../internal/scroll.js';

/** How long a post jumped to stays highlighted. */
const HIGHLIGHT_MS = 2500;

/** Where "Back to where I was" returns to: a post and where it sat on screen, and the post jumped to. */
export interface ReturnPoint {
  postId: string;
  top: number;
  /** The post the reader jumped to, after which Back is shown. */
  to?: string;
}

export interface NavigationOptions {
  stream(): PostStream;
  /** The loaded posts changed. */
  changed(): void;
  /** Loads the window around a post that is not loaded. */
  loadAround(postId: string): Promise<void>;
  /** Loads the last page when the end is not loaded. */
  loadLatest(): Promise<void>;
  /** The rendered element of a post. */
  element(postId: string): HTMLElement | null;
  /** The first post in view, to return to when a jump starts from no post in particular. */
  firstVisible(): HTMLElement | null;
  /** Whether the thread is shown (deep links wait for it). */
  ready(): boolean;
  announce(message: string): void;
  fail(operation: ParleyOperation, error: ParleyError): void;
}

/**
 * Moving around a thread: jumps to a post (loading the window around it first), to the latest
 * reply, and through `#post-<id>` links, each focusing and highlighting where the reader
 * arrived; and "Back to where I was", which returns to the exact post and scroll position (also
 * with the B key, wired by the host). Quotes ask for their jumps with `parley-jump-request`.
 */
export class NavigationController implements ReactiveController {
  /** The post briefly highlighted after a jump. */
  highlighted: string | null = null;
  /** Where Back returns to, after a jump. */
  returnPoint: ReturnPoint | null = null;
  private timer = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: NavigationOptions,
  ) {
    host.addController(this);
  }

  private readonly handleHashChange = (): void => this.followHash();

  /** "Jump to this post" in a quote: the jump starts from the post that quotes. */
  private readonly handleJumpRequest = (event: ParleyJumpRequestEvent): void => {
    event.stopPropagation();
    this.rememberPlace(event.detail.from);
    void this.jumpTo(event.detail.postId);
  };

  hostConnected(): void {
    window.addEventListener('hashchange', this.handleHashChange);
    this.host.addEventListener(ParleyJumpRequestEvent.type, this.handleJumpRequest);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.handleHashChange);
    this.host.removeEventListener(ParleyJumpRequestEvent.type, this.handleJumpRequest);
    clearTimeout(this.timer);
  }

  /** Forgets the place to return to (a new load). */
  reset(): void {
    this.returnPoint = null;
    this.host.requestUpdate();
  }

  /** Follows `#post-<id>` once `shown` resolves (a load has rendered); not if it fails. */
  followHashOnce(shown: Promise<unknown>): void {
    shown.then(
      () => this.followHash(),
      () => undefined,
    );
  }

  /** Jumps to the post named in `#post-<id>`, when there is one. */
  followHash(): void {
    const match = /^#post-(.+)$/.exec(window.location.hash);
    if (!match || !this.options.ready()) return;
    let id: string;
    try {
      id = decodeURIComponent(match[1]);
    } catch {
      return;
    }
    void this.jumpTo(id);
  }

  /**
   * Scrolls to a post, focuses and highlights it, loading the window around it first when it is
   * not loaded yet. Resolves to whether the post could be shown.
   */
  async jumpTo(postId: string): Promise<boolean> {
    const m = messages();
    const { options } = this;
    if (!options.stream().has(postId)) {
      try {
        await options.loadAround(postId);
        if (!options.stream().has(postId)) throw new ParleyError('not-found', m.jumpFailed);
      } catch (error) {
        const e = ParleyError.from(error);
        if (e.code === 'aborted') return false;
        options.announce(`${m.jumpFailed} ${e.message}`);
        options.fail('jump', e);
        return false;
      }
    }
    return this.reveal(postId);
  }

  /** Shows the newest reply, loading the last page first when it is not loaded. */
  async jumpToLatest(): Promise<boolean> {
    const { options } = this;
    this.rememberPlace(null);
    try {
      await options.loadLatest();
    } catch (error) {
      const e = ParleyError.from(error);
      if (e.code !== 'aborted') options.fail('jump', e);
      return false;
    }
    const target = options.stream().segments.at(-1)?.posts.at(-1);
    return target ? this.reveal(target.id) : false;
  }

  /**
   * Shows posts that arrived live (behind "Show N new replies") where they belong, loading the
   * window of the first that falls in a gap, and moves to the first of them.
   */
  async showArrived(posts: readonly Post[]): Promise<void> {
    const { options } = this;
    if (posts.length === 0) return;
    const hidden = posts.filter((post) => !options.stream().insert(post));
    options.changed();
    if (hidden.length) await options.loadAround(hidden[0].id).catch(() => undefined);
    this.rememberPlace(null);
    await this.reveal(posts[0].id);
  }

  /** Scrolls a loaded post into view, focuses and highlights it. */
  async reveal(postId: string): Promise<boolean> {
    const m = messages();
    const { options } = this;
    await this.host.updateComplete;
    const element = options.element(postId);
    if (!element) {
      options.announce(m.targetDeleted);
      return false;
    }
    // Instant, not smooth: a long smooth scroll over posts whose height is only estimated
    // (content-visibility) lands late and off; the highlight shows where the reader arrived.
    element.scrollIntoView({ block: 'center', behavior: 'instant' });
    element.focus({ preventScroll: true });
    void holdAt(element, element.getBoundingClientRect().top);
    this.highlight(postId);
    if (this.returnPoint && this.returnPoint.postId !== postId)
      this.returnPoint = { ...this.returnPoint, to: postId };
    const post = options.stream().get(postId);
    if (post) options.announce(m.jumpedTo(post.author.name));
    return true;
  }

  /**
   * Remembers the reader's place before a jump: the post they jumped from (or the first post in
   * view) and where it sat on screen, for "Back to where I was".
   */
  rememberPlace(fromId: string | null): void {
    const element = (fromId ? this.options.element(fromId) : null) ?? this.options.firstVisible();
    const id = element?.getAttribute('data-post-id');
    this.returnPoint =
      element && id ? { postId: id, top: element.getBoundingClientRect().top } : null;
    this.host.requestUpdate();
  }

  /** Returns to the post and the scroll position the reader left with a jump. */
  async returnToPlace(): Promise<void> {
    const point = this.returnPoint;
    if (!point) return;
    this.returnPoint = null;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const element = this.options.element(point.postId);
    if (!element) return;
    scrollByInside(element, element.getBoundingClientRect().top - point.top);
    element.focus({ preventScroll: true });
    void holdAt(element, point.top);
    this.options.announce(messages().returned);
  }

  /** `B` (focus in the thread, not in a text field) goes back to where the reader was. */
  handleKeydown(event: KeyboardEvent): void {
    if (event.key !== 'b' && event.key !== 'B') return;
    if (event.ctrlKey || event.metaKey || event.altKey || !this.returnPoint) return;
    const target = event.composedPath()[0] as HTMLElement | undefined;
    if (
      target?.closest?.('input, textarea, select, [contenteditable]') ||
      target?.isContentEditable
    )
      return;
    event.preventDefault();
    void this.returnToPlace();
  }

  private highlight(postId: string): void {
    clearTimeout(this.timer);
    this.highlighted = postId;
    this.host.requestUpdate();
    this.timer = window.setTimeout(() => {
      this.highlighted = null;
      this.host.requestUpdate();
    }, HIGHLIGHT_MS);
  }
}
