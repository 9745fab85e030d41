import type { ReactiveControllerHost } from 'lit';
import type { CommentAdapter } from '../adapters/adapter.js';
import { ParleyError } from '../model/errors.js';
import type { ParleyOperation } from '../events/events.js';
import { readingMessages as messages } from '../i18n/messages.js';
import { PostStream } from '../model/stream.js';
import { onFirstUse } from '../internal/lazy.js';
import { loadWindowGaps, type GapSide } from '../components/thread/gap.js';
import type { PostPage } from '../model/types.js';

type StreamMoves = typeof import('./stream-moves.js');
/**
 * What fills gaps and loads around a post or the end (`stream-moves.ts`), loaded on first use
 * with the controls of the gaps between windows, which these moves make.
 */
const moves = onFirstUse(() =>
  Promise.all([import('./stream-moves.js'), loadWindowGaps()]).then(
    ([module]) => module,
    (cause: unknown) => {
      throw new ParleyError('network', messages().actionsFailed, { cause });
    },
  ),
);

export interface StreamLoaderOptions {
  adapter(): CommentAdapter | null;
  threadId(): string;
  pageSize(): number;
  /** The signal of the current load: a new load (another thread) cancels what is under way. */
  signal(): AbortSignal | undefined;
  /** The loaded posts changed. */
  changed(): void;
  /** Whether the thread reads as comments on the page ("Loaded 3 more comments."). */
  comments?(): boolean;
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

  // Not private: `stream-moves.ts` works with them too.
  constructor(
    readonly host: ReactiveControllerHost,
    readonly options: StreamLoaderOptions,
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
    if (added !== null)
      this.options.announce(
        this.options.comments?.()
          ? messages().loadedMoreComments(added)
          : messages().loadedMore(added),
      );
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
    return (await moves()).loadAround(this, postId);
  }

  /**
   * Fills a gap from one side, then puts the post that continues from that side where the
   * pressed button was, with focus on it (see `stream-moves.ts`). Resolves to the number of posts
   * added (and announced), or `null` when loading failed (the gap shows why).
   */
  async fillGap(
    key: string,
    cursor: string,
    side: GapSide,
    from: HTMLElement,
    belowId?: string,
  ): Promise<number | null> {
    let code: StreamMoves;
    try {
      code = await moves();
    } catch (error) {
      this.error = (error as ParleyError).message;
      this.host.requestUpdate();
      return null;
    }
    return code.fillGap(this, key, cursor, side, from, belowId);
  }

  /** Loads the last page when the end of the thread is not loaded yet. */
  async loadLatest(): Promise<void> {
    return (await moves()).loadLatest(this);
  }
}
