/**
 * The end of a thread: its reply box, with the thread's own Log in button in the box's `login`
 * slot, and under it the sign-in form while it is open (or why signing in failed).
 */
import { html, nothing } from 'lit';
import type { SignInMode } from '../sign-in/sign-in.component.js';
import { messages } from '../../i18n/messages.js';
import { COMPOSER_PARTS, SIGN_IN_PARTS } from './parts.js';
// The elements it renders (registration is guarded, so importing twice is harmless).
import '../composer/composer.js';
import '../sign-in/sign-in.js';

export interface ReplyAreaView {
  readonly threadId: string;
  /** Whether the adapter offers a way to sign in (else only the site's own link, in the slot). */
  readonly canLogIn: boolean;
  logIn(): void;
  /** The open sign-in form's ways of signing in, or `null` while it is closed. */
  readonly signIn: { modes: readonly SignInMode[]; mode: SignInMode } | null;
  /** Why signing in or out failed. */
  readonly error: string;
}

export function renderReplyArea(v: ReplyAreaView) {
  return html`<div class="composer">
    <parley-composer class="main" part="composer" exportparts=${COMPOSER_PARTS} thread-id=${v.threadId}>
      <slot name="login" slot="login"
        >${
          v.canLogIn
            ? html`<button class="button primary" part="login" @click=${v.logIn}>${messages().logIn}</button>`
            : nothing
        }</slot
      >
    </parley-composer>
    ${
      v.signIn
        ? html`<parley-sign-in
          part="sign-in"
          exportparts=${SIGN_IN_PARTS}
          .modes=${v.signIn.modes}
          mode=${v.signIn.mode}
        ></parley-sign-in>`
        : v.error
          ? html`<p class="alert" role="alert">${v.error}</p>`
          : nothing
    }
  </div>`;
}
