/**
 * The composer's editor: the form a signed-in reader writes in (Write / Preview, @mentions, the
 * attached quote, drafts, sending and Retry). `<parley-composer>` loads it the first time it has
 * a reader to show it to, so a signed-out reader never downloads it; it keeps the element's
 * state and renders inside the element's shadow root.
 */
import { adoptStyles, html, nothing, type ReactiveController, type ReactiveElement } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { markMentions, renderMarkdown, type ImagePolicy } from '../../content/markdown.js';
// The preview renders as the author types: the parser comes with the editor.
import '../../content/markdown-ready.js';
import { DraftController, type AttachedQuote } from '../../controllers/draft.js';
import { MentionSuggestionsController } from '../../controllers/mention-suggestions.js';
import { ParleyAnnounceEvent } from '../../events/events.js';
import {
  ParleyComposeEndEvent,
  ParleyComposeEvent,
  ParleyLogoutRequestEvent,
} from '../../events/writing.js';
import { messages } from '../../i18n/messages-write.js';
import { ParleyError } from '../../model/errors.js';
import type { Author } from '../../model/types.js';
import type { ParleyComposer } from './composer.component.js';
import { renderQuote, renderSendError, renderSuggestions } from './panels.js';
import { editorStyles } from './editor.styles.js';
import { contentStyles } from '../../styles/content.js';

let nextId = 0;

/** A fresh idempotency key for one reply (visible ASCII, as the HTTP header needs). */
const newSendKey = () => `parley-${crypto.randomUUID()}`;

/** What the element settles from its own properties and its thread's contexts. */
export interface ComposerSettings {
  reader(): Author | null;
  people(): readonly Author[];
  handles(): ReadonlySet<string>;
  images(): ImagePolicy;
  limit(): number;
  canSignOut(): boolean;
}

export class ComposerEditor implements ReactiveController {
  private readonly drafts: DraftController;
  private readonly mentions: MentionSuggestionsController;
  private readonly uid = `c${++nextId}`;
  private loadedKey: string | null | undefined = undefined;
  /** The `value` and `quote` last seen, to follow what the page sets. */
  private seenValue: string | undefined;
  private seenQuote: AttachedQuote | null | undefined;
  /** The idempotency key of the last send that was not acknowledged, and what it sent. */
  private sendKey: string | null = null;
  private sendSignature = '';

  // What the editor shows; each change re-renders the element.
  #text = '';
  #tab: 'write' | 'preview' = 'write';
  #busy = false;
  #error = '';
  #validation = '';
  /** The current text. */
  get text(): string {
    return this.#text;
  }
  private set text(value: string) {
    this.#text = value;
    this.host.requestUpdate();
  }
  private get tab(): 'write' | 'preview' {
    return this.#tab;
  }
  private set tab(value: 'write' | 'preview') {
    this.#tab = value;
    this.host.requestUpdate();
  }
  private get busy(): boolean {
    return this.#busy;
  }
  private set busy(value: boolean) {
    this.#busy = value;
    this.host.requestUpdate();
  }
  private get error(): string {
    return this.#error;
  }
  private set error(value: string) {
    this.#error = value;
    this.host.requestUpdate();
  }
  private get validation(): string {
    return this.#validation;
  }
  private set validation(value: string) {
    this.#validation = value;
    this.host.requestUpdate();
  }

  constructor(
    private readonly host: ParleyComposer,
    private readonly settings: ComposerSettings,
  ) {
    this.drafts = new DraftController(host);
    this.mentions = new MentionSuggestionsController(host);
    // Its styles come with it, after the composer's own: the preview's content, then the form's.
    const root = host.renderRoot;
    if (root instanceof ShadowRoot)
      adoptStyles(root, [
        ...(host.constructor as typeof ReactiveElement).elementStyles,
        contentStyles,
        editorStyles,
      ]);
    host.addController(this);
    this.hostUpdate();
  }

