import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { formattingContext, type Formatting } from '../../context/formatting.js';
import {
  LOAD_IMAGES,
  NO_PARTICIPANTS,
  threadContext,
  type ThreadInfo,
} from '../../context/thread.js';
import { viewerContext, type ViewerInfo } from '../../context/viewer.js';
import { markMentions, renderPost, textOf, type ImagePolicy } from '../../content/markdown.js';
import { bodiesSettled, postBody } from '../../content/post-body.js';
import {
  ParleyAnnounceEvent,
  ParleyQuoteRequestEvent,
  ParleyReplyRequestEvent,
} from '../../events/events.js';
import { formatDateTime, formatRelative } from '../../i18n/format.js';
import { readingMessages as messages } from '../../i18n/messages.js';
import { hueOf, initialsOf, safeImageUrl } from '../../internal/avatar.js';
import { normalizeExcerpt } from '../../model/quote.js';
import type { Author, Post } from '../../model/types.js';
import { baseStyles, buttonStyles } from '../../styles/tokens.js';
import { contentStyles } from '../../styles/content.js';
import { postStyles } from './post.styles.js';
import type { OwnPostControls } from './own-post.js';
import type { SelectionQuote } from './selection-quote.js';
// The quote a post renders (registration is guarded, so importing twice is harmless); the
// composer of its edit box loads when the reader first presses Edit.
import '../quote/quote.js';

/** The quote's parts, re-exported from the post as `quote-<name>`. */
const QUOTE_PARTS = ['base', 'author', 'excerpt', 'status', 'jump', 'popover']
  .map((p) => `${p}:quote-${p}`)
  .join(', ');

/** Permalink of a post on the current page. */
export function permalinkOf(postId: string): string {
  const url = new URL(window.location.href);
  url.hash = `post-${postId}`;
  return url.href;
}

/** How long Copy link shows that it worked. */
const COPIED_MS = 2500;

/**
 * @tagname parley-post
 * @summary One post: author, time, quoted preview, markdown body and actions.
 *
 * @fires parley-reply-request - Reply was pressed (answered by `<parley-thread>`).
 * @fires parley-quote-request - Quote, or the floating Quote button over a text selection, was pressed.
 * @fires parley-delete-request - Deleting was confirmed.
 * @fires parley-announce - Something to announce to screen readers (copy link outcome).
 *
 * @csspart base - The `article`.
 * @csspart header - Name, handle and time.
 * @csspart avatar - The avatar image or initials.
 * @csspart author - The display name.
 * @csspart handle - The `@handle`.
 * @csspart guest - The "guest" marker next to the name of someone who posted as a guest.
 * @csspart replying-to - "replying to @handle" on replies deeper than the thread indents.
 * @csspart time - The permalink holding the `time` element.
 * @csspart edited - The "edited" marker.
 * @csspart body - The rendered markdown.
 * @csspart tombstone - The "This post was deleted." text.
 * @csspart quote - The quoted-post preview (`<parley-quote>`).
 * @csspart quote-base - The quote's `base` part, re-exported: its `figure`.
 * @csspart quote-author - The quote's `author` part, re-exported: the quoted author.
 * @csspart quote-excerpt - The quote's `excerpt` part, re-exported: the quoted text.
 * @csspart quote-status - The quote's `status` part, re-exported: "The quoted post was deleted." and similar.
 * @csspart quote-jump - The quote's `jump` part, re-exported: the "Jump to this post" button.
 * @csspart quote-popover - The quote's `popover` part, re-exported: the floating full post.
 * @csspart actions - The row of actions.
 * @csspart action - Each action button.
 * @csspart confirm - The delete confirmation.
 * @csspart error - An error message for an action on this post.
 * @csspart selection-quote - The floating Quote button shown over selected text.
 * @csspart sending - "Sending…", on a post not yet confirmed by the server.
 *
 * @cssprop [--parley-avatar-size=2.5em] - Avatar width and height.
 * @cssprop [--parley-radius-avatar=50%] - Avatar corner radius.
 * @cssprop [--parley-color-highlight=#fff4c2] - Background of a post that was jumped to.
 * @cssprop [--parley-color-mention=#0b63c9] - Colour of @mentions of participants.
 */
export class ParleyPost extends LitElement {
  static override styles = [baseStyles, buttonStyles, contentStyles, postStyles];

  /** "Quote" over selected text (`selection-quote.ts`), once the page has had a selection. */
  private selection: SelectionQuote | null = null;
  private selectionLoading: Promise<void> | null = null;

