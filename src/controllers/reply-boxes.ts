import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AttachedQuote } from './draft.js';
import type { PostActions } from './lazy-post-actions.js';
import { ParleyQuoteRequestEvent, ParleyReplyRequestEvent } from '../events/events.js';
import {
  ParleyComposeEndEvent,
  ParleyComposeEvent,
  ParleyDeleteRequestEvent,
} from '../events/writing.js';
import { messages } from '../i18n/messages-write.js';
import type { Author } from '../model/types.js';

/** A composer as the thread sees it: it focuses, and owns the quote it was given. */
type Composer = HTMLElement & { quote: AttachedQuote | null };

export interface ReplyBoxesOptions {
  threadId(): string;
  viewer(): Author | null;
  actions(): PostActions;
  /** The thread's reply box at the end. */
  mainComposer(): Composer | null;
  /** The reply box open under a post. */
  replyComposer(): Composer | null;
  /** Whether the post is the thread's opening post (a reply to it is a reply to the thread). */
  isOpening(postId: string): boolean;
  /** A post's element, to give focus back to. */
  element(postId: string): HTMLElement | null;
  /** The reader leaves `postId` for the reply box ("Back" returns to it). */
  rememberPlace(postId: string): void;
  announce(message: string): void;
}

/**
 * The reply boxes of a thread: which post has one open, quotes handed to the main box (kept
 * until a signed-out reader signs in), and the requests composers and posts send up (publish,
 * save an edit, delete), answered through the post actions.
 */
export class ReplyBoxesController implements ReactiveController {
  /** The post whose reply box is open, else `null`. */
  replyTo: string | null = null;
  /** A quote asked for while signed out: attached to the reply box once the reader signs in. */
  private pendingQuote: AttachedQuote | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: ReplyBoxesOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const [type, listener] of this.listeners) this.host.addEventListener(type, listener);
  }

  hostDisconnected(): void {
    for (const [type, listener] of this.listeners) this.host.removeEventListener(type, listener);
  }

  /** After each render: a quote kept for a signed-out reader goes to the box once signed in. */
  hostUpdated(): void {
    if (!this.pendingQuote || !this.options.viewer()) return;
    const composer = this.options.mainComposer();
    if (composer) composer.quote = this.pendingQuote;
    this.pendingQuote = null;
  }

  /** Closes the open reply box (a new load, or its reply was published). */
  close(parentId?: string): void {
    if (parentId !== undefined && parentId !== this.replyTo) return;
    this.replyTo = null;
    this.host.requestUpdate();
  }

  private readonly listeners: [string, (event: Event) => void][] = [
    [ParleyReplyRequestEvent.type, (e) => this.reply(e as ParleyReplyRequestEvent)],
    [ParleyQuoteRequestEvent.type, (e) => this.quote(e as ParleyQuoteRequestEvent)],
    [ParleyComposeEvent.type, (e) => this.compose(e as ParleyComposeEvent)],
    [ParleyComposeEndEvent.type, (e) => this.composeEnd(e as ParleyComposeEndEvent)],
    [ParleyDeleteRequestEvent.type, (e) => this.remove(e as ParleyDeleteRequestEvent)],
  ];

  private reply(event: ParleyReplyRequestEvent): void {
    event.stopPropagation();
    const { post } = event.detail;
    if (this.options.isOpening(post.id)) {
      // Replying to the opening post is replying to the discussion: the thread's own reply box.
      const composer = this.options.mainComposer();
      this.options.rememberPlace(post.id);
      composer?.scrollIntoView({ block: 'nearest' });
      composer?.focus({ preventScroll: true });
      return;
    }
    this.replyTo = post.id;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.options.replyComposer()?.focus());
  }

  private quote(event: ParleyQuoteRequestEvent): void {
    event.stopPropagation();
    const { post, text } = event.detail;
    const quote: AttachedQuote = { postId: post.id, text, author: post.author };
    const composer = this.options.mainComposer();
    if (!composer) return;
    // The composer owns the quote from here on (its ✕ removes it for good), so it is handed over
    // once rather than bound, which would bring a removed quote back on every render.
    this.options.rememberPlace(post.id);
    const signedIn = !!this.options.viewer();
    if (signedIn) composer.quote = quote;
    else this.pendingQuote = quote;
    composer.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    // Focus moves with the scroll: to the text field, or to Log in for a signed-out reader.
    composer.focus({ preventScroll: true });
    if (!signedIn) this.options.announce(messages().logInToQuote);
  }

  private compose(event: ParleyComposeEvent): void {
    event.stopPropagation();
    const { body, parentId, quote, postId, idempotencyKey } = event.detail;
    const actions = this.options.actions();
    if (postId) event.respondWith(actions.update(postId, body, event.handled));
    else
      event.respondWith(
        actions.create(
          { threadId: this.options.threadId(), body, parentId, quote },
          idempotencyKey,
          event.handled,
        ),
        { optimistic: !!this.options.viewer() },
      );
  }

  private composeEnd(event: ParleyComposeEndEvent): void {
    const { parentId, sent, postId } = event.detail;
    if (postId) return;
    event.stopPropagation();
    // A sent post closes its reply box (and drops the quote) in createPost; a cancelled reply
    // box closes here and gives focus back to the post it answered.
    if (sent || !parentId || parentId !== this.replyTo) return;
    this.close();
    void this.host.updateComplete.then(() => this.options.element(parentId)?.focus());
  }

  private remove(event: ParleyDeleteRequestEvent): void {
    event.stopPropagation();
    event.respondWith(this.options.actions().remove(event.detail.post));
  }
}
