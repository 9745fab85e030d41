import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CommentAdapter } from '../../adapters/adapter.js';
import { RestAdapter } from '../../adapters/rest.js';
import { canonicalUrl } from '../../adapters/early.js';
import { ParleyErrorEvent } from '../../events/events.js';
import { messages } from '../../i18n/messages-write.js';
import { ParleyError } from '../../model/errors.js';
import type { Post, ThreadMode } from '../../model/types.js';
import { baseStyles } from '../../styles/tokens.js';

/** One `RestAdapter` per `endpoint`, shared by every count on the page that names it. */
const endpoints = new Map<string, RestAdapter>();

/** The counts asked for in this task, by adapter: answered together by one `getCounts` call. */
const batches = new Map<CommentAdapter, Map<string, Set<ParleyCount>>>();

/** Asks `adapter` for the count of `threadId` for `element`, with every other count of this task. */
function ask(adapter: CommentAdapter, threadId: string, element: ParleyCount): void {
  let batch = batches.get(adapter);
  if (!batch) {
    const fresh = new Map<string, Set<ParleyCount>>();
    batches.set(adapter, (batch = fresh));
    queueMicrotask(() => {
      batches.delete(adapter);
      void answer(adapter, fresh);
    });
  }
  let waiting = batch.get(threadId);
  if (!waiting) batch.set(threadId, (waiting = new Set()));
  waiting.add(element);
}

/** Answers a batch: one `getCounts` call, or where the adapter has none, one page per thread. */
async function answer(
  adapter: CommentAdapter,
  batch: Map<string, Set<ParleyCount>>,
): Promise<void> {
  const ids = [...batch.keys()];
  try {
    const counts = adapter.getCounts
      ? await adapter.getCounts(ids)
      : Object.fromEntries(
          await Promise.all(
            ids.map(async (id) => {
              const page = await adapter.listPosts(id, { limit: 1 });
              return [id, page.total ?? page.posts.filter((p) => !p.deleted).length] as const;
            }),
          ),
        );
    for (const [id, elements] of batch)
      for (const element of elements) element.counted(id, counts[id] ?? 0);
  } catch (error) {
    const problem = ParleyError.from(error);
    for (const elements of batch.values()) for (const element of elements) element.failed(problem);
  }
}

/**
 * @tagname parley-count
 * @summary A thread's comment count, anywhere on a page: "12 comments" on a blog index, beside
 * each post's link. Every count on the page is answered by one call to its backend.
 *
 * Give it the thread the way `<parley-thread>` is given one: `thread-id`, or `href` (the page
 * whose thread to count, keyed by its URL as a thread without `thread-id` is), else the page's
 * own canonical URL; and its backend: `endpoint` (a Parley server) or the `adapter` property.
 * It counts the posts that are not deleted: in comments mode (the default) every comment and
 * reply, as the thread's heading does; with `mode="discussion"`, the replies to the opening post.
 * It follows the threads on the same page as their reader posts and deletes; with `live`, it
 * also follows the adapter's live changes (with a Parley server, one connection per counted
 * thread: for a few counts, not for an index of many).
 *
 * @fires parley-error - The count could not be had; `detail.error` (a `ParleyError`), `detail.operation` `load`.
 *
 * @csspart count - The text of the count.
 */
export class ParleyCount extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline;
      }
    `,
  ];

  /** Id of the thread to count. */
  @property({ attribute: 'thread-id', reflect: true }) threadId = '';
  /** URL of the page whose thread to count, when there is no `thread-id` (fragment ignored). */
  @property() href?: string;
  /** URL of a Parley server: the count then comes from it, through a shared `RestAdapter`. */
  @property() endpoint?: string;
  /** The backend, when the page has one in hand (the same as its threads', say). */
  @property({ attribute: false }) adapter: CommentAdapter | null = null;
  /** `comments` (every post, "12 comments") or `discussion` (the replies, "11 replies"). */
  @property({ reflect: true }) mode: ThreadMode = 'comments';
  /** Follow the adapter's live changes of the thread (one connection per thread on a server). */
  @property({ type: Boolean }) live = false;

  /** Posts that are not deleted, once known. */
  @state() private posts: number | null = null;
  private asked = '';
  private unsubscribe: (() => void) | null = null;
  private timer = 0;

  /** The thread counted: `thread-id`, else `href` as a key, else the page's canonical URL. */
  get key(): string {
    if (this.threadId) return this.threadId;
    if (!this.href) return canonicalUrl();
    const url = new URL(this.href, document.baseURI);
    url.hash = '';
    return url.href;
  }

  private backend(): CommentAdapter | null {
    if (this.adapter) return this.adapter;
    if (!this.endpoint) return null;
    let adapter = endpoints.get(this.endpoint);
    if (!adapter)
      endpoints.set(this.endpoint, (adapter = new RestAdapter({ endpoint: this.endpoint })));
    return adapter;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('parley-post-created', this.changed);
    document.addEventListener('parley-post-deleted', this.changed);
    // Moved in the page: it stopped following when it left, so it asks again.
    if (this.hasUpdated) this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('parley-post-created', this.changed);
    document.removeEventListener('parley-post-deleted', this.changed);
    this.follow(null);
    clearTimeout(this.timer);
    this.asked = '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (
      changed.has('threadId') ||
      changed.has('href') ||
      changed.has('endpoint') ||
      changed.has('adapter') ||
      changed.has('live') ||
      !this.asked
    )
      this.refresh();
  }

  /** Asks for the count again (with the other counts of this task). */
  refresh(): void {
    const adapter = this.backend();
    const key = this.key;
    this.asked = key;
    clearTimeout(this.timer);
    if (!adapter) {
      // The page's script may give it one right after the element: said once that has run.
      this.timer = window.setTimeout(() => {
        if (!this.backend())
          this.failed(
            new ParleyError('invalid', messages().countWithoutBackend, { field: 'endpoint' }),
          );
      });
      return;
    }
    ask(adapter, key, this);
    this.follow(this.live && adapter.subscribe ? adapter : null);
  }

  private follow(adapter: CommentAdapter | null): void {
    this.unsubscribe?.();
    this.unsubscribe =
      adapter?.subscribe?.(this.key, (change) => {
        if (['post-created', 'post-deleted', 'reload'].includes(change.type)) this.refresh();
      }) ?? null;
  }

  /** A thread on this page published or deleted a post of this count's thread. */
  private readonly changed = (event: Event): void => {
    const post = (event as Event & { detail?: { post?: Post } }).detail?.post;
    if (post?.threadId === this.asked) this.refresh();
  };

  /** The answer for `threadId` (called by the batch).
   * @internal
   */
  counted(threadId: string, posts: number): void {
    if (threadId === this.asked) this.posts = posts;
  }

  /** Why there is no count (called by the batch).
   * @internal
   */
  failed(error: ParleyError): void {
    this.dispatchEvent(new ParleyErrorEvent({ error, operation: 'load' }));
  }

  protected override render() {
    if (this.posts === null) return nothing;
    const m = messages();
    const text =
      this.mode === 'discussion'
        ? m.replies(Math.max(0, this.posts - 1))
        : m.commentCount(this.posts);
    return html`<span part="count">${text}</span>`;
  }
}