  @query('article') private article!: HTMLElement;
  @query('.body') private bodyElement?: HTMLElement;
  @query('.selection-quote') private selectionButton?: HTMLButtonElement;

  /** The post to show. */
  @property({ attribute: false }) post: Post | null = null;
  /**
   * The signed-in reader; Edit and Delete show on their own posts. Inside a `<parley-thread>`,
   * the thread's reader (a context); set it to override that.
   */
  @property({ attribute: false }) viewer?: Author | null;
  /**
   * Lower-cased handles of participants: only these `@mentions` are styled as mentions. Inside
   * a thread, its participants.
   */
  @property({ attribute: false }) participants?: ReadonlySet<string>;
  /** Set when the post answers a deeper post than the thread indents. */
  @property({ attribute: false }) replyingTo: Author | null = null;
  /** `opening` for the thread's opening post. */
  @property({ reflect: true }) variant: 'reply' | 'opening' = 'reply';
  /** Hide Reply and Quote. Inside a thread: while it is locked. */
  @property({ type: Boolean, attribute: 'no-reply' }) noReply?: boolean;
  /**
   * The thread is locked: no edits either (deleting one's own post stays possible). Inside a
   * thread, the thread's state.
   */
  @property({ type: Boolean }) locked?: boolean;
  /** Shown before the server confirmed it: marked as sending, without actions. */
  @property({ type: Boolean, reflect: true }) sending = false;
  /** Briefly set after a jump to this post. */
  @property({ type: Boolean, reflect: true }) highlighted = false;
  /** BCP 47 locale for dates; the thread's, else the reader's own. */
  @property() locale?: string;
  /** IANA time zone for dates; the thread's, else the reader's own. */
  @property({ attribute: 'time-zone' }) timeZone?: string;
  /** Longest body accepted when editing; the thread's `max-length` inside a thread. */
  @property({ type: Number, attribute: 'max-length' }) maxLength?: number;
  /** The post this one quotes, when it is loaded; otherwise the quote asks the thread for it. */
  @property({ attribute: false }) quotedPost: Post | null = null;
  /** What happens to images from other sites in posts (the thread's `image-proxy`). */
  @property({ attribute: false }) images?: ImagePolicy;
  /** Participants offered as @mention suggestions when editing; the thread's inside a thread. */
  @property({ attribute: false }) participantsList?: readonly Author[];

  @consume({ context: viewerContext, subscribe: true })
  @state()
  private viewerInfo?: ViewerInfo;
  @consume({ context: threadContext, subscribe: true })
  @state()
  private threadInfo?: ThreadInfo;
  @consume({ context: formattingContext, subscribe: true })
  @state()
  private formatting?: Formatting;

