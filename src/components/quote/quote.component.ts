import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ImagePolicy } from '../../content/markdown.js';
import { bodiesSettled, postBody } from '../../content/post-body.js';
import { consume } from '@lit/context';
import { postLookupContext, type PostLookup } from '../../context/post-lookup.js';
import { ParleyJumpRequestEvent } from '../../events/events.js';
import { formatDateTime } from '../../i18n/format.js';
import { readingMessages as messages } from '../../i18n/messages.js';
import type { PopoverController } from '../../controllers/popover.js';
import type { Post, Quote } from '../../model/types.js';
import { baseStyles } from '../../styles/tokens.js';
import { contentStyles } from '../../styles/content.js';
import { quoteStyles } from './quote.styles.js';

type Status = 'loading' | 'ready' | 'deleted' | 'missing';

const HOVER_DELAY = 350;

/**
 * @tagname parley-quote
 * @summary The preview of a quoted post: its author, the excerpt, and "Jump to this post".
 * Hovering it, or focusing its jump button, shows the whole quoted post in a popover.
 *
 * The quoted post is looked up through the enclosing thread's post lookup (a context that
 * `<parley-thread>` provides); set `post` to provide it directly.
 *
 * @fires parley-jump-request - "Jump to this post" was pressed (answered by `<parley-thread>`).
 *
 * @csspart base - The `figure`.
 * @csspart author - The quoted author (`@handle`, or name).
 * @csspart excerpt - The quoted text, clamped with an ellipsis.
 * @csspart status - "The quoted post was deleted." and similar.
 * @csspart jump - The "Jump to this post" button.
 * @csspart popover - The floating full post.
 *
 * @cssprop [--parley-quote-lines=4] - Lines of the excerpt shown before it is clamped.
 * @cssprop [--parley-color-quote-bg=#f6f8fa] - Background of the preview.
 * @cssprop [--parley-color-quote-border=#8fb5e6] - Its leading border.
 */
export class ParleyQuote extends LitElement {
  static override styles = [baseStyles, contentStyles, quoteStyles];

  /** Places the preview; loaded with the first one (`controllers/popover.ts`). */
  private floating: PopoverController | null = null;
  private floatingLoading: Promise<unknown> | null = null;
  private hoverTimer = 0;
  private resolvedFor: string | null = null;
  /** How the enclosing thread finds posts. */
  @consume({ context: postLookupContext }) private lookup?: PostLookup;

  @query('figure') private figure!: HTMLElement;
  @query('.popover') private popoverElement!: HTMLElement;

  /** What is quoted. */
  @property({ attribute: false }) quote: Quote | null = null;
  /** The quoted post, when known; otherwise it is requested. */
  @property({ attribute: false }) post: Post | null = null;
  /** Id of the post that holds this quote (sent with jump requests). */
  @property({ attribute: false }) sourceId: string | null = null;
  /** What happens to images from other sites in posts (from the thread's `image-proxy`). */
  @property({ attribute: false }) images: ImagePolicy = { mode: 'load' };
  /** BCP 47 locale for dates. */
  @property() locale?: string;
  /** IANA time zone for dates. */
  @property({ attribute: 'time-zone' }) timeZone?: string;

