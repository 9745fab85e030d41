import type { ParleyError } from '../model/errors.js';
import type { Post } from '../model/types.js';

/** Every Parley event bubbles and crosses shadow roots. */
export const init = { bubbles: true, composed: true } as const;

/** What a failed operation was doing. */
export type ParleyOperation =
  | 'load'
  | 'load-more'
  | 'create'
  | 'update'
  | 'delete'
  | 'jump'
  | 'sign-in'
  | 'sign-out'
  | 'viewer';

/** An adapter call failed; the element already shows the message where it happened. */
export class ParleyErrorEvent extends Event {
  static readonly type = 'parley-error';
  constructor(readonly detail: { error: ParleyError; operation: ParleyOperation }) {
    super(ParleyErrorEvent.type, init);
  }
}

/**
 * The reader asked to log in. Cancelable: call `preventDefault()` to handle it yourself (open
 * your site's login page or dialog); otherwise the thread calls the adapter's `signIn()`.
 */
export class ParleyLoginRequestEvent extends Event {
  static readonly type = 'parley-login-request';
  constructor() {
    super(ParleyLoginRequestEvent.type, { ...init, cancelable: true });
  }
}

// ---- Requests between Parley's own elements. `<parley-thread>` answers and stops them. ----

/** A post asks to be replied to. */
export class ParleyReplyRequestEvent extends Event {
  static readonly type = 'parley-reply-request';
  constructor(readonly detail: { post: Post }) {
    super(ParleyReplyRequestEvent.type, init);
  }
}

/** A post asks to be quoted, whole or an excerpt of it. */
export class ParleyQuoteRequestEvent extends Event {
  static readonly type = 'parley-quote-request';
  constructor(readonly detail: { post: Post; text: string }) {
    super(ParleyQuoteRequestEvent.type, init);
  }
}

/** A quote asks to show the post it quotes. */
export class ParleyJumpRequestEvent extends Event {
  static readonly type = 'parley-jump-request';
  constructor(readonly detail: { postId: string; from: string | null }) {
    super(ParleyJumpRequestEvent.type, init);
  }
}

/** The copy-link action of a post; the thread announces the outcome. */
export class ParleyAnnounceEvent extends Event {
  static readonly type = 'parley-announce';
  constructor(readonly detail: { message: string }) {
    super(ParleyAnnounceEvent.type, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-error': ParleyErrorEvent;
    'parley-login-request': ParleyLoginRequestEvent;
    'parley-reply-request': ParleyReplyRequestEvent;
    'parley-quote-request': ParleyQuoteRequestEvent;
    'parley-jump-request': ParleyJumpRequestEvent;
    'parley-announce': ParleyAnnounceEvent;
  }
}
