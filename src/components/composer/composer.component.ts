import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import {
  LOAD_IMAGES,
  NO_PARTICIPANTS,
  threadContext,
  type ThreadInfo,
} from '../../context/thread.js';
import { viewerContext, type ViewerInfo } from '../../context/viewer.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { ParleyError } from '../../model/errors.js';
import { markMentions, renderMarkdown, type ImagePolicy } from '../../content/markdown.js';
import { DraftController, type AttachedQuote } from '../../controllers/draft.js';
import {
  ParleyAnnounceEvent,
  ParleyComposeEndEvent,
  ParleyComposeEvent,
  ParleyLoginRequestEvent,
  ParleyLogoutRequestEvent,
} from '../../events/events.js';
import { messages } from '../../i18n/messages.js';
import { MentionSuggestionsController } from '../../controllers/mention-suggestions.js';
import type { Author } from '../../model/types.js';
import { baseStyles, buttonStyles } from '../../styles/tokens.js';
import { contentStyles } from '../../styles/content.js';
import { composerStyles } from './composer.styles.js';
import {
  firstControl,
  renderLocked,
  renderQuote,
  renderSendError,
  renderSignedOut,
  renderSuggestions,
} from './panels.js';

let nextId = 0;

/** A fresh idempotency key for one reply (visible ASCII, as the HTTP header needs). */
const newSendKey = () => `parley-${crypto.randomUUID()}`;

/**
 * @tagname parley-composer
 * @summary The reply box: Write / Preview, @mention suggestions, an attached quote, drafts that
 * survive a reload, and a clear error (with the text kept) when sending fails.
 *
 * Submitting fires `parley-compose`; whoever answers calls `event.respondWith(promise)`
 * (`<parley-thread>` does). The composer stays busy until the promise settles, clears on
 * success, and keeps the text and shows the error on failure.
 *
 * @slot login - Shown to signed-out readers next to "Please log in or register to post a reply."; defaults to a Log in button.
 *
 * @fires parley-compose - The reader submitted (Post reply / Save, or Ctrl/Cmd+Enter).
 * @fires parley-compose-end - The composer was sent or cancelled (Escape / Cancel).
 * @fires parley-login-request - The default Log in button was pressed.
 * @fires parley-logout-request - Sign out was pressed (shown with `can-sign-out`).
 *
 * @csspart base - The form.
 * @csspart toolbar - The bar holding the tabs.
 * @csspart tab - The Write and Preview tabs.
 * @csspart attached-quote - The excerpt attached by Quote.
 * @csspart textarea - The text field.
 * @csspart preview - The rendered preview.
 * @csspart footer - Count, hint and buttons.
 * @csspart count - The character count.
 * @csspart submit - The Post reply / Save button.
 * @csspart cancel - The Cancel button of a reply or an edit.
 * @csspart error - The failure message with Retry.
 * @csspart signed-out - The "Please log in or register to post a reply." box.
 * @csspart locked - The notice shown in a locked thread.
 * @csspart suggestions - The @mention suggestion list.
 * @csspart suggestion - One suggestion.
 * @csspart signed-in-as - "Posting as …", with Sign out.
 * @csspart sign-out - The Sign out button.
 *
 * @cssprop [--parley-color-accent=#0b63c9] - Submit button and focus colour.
 * @cssprop [--parley-color-danger=#c21f30] - Errors and an exceeded limit.
 */
export class ParleyComposer extends LitElement {
  static override styles = [baseStyles, buttonStyles, contentStyles, composerStyles];

  private readonly drafts = new DraftController(this);
  private readonly mentions = new MentionSuggestionsController(this);
  private readonly uid = `c${++nextId}`;
  private loadedKey: string | null | undefined = undefined;
  /** The idempotency key of the last send that was not acknowledged, and what it sent. */
  private sendKey: string | null = null;
  private sendSignature = '';

  @query('textarea') private textarea?: HTMLTextAreaElement;

