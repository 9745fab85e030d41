import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CommentAdapter } from '../adapters/adapter.js';
import { messages } from '../i18n/messages.js';
import type { Post, ThreadChange } from '../model/types.js';

/** How long "Live updates are back" stays. */
const LIVE_BACK_MS = 4000;

export interface LiveUpdatesOptions {
  adapter(): CommentAdapter | null;
  threadId(): string;
  /** Whether the thread already shows this post. */
  shown(postId: string): boolean;
  /** Whether the post is the reader's own (from another tab or device: shown at once). */
  mine(post: Post): boolean;
  /** Applies a change the thread shows itself: the reader's own new post, edits and deletions, the thread, the viewer. */
  apply(change: ThreadChange): void;
  announce(message: string): void;
}

/**
 * Follows a thread's live changes through the adapter's `subscribe`. Posts by others wait in
 * `incoming` (behind "Show N new replies") so nothing moves under the reader; `live` and
 * `liveBack` say when live updates stopped and came back; everything else is applied by the
 * thread. Unsubscribes when the host leaves the page.
 */
export class LiveUpdatesController implements ReactiveController {
  /** Posts by others that arrived live and wait to be shown. */
  incoming: Post[] = [];
  /** Whether live updates flow (`null` until the adapter says otherwise). */
  live: boolean | null = null;
  /** Briefly true once live updates came back after a drop. */
  liveBack = false;
  private stop: (() => void) | null = null;
  private timer = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LiveUpdatesOptions,
  ) {
    host.addController(this);
  }

  /** Starts (or restarts) following the thread. */
  subscribe(): void {
    this.unsubscribe();
    this.stop =
      this.options.adapter()?.subscribe?.(this.options.threadId(), this.handleChange) ?? null;
  }

  /** Stops following, and forgets what was waiting. */
  unsubscribe(): void {
    this.stop?.();
    this.stop = null;
  }

  /** Forgets the posts waiting to be shown (a new load shows the thread as it is). */
  clear(): void {
    this.incoming = [];
    this.host.requestUpdate();
  }

  /** The waiting posts, handed over to be shown. */
  take(): Post[] {
    const posts = this.incoming;
    this.clear();
    return posts;
  }

  private readonly handleChange = (change: ThreadChange): void => {
    const { options } = this;
    switch (change.type) {
      case 'post-created': {
        const post = change.post;
        if (
          post.threadId !== options.threadId() ||
          options.shown(post.id) ||
          this.incoming.some((p) => p.id === post.id)
        )
          return;
        if (options.mine(post)) return options.apply(change);
        this.incoming = [...this.incoming, post];
        this.host.requestUpdate();
        options.announce(messages().postedBy2(post.author.name));
        return;
      }
      case 'post-updated':
      case 'post-deleted':
        if (this.incoming.some((p) => p.id === change.post.id)) {
          this.incoming = this.incoming.map((p) => (p.id === change.post.id ? change.post : p));
          this.host.requestUpdate();
        }
        return options.apply(change);
      case 'connection-changed':
        clearTimeout(this.timer);
        if (!change.live) {
          this.live = false;
          this.liveBack = false;
        } else if (this.live === false) {
          this.live = true;
          this.liveBack = true;
          this.timer = window.setTimeout(() => {
            this.liveBack = false;
            this.host.requestUpdate();
          }, LIVE_BACK_MS);
        }
        this.host.requestUpdate();
        return;
      default:
        return options.apply(change);
    }
  };

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
  }
}