  /** Edit and Delete of the reader's own post (`own-post.ts`), loaded once they show. */
  private ownControls: OwnPostControls | null = null;
  private ownLoading: Promise<OwnPostControls> | null = null;
  @state() private actionError = '';
  @state() private avatarFailed = false;
  /** Briefly true after Copy link succeeded. */
  @state() private copied = false;
  private copiedTimer = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('selectionchange', this.handleSelectionChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.copiedTimer);
    document.removeEventListener('selectionchange', this.handleSelectionChange);
  }

  /** Moves focus to the post itself (after a jump or after it was published). */
  override focus(options?: FocusOptions): void {
    this.article?.focus(options);
  }

  /** Resolves once the body is shown, the markdown parser loaded first where it had to be. */
  protected override async getUpdateComplete(): Promise<boolean> {
    // Edit or Delete was pressed: what answers is on its way.
    if (this.ownLoading) await this.ownLoading.catch(() => undefined);
    const settled = await super.getUpdateComplete();
    return (await bodiesSettled()) ? super.getUpdateComplete() : settled;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('post')) {
      const before = changed.get('post') as Post | null | undefined;
      if (before?.author.avatarUrl !== this.post?.author.avatarUrl) this.avatarFailed = false;
    }
    // The reader's own post: its Edit and Delete start loading.
    if (this.own && !this.ownLoading) void this.ownPost().catch(() => undefined);
  }

  protected override updated(): void {
    if (this.bodyElement) markMentions(this.bodyElement, this.handles);
  }

  private get own(): boolean {
    const reader = this.reader;
    return !!this.post && !!reader && this.post.author.id === reader.id && !this.post.deleted;
  }

  // Each setting: the element's own when set, else the thread's (its contexts).
  private get reader(): Author | null {
    return this.viewer !== undefined ? this.viewer : (this.viewerInfo?.user ?? null);
  }
  private get handles(): ReadonlySet<string> {
    return this.participants ?? this.threadInfo?.participants.handles ?? NO_PARTICIPANTS.handles;
  }
  private get people(): readonly Author[] {
    return this.participantsList ?? this.threadInfo?.participants.people ?? [];
  }
  private get isLocked(): boolean {
    return this.locked ?? this.threadInfo?.locked ?? false;
  }
  private get repliesClosed(): boolean {
    return this.noReply ?? this.threadInfo?.locked ?? false;
  }
  private get imagePolicy(): ImagePolicy {
    return this.images ?? this.threadInfo?.images ?? LOAD_IMAGES;
  }
  private get dates(): Formatting {
    return {
      locale: this.locale ?? this.formatting?.locale,
      timeZone: this.timeZone ?? this.formatting?.timeZone,
    };
  }
  /** What the adapter allows; a post on its own offers everything and lets its host decide. */
  private get can(): { edit: boolean; delete: boolean } {
    return this.viewerInfo?.capabilities ?? { edit: true, delete: true };
  }

  private handleSelectionChange = (): void => {
    if (this.selection) return this.selection.follow();
    // Not `isCollapsed`: for a selection inside a shadow root Chromium reports it collapsed.
    if (document.getSelection()?.type !== 'Range') return;
    this.selectionLoading ??= import('./selection-quote.js').then(
      ({ SelectionQuote }) => {
        this.selection ??= new SelectionQuote(this, () => ({
          body: this.bodyElement,
          button: this.selectionButton,
          quotable: !this.repliesClosed,
        }));
        this.selection.follow();
      },
      () => {
        this.selectionLoading = null; // the whole post can still be quoted
      },
    );
  };

  private handleSelectionQuote(event: Event): void {
    this.selection?.quote(event);
  }

  private handleAvatarError(): void {
    this.avatarFailed = true;
  }

  /** Asks the thread to open a reply to this post. */
  reply(): void {
    if (this.post) this.dispatchEvent(new ParleyReplyRequestEvent({ post: this.post }));
  }

  /** Asks the thread to quote this whole post. */
  quoteWhole(): void {
    if (!this.post) return;
    const rendered = renderPost(this.post, {
      images: this.imagePolicy,
      imageLabel: messages().image,
    });
    const text = normalizeExcerpt(rendered === undefined ? this.post.body : textOf(rendered));
    this.dispatchEvent(new ParleyQuoteRequestEvent({ post: this.post, text }));
  }

  /** Copies the post's permalink to the clipboard and announces the outcome. */
  async copyLink(): Promise<void> {
    if (!this.post) return;
    const url = permalinkOf(this.post.id);
    const m = messages();
    try {
      await navigator.clipboard.writeText(url);
      this.dispatchEvent(new ParleyAnnounceEvent({ message: m.linkCopied }));
      // Sighted readers see it on the button they pressed.
      clearTimeout(this.copiedTimer);
      this.copied = true;
      this.copiedTimer = window.setTimeout(() => (this.copied = false), COPIED_MS);
    } catch {
      this.actionError = m.linkCopyFailed(url);
    }
  }

  /** Edit and Delete, loading them first when they are not loaded. */
  private ownPost(): Promise<OwnPostControls> {
    this.ownLoading ??= import('./own-post.js').then(
      ({ OwnPostControls }) =>
        (this.ownControls ??= new OwnPostControls(this, (message) => (this.actionError = message))),
      (error: unknown) => {
        this.ownLoading = null;
        throw error;
      },
    );
    return this.ownLoading;
  }

  /** Runs one of Edit and Delete once loaded; a failed load says so under the post. */
  private async withOwn(action: (own: OwnPostControls) => unknown): Promise<void> {
    try {
      await action(await this.ownPost());
    } catch {
      this.actionError = messages().actionsFailed;
    }
  }

  private readonly startEdit = () => void this.withOwn((own) => own.startEdit());
  private readonly askDelete = () => void this.withOwn((own) => own.askDelete());

  /** Deletes the post through the thread; on failure the reason shows under the post. */
  async deletePost(): Promise<void> {
    if (this.post) await this.withOwn((own) => own.deletePost());
  }

  private renderAvatar(author: Author) {
    const src = this.avatarFailed ? undefined : safeImageUrl(author.avatarUrl);
    const style = `background: hsl(${hueOf(author.id)} 50% 30%)`;
    return html`<div class="avatar" part="avatar" style=${src ? '' : style} aria-hidden="true">
      ${src ? html`<img src=${src} alt="" loading="lazy" referrerpolicy="no-referrer" @error=${this.handleAvatarError} />` : initialsOf(author.name)}
    </div>`;
  }

  /** `when` is the post's creation time as formatted once by `render` (it shows twice). */
  private renderHeader(post: Post, when: string) {
    const m = messages();
    const opening = this.variant === 'opening';
    return html`<header part="header">
      ${opening ? html`<span class="meta">${m.postedBy}</span>` : nothing}
      <span class="author" part="author" id="author">${post.author.name}</span>
      ${post.author.guest ? html`<span class="guest" part="guest" title=${m.guestTitle}>${m.guestMarker}</span>` : nothing}
      ${post.author.handle ? html`<span class="handle" part="handle">@${post.author.handle}</span>` : nothing}
      ${
        this.replyingTo
          ? html`<span class="replying-to" part="replying-to">${m.replyingTo(this.replyingTo.handle ? `@${this.replyingTo.handle}` : this.replyingTo.name)}</span>`
          : nothing
      }
      ${this.sending ? html`<span class="meta sending" part="sending" role="status">${m.sending}</span>` : nothing}
      <span class="meta" ?hidden=${this.sending}>
        <a class="time" part="time" href=${`#post-${post.id}`} title=${formatRelative(post.createdAt, this.dates)}
          ><time datetime=${post.createdAt}>${when}</time></a
        >${
          post.editedAt && !post.deleted
            ? html` · <span class="edited" part="edited" title=${m.editedAt(formatDateTime(post.editedAt, this.dates))}
                >${m.edited}</span
              >`
            : nothing
        }
      </span>
    </header>`;
  }

  private renderActions(post: Post) {
    const m = messages();
    if (post.deleted || this.sending) return nothing;
    return html`<div class="actions" part="actions" role="group" aria-label=${m.postActions(post.author.name)}>
      ${
        this.repliesClosed
          ? nothing
          : html`<button class="button" part="action" data-action="reply" @click=${this.reply}>${m.reply}</button>
            <button class="button" part="action" data-action="quote" @click=${this.quoteWhole}>${m.quote}</button>`
      }
      <button class="button" part="action" data-action="copy-link" @click=${this.copyLink}>${this.copied ? m.linkCopiedShort : m.copyLink}</button>
      ${
        this.own && this.can.edit && !this.isLocked
          ? html`<button class="button" part="action" data-action="edit" @click=${this.startEdit} ?disabled=${!!this.ownControls?.editing}>${m.edit}</button>`
          : nothing
      }
      ${
        this.own && this.can.delete
          ? html`<button class="button" part="action" data-action="delete" @click=${this.askDelete} ?disabled=${!!(this.ownControls?.deleting || this.ownControls?.editing)}>${m.delete}</button>`
          : nothing
      }
    </div>`;
  }

  private renderBody(post: Post) {
    const m = messages();
    if (post.deleted) return html`<p class="tombstone" part="tombstone">${m.deletedPost}</p>`;
    const own = this.ownControls;
    if (own?.editing) {
      return own.renderEditor(post, {
        reader: this.reader,
        people: this.people,
        handles: this.handles,
        images: this.imagePolicy,
        maxLength: this.maxLength ?? this.threadInfo?.maxLength,
      });
    }
    return html`<div class="body content" part="body" dir="auto">${postBody(this, post, { images: this.imagePolicy, imageLabel: messages().image })}</div>`;
  }

  protected override render() {
    const post = this.post;
    if (!post) return nothing;
    const m = messages();
    const when = formatDateTime(post.createdAt, this.dates);
    // The article's items are blocks in a grid: nothing between them, so no text nodes either.
    return html`<article part="base" tabindex="-1" aria-labelledby="author" aria-describedby="when">
        ${this.renderAvatar(post.author)}${this.renderHeader(post, when)}${
          post.quote && !post.deleted
            ? html`<parley-quote
              part="quote"
              exportparts=${QUOTE_PARTS}
              .quote=${post.quote}
              .post=${this.quotedPost}
              .sourceId=${post.id}
              .images=${this.imagePolicy}
              .locale=${this.dates.locale}
              .timeZone=${this.dates.timeZone}
            ></parley-quote>`
            : nothing
        }${this.renderBody(post)}${this.renderActions(post)}${this.ownControls?.confirmingDelete ? this.ownControls.renderConfirm() : nothing}${this.actionError ? html`<p class="error" part="error" role="alert">${this.actionError}</p>` : nothing}
      </article>
      <span id="when" hidden>${when}</span>
      <button class="selection-quote" part="selection-quote" hidden tabindex="-1" @pointerdown=${this.handleSelectionQuote} @click=${this.handleSelectionQuote}>
        ${m.quoteSelection}
      </button>`;
  }
}
