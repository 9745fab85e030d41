import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { capabilitiesOf, type CommentAdapter } from '../../adapters/adapter.js';
import { ParleyError } from '../../model/errors.js';
import { MemoryAdapter } from '../../adapters/memory.js';
import {
  ParleyAnnounceEvent,
  ParleyErrorEvent,
  ParleyJumpRequestEvent,
  ParleyLoginRequestEvent,
  type ParleyOperation,
} from '../../events/events.js';
import { parseImagePolicy, type ImagePolicy } from '../../content/markdown.js';
import { messages } from '../../i18n/messages.js';
import type { Gap, PostStream } from '../../model/stream.js';
import { ReplyBoxesController } from '../../controllers/reply-boxes.js';
import { ThreadContextsController } from '../../controllers/thread-contexts.js';
import { ThreadLoadController, type LoadedThread } from '../../controllers/thread-load.js';
import { AdapterSelectionController } from '../../controllers/adapter-selection.js';
import { AnnouncerController } from '../../controllers/announcer.js';
import { AutoLoadController } from '../../controllers/auto-load.js';
import { LiveUpdatesController } from '../../controllers/live-updates.js';
import { NavigationController } from '../../controllers/navigation.js';
import { PostActionsController } from '../../controllers/post-actions.js';
import { SessionController } from '../../controllers/session.js';
import { StreamLoaderController } from '../../controllers/stream-loader.js';
import { ScrollAnchorController, StickToEndController } from '../../controllers/scroll-anchor.js';
import type { Author, Thread, ThreadChange } from '../../model/types.js';
import { baseStyles, buttonStyles, themeStyles } from '../../styles/tokens.js';
import type { ParleyComposer } from '../composer/composer.component.js';
import type { ParleySignIn } from '../sign-in/sign-in.component.js';
import type { ParleyPost } from '../post/post.component.js';
import { renderGap, type GapSide } from './gap.js';
import { renderBack, renderError, renderNotices, renderSkeleton } from './panels.js';
import { EMPTY_VIEW, viewOf, type StreamView } from './layout.js';
import { renderOpening, renderWindows, type TreeView } from './tree.js';
import { renderReplyArea } from './reply-area.js';
import { threadStyles } from './thread.styles.js';

/** Above this many loaded posts, off-screen posts skip layout and paint (content-visibility). */
const LONG_THREAD = 40;

