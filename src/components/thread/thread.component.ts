import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CommentAdapter } from '../../adapters/adapter.js';
import { ParleyError } from '../../model/errors.js';
import {
  ParleyErrorEvent,
  ParleyLoginRequestEvent,
  type ParleyOperation,
} from '../../events/events.js';
import { readingMessages as messages } from '../../i18n/messages.js';
import { ThreadContextsController } from '../../controllers/thread-contexts.js';
import { ThreadLoadController, type LoadedThread } from '../../controllers/thread-load.js';
import { AdapterSelectionController } from '../../controllers/adapter-selection.js';
import { AnnouncerController } from '../../controllers/announcer.js';
import { SlicesController } from '../../controllers/slices.js';
import { StreamLoaderController } from '../../controllers/stream-loader.js';
import type { Author, Thread, ThreadMode } from '../../model/types.js';
import { canonicalUrl } from '../../adapters/early.js';
import { baseStyles, buttonStyles, themeStyles } from '../../styles/tokens.js';
import { ThreadDom } from './dom.js';
import { bodiesSettled } from '../../content/post-body.js';
import { firstViewShown } from '../../internal/first-views.js';
import { afterPaint } from '../../internal/paint.js';
import type { ThreadInteraction } from './interaction.js';
import { EMPTY_VIEW, viewOf, type StreamView } from './layout.js';
import * as panels from './panels.js';
import { renderOpening, renderWindows, type TreeView } from './tree.js';
import { threadStyles } from './thread.styles.js';

/** No post is being sent (before the thread's interaction is loaded). */
const NOT_SENDING: ReadonlySet<string> = new Set();

/** Above this many loaded posts, off-screen posts skip layout and paint (content-visibility). */
const LONG_THREAD = 40;

