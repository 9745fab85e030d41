/**
 * The events of writing and signing in: what the thread reports after a reader published, edited
 * or deleted, the sign-in form's answers, Sign out, and what composers and posts ask of the
 * thread. Beside `events.ts` (what reading needs), so a reader's first view does not load them.
 */
import { init } from './events.js';
import type { Post, Quote, Viewer } from '../model/types.js';

/** A post was published by the reader. Fired by `<parley-thread>` after it is rendered. */
export class ParleyPostCreatedEvent extends Event {
  static readonly type = 'parley-post-created';
  constructor(readonly detail: { post: Post }) {
    super(ParleyPostCreatedEvent.type, init);
  }
}

/** The reader edited one of their posts. */
export class ParleyPostUpdatedEvent extends Event {
  static readonly type = 'parley-post-updated';
  constructor(readonly detail: { post: Post }) {
    super(ParleyPostUpdatedEvent.type, init);
  }
}

/** The reader deleted one of their posts; `post` is the tombstone. */
export class ParleyPostDeletedEvent extends Event {
  static readonly type = 'parley-post-deleted';
  constructor(readonly detail: { post: Post }) {
    super(ParleyPostDeletedEvent.type, init);
  }
}

/**
 * The reader asked to sign out. Cancelable: call `preventDefault()` to sign them out of your site
 * yourself; otherwise the thread calls the adapter's `signOut()`.
 */
export class ParleyLogoutRequestEvent extends Event {
  static readonly type = 'parley-logout-request';
  constructor() {
    super(ParleyLogoutRequestEvent.type, { ...init, cancelable: true });
  }
}

/** `<parley-sign-in>` signed the reader in. */
export class ParleySignedInEvent extends Event {
  static readonly type = 'parley-signed-in';
  constructor(readonly detail: { viewer: Viewer }) {
    super(ParleySignedInEvent.type, init);
  }
}

/** `<parley-sign-in>` was cancelled. */
export class ParleySignInCancelEvent extends Event {
  static readonly type = 'parley-sign-in-cancel';
  constructor() {
    super(ParleySignInCancelEvent.type, init);
  }
}

/** What a composer submits. */
export interface ComposeDetail {
  body: string;
  parentId: string | null;
  quote: Quote | null;
  /** Set when the composer edits this existing post. */
  postId: string | null;
  /**
   * One key per unsent reply, the same on every Retry until the reply was acknowledged (and kept
   * with its draft across a reload), so a retried send never publishes twice. `null` for edits.
   */
  idempotencyKey: string | null;
}

/**
 * The one shape of a child's request that expects an answer: the element that answers (the
 * thread) calls `respondWith(promise)` during dispatch, and the child awaits `response`. A
 * request nobody answered has `response === null`, and the child leaves things as they were.
 */
export abstract class ParleyRequestEvent<Detail, Answer> extends Event {
  /** The answer, once `respondWith` was called. */
  response: Promise<Answer> | null = null;
  constructor(
    type: string,
    readonly detail: Detail,
  ) {
    super(type, init);
  }
  /** Answers the request; call it while the event is dispatched. */
  respondWith(promise: Promise<Answer>): void {
    this.response = promise;
  }
  private settle!: () => void;
  /**
   * Resolves once the requester has reacted to the answer (or its failure) and rendered: the
   * moment the answerer reports the outcome to the page, so listeners see the settled elements.
   */
  readonly handled = new Promise<void>((resolve) => (this.settle = resolve));
  /** Called by the requester once it has reacted to the answer and rendered. */
  markHandled(): void {
    this.settle();
  }
}

/**
 * A composer submits. The answerer calls `respondWith(promise)`; the composer stays busy until it
 * settles, clears on success and keeps the text with the error on failure. With
 * `{ optimistic: true }` the answerer already shows the post as sending: the composer empties at
 * once, and on failure the text (and quote) come back with the error.
 */
export class ParleyComposeEvent extends ParleyRequestEvent<ComposeDetail, Post> {
  static readonly type = 'parley-compose';
  /** Whether the answerer shows the post before it is confirmed. */
  optimistic = false;
  constructor(detail: ComposeDetail) {
    super(ParleyComposeEvent.type, detail);
  }
  override respondWith(promise: Promise<Post>, options: { optimistic?: boolean } = {}): void {
    super.respondWith(promise);
    this.optimistic = !!options.optimistic;
  }
}

/** A composer finished: sent (`sent: true`) or cancelled. */
export class ParleyComposeEndEvent extends Event {
  static readonly type = 'parley-compose-end';
  constructor(readonly detail: { sent: boolean; parentId: string | null; postId: string | null }) {
    super(ParleyComposeEndEvent.type, init);
  }
}

/** A post asks to be deleted; the answer is its tombstone. */
export class ParleyDeleteRequestEvent extends ParleyRequestEvent<{ post: Post }, Post> {
  static readonly type = 'parley-delete-request';
  constructor(detail: { post: Post }) {
    super(ParleyDeleteRequestEvent.type, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-post-created': ParleyPostCreatedEvent;
    'parley-post-updated': ParleyPostUpdatedEvent;
    'parley-post-deleted': ParleyPostDeletedEvent;
    'parley-logout-request': ParleyLogoutRequestEvent;
    'parley-signed-in': ParleySignedInEvent;
    'parley-sign-in-cancel': ParleySignInCancelEvent;
    'parley-compose': ParleyComposeEvent;
    'parley-compose-end': ParleyComposeEndEvent;
    'parley-delete-request': ParleyDeleteRequestEvent;
  }
}