// Its custom properties (`--parley-*`, the theme) are documented where their defaults are, in
// src/styles/tokens.ts; custom-elements-manifest.config.mjs lists them with the thread.
/**
 * @tagname parley-thread
 * @summary A whole discussion: title, opening post, nested replies, "Load more", and the reply
 * box. Drop it into a page, give it a `thread-id`, and point `adapter` at a backend.
 *
 * Without an `adapter`, it uses an embedded `MemoryAdapter`, seeded from a
 * `<script type="application/json">` child when there is one (`{ threads, posts, users, viewer }`),
 * and persisted to `localStorage`.
 *
 * @slot login - Your own log-in link or button, shown to signed-out readers next to "Please log in or register to post a reply.".
 *
 * @fires parley-post-created - The reader published a post; `detail.post`.
 * @fires parley-post-updated - The reader edited a post; `detail.post`.
 * @fires parley-post-deleted - The reader deleted a post; `detail.post` is its tombstone.
 * @fires parley-error - An adapter call failed; `detail.error` (a `ParleyError`) and `detail.operation`.
 * @fires parley-login-request - A signed-out reader pressed Log in. Call `preventDefault()` to handle it yourself; otherwise the thread's sign-in form opens (a guest name on the embedded backend; log in, register or guest on a server with accounts).
 * @fires parley-logout-request - A signed-in reader pressed Sign out. Call `preventDefault()` to sign them out of your site yourself; otherwise the adapter's `signOut()` runs. Not offered with `auth-token` (single sign-on), where the site's own sign-out is followed.
 *
 * @csspart base - The `section` around everything.
 * @csspart title - The thread title heading.
 * @csspart opening - The opening post's wrapper.
 * @csspart reply-count - The "N replies" heading.
 * @csspart replies - The list of replies.
 * @csspart reply - One reply's list item (its post, reply box and nested replies).
 * @csspart post - Each `<parley-post>` element itself (its inner parts are the `post-*` parts).
 * @csspart children - A nested list of replies.
 * @csspart reply-box - The wrapper of a reply box opened under a post.
 * @csspart load-more - The "Load more replies" button.
 * @csspart gap - The controls between loaded windows of a long thread ("N posts here are not loaded.").
 * @csspart load-earlier - "Load N earlier posts" in a gap.
 * @csspart load-later - "Load N later posts" in a gap.
 * @csspart load-hidden - "Load N hidden posts", for a gap of one page or less.
 * @csspart jump-latest - "Jump to the latest reply", while the end of the thread is not loaded.
 * @csspart back - "Back to where I was", shown after a jump.
 * @csspart new-replies - "Show N new replies": replies by others that arrived live wait behind it.
 * @csspart skip-link - "Skip to the reply box", visible on keyboard focus.
 * @csspart state - Loading, empty and error panels.
 * @csspart skeleton - The loading placeholder.
 * @csspart retry - The Retry button of a failed load.
 * @csspart diagnostic - The technical cause of a failure, folded under "Details for the site owner".
 * @csspart notice - "Live updates paused…", "Live updates are back." and storage problems of the embedded backend.
 * @csspart composer - The thread's reply box (`<parley-composer>`).
 * @csspart login - The default Log in button.
 * @csspart sign-in - The sign-in form (`<parley-sign-in>`): a guest name, or log in / register on a server with accounts.
 * @csspart sign-in-base - Re-exported sign-in parts: every `<parley-sign-in>` part as `sign-in-<name>` (`sign-in-submit`, `sign-in-field`, …).
 * @csspart post-base - Re-exported post parts: every `<parley-post>` part as `post-<name>` (`post-body`, `post-avatar`, `post-quote-jump`, …).
 * @csspart composer-base - Re-exported composer parts: every `<parley-composer>` part as `composer-<name>` (`composer-textarea`, `composer-submit`, …).
 */
export class ParleyThread extends LitElement {
  static override styles = [baseStyles, buttonStyles, themeStyles, threadStyles];

