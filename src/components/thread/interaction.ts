/**
 * What a thread does besides showing its posts: following it live, jumps and "Back to where I
 * was", the reply boxes, Log in and Sign out, holding the reader's place while posts arrive above
 * it, and loading more near the end. `<parley-thread>` loads this module once its first posts are
 * painted (or at once, when something asks for one of these first), so a reader's first view
 * neither downloads nor runs it.
 */
import { adoptStyles, type ReactiveElement } from 'lit';
import { AutoLoadController, type AutoLoadOptions } from '../../controllers/auto-load.js';
import { LazyPostActions } from '../../controllers/lazy-post-actions.js';
import type { PostActionsOptions } from '../../controllers/post-actions.js';
import { LiveUpdatesController, type LiveUpdatesOptions } from '../../controllers/live-updates.js';
import { NavigationController, type NavigationOptions } from '../../controllers/navigation.js';
import { ReplyBoxesController, type ReplyBoxesOptions } from '../../controllers/reply-boxes.js';
import { ScrollAnchorController, StickToEndController } from '../../controllers/scroll-anchor.js';
import { SessionController, type SessionOptions } from '../../controllers/session.js';
import type { Author } from '../../model/types.js';
import { renderBack, renderIncoming, renderLive } from './interaction-panels.js';
import { interactionStyles } from './interaction.styles.js';
import { renderReplyArea, type ReplyAreaView } from './reply-area.js';

/** What the thread gives its interaction: what the controllers ask of it, in one place. */
export type InteractionOptions = Omit<LiveUpdatesOptions, 'viewerChanged'> &
  Omit<NavigationOptions, 'firstVisible'> &
  Omit<ReplyBoxesOptions, 'rememberPlace' | 'actions'> &
  Omit<PostActionsOptions, 'replied'> &
  SessionOptions & {
    /** The reader signed in or out (here, elsewhere, or in another tab). */
    viewerChanged(user: Author | null): void;
    /** Every rendered post, in page order (the place to hold while posts arrive). */
    posts(): ArrayLike<HTMLElement>;
    autoLoad: AutoLoadOptions;
  };

/** The controllers of a thread's interaction, added to the thread when this module loads. */
export class ThreadInteraction {
  /** Holds what the reader is looking at while posts arrive above it. */
  readonly anchor: ScrollAnchorController;
  /** Replies by others wait behind "Show N new replies"; the rest of what changes is shown. */
  readonly updates: LiveUpdatesController;
  /** Log in, Sign out and the sign-in form. */
  readonly session: SessionController;
  /** Jumps, deep links and Back. */
  readonly nav: NavigationController;
  /** Which reply box is open, quotes into the main box, and what composers and posts ask for. */
  readonly boxes: ReplyBoxesController;
  /** Publishing, editing and deleting, loaded once a reader may write. */
  readonly actions: LazyPostActions;
  /** Loads the next page as the reader nears the end. */
  readonly autoLoad: AutoLoadController;

  constructor(
    host: ReactiveElement,
    private readonly o: InteractionOptions,
  ) {
    // Its styles come with it, after the thread's own.
    const root = host.renderRoot;
    if (root instanceof ShadowRoot)
      adoptStyles(root, [
        ...(host.constructor as typeof ReactiveElement).elementStyles,
        interactionStyles,
      ]);
    this.anchor = new ScrollAnchorController(host, o.posts);
    // End, the scrollbar or "Skip to the reply box" at the bottom of the page stays there.
    new StickToEndController(host);
    this.session = new SessionController(host, o);
    this.updates = new LiveUpdatesController(host, {
      ...o,
      viewerChanged: (user) => {
        o.viewerChanged(user);
        this.session.clearError();
      },
    });
    this.nav = new NavigationController(host, {
      ...o,
      firstVisible: () => this.anchor.firstVisible(),
    });
    this.actions = new LazyPostActions(host, {
      ...o,
      replied: (parentId) => this.boxes.close(parentId),
    });
    // A reader who can write may soon publish, edit or delete: their code starts loading.
    if (o.viewer()) this.actions.prefetch();
    this.boxes = new ReplyBoxesController(host, {
      ...o,
      actions: () => this.actions,
      rememberPlace: (postId) => this.nav.rememberPlace(postId),
    });
    this.autoLoad = new AutoLoadController(host, o.autoLoad);
  }

  /** "Back to where I was". */
  readonly renderBack = renderBack;
  /** "Live updates paused…" or "Live updates are back." (nothing while all is well). */
  renderLive() {
    return renderLive(this.updates.live, this.updates.liveBack);
  }

  /** "Show N new replies", or comments (nothing when there are none). */
  renderIncoming(count: number, show: () => void) {
    return renderIncoming(count, show, this.o.comments?.() ?? false);
  }

  /** The thread's reply box (for comments, in comments mode), with Log in and the sign-in form. */
  renderReplyArea(view: Omit<ReplyAreaView, 'session' | 'comment'>) {
    return renderReplyArea({
      ...view,
      comment: this.o.comments?.() ?? false,
      session: this.session,
    });
  }

  /** A load starts: what belonged to the previous one goes. */
  reset(): void {
    this.boxes.close();
    this.updates.unsubscribe();
    this.nav.reset();
    this.updates.clear();
  }

  /** A load is shown: follow the thread live, and go to the post the URL names once `shown`. */
  loaded(shown: Promise<unknown>): void {
    this.updates.subscribe();
    this.nav.followHashOnce(shown);
  }
}
