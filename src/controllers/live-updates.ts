import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CommentAdapter } from '../adapters/adapter.js';
import { messages } from '../i18n/messages-write.js';
import type { PostStream } from '../model/stream.js';
import type { Author, Post, Thread, ThreadChange } from '../model/types.js';

/** How long "Live updates are back" stays. */
const LIVE_BACK_MS = 4000;

export interface LiveUpdatesOptions {
  adapter(): CommentAdapter | null;
  /** Whether the thread reads as comments on the page (a top-level post is a comment). */
  comments?(): boolean;
  threadId(): string;
  /** The loaded posts: the reader's own new posts, edits and deletions go straight into them. */
  stream(): PostStream;
  /** The loaded posts changed. */
  changed(): void;
  /** Who is reading (their own posts from another tab or device are shown at once). */
  viewer(): Author | null;
  /** The thread itself changed (its title, locked). */
  threadChanged(thread: Thread): void;
  /** The reader signed in or out elsewhere. */
  viewerChanged(user: Author | null): void;
  /** The backend cannot replay what the reader missed: the thread loads again, as it is now. */
  reload(): void;
  announce(message: string): void;
}

/**
 * Follows a thread's live changes through the adapter's `subscribe`. Posts by others wait in
 * `incoming` (behind "Show N new replies") so nothing moves under the reader; `live` and
 * `liveBack` say when live updates stopped and came back; the reader's own posts, edits and
 * deletions go into the stream at once, and changes to the thread or the reader go to the host.
 * Stops while the host is out of the page, and follows again when it comes back.
 */
export class LiveUpdatesController implements ReactiveController {
  /** Posts by others that arrived live and wait to be shown. */
  incoming: Post[] = [];
  /** Whether live updates flow (`null` until the adapter says otherwise). */
  live: boolean | null = null;
  /** Briefly true once live updates came back after a drop. */
  liveBack = false;
  private stop: (() => void) | null = null;
  /** Whether the host wants the thread followed (again, once it is back in the page). */
  private following = false;
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
    this.following = true;
    this.stop =
      this.options.adapter()?.subscribe?.(this.options.threadId(), this.handleChange) ?? null;
  }

  /** Stops following, and forgets what was waiting. */
  unsubscribe(): void {
    this.following = false;
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
    const stream = options.stream();
    switch (change.type) {
      case 'post-created': {
        const post = change.post;
        if (
          post.threadId !== options.threadId() ||
          stream.has(post.id) ||
          this.incoming.some((p) => p.id === post.id)
        )
          return;
        if (post.author.id === options.viewer()?.id) {
          stream.insert(post);
          return options.changed();
        }
        this.incoming = [...this.incoming, post];
        this.host.requestUpdate();
        options.announce(
          !post.parentId && options.comments?.()
            ? messages().newCommentFrom(post.author.name)
            : messages().postedBy2(post.author.name),
        );
        return;
      }
      case 'post-updated':
      case 'post-deleted':
        if (this.incoming.some((p) => p.id === change.post.id)) {
          this.incoming = this.incoming.map((p) => (p.id === change.post.id ? change.post : p));
          this.host.requestUpdate();
        }
        if (stream.replace(change.post)) options.changed();
        return;
      case 'thread-updated':
        if (change.thread.id === options.threadId()) options.threadChanged(change.thread);
        return;
      case 'viewer-changed':
        return options.viewerChanged(change.viewer.user);
      case 'reload':
        return options.reload();
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
    }
  };

  hostConnected(): void {
    if (this.following && !this.stop) this.subscribe();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.stop?.();
    this.stop = null;
  }
}