  /** The thread as its controllers see it: what most of them need, in one place. */
  private readonly port = {
    adapter: () => this.adapter,
    threadId: () => this.threadId,
    pageSize: () => this.pageSize,
    viewer: () => this.viewer,
    stream: () => this.stream,
    signal: () => this.loading.signal,
    changed: () => this.changed(),
    loadAround: (postId: string) => this.loader.loadAround(postId),
    element: (postId: string) => this.postElement(postId),
    announce: (message: string) => this.announce(message),
    fail: (operation: ParleyOperation, error: ParleyError) => this.fail(operation, error),
  };
  /** The thread, its first page and its reader, loaded again when the adapter or id changes. */
  private readonly loading = new ThreadLoadController(this, {
    ...this.port,
    starting: () => this.startLoad(),
    loaded: (result) => this.showLoaded(result),
  });
  private readonly updates = new LiveUpdatesController(this, {
    ...this.port,
    shown: (postId) => this.stream.has(postId),
    mine: (post) => post.author.id === this.viewer?.id,
    apply: (change) => this.applyChange(change),
  });
  private readonly loader = new StreamLoaderController(this, this.port);
  /** The loaded windows of the thread and the gaps between them. */
  private get stream(): PostStream {
    return this.loader.stream;
  }
  private readonly anchor = new ScrollAnchorController(this, () =>
    this.renderRoot.querySelectorAll<HTMLElement>('parley-post'),
  );
  /** End, the scrollbar or "Skip to the reply box" at the bottom of the page stays there. */
  protected readonly stickToEnd = new StickToEndController(this);
  private readonly announcer = new AnnouncerController(this);
  /** Log in, Sign out and the sign-in form. */
  private readonly session = new SessionController(this, {
    ...this.port,
    authToken: () => this.authToken,
    viewerChanged: (user) => (this.viewer = user),
    focusComposer: () => this.mainComposer()?.focus(),
    focusForm: () => {
      const form = this.renderRoot.querySelector<ParleySignIn>('parley-sign-in');
      form?.scrollIntoView({ block: 'nearest' });
      form?.focus({ preventScroll: true });
    },
  });
  private readonly actions = new PostActionsController(this, {
    ...this.port,
    composer: () => this.mainComposer(),
    neighbourOf: (postId) => this.neighbourOf(postId),
    replied: (parentId) => this.boxes.close(parentId),
    settled: (handled) => this.afterSettled(handled),
    dispatch: (event) => this.dispatchEvent(event),
  });
  /** Which reply box is open, quotes into the main box, and what composers and posts ask for. */
  private readonly boxes = new ReplyBoxesController(this, {
    ...this.port,
    actions: () => this.actions,
    mainComposer: () => this.mainComposer(),
    replyComposer: () =>
      this.renderRoot.querySelector<ParleyComposer>('.reply-box parley-composer'),
    rememberPlace: (postId) => this.nav.rememberPlace(postId),
  });
  private readonly nav = new NavigationController(this, {
    ...this.port,
    loadLatest: () => this.loader.loadLatest(),
    firstVisible: () => this.anchor.firstVisible(),
    ready: () => this.loading.ready,
  });
  private readonly autoLoad = new AutoLoadController(this, {
    end: () => (this.noAutoLoad ? null : this.renderRoot.querySelector('.more.end')),
    composer: () => this.renderRoot.querySelector('.composer'),
    failed: () => !!this.loader.error,
    loadMore: () => void this.handleLoadMore(),
  });
  /** Explicit `.adapter`, else `endpoint`, else the embedded backend (inline JSON). */
  private readonly selection = new AdapterSelectionController(this, (error) =>
    this.showLoadError(error),
  );
  /** The contexts every post and composer reads, and the post lookup of quotes. */
  private readonly contexts = new ThreadContextsController(this, {
    ...this.port,
    canSignOut: () => this.session.canSignOut,
    thread: () => this.thread,
    maxLength: () => this.maxLength,
    images: () => this.images,
    participants: () => this.view.participants,
    locale: () => this.locale,
    timeZone: () => this.timeZone,
    loaded: (postId) => this.stream.get(postId),
  });
  /** The loaded posts as the thread shows them. */
  private view: StreamView = EMPTY_VIEW;

  /** Id of the thread to show. */
  @property({ attribute: 'thread-id', reflect: true }) threadId = '';
  /** The backend. Without one, an embedded `MemoryAdapter` is used. */
  @property({ attribute: false }) adapter: CommentAdapter | null = null;
  /** Levels of indentation for replies to replies; deeper replies say whom they answer. */
  @property({ type: Number, attribute: 'max-depth' }) maxDepth = 3;
  /** Posts loaded per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;
  /** Longest post accepted, in characters. */
  @property({ type: Number, attribute: 'max-length' }) maxLength = 10_000;
  /** `light`, `dark`, or `auto` to follow the reader's system setting. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';
  /** BCP 47 locale for dates and numbers; the reader's own by default. */
  @property() locale?: string;
  /** IANA time zone for dates (a community's home zone); the reader's own by default. */
  @property({ attribute: 'time-zone' }) timeZone?: string;
  /** Heading level (1–6) of the thread title; the reply count is one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  /**
   * URL of a Parley server (`https://comments.example.com`): the thread then uses a `RestAdapter`
   * on it, with no JavaScript. Without `thread-id`, the page's canonical URL names the thread.
   */
  @property() endpoint?: string;
  /** A single-sign-on token from the host site for its signed-in reader (see the README's recipe). */
  @property({ attribute: 'auth-token' }) authToken?: string;
  /**
   * Images from other sites in posts: absent to load them (lazily, without a referrer), `off` to
   * show them as links until a reader opens one, or a URL template with `{url}` to load them
   * through the site's own proxy (`https://img.example.com/?url={url}`). Same-site images always load.
   */
  @property({ attribute: 'image-proxy' }) imageProxy?: string;
  /** Only load more replies when "Load more" is pressed, not as the reader nears the end. */
  @property({ type: Boolean, attribute: 'no-auto-load' }) noAutoLoad = false;