  /** Thread the post goes to; part of the draft's key. */
  @property({ attribute: 'thread-id' }) threadId = '';
  /** Post being replied to, or `null` for a reply to the thread. */
  @property({ attribute: false }) parentId: string | null = null;
  /** Post being edited (`mode="edit"`). */
  @property({ attribute: false }) postId: string | null = null;
  /** `new` (the thread's reply box), `reply` (to one post) or `edit` (one's own post). */
  @property({ reflect: true }) mode: 'new' | 'reply' | 'edit' = 'new';
  /** Starting text (the body being edited). */
  @property({ attribute: false }) value = '';
  /**
   * The signed-in reader, or `null`: signed-out readers see the log-in prompt. Inside a
   * `<parley-thread>`, the thread's reader (a context); set it to override that.
   */
  @property({ attribute: false }) viewer?: Author | null;
  /**
   * Excerpt attached by the Quote action. The composer owns it from then on: ✕ removes it, and
   * it stays removed until something sets a new one.
   */
  @property({ attribute: false }) quote: AttachedQuote | null = null;
  /** People offered when typing `@`; the thread's participants inside a thread. */
  @property({ attribute: false }) participants?: readonly Author[];
  /** Lower-cased handles styled as mentions in the preview; the thread's inside a thread. */
  @property({ attribute: false }) known?: ReadonlySet<string>;
  /** What happens to images from other sites in the preview (the thread's `image-proxy`). */
  @property({ attribute: false }) images?: ImagePolicy;
  /** Longest text accepted, in characters: the thread's `max-length`, else 10,000. */
  @property({ type: Number, attribute: 'max-length' }) maxLength?: number;
  /** Accessible name of the text field. */
  @property() label = '';
  /** The thread takes no new posts; inside a thread, while it is locked. */
  @property({ type: Boolean, reflect: true }) locked?: boolean;
  /**
   * Offer "Sign out" next to "Posting as …"; inside a thread, when Parley owns the reader's
   * session.
   */
  @property({ type: Boolean, attribute: 'can-sign-out' }) canSignOut?: boolean;
  /** Keep no draft: without it, the text is saved to `localStorage` per thread and parent post (or per edited post) and restored. */
  @property({ type: Boolean, attribute: 'no-draft' }) noDraft = false;

  @consume({ context: viewerContext, subscribe: true })
  @state()
  private viewerInfo?: ViewerInfo;
  @consume({ context: threadContext, subscribe: true })
  @state()
  private threadInfo?: ThreadInfo;

  // Each setting: the element's own when set, else the thread's (its contexts).
  private get reader(): Author | null {
    return this.viewer !== undefined ? this.viewer : (this.viewerInfo?.user ?? null);
  }
  private get people(): readonly Author[] {
    return this.participants ?? this.threadInfo?.participants.people ?? [];
  }
  private get handles(): ReadonlySet<string> {
    return this.known ?? this.threadInfo?.participants.handles ?? NO_PARTICIPANTS.handles;
  }
  private get imagePolicy(): ImagePolicy {
    return this.images ?? this.threadInfo?.images ?? LOAD_IMAGES;
  }
  private get limit(): number {
    return this.maxLength ?? this.threadInfo?.maxLength ?? 10_000;
  }
  private get isLocked(): boolean {
    return this.locked ?? this.threadInfo?.locked ?? false;
  }

  @state() private text = '';
  @state() private tab: 'write' | 'preview' = 'write';
  @state() private busy = false;
  @state() private error = '';
  @state() private validation = '';

  /** The draft key: per thread and per parent post, or per edited post. */
  private get draftKey(): string | null {
    if (this.noDraft || !this.threadId) return null;
    if (this.mode === 'edit') return this.postId ? `${this.threadId}:edit:${this.postId}` : null;
    return `${this.threadId}:${this.parentId ?? 'root'}`;
  }

  /** The current text. */
  get body(): string {
    return this.text;
  }

