import { LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { onFirstUse } from '../../internal/lazy.js';
import {
  LOAD_IMAGES,
  NO_PARTICIPANTS,
  threadContext,
  type ThreadInfo,
} from '../../context/thread.js';
import { viewerContext, type ViewerInfo } from '../../context/viewer.js';
import type { ImagePolicy } from '../../content/markdown.js';
import type { AttachedQuote } from '../../controllers/draft.js';
import { ParleyLoginRequestEvent } from '../../events/events.js';
import { ParleyComposeEndEvent } from '../../events/writing.js';
import type { Author } from '../../model/types.js';
import { baseStyles, buttonStyles } from '../../styles/tokens.js';
import { composerStyles } from './composer.styles.js';
import type { ComposerEditor } from './editor.js';
import { firstControl, renderEditorFailed, renderLocked, renderSignedOut } from './panels.js';

/**
 * Loads the composer's editor (the form, Preview, @mentions, drafts, sending), which a composer
 * otherwise loads when it first has a signed-in reader: call it when a reader is about to write
 * (signs in, points at Reply) so the box opens at once.
 */
export const loadComposerEditor: () => Promise<typeof import('./editor.js')> = onFirstUse(
  () => import('./editor.js'),
);

/**
 * @tagname parley-composer
 * @summary The reply box: Write / Preview, @mention suggestions, an attached quote, drafts that
 * survive a reload, and a clear error (with the text kept) when sending fails.
 *
 * Submitting fires `parley-compose`; whoever answers calls `event.respondWith(promise)`
 * (`<parley-thread>` does). The composer stays busy until the promise settles, clears on
 * success, and keeps the text and shows the error on failure.
 *
 * The editor itself (src/components/composer/editor.ts) loads the first time there is a reader
 * to show it to: a signed-out reader sees the prompt without downloading it, and
 * `updateComplete` waits for it. `loadComposerEditor()` starts the load early.
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
  static override styles = [baseStyles, buttonStyles, composerStyles];

  /** The editor, once a reader came to write and it loaded. */
  private editor: ComposerEditor | null = null;
  private editorLoad: Promise<unknown> | null = null;
  /** The editor could not be loaded (the connection dropped): Retry loads it again. */
  @state() private editorFailed = false;

  /** Thread the post goes to; part of the draft's key. */
  @property({ attribute: 'thread-id' }) threadId = '';
  /** Post being replied to, or `null` for a reply to the thread. */
  @property({ attribute: false }) parentId: string | null = null;
  /** Post being edited (`mode="edit"`). */
  @property({ attribute: false }) postId: string | null = null;
  /**
   * `new` (the thread's reply box), `comment` (the thread's box in comments mode: a comment on
   * the page, worded so), `reply` (to one post) or `edit` (one's own post).
   */
  @property({ reflect: true }) mode: 'new' | 'comment' | 'reply' | 'edit' = 'new';
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

  /** The current text. */
  get body(): string {
    return this.editor?.text ?? this.value;
  }

  /** Focuses the text field (back on the Write tab), or the first control when signed out or locked. */
  override focus(options?: FocusOptions): void {
    void this.updateComplete.then(() => {
      if (this.editor && this.showsEditor) this.editor.focus(options);
      else firstControl(this.renderRoot)?.focus(options);
    });
  }

  /**
   * Closes a reply or an edit. Text in it is never thrown away: it stays as the draft, and comes
   * back when the same reply (or edit) is opened again.
   */
  cancel(): void {
    if (this.editor) return this.editor.cancel();
    this.dispatchEvent(
      new ParleyComposeEndEvent({ sent: false, parentId: this.parentId, postId: this.postId }),
    );
  }

  /** Sends the text. Resolves once it was sent or failed. */
  async submit(): Promise<void> {
    await this.updateComplete;
    await this.editor?.submit();
  }

  /** Whether the form is what the composer shows (a reader, and not a locked thread). */
  private get showsEditor(): boolean {
    return !!this.reader && !(this.isLocked && this.mode !== 'edit');
  }

  protected override willUpdate(): void {
    if (this.showsEditor && !this.editorLoad && !this.editorFailed)
      this.editorLoad = loadComposerEditor().then(({ ComposerEditor }) => {
        this.editor = new ComposerEditor(this, {
          reader: () => this.reader,
          people: () => this.people,
          handles: () => this.handles,
          images: () => this.imagePolicy,
          limit: () => this.limit,
          canSignOut: () => (this.canSignOut ?? this.viewerInfo?.canSignOut) === true,
        });
        this.requestUpdate();
      }, this.editorLost);
  }

  private readonly editorLost = (error: unknown) => {
    console.warn('[parley] The reply box could not be loaded.', error);
    this.editorFailed = true;
  };

  private readonly retryEditor = () => {
    this.editorFailed = false;
    this.editorLoad = null;
    this.requestUpdate();
  };

  // The composer has rendered what it shows once its editor, when it needs one, has loaded.
  protected override async getUpdateComplete(): Promise<boolean> {
    let settled = await super.getUpdateComplete();
    while (this.editorLoad && !this.editor && !this.editorFailed) {
      await this.editorLoad;
      settled = await super.getUpdateComplete();
    }
    return settled;
  }

  private readonly requestLogin = () => this.dispatchEvent(new ParleyLoginRequestEvent());

  protected override render() {
    if (this.isLocked && this.mode !== 'edit') return renderLocked();
    if (!this.reader) return renderSignedOut(this.requestLogin, this.mode === 'comment');
    if (this.editorFailed) return renderEditorFailed(this.retryEditor);
    return this.editor ? this.editor.render() : nothing;
  }
}