  private get textarea(): HTMLTextAreaElement | null {
    return this.host.renderRoot.querySelector('textarea');
  }

  /** The draft key: per thread and per parent post, or per edited post. */
  private get draftKey(): string | null {
    const { host } = this;
    if (host.noDraft || !host.threadId) return null;
    if (host.mode === 'edit') return host.postId ? `${host.threadId}:edit:${host.postId}` : null;
    return `${host.threadId}:${host.parentId ?? 'root'}`;
  }

  /** Focuses the text field, back on the Write tab. */
  focus(options?: FocusOptions): boolean {
    if (this.tab !== 'write') this.tab = 'write';
    void this.host.updateComplete.then(() => {
      const field = this.textarea;
      if (!field) return;
      field.focus(options);
      field.setSelectionRange(field.value.length, field.value.length);
    });
    return true;
  }

  hostUpdate(): void {
    const { host } = this;
    if (host.value !== this.seenValue) {
      this.seenValue = host.value;
      this.#text = host.value;
    }
    const key = this.draftKey;
    if (key !== this.loadedKey) {
      this.loadedKey = key;
      const draft = this.drafts.load(key);
      if (draft) {
        this.#text = draft.body;
        if (!host.quote) host.quote = draft.quote;
        if (draft.sendKey) {
          this.sendKey = draft.sendKey;
          this.sendSignature = this.signatureOf(draft.body, draft.quote);
        }
      }
    }
    if (host.quote !== this.seenQuote) {
      const first = this.seenQuote === undefined;
      this.seenQuote = host.quote;
      if (!first) this.saveDraft();
    }
  }

  /** What was on screen at the last render, to resize the field only when it changed. */
  private renderedText = '';
  private renderedTab: 'write' | 'preview' = 'write';

  hostUpdated(): void {
    if (this.text !== this.renderedText || this.tab !== this.renderedTab) this.resize();
    this.renderedText = this.text;
    this.renderedTab = this.tab;
    const preview = this.host.renderRoot.querySelector<HTMLElement>('.preview');
    if (preview) markMentions(preview, this.settings.handles());
  }

  private resize(): void {
    const field = this.textarea;
    if (!field) return;
    field.style.height = 'auto';
    const border = field.offsetHeight - field.clientHeight;
    field.style.height = `${field.scrollHeight + border}px`;
  }

  private saveDraft(): void {
    this.drafts.save(this.draftKey, this.text, this.host.quote, this.sendKey ?? undefined);
  }

  /** What a send carries, to tell a Retry of the same reply from a changed one. */
  private signatureOf(body: string, quote: AttachedQuote | null): string {
    return JSON.stringify([body, quote ? [quote.postId, quote.text] : null, this.host.parentId]);
  }