  /** Focuses the text field (back on the Write tab), or the first control when signed out or locked. */
  override focus(options?: FocusOptions): void {
    if (this.tab !== 'write') this.tab = 'write';
    void this.updateComplete.then(() => {
      const field = this.textarea;
      if (!field) return firstControl(this.renderRoot)?.focus(options);
      field.focus(options);
      field.setSelectionRange(field.value.length, field.value.length);
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value')) this.text = this.value;
    const key = this.draftKey;
    if (key !== this.loadedKey) {
      this.loadedKey = key;
      const draft = this.drafts.load(key);
      if (draft) {
        this.text = draft.body;
        if (!this.quote) this.quote = draft.quote;
        if (draft.sendKey) {
          this.sendKey = draft.sendKey;
          this.sendSignature = this.signatureOf(draft.body, draft.quote);
        }
      }
    }
    if (changed.has('quote') && changed.get('quote') !== undefined) this.saveDraft();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('text') || changed.has('tab')) this.resize();
    const preview = this.renderRoot.querySelector<HTMLElement>('.preview');
    if (preview) markMentions(preview, this.handles);
  }

  private resize(): void {
    const field = this.textarea;
    if (!field) return;
    field.style.height = 'auto';
    const border = field.offsetHeight - field.clientHeight;
    field.style.height = `${field.scrollHeight + border}px`;
  }

  private saveDraft(): void {
    this.drafts.save(this.draftKey, this.text, this.quote, this.sendKey ?? undefined);
  }

  /** What a send carries, to tell a Retry of the same reply from a changed one. */
  private signatureOf(body: string, quote: AttachedQuote | null): string {
    return JSON.stringify([body, quote ? [quote.postId, quote.text] : null, this.parentId]);
  }

  private handleInput(event: InputEvent): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    this.validation = '';
    this.saveDraft();
    this.updateMentions();
  }

