import type { ReactiveControllerHost } from 'lit';
import type { CommentAdapter } from '../adapters/adapter.js';
import { ParleyError } from '../model/errors.js';
import type { AttachedQuote } from './draft.js';
import { type ParleyOperation } from '../events/events.js';
import {
  ParleyPostCreatedEvent,
  ParleyPostDeletedEvent,
  ParleyPostUpdatedEvent,
} from '../events/writing.js';
import { messages } from '../i18n/messages-write.js';
import type { PostStream } from '../model/stream.js';
import type { Author, NewPost, Post } from '../model/types.js';

export interface PostActionsOptions {
  adapter(): CommentAdapter | null;
  /** Whether the thread reads as comments on the page (a top-level post is a comment). */
  comments?(): boolean;
  viewer(): Author | null;
  stream(): PostStream;
  /** Loads the window around a post that is not loaded (a new post beyond what is loaded). */
  loadAround(postId: string): Promise<void>;
  /** The loaded posts changed. */
  changed(): void;
  /** The rendered element of a post. */
  element(postId: string): HTMLElement | null;
  /** The thread's reply box: it gets focus when nothing else can, and drops a quote of a deleted post. */
  mainComposer(): (HTMLElement & { quote: AttachedQuote | null }) | null;
  /** The post shown after `postId` (or before it, when it is the last). */
  neighbourOf(postId: string): string | null;
  /** A reply to `parentId` was published: its reply box closes. */
  replied(parentId: string): void;
  /**
   * Resolves once `handled` has (the element that asked reacted to the answer) and what that
   * changed has rendered.
   */
  settled(handled: Promise<void>): Promise<void>;
  announce(message: string): void;
  fail(operation: ParleyOperation, error: ParleyError): void;
  dispatch(event: Event): void;
}

/**
 * What the reader does to posts: publish (shown at once as sending, then replaced by the
 * backend's version or taken out again), edit and delete, with focus put where the reader
 * expects it afterwards and the public events fired once the page has settled.
 */
export class PostActionsController {
  /** Temporary ids of posts shown while they are being sent. */
  sending: ReadonlySet<string> = new Set();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PostActionsOptions,
  ) {}

  /**
   * Publishes a post. It shows at once, marked as sending (when the stream reaches the end of
   * the thread), and is replaced by the backend's version, or taken out again on failure. The
   * idempotency key makes a Retry of the same reply return the same post.
   */
  async create(
    input: NewPost,
    idempotencyKey: string | null,
    handled: Promise<void> = Promise.resolve(),
  ): Promise<Post> {
    const { options } = this;
    const viewer = options.viewer();
    const sending = viewer ? this.showSending(input, viewer) : null;
    try {
      const post = await options
        .adapter()!
        .createPost(input, idempotencyKey ? { idempotencyKey } : {});
      if (sending) this.dropSending(sending);
      // The new post is the newest: when later pages are not loaded, bring in the window around it.
      if (!options.stream().insert(post)) await options.loadAround(post.id).catch(() => undefined);
      options.changed();
      if (input.parentId) options.replied(input.parentId);
      await this.host.updateComplete;
      const element = options.element(post.id);
      element?.scrollIntoView({ block: 'nearest' });
      element?.focus({ preventScroll: true });
      options.announce(
        !input.parentId && options.comments?.() ? messages().commentPosted : messages().posted,
      );
      void options
        .settled(handled)
        .then(() => options.dispatch(new ParleyPostCreatedEvent({ post })));
      return post;
    } catch (error) {
      if (sending) {
        this.dropSending(sending);
        options.changed();
      }
      const e = ParleyError.from(error);
      options.fail('create', e);
      throw e;
    }
  }

  /** Replaces the body of one of the reader's posts. */
  async update(
    postId: string,
    body: string,
    handled: Promise<void> = Promise.resolve(),
  ): Promise<Post> {
    const { options } = this;
    try {
      // Edit shows only where the adapter has `capabilities.edit` (and so `updatePost`).
      const post = await options.adapter()!.updatePost!(postId, body);
      options.stream().replace(post);
      options.changed();
      await this.host.updateComplete;
      options.announce(messages().saved);
      void options
        .settled(handled)
        .then(() => options.dispatch(new ParleyPostUpdatedEvent({ post })));
      return post;
    } catch (error) {
      const e = ParleyError.from(error);
      options.fail('update', e);
      throw e;
    }
  }

  /** Deletes one of the reader's posts; focus moves to its tombstone or to the post next to it. */
  async remove(target: Post): Promise<Post> {
    const { options } = this;
    try {
      // Before the call: a live change from the adapter may re-render (and drop) the post first.
      const next = options.neighbourOf(target.id);
      const post = await options.adapter()!.deletePost!(target.id);
      options.stream().replace(post);
      options.changed();
      const composer = options.mainComposer();
      if (composer?.quote?.postId === post.id) composer.quote = null;
      await this.host.updateComplete;
      const element = options.element(post.id) ?? (next ? options.element(next) : null);
      if (element) element.focus();
      else composer?.focus();
      options.announce(messages().deleted);
      options.dispatch(new ParleyPostDeletedEvent({ post }));
      return post;
    } catch (error) {
      const e = ParleyError.from(error);
      options.fail('delete', e);
      throw e;
    }
  }

  /** Shows a post being sent, when it would be visible; returns its temporary id. */
  private showSending(input: NewPost, author: Author): string | null {
    const id = `sending-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const post: Post = {
      id,
      threadId: input.threadId,
      author,
      body: input.body,
      createdAt: new Date().toISOString(),
      parentId: input.parentId ?? null,
      quote: input.quote ?? null,
    };
    if (!this.options.stream().insert(post)) return null;
    this.sending = new Set([...this.sending, id]);
    this.options.changed();
    return id;
  }

  private dropSending(id: string): void {
    this.options.stream().remove(id);
    this.sending = new Set([...this.sending].filter((other) => other !== id));
  }
}