  @state() private status: Status = 'loading';
  @state() private popoverOpen = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.hidePreview();
  }

  /** Resolves once the preview's body is shown, the markdown parser loaded first where it had to be. */
  protected override async getUpdateComplete(): Promise<boolean> {
    // A preview is opening: the code that places it is on its way.
    if (this.floatingLoading) await this.floatingLoading;
    const settled = await super.getUpdateComplete();
    return (await bodiesSettled()) ? super.getUpdateComplete() : settled;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('post') && this.post) this.status = this.post.deleted ? 'deleted' : 'ready';
    if (
      (changed.has('quote') || changed.has('post')) &&
      this.quote &&
      !this.post &&
      this.resolvedFor !== this.quote.postId
    ) {
      void this.resolve(this.quote.postId);
    }
  }

  protected override updated(): void {
    if (!this.popoverOpen) return;
    for (const el of this.popoverElement.querySelectorAll<HTMLElement>(
      'a[href], button, input, textarea, select, [tabindex], [contenteditable]',
    ))
      el.tabIndex = -1;
  }

  private async resolve(postId: string): Promise<void> {
    this.resolvedFor = postId;
    const lookup = this.lookup;
    if (!lookup) {
      // Nobody to ask: the excerpt and Jump still show.
      this.status = 'ready';
      return;
    }
    this.status = 'loading';
    try {
      const post = await lookup(postId);
      if (this.quote?.postId !== postId) return;
      this.post = post;
    } catch {
      if (this.quote?.postId === postId) this.status = 'missing';
    }
  }

  /**
   * The preview opens when the pointer rests on the quote after moving there, not when a jump
   * or a scroll brings a quote under a pointer that stayed still (it would cover what the reader
   * came to, such as "Back to where I was").
   */
  private handlePointerMove(): void {
    if (this.popoverOpen || this.hoverTimer) return;
    this.hoverTimer = window.setTimeout(() => {
      this.hoverTimer = 0;
      this.showPreview();
    }, HOVER_DELAY);
  }

  /** The pointer moved onto the open preview: keep it open. */
  private handlePointerEnter(): void {
    clearTimeout(this.hoverTimer);
    this.hoverTimer = 0;
  }

  private handlePointerLeave(): void {
    clearTimeout(this.hoverTimer);
    this.hoverTimer = window.setTimeout(() => {
      this.hoverTimer = 0;
      this.hidePreview();
    }, HOVER_DELAY / 2);
  }

  /** Escape dismisses the popover wherever focus is, as a hover popover must allow. */
  private handleKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.popoverOpen) {
      event.stopPropagation();
      this.hidePreview();
    }
  };

  /** Shows the whole quoted post in the popover. */
  showPreview(): void {
    if (this.status !== 'ready' || !this.post) return;
    this.popoverOpen = true;
    document.addEventListener('keydown', this.handleKeydown, true);
    if (this.floating) return this.floating.show(this.figure, this.popoverElement);
    this.floatingLoading ??= import('../../controllers/popover.js')
      .then(({ PopoverController }) => {
        this.floating ??= new PopoverController(this, { placement: 'bottom-start', gap: 6 });
        // Unless it was hidden meanwhile.
        if (this.popoverOpen) this.floating.show(this.figure, this.popoverElement);
      })
      .catch(() => this.hidePreview()) // Jump still works, and the next preview tries again
      .finally(() => (this.floatingLoading = null));
  }

  /** Hides the popover. */
  hidePreview(): void {
    clearTimeout(this.hoverTimer);
    this.popoverOpen = false;
    this.floating?.hide();
    document.removeEventListener('keydown', this.handleKeydown, true);
  }

  /** Asks the thread to show the quoted post. */
  jump(): void {
    if (!this.quote) return;
    this.hidePreview();
    this.dispatchEvent(
      new ParleyJumpRequestEvent({ postId: this.quote.postId, from: this.sourceId }),
    );
  }

  private renderPopover() {
    const post = this.post;
    // Out of the tab order (see updated()): a preview never takes focus from its trigger, Tab
    // moves on past the quote, and everything in it can be reached in the post itself.
    const name = post ? messages().quoteOf(post.author.name) : messages().quoteOfUnknown;
    return html`<div class="popover" part="popover" id="popover" role="tooltip" aria-label=${name} hidden @pointerenter=${this.handlePointerEnter} @pointerleave=${this.handlePointerLeave}>
      ${
        post && this.popoverOpen
          ? html`<header>
              <span class="name">${post.author.name}</span>
              ${post.author.guest ? html`<span class="meta">(${messages().guestMarker})</span>` : nothing}
              ${post.author.handle ? html`<span class="meta">@${post.author.handle}</span>` : nothing}
              <span class="meta"><time datetime=${post.createdAt}>${formatDateTime(post.createdAt, { locale: this.locale, timeZone: this.timeZone })}</time></span>
            </header>
            <div class="content" dir="auto">${postBody(this, post, { images: this.images, imageLabel: messages().image })}</div>`
          : nothing
      }
    </div>`;
  }

  protected override render() {
    const quote = this.quote;
    if (!quote) return nothing;
    const m = messages();
    const author = this.post?.author;
    const who = author ? (author.handle ? `@${author.handle}` : author.name) : '';
    const gone = this.status === 'deleted' || this.status === 'missing';
    return html`<figure
        part="base"
        aria-label=${author ? m.quoteOf(author.name) : m.quoteOfUnknown}
        @pointermove=${this.handlePointerMove}
        @pointerenter=${this.handlePointerEnter}
        @pointerleave=${this.handlePointerLeave}
      >
        ${who ? html`<figcaption part="author">${who}</figcaption>` : nothing}
        ${
          gone
            ? html`<p class="status" part="status">${this.status === 'deleted' ? m.quotedPostDeleted : m.quotedPostMissing}</p>`
            : html`<blockquote part="excerpt" dir="auto">${quote.text}</blockquote>
              <button class="jump" part="jump" @click=${this.jump} @focus=${this.showPreview} @blur=${this.hidePreview} aria-describedby=${this.popoverOpen ? 'popover' : nothing}>
                ${m.jumpToPost}
              </button>`
        }
      </figure>
      ${this.renderPopover()}`;
  }
}
