/**
 * The end of a thread: its reply box, with the thread's own Log in button in the box's `login`
 * slot, and under it the sign-in form while it is open (or why signing in failed).
 */
import { html, nothing } from 'lit';
import { capabilitiesOf, type CommentAdapter } from '../../adapters/adapter.js';
import type { SessionController } from '../../controllers/session.js';
import { messages } from '../../i18n/messages-write.js';
import type { Author } from '../../model/types.js';
import { COMPOSER_PARTS, SIGN_IN_PARTS } from './parts.js';
// The composer it renders (registration is guarded, so importing twice is harmless); the sign-in
// form's element loads when a reader asks for it (controllers/session.ts).
import '../composer/composer.js';

export interface ReplyAreaView {
  readonly threadId: string;
  readonly adapter: CommentAdapter | null;
  readonly viewer: Author | null;
  /** A box for comments on the page (comments mode), not replies in a discussion. */
  readonly comment?: boolean;
  /** The open sign-in form's way of signing in, the ways offered, and why signing in failed. */
  readonly session: Pick<SessionController, 'mode' | 'modes' | 'error'>;
  logIn(): void;
}

export function renderReplyArea(v: ReplyAreaView) {
  const { mode, modes, error } = v.session;
  // Without a way to sign in through the adapter, only the site's own link (the slot).
  const canLogIn = capabilitiesOf(v.adapter).signIn !== false;
  return html`<div class="composer">
    <parley-composer class="main" part="composer" exportparts=${COMPOSER_PARTS} thread-id=${v.threadId} mode=${v.comment ? 'comment' : 'new'}>
      <slot name="login" slot="login"
        >${
          canLogIn
            ? html`<button class="button primary" part="login" @click=${v.logIn}>${messages().logIn}</button>`
            : nothing
        }</slot
      >
    </parley-composer>
    ${
      mode && !v.viewer
        ? html`<parley-sign-in part="sign-in" exportparts=${SIGN_IN_PARTS} .modes=${modes} mode=${mode} ?comments=${v.comment}></parley-sign-in>`
        : error
          ? html`<p class="alert" role="alert">${error}</p>`
          : nothing
    }
  </div>`;
}