  private readonly handleInput = (event: InputEvent): void => {
    this.text = (event.target as HTMLTextAreaElement).value;
    this.validation = '';
    this.saveDraft();
    this.updateMentions();
  };

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (this.mentions.handleKeydown(event)) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.submit();
    } else if (event.key === 'Escape' && !this.standing && !event.defaultPrevented) {
      // One Escape closes one thing: a reply or edit box closes, and its text stays as the draft.
      event.preventDefault();
      event.stopPropagation();
      this.cancel();
    }
  };

  private readonly handleTabKeydown = (event: KeyboardEvent): void => {
    const { key } = event;
    const other = this.tab === 'write' ? 'preview' : 'write';
    const tab = key === 'Home' ? 'write' : key === 'End' ? 'preview' : other;
    if (key !== 'ArrowLeft' && key !== 'ArrowRight' && key !== 'Home' && key !== 'End') return;
    event.preventDefault();
    void this.selectTab(tab, true);
  };

  private async selectTab(tab: 'write' | 'preview', focusTab = false): Promise<void> {
    this.tab = tab;
    this.mentions.close();
    await this.host.updateComplete;
    if (focusTab)
      this.host.renderRoot.querySelector<HTMLElement>(`#${this.uid}-tab-${tab}`)?.focus();
  }

  /** Offers the people matching the `@query` at the caret (never the reader). */
  private readonly updateMentions = (): void => {
    this.mentions.update(
      this.textarea,
      this.settings.people().filter((p) => p.id !== this.settings.reader()?.id),
    );
  };

  private readonly removeQuote = (): void => {
    this.host.quote = null;
    this.saveDraft();
    this.textarea?.focus();
  };

  private readonly requestLogout = (): void => {
    this.host.dispatchEvent(new ParleyLogoutRequestEvent());
  };

  /**
   * Closes a reply or an edit. Text in it is never thrown away: it stays as the draft, and comes
   * back when the same reply (or edit) is opened again.
   */
  readonly cancel = (): void => {
    const kept =
      this.host.mode === 'edit'
        ? this.text !== this.host.value
        : this.text.trim() !== '' || !!this.host.quote;
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
      this.host.dispatchEvent(
        new ParleyAnnounceEvent({ message: this.host.mode === 'edit' ? m.editKept : m.draftKept }),
      );
    }
    this.host.dispatchEvent(
      new ParleyComposeEndEvent({
        sent: false,
        parentId: this.host.parentId,
        postId: this.host.postId,
      }),
    );
  };

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
    if (body.length > this.settings.limit()) {
      this.validation = m.tooLong(body.length - this.settings.limit());
      this.textarea?.focus();
      return;
    }
    this.mentions.close();
    const quote = this.host.quote
      ? { postId: this.host.quote.postId, text: this.host.quote.text }
      : null;
    let idempotencyKey: string | null = null;
    if (this.host.mode !== 'edit') {
      // The same reply keeps its key across Retry (and reloads) until it is acknowledged.
      const signature = this.signatureOf(body, this.host.quote);
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
      parentId: this.host.parentId,
      quote,
      postId: this.host.postId,
      idempotencyKey,
    });
    this.host.dispatchEvent(request);
    if (!request.response) return;
    try {
      await this.receive(request, body);
    } finally {
      // The thread reports the new post once this box has reacted to the answer and rendered.
      await this.host.updateComplete;
      request.markHandled();
    }
  }

  /** Waits for the answer to a send: clears the box on success, keeps the text on failure. */
  private async receive(request: ParleyComposeEvent, body: string): Promise<void> {
    const m = messages();
    this.busy = true;
    this.error = '';
    const attached = this.host.quote;
    const fromField = (this.host.renderRoot as ShadowRoot).activeElement === this.textarea;
    if (request.optimistic) {
      // The post already shows as sending; the draft stays stored until it is confirmed.
      this.text = '';
      this.host.quote = null;
    }
    try {
      await request.response;
    } catch (error) {
      const e = ParleyError.from(error);
      if (request.optimistic) {
        this.text = body;
        this.host.quote = attached;
      }
      if (e.code === 'aborted') return;
      // A dropped connection may have lost only the answer: say so, and that Retry is safe.
      const failed =
        this.host.mode === 'edit'
          ? m.saveFailed
          : e.code === 'network'
            ? this.comment
              ? m.commentUnconfirmed
              : m.sendUnconfirmed
            : this.comment
              ? m.commentFailed
              : m.sendFailed;
      this.error = `${failed} ${e.message}`;
      this.busy = false;
      await this.host.updateComplete;
      // Focus waits on Retry (unless the reader sent from the text field and is still in it).
      if (!fromField || (this.host.renderRoot as ShadowRoot).activeElement !== this.textarea) {
        this.host.renderRoot.querySelector<HTMLButtonElement>('[data-action="retry"]')?.focus();
      }
      return;
    } finally {
      this.busy = false;
    }
    this.sendKey = null;
    this.sendSignature = '';
    this.drafts.clear(this.draftKey);
    this.text = this.host.mode === 'edit' ? body : '';
    this.host.quote = null;
    this.tab = 'write';
    this.host.dispatchEvent(
      new ParleyComposeEndEvent({
        sent: true,
        parentId: this.host.parentId,
        postId: this.host.postId,
      }),
    );
  }

  /** The thread's own box (`new`, `comment`), which stays: nothing to cancel or close. */
  private get standing(): boolean {
    return this.host.mode === 'new' || this.comment;
  }

  /** The thread's box in comments mode: worded for a comment on the page. */
  private get comment(): boolean {
    return this.host.mode === 'comment';
  }

  private renderField() {
    const m = messages();
    const label =
      this.host.label ||
      (this.host.mode === 'edit' ? m.editLabel : this.comment ? m.commentLabel : m.composerLabel);
    const { mentions } = this;
    return html`<textarea
      part="textarea"
      dir="auto"
      id="${this.uid}-field"
      aria-label=${label}
      placeholder=${this.comment ? m.commentPlaceholder : m.placeholder}
      .value=${this.text}
      ?readonly=${this.busy}
      aria-invalid=${this.validation || this.text.length > this.settings.limit() ? 'true' : 'false'}
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
      ${this.text.trim() ? unsafeHTML(renderMarkdown(this.text, { images: this.settings.images(), imageLabel: m.image })) : html`<p class="empty">${m.nothingToPreview}</p>`}
    </div>`;
  }

  render() {
    const m = messages();
    const reader = this.settings.reader();
    if (!reader) return nothing;
    const over = this.text.length - this.settings.limit();
    const editing = this.host.mode === 'edit';
    const tab = (id: 'write' | 'preview', label: string) =>
      html`<button type="button" role="tab" part="tab" id="${this.uid}-tab-${id}"
        aria-selected=${this.tab === id ? 'true' : 'false'} aria-controls="${this.uid}-panel" tabindex=${this.tab === id ? 0 : -1}
        @click=${() => void this.selectTab(id)} @keydown=${this.handleTabKeydown}>
        ${label}
      </button>`;
    return html`<form class="base" part="base" aria-busy=${this.busy ? 'true' : 'false'} @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
      <div class="toolbar" part="toolbar">
        <div role="tablist" aria-label=${editing ? m.editLabel : m.composerLabel}>${tab('write', m.write)}${tab('preview', m.preview)}</div>
        ${
          editing
            ? nothing
            : html`<span class="as" part="signed-in-as"
              ><span class="who">${reader.guest ? m.signedInAsGuest(reader.name) : m.signedInAs(reader.name)}</span>${
                this.settings.canSignOut()
                  ? html` <span aria-hidden="true">·</span> <button type="button" class="link" part="sign-out" @click=${this.requestLogout}>${m.signOut}</button>`
                  : nothing
              }</span
            >`
        }
      </div>
      ${this.host.quote ? renderQuote(this.host.quote, this.removeQuote) : nothing}
      ${
        this.tab === 'write'
          ? html`<div role="tabpanel" id="${this.uid}-panel" aria-labelledby="${this.uid}-tab-write">${this.renderField()}</div>`
          : this.renderPreview()
      }
      ${renderSuggestions(this.uid, this.mentions)}
      ${renderSendError(this.error, this.busy)}
      <div class="footer" part="footer">
        <span class="count ${over > 0 ? 'over' : ''}" part="count" id="${this.uid}-count">${m.charCount(this.text.length, this.settings.limit())}</span>
        <span class="hint" id="${this.uid}-message" role=${ifDefined(this.validation || over > 0 ? 'alert' : undefined)}
          >${this.validation || (over > 0 ? m.tooLong(over) : m.shortcutHint)}</span
        >
        ${
          this.standing
            ? nothing
            : html`<button type="button" class="button outline" part="cancel" @click=${this.cancel} ?disabled=${this.busy}>${m.cancel}</button>`
        }
        <button type="submit" class="button primary" part="submit" ?disabled=${over > 0} aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? (editing ? m.saving : m.sending) : editing ? m.save : this.comment ? m.postComment : m.submit}
        </button>
      </div>
    </form>`;
  }
}
