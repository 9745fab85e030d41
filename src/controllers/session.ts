import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { capabilitiesOf, type CommentAdapter } from '../adapters/adapter.js';
import { ParleyError } from '../model/errors.js';
import type { SignInMode } from '../components/sign-in/sign-in.component.js';
import { ParleyLoginRequestEvent, type ParleyOperation } from '../events/events.js';
import {
  ParleyLogoutRequestEvent,
  ParleySignedInEvent,
  ParleySignInCancelEvent,
} from '../events/writing.js';
import { messages } from '../i18n/messages-write.js';
import type { Author, Viewer } from '../model/types.js';

/** Whose session a `RestAdapter` holds: with `sso`, the host site's own sign-out is followed. */
interface SessionInfo {
  sessionKind?: string;
}

const MODE_OF: Record<string, SignInMode> = {
  password: 'login',
  register: 'register',
  guest: 'guest',
};

export interface SessionOptions {
  adapter(): CommentAdapter | null;
  /** The site's single-sign-on token, when it signs readers in itself. */
  authToken(): string | undefined;
  signal(): AbortSignal | undefined;
  /** The reader signed in or out. */
  viewerChanged(user: Author | null): void;
  /** The thread's reply box: focus goes there (the text field, or Log in) once signed in. */
  mainComposer(): HTMLElement | null;
  /** Brings the open sign-in form into view and focuses it. */
  focusForm(): void;
  announce(message: string): void;
  fail(operation: ParleyOperation, error: ParleyError): void;
}

/**
 * Signing in and out of a thread: Log in and Sign out requests (the host page may take them
 * over by cancelling the event), which sign-in form to open (only the ways the adapter offers;
 * nobody is ever signed in as someone else without asking), and whether Parley owns the session
 * (with a site's single sign-on, the site's own sign-out is followed).
 */
export class SessionController implements ReactiveController {
  /** The sign-in form's way of signing in while it is open, else `null`. */
  mode: SignInMode | null = null;
  /** The ways of signing in the adapter offers, in the order the form shows them. */
  modes: readonly SignInMode[] = [];
  /** Why signing in or out failed, for the reader. */
  error = '';

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: SessionOptions,
  ) {
    host.addController(this);
  }

  // Every listener (the host page's too) sees a request first; act only if none took it.
  private readonly handleLoginRequest = (event: Event): void => {
    queueMicrotask(() => {
      if (!event.defaultPrevented) void this.signIn();
    });
  };

  private readonly handleLogoutRequest = (event: Event): void => {
    queueMicrotask(() => {
      if (!event.defaultPrevented) void this.signOut();
    });
  };

  // The sign-in form's answers: signed in, or cancelled. They end at the thread.
  private readonly handleSignedIn = (event: Event): void => {
    event.stopPropagation();
    void this.signedIn((event as ParleySignedInEvent).detail.viewer);
  };

  private readonly handleSignInCancel = (event: Event): void => {
    event.stopPropagation();
    this.cancel();
  };

  private readonly listeners: [string, (event: Event) => void][] = [
    [ParleyLoginRequestEvent.type, this.handleLoginRequest],
    [ParleyLogoutRequestEvent.type, this.handleLogoutRequest],
    [ParleySignedInEvent.type, this.handleSignedIn],
    [ParleySignInCancelEvent.type, this.handleSignInCancel],
  ];

  hostConnected(): void {
    for (const [type, listener] of this.listeners) this.host.addEventListener(type, listener);
  }

  hostDisconnected(): void {
    for (const [type, listener] of this.listeners) this.host.removeEventListener(type, listener);
  }

  /** Whether Parley owns the reader's session, so that it offers Sign out. */
  get canSignOut(): boolean {
    const adapter = this.options.adapter() as (CommentAdapter & SessionInfo) | null;
    return !!adapter?.signOut && !this.options.authToken() && adapter.sessionKind !== 'sso';
  }

  /** Opens the sign-in form with the ways the adapter offers. */
  async signIn(): Promise<void> {
    const { options } = this;
    const adapter = options.adapter();
    if (!adapter?.signIn) return;
    this.setError('');
    let modes: SignInMode[];
    // The form's element loads on first use, while the adapter is asked which ways it offers.
    const form = import('../components/sign-in/sign-in.js');
    try {
      modes = await this.modesOf(adapter);
    } catch (error) {
      const e = ParleyError.from(error);
      this.setError(e.message);
      options.fail('sign-in', e);
      return;
    }
    try {
      await form;
    } catch (error) {
      const e = new ParleyError('network', messages().signInFormFailed, { cause: error });
      this.setError(e.message);
      options.fail('sign-in', e);
      return;
    }
    if (modes.length === 0) return this.setError(messages().signInUnavailable);
    this.modes = modes;
    this.mode = this.mode && modes.includes(this.mode) ? this.mode : modes[0];
    this.host.requestUpdate();
    await this.host.updateComplete;
    options.focusForm();
  }

  /** Signs the reader out through the adapter; focus stays in the reply box, now on Log in. */
  async signOut(): Promise<void> {
    const { options } = this;
    const adapter = options.adapter();
    if (!adapter?.signOut) return;
    try {
      const viewer = await adapter.signOut();
      options.viewerChanged(viewer.user);
      options.announce(messages().signedOutNow);
      await this.host.updateComplete;
      options.mainComposer()?.focus();
    } catch (error) {
      const e = ParleyError.from(error);
      this.setError(e.message);
      options.fail('sign-out', e);
    }
  }

  /** The sign-in form signed the reader in. */
  async signedIn(viewer: Viewer): Promise<void> {
    const { options } = this;
    options.viewerChanged(viewer.user);
    this.close();
    if (viewer.user) options.announce(messages().signedInNow(viewer.user.name));
    await this.host.updateComplete;
    options.mainComposer()?.focus();
  }

  /** Closes the sign-in form (Cancel) and gives focus back to the reply box. */
  cancel(): void {
    this.close();
    void this.host.updateComplete.then(() => this.options.mainComposer()?.focus());
  }

  /** Forgets an error shown from an earlier attempt (the viewer changed elsewhere). */
  clearError(): void {
    this.setError('');
  }

  private close(): void {
    this.mode = null;
    this.host.requestUpdate();
  }

  private setError(message: string): void {
    this.error = message;
    this.host.requestUpdate();
  }

  /**
   * The forms to offer: the adapter's declared ways of signing in, or, for one that learns them
   * from its server and has not been told yet, its server's answer.
   */
  private async modesOf(adapter: CommentAdapter): Promise<SignInMode[]> {
    const { signIn } = capabilitiesOf(adapter);
    if (signIn === false) return [];
    const methods =
      signIn.length || !adapter.getSignInMethods
        ? signIn
        : await adapter.getSignInMethods({ signal: this.options.signal() });
    return [
      ...new Set(
        methods.map((method) => MODE_OF[method]).filter((mode): mode is SignInMode => !!mode),
      ),
    ];
  }
}