// Its custom properties (`--parley-*`, the theme) are documented where their defaults are, in
// src/styles/tokens.ts; custom-elements-manifest.config.mjs lists them with the thread.
/**
 * @tagname parley-thread
 * @summary A whole discussion: title, opening post, nested replies, "Load more", and the reply
 * box; or, in comments mode, the comments under a page. Drop it into a page, give it a
 * `thread-id`, and point `adapter` at a backend.
 *
 * Without an `adapter`, it uses an embedded `MemoryAdapter`, seeded from a
 * `<script type="application/json">` child when there is one (`{ threads, posts, users, viewer }`)
 * or else from the JSON file that `src` names, and persisted to `localStorage`.
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
 * @csspart title - The thread title heading (none in comments mode, where the page has its own).
 * @csspart opening - The opening post's wrapper.
 * @csspart reply-count - The "N replies" heading; in comments mode, the thread's heading: "N comments".
 * @csspart replies - The list of replies (in comments mode, of comments).
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

  /** What the thread rendered, found by what it is. */
  private readonly dom: ThreadDom = new ThreadDom(this);
  /** The thread as its controllers see it: what most of them need, in one place. */
  private readonly port = {
    adapter: () => this.adapter,
    threadId: () => this.threadId,
    pageSize: () => this.pageSize,
    viewer: () => this.viewer,
    stream: () => this.loader.stream,
    signal: () => this.loading.signal,
    changed: () => void this.revision++,
    comments: () => this.view.comments,
    loadAround: (postId: string) => this.loader.loadAround(postId),
    element: (postId: string) => this.dom.post(postId),
    mainComposer: () => this.dom.mainComposer(),
    announce: (message: string) => this.announcer.announce(message),
    fail: (operation: ParleyOperation, error: ParleyError) =>
      void this.dispatchEvent(new ParleyErrorEvent({ error, operation })),
  };
  /** The thread, its first page and its reader, loaded again when the adapter or id changes. */
  private readonly loading = new ThreadLoadController(this, {
    ...this.port,
    starting: () => this.startLoad(),
    loaded: (result) => this.showLoaded(result),
  });
  /** The loaded windows of the thread (`loader.stream`) and the gaps between them. */
  private readonly loader = new StreamLoaderController(this, this.port);
  private readonly announcer = new AnnouncerController(this);
  /**
   * Live updates, jumps and Back, the reply boxes, Log in and Sign out, the reader's place held
   * and more loaded near the end (`interaction.ts`): loaded once the first posts are painted.
   */
  private ix: ThreadInteraction | null = null;
  private ixLoading: Promise<ThreadInteraction> | null = null;
  /** Why the interaction could not be loaded, with Retry in place of the reply box. */
  @state() private ixFailed = false;
  /** The single-sign-on token last handed to the adapter. */
  private handedToken: string | undefined;
  /** Explicit `.adapter`, else `endpoint`, else the embedded backend (inline JSON). */
  private readonly selection = new AdapterSelectionController(this, (error) => {
    this.selectionError = error;
    this.port.fail('load', error);
  });
  /** The contexts every post and composer reads, and the post lookup of quotes. */
  private readonly contexts = new ThreadContextsController(this, {
    ...this.port,
    canSignOut: () => this.ix?.session.canSignOut ?? false,
    thread: () => this.thread,
    maxLength: () => this.maxLength,
    imageProxy: () => this.imageProxy,
    participants: () => this.view.participants,
    locale: () => this.locale,
    timeZone: () => this.timeZone,
    loaded: (postId) => this.loader.stream.get(postId),
  });
  /** The loaded posts as the thread shows them. */
  private view: StreamView = EMPTY_VIEW;
  /** A freshly loaded page renders a screenful first, then a slice per task. */
  // Five posts a slice: with ten, the bench's slices were long tasks of 60-140 ms on two cores;
  // five fill a viewport and keep opening a thread to one or two long tasks.
  private readonly slices = new SlicesController(this, 5);

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
  /**
   * `discussion`: a forum topic, whose first post is the opening post and the rest replies to
   * it. `comments`: the comments under a page, such as an article; there is no opening post,
   * every top-level post is a comment, and the heading counts them ("12 comments"). Absent: the
   * thread's own `mode` from its backend, else `comments` for a thread keyed by the page's
   * canonical URL (an `endpoint` without `thread-id`), else `discussion`.
   */
  @property({ reflect: true }) mode?: ThreadMode;
  /**
   * Where the thread's own reply box goes: `top`, above the posts, or `bottom`, below them.
   * Absent: `top` in comments mode, as readers of article comments expect; `bottom` otherwise.
   */
  @property({ attribute: 'composer-position', reflect: true }) composerPosition?: 'top' | 'bottom';
  /** Heading level (1–6) of the thread title; the reply count is one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  /**
   * URL of a Parley server (`https://comments.example.com`): the thread then uses a `RestAdapter`
   * on it, with no JavaScript. Without `thread-id`, the page's canonical URL names the thread.
   */
  @property() endpoint?: string;
  /**
   * URL of a JSON file with the embedded backend's data (the shape of the inline script), for a
   * thread without `adapter`, `endpoint` or inline data: a large discussion stays out of the
   * page's HTML and downloads while the scripts do. Read when the thread chooses its backend.
   */
  @property() src?: string;
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
  /** Who is reading. */
  @state() private viewer: Author | null = null;
  /** What went wrong with the embedded backend's storage in this browser. */
  @state() private storageProblem: string | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('endpoint')) this.selection.endpointChanged();
    // A reader who can write may soon publish, edit or delete: their code starts loading.
    if (changed.has('viewer') && this.viewer) this.ix?.actions.prefetch();
    const comments = this.isComments();
    if (changed.has('revision') || changed.has('maxDepth') || comments !== this.view.comments) {
      if (changed.has('revision') && this.loading.ready) this.ix?.anchor.capture();
      this.view = viewOf(this.loader.stream, this.maxDepth, this.view, comments);
    }
    this.handOverToken();
  }

  protected override updated(): void {
    this.ix?.anchor.restore();
    this.ix?.autoLoad.observe();
    if (this.loading.ready || this.loading.task.error) firstViewShown(this);
    // What the reader does next loads once the first posts are on screen.
    if (this.loading.ready && !this.ixLoading && !this.ixFailed) {
      this.ixLoading = new Promise<void>((resolve) => afterPaint(resolve)).then(() =>
        this.loadInteraction(),
      );
      this.ixLoading.catch(() => undefined); // shown in place of the reply box
    }
  }

  /** Whether the thread reads as comments on the page (see `mode`). */
  private isComments(): boolean {
    const mode = this.mode ?? this.thread?.mode;
    return mode ? mode === 'comments' : !!this.threadId && this.threadId === canonicalUrl();
  }

  /** A new `auth-token` from the site goes to the adapter (the reader signed in or out there). */
  private handOverToken(): void {
    const token = this.authToken;
    if (token === this.handedToken) return;
    this.handedToken = token;
    void this.adapter
      ?.setToken?.(token || null)
      .catch((error: unknown) => this.port.fail('sign-in', ParleyError.from(error)));
  }

  /** The thread's interaction, loading it first if it is not loaded. */
  private interaction(): Promise<ThreadInteraction> {
    this.ixLoading ??= this.loadInteraction();
    return this.ixLoading;
  }

  private async loadInteraction(): Promise<ThreadInteraction> {
    try {
      const { ThreadInteraction } = await import('./interaction.js');
      this.ix = new ThreadInteraction(this, {
        ...this.port,
        threadChanged: (thread) => (this.thread = thread),
        viewerChanged: (user) => (this.viewer = user),
        reload: () => void this.load(),
        authToken: () => this.authToken,
        focusForm: () => this.dom.focusSignIn(),
        neighbourOf: (postId) => this.dom.neighbourOf(postId),
        settled: (handled) => this.dom.settled(handled),
        dispatch: (event) => this.dispatchEvent(event),
        replyComposer: () => this.dom.replyComposer(),
        isOpening: (postId) => this.view.opening?.id === postId,
        loadLatest: () => this.loader.loadLatest(),
        ready: () => this.loading.ready,
        posts: () => this.dom.posts(),
        autoLoad: {
          end: () => (this.noAutoLoad ? null : this.renderRoot.querySelector('.more.end')),
          composer: () => this.renderRoot.querySelector('.composer'),
          failed: () => !!this.loader.error,
          loadMore: () => void this.loader.more(),
        },
      });
      this.ixFailed = false;
      // The load already shown is followed from here on.
      if (this.loading.ready) this.ix.loaded(this.updateComplete);
      this.requestUpdate();
      return this.ix;
    } catch (error) {
      this.ixLoading = null;
      this.ixFailed = true;
      const e = new ParleyError('network', messages().actionsFailed, { cause: error });
      this.port.fail('load', e);
      throw e;
    }
  }

  // The thread has rendered what it shows once every slice of a freshly loaded page has.
  protected override async getUpdateComplete(): Promise<boolean> {
    let settled = await super.getUpdateComplete();
    // A shown thread has its reply box and live updates too.
    if (this.loading.ready && !this.ixFailed) {
      await this.interactionOrNull();
      settled = await super.getUpdateComplete();
    }
    while (this.slices.active)
      settled = await this.slices.finished.then(() => super.getUpdateComplete());
    // Posts without server-rendered html wait for the markdown parser (content/post-body.ts).
    return (await bodiesSettled()) ? super.getUpdateComplete() : settled;
  }

  /** Loads (or reloads) the thread from the adapter. Resolves once it is shown, or failed. */
  load(): Promise<void> {
    return this.loading.run();
  }

  /** A load starts: what belonged to the previous one goes. */
  private startLoad(): void {
    this.slices.end();
    this.selectionError = null;
    this.ix?.reset();
    this.contexts.clear();
    this.loader.cancel();
  }

  /** The thread arrived: show it, follow it live, and go to the post the URL names. */
  private showLoaded({ thread, page, viewer }: LoadedThread): void {
    const adapter = this.adapter;
    this.thread = thread;
    this.viewer = viewer;
    // MemoryAdapter's (loaded on first use, so not an instanceof test): why changes are not kept.
    const problem = (adapter as { storageProblem?: unknown } | null)?.storageProblem;
    this.storageProblem = typeof problem === 'string' ? problem : null;
    this.view = { ...this.view, opening: null };
    this.slices.start();
    this.loader.reset(page);
    this.ix?.loaded(this.loading.task.taskComplete.then(() => this.updateComplete));
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
  async jumpToLatest(): Promise<boolean> {
    return (await this.navigation())?.jumpToLatest() ?? false;
  }

  /**
   * Scrolls to a post, focuses and highlights it, loading the window around it first when it is
   * not loaded yet. Resolves to whether the post could be shown.
   */
  async jumpTo(postId: string): Promise<boolean> {
    return (await this.navigation())?.jumpTo(postId) ?? false;
  }

  /** Shows the replies that arrived live, and moves to the first of them. */
  async showIncoming(): Promise<void> {
    const ix = await this.interactionOrNull();
    await ix?.nav.showArrived(ix.updates.take());
  }

  /** Returns to the post and the scroll position the reader left with a jump. */
  async returnToPlace(): Promise<void> {
    await (await this.navigation())?.returnToPlace();
  }

  /**
   * Opens the sign-in form with the ways the adapter offers: a guest name on the embedded
   * backend; log in, register or guest on a server with accounts. (What Log in does when the host
   * page does not take over.) Nobody is ever signed in as someone else without asking.
   */
  async signIn(): Promise<void> {
    await (await this.interactionOrNull())?.session.signIn();
  }

  /** Signs the reader out through the adapter (what Sign out does when the host page does not take over). */
  async signOut(): Promise<void> {
    await (await this.interactionOrNull())?.session.signOut();
  }

  /** Jumps and Back; `null` when they could not be loaded (the reader was told). */
  private async navigation() {
    return (await this.interactionOrNull())?.nav ?? null;
  }

  /** The interaction, or `null` when it could not be loaded (the reader was told). */
  private interactionOrNull(): Promise<ThreadInteraction | null> {
    return this.interaction().catch(() => null);
  }

  private readonly back = () => void this.returnToPlace();
  private readonly latest = () => void this.jumpToLatest();

  /** What the post tree shows. */
  private tree(): TreeView {
    return {
      threadId: this.threadId,
      quoted: (postId) => this.loader.stream.get(postId) ?? null,
      highlighted: this.ix?.nav.highlighted ?? null,
      sending: this.ix?.actions.sending ?? NOT_SENDING,
      replyTo: this.ix?.boxes.replyTo ?? null,
      backAfter: this.ix?.nav.returnPoint?.to,
      renderBack: () => this.ix?.renderBack(this.back),
      gaps: {
        pageSize: this.pageSize,
        comments: this.view.comments,
        locale: this.locale,
        timeZone: this.timeZone,
      },
      loader: this.loader,
    };
  }

  private renderThread() {
    const { opening, replyCount, comments } = this.view;
    const shown = this.slices.shown(this.view.sections, !!opening);
    const { sections } = shown;
    const level = Math.min(6, Math.max(1, Math.floor(this.headingLevel) || 2));
    // "Load more" at the end waits for the last slice.
    const gaps = this.loader.stream.gaps().filter((g) => g.after || shown.complete);
    const trailing = gaps.some((g) => !g.after);
    const empty = sections.every((s) => s.layout.replies.length === 0) && gaps.length === 0;
    const tree = this.tree();
    const ix = this.ix;
    const returnPoint = ix?.nav.returnPoint;
    const replyArea = ix
      ? ix.renderReplyArea({
          threadId: this.threadId,
          adapter: this.adapter,
          viewer: this.viewer,
          logIn: () => this.dispatchEvent(new ParleyLoginRequestEvent()),
        })
      : this.ixFailed
        ? panels.renderInteractionFailed(() => void this.interactionOrNull())
        : nothing;
    const top = (this.composerPosition ?? (comments ? 'top' : 'bottom')) === 'top';
    const jump = trailing ? this.latest : null;
    return html`
      <a class="skip visually-hidden" part="skip-link" href="#reply" @click=${this.dom.skipToComposer}>${comments ? messages().skipToComment : messages().skipToReply}</a>
      ${
        comments
          ? panels.renderCountRow(level, messages().comments(replyCount), jump, true)
          : html`<div class="title" id="title" part="title" role="heading" aria-level=${level}>${this.thread?.title ?? ''}</div>
            ${opening ? renderOpening(tree, opening) : nothing}
            ${opening || !empty ? panels.renderCountRow(level + 1, messages().replies(replyCount), jump) : nothing}`
      }
      ${top ? replyArea : nothing}
      ${ix?.renderLive()}${panels.renderStorageNotice(this.storageProblem)}
      ${ix?.renderIncoming(ix.updates.incoming.length, () => void this.showIncoming())}
      ${empty ? html`<div class="state" part="state"><p>${comments ? messages().noComments : messages().noReplies}</p></div>` : nothing}
      ${renderWindows(tree, sections, gaps)}
      ${trailing ? panels.renderJumpFloat(this.latest, comments) : nothing}
      ${returnPoint && !returnPoint.to ? ix?.renderBack(this.back) : nothing} ${top ? nothing : replyArea}
    `;
  }

  protected override render() {
    const ready = this.loading.ready && !this.selectionError;
    const error = (e: unknown) => panels.renderError(ParleyError.from(e), () => void this.load());
    // Only a long thread pays for skipping off-screen posts (and for their estimated heights).
    return html`<section
      class="base ${this.loader.stream.size > LONG_THREAD ? 'long' : ''}"
      part="base"
      aria-labelledby=${ready ? 'title' : nothing}
      aria-busy=${ready || this.selectionError || this.loading.task.error ? 'false' : 'true'}
      @keydown=${(event: KeyboardEvent) => this.ix?.nav.handleKeydown(event)}
    >
      ${
        this.selectionError
          ? error(this.selectionError)
          : this.loading.task.render({
              initial: panels.renderSkeleton,
              pending: panels.renderSkeleton,
              complete: () => this.renderThread(),
              error,
            })
      }
      ${this.announcer.render()}
    </section>`;
  }
}