  @state() private thread: Thread | null = null;
  /** Bumped whenever the stream of loaded posts changes. */
  @state() private revision = 0;
  /** The adapter could not be set up (a bad `endpoint`, bad inline JSON). */
  @state() private selectionError: ParleyError | null = null;
  /** The policy read from `image-proxy`. */
  @state() private images: ImagePolicy = { mode: 'load' };
  /** Who is reading. */
  @state() private viewer: Author | null = null;
  /** What went wrong with the embedded backend's storage in this browser. */
  @state() private storageProblem: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.adapter && this.loading.ready) this.updates.subscribe();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('imageProxy')) {
      try {
        this.images = parseImagePolicy(this.imageProxy);
      } catch (error) {
        // A setting the site got wrong must not load what it meant to keep out: no remote images.
        this.images = { mode: 'off' };
        const e = ParleyError.from(error);
        console.warn(`[parley] ${e.message}`);
        this.fail('load', e);
      }
    }
    if (changed.has('endpoint')) this.selection.endpointChanged();
    if (changed.has('authToken'))
      void this.adapter
        ?.setToken?.(this.authToken || null)
        .catch((error: unknown) => this.fail('sign-in', ParleyError.from(error)));
    if (changed.has('revision') || changed.has('maxDepth')) {
      if (changed.has('revision') && this.loading.ready) this.anchor.capture();
      this.view = viewOf(this.stream, this.maxDepth, this.view);
    }
  }

  protected override updated(): void {
    this.anchor.restore();
    this.autoLoad.observe();
  }

  /** Keeps the stream in step: bumps the revision so the thread re-renders. */
  private changed(): void {
    this.revision++;
  }

  private showLoadError(error: ParleyError): void {
    this.selectionError = error;
    this.fail('load', error);
  }

  /** Loads (or reloads) the thread from the adapter. Resolves once it is shown, or failed. */
  load(): Promise<void> {
    return this.loading.run();
  }

  /** A load starts: what belonged to the previous one goes. */
  private startLoad(): void {
    this.selectionError = null;
    this.boxes.close();
    this.updates.unsubscribe();
    this.nav.reset();
    this.updates.clear();
    this.contexts.clear();
    this.loader.cancel();
  }

  /** The thread arrived: show it, follow it live, and go to the post the URL names. */
  private showLoaded({ thread, page, viewer }: LoadedThread): void {
    const adapter = this.adapter;
    this.thread = thread;
    this.viewer = viewer;
    this.storageProblem = adapter instanceof MemoryAdapter ? adapter.storageProblem : null;
    this.view = { ...this.view, opening: null };
    this.loader.reset(page);
    this.updates.subscribe();
    void this.loading.task.taskComplete
      .then(() => this.updateComplete)
      .then(
        () => this.nav.followHash(),
        () => undefined,
      );
  }

  /**
   * Loads the next page of replies at the end of what is loaded. Resolves to the number of posts
   * added. While that page is loading, a second call waits for it.
   */
  loadMore(): Promise<number> {
    return this.loader.loadMore();
  }

  /**
   * Shows the newest reply: loads the last page when it is not loaded, then jumps to its last
   * post. Resolves to whether it could be shown.
   */
  jumpToLatest(): Promise<boolean> {
    return this.nav.jumpToLatest();
  }

  /**
   * Scrolls to a post, focuses and highlights it, loading the window around it first when it is
   * not loaded yet. Resolves to whether the post could be shown.
   */
  jumpTo(postId: string): Promise<boolean> {
    return this.nav.jumpTo(postId);
  }

  /** Shows the replies that arrived live, and moves to the first of them. */
  async showIncoming(): Promise<void> {
    const posts = this.updates.take();
    if (posts.length === 0) return;
    const hidden = posts.filter((post) => !this.stream.insert(post));
    this.changed();
    if (hidden.length) await this.loader.loadAround(hidden[0].id).catch(() => undefined);
    this.nav.rememberPlace(null);
    await this.nav.reveal(posts[0].id);
  }

  /** Returns to the post and the scroll position the reader left with a jump. */
  returnToPlace(): Promise<void> {
    return this.nav.returnToPlace();
  }

  private readonly back = () => void this.nav.returnToPlace();

  /** A live change the thread shows itself (the others wait in `updates.incoming`). */
  private applyChange(change: ThreadChange): void {
    switch (change.type) {
      case 'post-created':
        // The reader's own post from another tab or device: shown where it belongs.
        this.stream.insert(change.post);
        this.changed();
        return;
      case 'post-updated':
      case 'post-deleted':
        if (this.stream.replace(change.post)) this.changed();
        return;
      case 'thread-updated':
        if (change.thread.id === this.threadId) this.thread = change.thread;
        return;
      case 'viewer-changed':
        this.viewer = change.viewer.user;
        this.session.clearError();
        return;
      case 'reload':
        // The backend cannot replay what the reader missed: show the thread as it is now.
        void this.load();
        return;
    }
  }

  /**
   * Opens the sign-in form with the ways the adapter offers: a guest name on the embedded
   * backend; log in, register or guest on a server with accounts. (What Log in does when the host
   * page does not take over.) Nobody is ever signed in as someone else without asking.
   */
  signIn(): Promise<void> {
    return this.session.signIn();
  }

  /** Signs the reader out through the adapter (what Sign out does when the host page does not take over). */
  signOut(): Promise<void> {
    return this.session.signOut();
  }

  private mainComposer(): ParleyComposer | null {
    return this.renderRoot.querySelector<ParleyComposer>('parley-composer.main');
  }

  private handleJumpRequest(event: ParleyJumpRequestEvent): void {
    event.stopPropagation();
    this.nav.rememberPlace(event.detail.from);
    void this.nav.jumpTo(event.detail.postId);
  }

  private handleAnnounce(event: ParleyAnnounceEvent): void {
    event.stopPropagation();
    this.announce(event.detail.message);
  }

  /**
   * Resolves once the element that asked (a composer clearing itself, a post leaving its edit
   * box) has reacted to the answer, and everything it changed has rendered, so events report the
   * settled page.
   */
  private async afterSettled(handled: Promise<void>): Promise<void> {
    await handled;
    await this.updateComplete;
    await Promise.all(
      [...this.renderRoot.querySelectorAll<LitElement>('parley-post, parley-composer')].map(
        (el) => el.updateComplete,
      ),
    );
  }

  /** The post shown after `postId`, or before it when it is the last. */
  private neighbourOf(postId: string): string | null {
    const ids = [...this.renderRoot.querySelectorAll<ParleyPost>('parley-post')].map(
      (p) => p.post?.id ?? '',
    );
    const i = ids.indexOf(postId);
    if (i < 0) return null;
    return ids[i + 1] ?? ids[i - 1] ?? null;
  }

  private postElement(postId: string): ParleyPost | null {
    return this.renderRoot.querySelector<ParleyPost>(
      `parley-post[data-post-id="${CSS.escape(postId)}"]`,
    );
  }

  private announce(message: string): void {
    this.announcer.announce(message);
  }

  private fail(operation: ParleyOperation, error: ParleyError): void {
    this.dispatchEvent(new ParleyErrorEvent({ error, operation }));
  }

  private async handleLoadMore(): Promise<void> {
    try {
      const added = await this.loadMore();
      this.announce(messages().loadedMore(added));
    } catch {
      // Shown next to the button.
    }
  }

  /** What the post tree shows. */
  private tree(): TreeView {
    return {
      threadId: this.threadId,
      quoted: (postId) => this.stream.get(postId) ?? null,
      highlighted: this.nav.highlighted,
      sending: this.actions.sending,
      replyTo: this.boxes.replyTo,
      backAfter: this.nav.returnPoint?.to,
      back: this.back,
      gap: (gap) => this.renderGap(gap),
    };
  }

  private renderGap(gap: Gap) {
    return renderGap({
      gap,
      pageSize: this.pageSize,
      locale: this.locale,
      timeZone: this.timeZone,
      loading: this.loader.loading,
      error: this.loader.error,
      loadMore: () => void this.handleLoadMore(),
      fill: (key, cursor, side, from, belowId) =>
        void this.fillGap(key, cursor, side, from, belowId),
    });
  }

  private async fillGap(
    key: string,
    cursor: string,
    side: GapSide,
    from: HTMLElement,
    belowId: string | undefined,
  ): Promise<void> {
    const added = await this.loader.fillGap(key, cursor, side, from, belowId);
    if (added !== null) this.announce(messages().loadedMore(added));
  }

  private renderThread() {
    const m = messages();
    const { opening, sections, replyCount } = this.view;
    const level = Math.min(6, Math.max(1, Math.floor(this.headingLevel) || 2));
    const gaps = this.stream.gaps();
    const trailing = gaps.find((g) => !g.after);
    const empty = sections.every((s) => s.layout.replies.length === 0) && gaps.length === 0;
    const tree = this.tree();
    return html`
      <a class="skip visually-hidden" part="skip-link" href="#reply" @click=${this.skipToComposer}>${m.skipToReply}</a>
      <div class="title" id="title" part="title" role="heading" aria-level=${level}>${this.thread?.title ?? ''}</div>
      ${opening ? renderOpening(tree, opening) : nothing}
      ${
        opening || !empty
          ? html`<div class="count-row">
            <div class="count" part="reply-count" role="heading" aria-level=${Math.min(6, level + 1)}>${m.replies(replyCount)}</div>
            ${
              trailing
                ? html`<button class="button" part="jump-latest" @click=${() => this.jumpToLatest()}>${m.jumpToLatest}</button>`
                : nothing
            }
          </div>`
          : nothing
      }
      ${renderNotices({ live: this.updates.live, liveBack: this.updates.liveBack, storageProblem: this.storageProblem })}
      ${
        this.updates.incoming.length
          ? html`<div class="incoming"><button class="button primary" part="new-replies" @click=${this.showIncoming}>${m.newReplies(this.updates.incoming.length)}</button></div>`
          : nothing
      }
      ${empty ? html`<div class="state" part="state"><p>${m.noReplies}</p></div>` : nothing}
      ${renderWindows(tree, sections, gaps)}
      ${
        trailing
          ? html`<div class="float"><button class="button primary" part="jump-latest" @click=${() => this.jumpToLatest()}>${m.jumpToLatest}</button></div>`
          : nothing
      }
      ${this.nav.returnPoint && !this.nav.returnPoint.to ? renderBack(this.back) : nothing} ${renderReplyArea(
        {
          threadId: this.threadId,
          // Without a way to sign in through the adapter, only the site's own link (the slot).
          canLogIn: capabilitiesOf(this.adapter).signIn !== false,
          logIn: () => this.dispatchEvent(new ParleyLoginRequestEvent()),
          signIn:
            this.session.mode && !this.viewer
              ? { modes: this.session.modes, mode: this.session.mode }
              : null,
          error: this.session.error,
        },
      )}
    `;
  }

  private handleKeydown(event: KeyboardEvent): void {
    this.nav.handleKeydown(event);
  }

  private skipToComposer(event: Event): void {
    event.preventDefault();
    const composer = this.renderRoot.querySelector<ParleyComposer>('parley-composer.main');
    composer?.scrollIntoView({ block: 'center' });
    composer?.focus({ preventScroll: true });
  }

  protected override render() {
    const ready = this.loading.ready && !this.selectionError;
    const error = (e: unknown) => renderError(ParleyError.from(e), () => void this.load());
    // Only a long thread pays for skipping off-screen posts (and for their estimated heights).
    return html`<section
      class="base ${this.stream.size > LONG_THREAD ? 'long' : ''}"
      part="base"
      aria-labelledby=${ready ? 'title' : nothing}
      aria-busy=${ready || this.selectionError || this.loading.task.error ? 'false' : 'true'}
      @parley-jump-request=${this.handleJumpRequest}
      @parley-announce=${this.handleAnnounce}
      @keydown=${this.handleKeydown}
    >
      ${
        this.selectionError
          ? error(this.selectionError)
          : this.loading.task.render({
              initial: renderSkeleton,
              pending: renderSkeleton,
              complete: () => this.renderThread(),
              error,
            })
      }
      ${this.announcer.render()}
    </section>`;
  }
}