  private handleKeydown(event: KeyboardEvent): void {
    if (this.mentions.handleKeydown(event)) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.submit();
    } else if (event.key === 'Escape' && this.mode !== 'new' && !event.defaultPrevented) {
      // One Escape closes one thing: a reply or edit box closes, and its text stays as the draft.
      event.preventDefault();
      event.stopPropagation();
      this.cancel();
    }
  }

  private handleTabKeydown(event: KeyboardEvent): void {
    const { key } = event;
    const other = this.tab === 'write' ? 'preview' : 'write';
    const tab = key === 'Home' ? 'write' : key === 'End' ? 'preview' : other;
    if (key !== 'ArrowLeft' && key !== 'ArrowRight' && key !== 'Home' && key !== 'End') return;
    event.preventDefault();
    void this.selectTab(tab, true);
  }

  private async selectTab(tab: 'write' | 'preview', focusTab = false): Promise<void> {
    this.tab = tab;
    this.mentions.close();
    await this.updateComplete;
    if (focusTab) this.renderRoot.querySelector<HTMLElement>(`#${this.uid}-tab-${tab}`)?.focus();
  }

  /** Offers the people matching the `@query` at the caret (never the reader). */
  private updateMentions(): void {
    this.mentions.update(
      this.textarea,
      this.people.filter((p) => p.id !== this.reader?.id),
    );
  }

  private removeQuote(): void {
    this.quote = null;
    this.saveDraft();
    this.textarea?.focus();
  }

  private requestLogin(): void {
    this.dispatchEvent(new ParleyLoginRequestEvent());
  }

  private requestLogout(): void {
    this.dispatchEvent(new ParleyLogoutRequestEvent());
  }

  /**
   * Closes a reply or an edit. Text in it is never thrown away: it stays as the draft, and comes
   * back when the same reply (or edit) is opened again.
   */
  cancel(): void {
    const kept =
      this.mode === 'edit' ? this.text !== this.value : this.text.trim() !== '' || !!this.quote;
    if (kept) {
      this.saveDraft();
      this.drafts.flush();
    } else {
      this.drafts.clear(this.draftKey);
    }
    this.error = '';
    this.mentions.close();
    if (kept && this.draftKey) {
      const m = messages();
      this.dispatchEvent(
        new ParleyAnnounceEvent({ message: this.mode === 'edit' ? m.editKept : m.draftKept }),
      );
    }
    this.dispatchEvent(
      new ParleyComposeEndEvent({ sent: false, parentId: this.parentId, postId: this.postId }),
    );
  }

  /** Sends the text. Resolves once it was sent or failed. */
  async submit(): Promise<void> {
    if (this.busy) return;
    const m = messages();
    const body = this.text;
    if (body.trim() === '') {
      this.validation = m.empty;
      this.textarea?.focus();
      return;
    }
    if (body.length > this.limit) {
      this.validation = m.tooLong(body.length - this.limit);
      this.textarea?.focus();
      return;
    }
    this.mentions.close();
    const quote = this.quote ? { postId: this.quote.postId, text: this.quote.text } : null;
    let idempotencyKey: string | null = null;
    if (this.mode !== 'edit') {
      // The same reply keeps its key across Retry (and reloads) until it is acknowledged.
      const signature = this.signatureOf(body, this.quote);
      if (!this.sendKey || signature !== this.sendSignature) {
        this.sendKey = newSendKey();
        this.sendSignature = signature;
      }
      idempotencyKey = this.sendKey;
      this.saveDraft();
      this.drafts.flush();
    }
    const request = new ParleyComposeEvent({
      body,
      parentId: this.parentId,
      quote,
      postId: this.postId,
      idempotencyKey,
    });
    this.dispatchEvent(request);
    if (!request.response) return;
    try {
      await this.receive(request, body);
    } finally {
      // The thread reports the new post once this box has reacted to the answer and rendered.
      await this.updateComplete;
      request.markHandled();
    }
  }

  /** Waits for the answer to a send: clears the box on success, keeps the text on failure. */
  private async receive(request: ParleyComposeEvent, body: string): Promise<void> {
    const m = messages();
    this.busy = true;
    this.error = '';
    const attached = this.quote;
    const fromField = (this.renderRoot as ShadowRoot).activeElement === this.textarea;
    if (request.optimistic) {
      // The post already shows as sending; the draft stays stored until it is confirmed.
      this.text = '';
      this.quote = null;
    }
    try {
      await request.response;
    } catch (error) {
      const e = ParleyError.from(error);
      if (request.optimistic) {
        this.text = body;
        this.quote = attached;
      }
      if (e.code === 'aborted') return;
      // A dropped connection may have lost only the answer: say so, and that Retry is safe.
      const failed =
        this.mode === 'edit'
          ? m.saveFailed
          : e.code === 'network'
            ? m.sendUnconfirmed
            : m.sendFailed;
      this.error = `${failed} ${e.message}`;
      this.busy = false;
      await this.updateComplete;
      // Focus waits on Retry (unless the reader sent from the text field and is still in it).
      if (!fromField || (this.renderRoot as ShadowRoot).activeElement !== this.textarea) {
        this.renderRoot.querySelector<HTMLButtonElement>('[data-action="retry"]')?.focus();
      }
      return;
    } finally {
      this.busy = false;
    }
    this.sendKey = null;
    this.sendSignature = '';
    this.drafts.clear(this.draftKey);
    this.text = this.mode === 'edit' ? body : '';
    this.quote = null;
    this.tab = 'write';
    this.dispatchEvent(
      new ParleyComposeEndEvent({ sent: true, parentId: this.parentId, postId: this.postId }),
    );
  }

  private renderField() {
    const m = messages();
    const label = this.label || (this.mode === 'edit' ? m.editLabel : m.composerLabel);
    const { mentions } = this;
    return html`<textarea
      part="textarea"
      dir="auto"
      id="${this.uid}-field"
      aria-label=${label}
      placeholder=${m.placeholder}
      .value=${this.text}
      ?readonly=${this.busy}
      aria-invalid=${this.validation || this.text.length > this.limit ? 'true' : 'false'}
      aria-describedby="${this.uid}-count ${this.uid}-message"
      aria-autocomplete="list"
      aria-controls="${this.uid}-suggestions"
      aria-activedescendant=${mentions.suggestions.length ? `${this.uid}-option-${mentions.active}` : nothing}
      @input=${this.handleInput}
      @keydown=${this.handleKeydown}
      @click=${this.updateMentions}
      @blur=${() => mentions.close()}
    ></textarea>`;
  }

  private renderPreview() {
    const m = messages();
    return html`<div class="preview content" part="preview" dir="auto" role="tabpanel" id="${this.uid}-panel" aria-labelledby="${this.uid}-tab-preview" tabindex="0">
      ${this.text.trim() ? unsafeHTML(renderMarkdown(this.text, { images: this.imagePolicy, imageLabel: m.image })) : html`<p class="empty">${m.nothingToPreview}</p>`}
    </div>`;
  }

  protected override render() {
    const m = messages();
    if (this.isLocked && this.mode !== 'edit') return renderLocked();
    const reader = this.reader;
    if (!reader) return renderSignedOut(this.requestLogin);
    const over = this.text.length - this.limit;
    const editing = this.mode === 'edit';
    const tab = (id: 'write' | 'preview', label: string) =>
      html`<button type="button" role="tab" part="tab" id="${this.uid}-tab-${id}"
        aria-selected=${this.tab === id ? 'true' : 'false'} aria-controls="${this.uid}-panel" tabindex=${this.tab === id ? 0 : -1}
        @click=${() => this.selectTab(id)} @keydown=${this.handleTabKeydown}>
        ${label}
      </button>`;
    return html`<form class="base" part="base" aria-busy=${this.busy ? 'true' : 'false'} @submit=${(e: Event) => (e.preventDefault(), this.submit())}>
      <div class="toolbar" part="toolbar">
        <div role="tablist" aria-label=${editing ? m.editLabel : m.composerLabel}>${tab('write', m.write)}${tab('preview', m.preview)}</div>
        ${
          editing
            ? nothing
            : html`<span class="as" part="signed-in-as"
              ><span class="who">${reader.guest ? m.signedInAsGuest(reader.name) : m.signedInAs(reader.name)}</span>${
                (this.canSignOut ?? this.viewerInfo?.canSignOut)
                  ? html` <span aria-hidden="true">·</span> <button type="button" class="link" part="sign-out" @click=${this.requestLogout}>${m.signOut}</button>`
                  : nothing
              }</span
            >`
        }
      </div>
      ${this.quote ? renderQuote(this.quote, this.removeQuote) : nothing}
      ${
        this.tab === 'write'
          ? html`<div role="tabpanel" id="${this.uid}-panel" aria-labelledby="${this.uid}-tab-write">${this.renderField()}</div>`
          : this.renderPreview()
      }
      ${renderSuggestions(this.uid, this.mentions)}
      ${renderSendError(this.error, this.busy)}
      <div class="footer" part="footer">
        <span class="count ${over > 0 ? 'over' : ''}" part="count" id="${this.uid}-count">${m.charCount(this.text.length, this.limit)}</span>
        <span class="hint" id="${this.uid}-message" role=${ifDefined(this.validation || over > 0 ? 'alert' : undefined)}
          >${this.validation || (over > 0 ? m.tooLong(over) : m.shortcutHint)}</span
        >
        ${
          this.mode === 'new'
            ? nothing
            : html`<button type="button" class="button outline" part="cancel" @click=${this.cancel} ?disabled=${this.busy}>${m.cancel}</button>`
        }
        <button type="submit" class="button primary" part="submit" ?disabled=${over > 0} aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? (editing ? m.saving : m.sending) : editing ? m.save : m.submit}
        </button>
      </div>
    </form>`;
  }
}
