/**
 * Edit and Delete on the reader's own post: the edit box in place of the body, and the delete
 * confirmation. A post loads this when it first shows those buttons (its reader wrote it), so a
 * reader of other people's posts never downloads it.
 */
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ImagePolicy } from '../../content/markdown.js';
import { ParleyDeleteRequestEvent, type ParleyComposeEndEvent } from '../../events/writing.js';
import { messages } from '../../i18n/messages-write.js';
import { ParleyError } from '../../model/errors.js';
import type { Author, Post } from '../../model/types.js';
import '../composer/composer.js';

/** The post, as its own controls see it. */
export interface OwnPostHost extends ReactiveControllerHost, HTMLElement {
  readonly post: Post | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** What the edit box takes from the post (its settings, or the thread's). */
export interface EditSettings {
  reader: Author | null;
  people: readonly Author[];
  handles: ReadonlySet<string>;
  images: ImagePolicy;
  maxLength: number | undefined;
}

export class OwnPostControls implements ReactiveController {
  /** The edit box is open. */
  editing = false;
  /** "Delete this post?" is asked. */
  confirmingDelete = false;
  /** The deletion is on its way. */
  deleting = false;

  constructor(
    private readonly host: OwnPostHost,
    /** Shows why an action failed under the post (empty: nothing failed). */
    private readonly setError: (message: string) => void,
  ) {
    host.addController(this);
  }

  /** A deleted post has nothing left to edit or delete. */
  hostUpdate(): void {
    if (this.host.post?.deleted) {
      this.editing = false;
      this.confirmingDelete = false;
    }
  }

  /** What gets focus once the post has rendered the change that brought it. */
  private focusNext: string | null = null;

  private focus(selector: string): void {
    this.focusNext = selector;
  }

  hostUpdated(): void {
    const selector = this.focusNext;
    this.focusNext = null;
    if (selector) this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private readonly handleComposeEnd = (event: ParleyComposeEndEvent): void => {
    if (event.detail.postId !== this.host.post?.id) return;
    event.stopPropagation();
    this.editing = false;
    this.host.requestUpdate();
    this.focus('[data-action="edit"]');
  };

  private readonly handleConfirmKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || this.deleting) return;
    event.preventDefault();
    event.stopPropagation();
    this.cancelDelete();
  };

  /** Opens the edit box, focused. */
  startEdit(): void {
    this.setError('');
    this.editing = true;
    this.host.requestUpdate();
    this.focus('parley-composer');
  }

  /** Asks "Delete this post?", with focus on Keep. */
  askDelete(): void {
    this.setError('');
    this.confirmingDelete = true;
    this.host.requestUpdate();
    this.focus('.confirm [data-action="keep"]');
  }

  private readonly cancelDelete = (): void => {
    this.confirmingDelete = false;
    this.host.requestUpdate();
    this.focus('[data-action="delete"]');
  };

  /** Deletes the post through the thread; on failure the reason shows under the post. */
  readonly deletePost = async (): Promise<void> => {
    const post = this.host.post;
    if (!post) return;
    const request = new ParleyDeleteRequestEvent({ post });
    this.host.dispatchEvent(request);
    if (!request.response) return;
    this.deleting = true;
    this.host.requestUpdate();
    try {
      await request.response;
      this.confirmingDelete = false;
    } catch (error) {
      const e = ParleyError.from(error);
      this.setError(`${messages().deleteFailed} ${e.message}`);
    } finally {
      this.deleting = false;
      this.host.requestUpdate();
      await this.host.updateComplete;
      request.markHandled();
    }
  };

  /** The edit box, in place of the body. */
  renderEditor(post: Post, s: EditSettings) {
    return html`<parley-composer
      mode="edit"
      .value=${post.body}
      .postId=${post.id}
      .threadId=${post.threadId}
      .viewer=${s.reader}
      .participants=${s.people}
      .known=${s.handles}
      .images=${s.images}
      .maxLength=${s.maxLength}
      @parley-compose-end=${this.handleComposeEnd}
    ></parley-composer>`;
  }

  /** "Delete this post?", with Delete and Keep. */
  renderConfirm() {
    const m = messages();
    return html`<div class="confirm" part="confirm" role="group" aria-label=${m.confirmDelete} @keydown=${this.handleConfirmKeydown}>
      <span>${m.confirmDelete}</span>
      <button class="button danger" data-action="confirm-delete" @click=${this.deletePost} ?disabled=${this.deleting}>${m.confirmDeleteYes}</button>
      <button class="button outline" data-action="keep" @click=${this.cancelDelete} ?disabled=${this.deleting}>${m.confirmDeleteNo}</button>
    </div>`;
  }
}
