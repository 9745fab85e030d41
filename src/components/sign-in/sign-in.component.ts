import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CommentAdapter } from '../../adapters/adapter.js';
import { consume } from '@lit/context';
import { adapterContext } from '../../context/adapter.js';
import { ParleyError } from '../../model/errors.js';
import { ParleyErrorEvent } from '../../events/events.js';
import { ParleySignInCancelEvent, ParleySignedInEvent } from '../../events/writing.js';
import { messages } from '../../i18n/messages-write.js';
import type { Viewer } from '../../model/types.js';
import { baseStyles, buttonStyles } from '../../styles/tokens.js';
import { signInStyles } from './sign-in.styles.js';

/** A way of signing in the form offers: an account's handle and password, a new account, or a guest name. */
export type SignInMode = 'login' | 'register' | 'guest';

/** An adapter with built-in accounts (a `RestAdapter`): it registers, and signs in by password. */
interface AccountsAdapter extends CommentAdapter {
  register(options: { name: string; handle: string; password: string }): Promise<Viewer>;
  signIn(options: { handle?: string; password?: string; name?: string }): Promise<Viewer>;
}

/** The adapter as one with built-in accounts (a `RestAdapter`), or `null`. */
export const accountsOf = (adapter: CommentAdapter | null): AccountsAdapter | null =>
  adapter && typeof (adapter as Partial<AccountsAdapter>).register === 'function'
    ? (adapter as AccountsAdapter)
    : null;

/**
 * @tagname parley-sign-in
 * @summary The sign-in form: a guest name, or log in / register on a server with accounts. It
 * offers only the ways it is given (`modes`, from the adapter's `capabilities.signIn`) and signs
 * in through the adapter itself: its `adapter`, else the enclosing thread's.
 *
 * @fires parley-signed-in - The reader signed in; `detail.viewer`.
 * @fires parley-sign-in-cancel - Cancel was pressed.
 * @fires parley-error - Signing in failed (`operation: 'sign-in'`); the reason also shows in the form.
 *
 * @csspart base - The form.
 * @csspart choice - Each way of signing in, when there are several.
 * @csspart field - Each labelled field.
 * @csspart hint - What a guest name is for.
 * @csspart error - Why signing in failed.
 * @csspart submit - Log in / Register / Continue as guest.
 * @csspart cancel - The Cancel button.
 */
export class ParleySignIn extends LitElement {
  static override styles = [baseStyles, buttonStyles, signInStyles];

  @query('form') private form!: HTMLFormElement;

  /** The backend to sign in with. */
  @property({ attribute: false }) adapter: CommentAdapter | null = null;
  /** The enclosing thread's adapter, used when `adapter` is not set. */
  @consume({ context: adapterContext, subscribe: true })
  @state()
  private threadAdapter?: CommentAdapter | null;
  /** The ways of signing in to offer, in order; the first is chosen at first. */
  @property({ attribute: false }) modes: readonly SignInMode[] = ['guest'];
  /** The way of signing in shown now; the first of `modes` when unset or not offered. */
  @property() mode?: SignInMode;
  /** Worded for a comment section (a thread in comments mode): "Log in to comment". */
  @property({ type: Boolean }) comments = false;

  @state() private busy = false;
  @state() private error = '';

  /** Focuses the first field. */
  override focus(options?: FocusOptions): void {
    void this.updateComplete.then(() =>
      this.form?.querySelector<HTMLInputElement>('input:not([type="radio"])')?.focus(options),
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      (changed.has('modes') || changed.has('mode')) &&
      (!this.mode || !this.modes.includes(this.mode))
    )
      this.mode = this.modes[0] ?? 'guest';
  }

  private field(name: string): string {
    return (this.form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const adapter = this.adapter ?? this.threadAdapter ?? null;
    if (!adapter?.signIn || this.busy) return;
    const accounts = accountsOf(adapter);
    this.busy = true;
    this.error = '';
    try {
      let viewer: Viewer;
      if (this.mode === 'guest') viewer = await adapter.signIn({ name: this.field('name') });
      else if (!accounts) throw new ParleyError('unavailable', messages().signInUnavailable);
      else if (this.mode === 'register')
        viewer = await accounts.register({
          name: this.field('name'),
          handle: this.field('handle'),
          password: this.field('password'),
        });
      else
        viewer = await accounts.signIn({
          handle: this.field('handle'),
          password: this.field('password'),
        });
      this.dispatchEvent(new ParleySignedInEvent({ viewer }));
    } catch (error) {
      const e = ParleyError.from(error);
      this.error = e.message;
      this.dispatchEvent(new ParleyErrorEvent({ error: e, operation: 'sign-in' }));
    } finally {
      this.busy = false;
    }
  }

  private cancel(): void {
    this.error = '';
    this.dispatchEvent(new ParleySignInCancelEvent());
  }

  private renderChoice(value: SignInMode) {
    const m = messages();
    const labels: Record<SignInMode, string> = {
      login: m.logIn,
      register: m.register,
      guest: m.asGuest,
    };
    return html`<label class="choice" part="choice"
      ><input type="radio" name="mode" .checked=${this.mode === value} @change=${() => (this.mode = value)} />${labels[value]}</label
    >`;
  }

  private renderInput(
    name: string,
    label: string,
    type: 'text' | 'password' = 'text',
    autocomplete:
      'off' | 'name' | 'nickname' | 'username' | 'new-password' | 'current-password' = 'off',
  ) {
    return html`<label class="field" part="field"
      >${label}<input name=${name} type=${type} autocomplete=${autocomplete} required ?disabled=${this.busy}
    /></label>`;
  }

  protected override render() {
    const m = messages();
    const mode = this.mode;
    const title = this.comments ? m.signInToComment : m.signInTitle;
    return html`<form class="sign-in" part="base" aria-label=${title} @submit=${this.handleSubmit}>
      <fieldset>
        <legend>${title}</legend>
        ${this.modes.length > 1 ? html`<div class="choices">${this.modes.map((value) => this.renderChoice(value))}</div>` : nothing}
        ${mode === 'guest' ? html`${this.renderInput('name', m.yourName, 'text', 'nickname')}<p class="hint" part="hint">${this.comments ? m.guestCommentHint : m.guestHint}</p>` : nothing}
        ${mode === 'register' ? this.renderInput('name', m.yourName, 'text', 'name') : nothing}
        ${mode !== 'guest' ? this.renderInput('handle', m.handle, 'text', 'username') : nothing}
        ${mode !== 'guest' ? this.renderInput('password', m.password, 'password', mode === 'register' ? 'new-password' : 'current-password') : nothing}
      </fieldset>
      ${this.error ? html`<p class="alert" part="error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button type="button" class="button outline" part="cancel" @click=${this.cancel}>${m.cancel}</button>
        <button type="submit" class="button primary" part="submit" ?disabled=${this.busy}>
          ${mode === 'register' ? m.register : mode === 'guest' ? m.continueAsGuest : m.logIn}
        </button>
      </div>
    </form>`;
  }
}
