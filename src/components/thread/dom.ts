/**
 * What a thread rendered, found by what it is: its composers, its posts and its sign-in form,
 * and the moments its children have settled. The controllers reach the page through these.
 */
import type { LitElement } from 'lit';
import type { ParleyComposer } from '../composer/composer.component.js';
import type { ParleyPost } from '../post/post.component.js';
import type { ParleySignIn } from '../sign-in/sign-in.component.js';

export class ThreadDom {
  constructor(private readonly host: LitElement) {}

  private get root(): ParentNode {
    return this.host.renderRoot;
  }

  /** The reply box at the end of the thread. */
  mainComposer(): ParleyComposer | null {
    return this.root.querySelector<ParleyComposer>('parley-composer.main');
  }

  /** The reply box opened under a post, if one is open. */
  replyComposer(): ParleyComposer | null {
    return this.root.querySelector<ParleyComposer>('.reply-box parley-composer');
  }

  /** Every rendered post, in page order. */
  posts(): NodeListOf<ParleyPost> {
    return this.root.querySelectorAll<ParleyPost>('parley-post');
  }

  /** The rendered element of a post. */
  post(postId: string): ParleyPost | null {
    return this.root.querySelector<ParleyPost>(`parley-post[data-post-id="${CSS.escape(postId)}"]`);
  }

  /** The post shown after `postId`, or before it when it is the last. */
  neighbourOf(postId: string): string | null {
    const ids = [...this.posts()].map((p) => p.post?.id ?? '');
    const i = ids.indexOf(postId);
    if (i < 0) return null;
    return ids[i + 1] ?? ids[i - 1] ?? null;
  }

  /** Brings the open sign-in form into view and focuses it. */
  focusSignIn(): void {
    const form = this.root.querySelector<ParleySignIn>('parley-sign-in');
    form?.scrollIntoView({ block: 'nearest' });
    form?.focus({ preventScroll: true });
  }

  /** "Skip to the reply box": the main composer, centred and focused, instead of the `#reply` link. */
  readonly skipToComposer = (event: Event): void => {
    event.preventDefault();
    const composer = this.mainComposer();
    composer?.scrollIntoView({ block: 'center' });
    composer?.focus({ preventScroll: true });
  };

  /**
   * Resolves once the element that asked (a composer clearing itself, a post leaving its edit
   * box) has reacted to the answer, and everything it changed has rendered, so events report the
   * settled page.
   */
  async settled(handled: Promise<void>): Promise<void> {
    await handled;
    await this.host.updateComplete;
    await Promise.all(
      [...this.root.querySelectorAll<LitElement>('parley-post, parley-composer')].map(
        (el) => el.updateComplete,
      ),
    );
  }
}
