import type { ReactiveControllerHost } from 'lit';
import { capabilitiesOf, type CommentAdapter } from '../adapters/adapter.js';
import { ParleyError } from '../model/errors.js';
import type { ParleyOperation } from '../events/events.js';
import { messages } from '../i18n/messages.js';
import { PostStream } from '../model/stream.js';
import type { PostPage } from '../model/types.js';
import { holdAt, scrollByInside } from './scroll-anchor.js';

export interface StreamLoaderOptions {
  adapter(): CommentAdapter | null;
  threadId(): string;
  pageSize(): number;
  /** The signal of the current load: a new load (another thread) cancels what is under way. */
  signal(): AbortSignal | undefined;
  /** The loaded posts changed. */
  changed(): void;
  fail(operation: ParleyOperation, error: ParleyError): void;
  /** Says how many posts a "Load more" or a gap brought. */
  announce(message: string): void;
  /** The rendered element of a post. */
  element(postId: string): HTMLElement | null;
}

/**
 * The loaded part of a long thread and how more of it arrives: the next page at the end, a page
 * into a gap from either side (requests for the same gap are shared), the window around one post,
 * and the last page. `loading` names what is under way (`end`, `before:…`, `after:…`) and
 * `error` the last failure, for the buttons that show them.
 */
export class StreamLoaderController {
  /** The loaded windows of the thread and the gaps between them. */
  readonly stream = new PostStream();
  /** Keys of the gaps being loaded (`end`, or `before:`/`after:` plus a cursor). */
  loading: ReadonlySet<string> = new Set();
  /** Why loading more failed, for the reader; empty when it did not. */
  error = '';
  private pending = new Map<string, Promise<number>>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: StreamLoaderOptions,
  ) {}

  /** Starts over with a thread's first page. */
  reset(page: PostPage): void {
    this.pending.clear();
    this.loading = new Set();
    this.error = '';
    this.stream.clear();
    this.stream.add(page);
    this.options.changed();
  }

  /** Forgets what is under way (a new load started). */
  cancel(): void {
    this.pending.clear();
    this.loading = new Set();
    this.error = '';
    this.host.requestUpdate();
  }

  /** Loads the next page at the end; resolves to the number of posts added. */
  loadMore(): Promise<number> {
    const last = this.stream.segments.at(-1);
    return last?.nextCursor ? this.loadPage('end', last.nextCursor) : Promise.resolve(0);
  }

  /** "Load more" (the button, or the reader nearing the end): the next page, announced; a failure shows by the button. */
  async more(): Promise<void> {
    const added = await this.loadMore().catch(() => null);
    if (added !== null) this.options.announce(messages().loadedMore(added));
  }

  /** Loads one page from a cursor (the key names the gap it fills); shares a request already under way. */
  loadPage(key: string, cursor: string): Promise<number> {
    const pending = this.pending.get(key);
    if (pending) return pending;
    const page = this.fetchPage(cursor).finally(() => {
      this.pending.delete(key);
      const keys = new Set(this.loading);
      keys.delete(key);
      this.loading = keys;
      this.host.requestUpdate();
    });
    this.pending.set(key, page);
    this.loading = new Set([...this.loading, key]);
    this.host.requestUpdate();
    return page;
  }

  private async fetchPage(cursor: string): Promise<number> {
    const { options } = this;
    const adapter = options.adapter();
    if (!adapter) return 0;
    this.error = '';
    const signal = options.signal();
    try {
      const page = await adapter.listPosts(options.threadId(), {
        cursor,
        limit: options.pageSize(),
        signal,
      });
      if (signal?.aborted) return 0;
      const added = this.stream.add(page);
      options.changed();
      return added;
    } catch (error) {
      const e = ParleyError.from(error);
      if (e.code !== 'aborted') {
        this.error = `${messages().loadFailed} ${e.message}`;
        this.host.requestUpdate();
        options.fail('load-more', e);
      }
      throw e;
    }
  }

  /** Loads the window of posts around `postId` (or, without the window query, pages until it). */
  async loadAround(postId: string): Promise<void> {
    const { options } = this;
    const adapter = options.adapter()!;
    const signal = options.signal();
    if (!capabilitiesOf(adapter).window || !adapter.listPostsAround) {
      while (!this.stream.has(postId) && this.stream.segments.at(-1)?.nextCursor)
        await this.loadMore();
      return;
    }
    const pageSize = options.pageSize();
    const before = Math.floor((pageSize - 1) / 2);
    const page = await adapter.listPostsAround(options.threadId(), postId, {
      before,
      after: pageSize - 1 - before,
      signal,
    });
    if (signal?.aborted) return;
    this.stream.add(page);
    options.changed();
  }

  /**
   * Fills a gap from one side, then puts the post that continues from that side where the
   * pressed button was, with focus on it: the reader keeps their place and reads on. Later posts
   * arrive below what is above the gap, and the first of them takes the button's place; earlier
   * posts arrive above what is below it, which stays still. Resolves to the number of posts
   * added (and announced), or `null` when loading failed (the gap shows why).
   */
  async fillGap(
    key: string,
    cursor: string,
    side: 'later' | 'earlier',
    from: HTMLElement,
    belowId?: string,
  ): Promise<number | null> {
    const { options } = this;
    const top = from.getBoundingClientRect().top;
    const below = belowId ? options.element(belowId) : null;
    const belowTop = below?.getBoundingClientRect().top ?? null;
    const before = new Set(this.stream.posts.map((p) => p.id));
    let added: number;
    try {
      added = await this.loadPage(key, cursor);
    } catch {
      return null;
    }
    options.announce(messages().loadedMore(added));
    await this.host.updateComplete;
    const fresh = this.stream.posts.filter((p) => !before.has(p.id));
    const target = side === 'later' ? fresh[0] : fresh.at(-1);
    const element = target ? options.element(target.id) : null;
    if (element) {
      if (side === 'later') scrollByInside(element, element.getBoundingClientRect().top - top);
      if (side === 'earlier' && below && belowTop !== null)
        scrollByInside(below, below.getBoundingClientRect().top - belowTop);
      const box = element.getBoundingClientRect();
      if (box.bottom < 0 || box.top > window.innerHeight)
        element.scrollIntoView({ block: 'nearest', behavior: 'instant' });
      element.focus({ preventScroll: true });
      if (side === 'earlier' && below && belowTop !== null) void holdAt(below, belowTop);
      else void holdAt(element, side === 'later' ? top : element.getBoundingClientRect().top);
    }
    return added;
  }

  /** Loads the last page when the end of the thread is not loaded yet. */
  async loadLatest(): Promise<void> {
    const { options } = this;
    if (!this.stream.segments.at(-1)?.nextCursor) return;
    const page = await options.adapter()!.listPosts(options.threadId(), {
      direction: 'backward',
      limit: options.pageSize(),
      signal: options.signal(),
    });
    this.stream.add(page);
    options.changed();
  }
}
