/**
 * How a thread moves through its posts beyond the next page: the window around one post, the
 * last page, and filling a gap from either side with the reader's place kept. Loaded the first
 * time a reader does one of these (`stream-loader.ts`), not with the first view.
 */
import { capabilitiesOf } from '../adapters/adapter.js';
import { readingMessages as messages } from '../i18n/messages.js';
import { holdAt, scrollByInside } from '../internal/scroll.js';
import type { GapSide } from '../components/thread/gap.js';
import type { StreamLoaderController } from './stream-loader.js';

/** Loads the window of posts around `postId` (or, without the window query, pages until it). */
export async function loadAround(loader: StreamLoaderController, postId: string): Promise<void> {
  const { options, stream } = loader;
  const adapter = options.adapter()!;
  const signal = options.signal();
  if (!capabilitiesOf(adapter).window || !adapter.listPostsAround) {
    while (!stream.has(postId) && stream.segments.at(-1)?.nextCursor) await loader.loadMore();
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
  stream.add(page);
  options.changed();
}

/**
 * Fills a gap from one side, then puts the post that continues from that side where the
 * pressed button was, with focus on it: the reader keeps their place and reads on. Later posts
 * arrive below what is above the gap, and the first of them takes the button's place; earlier
 * posts arrive above what is below it, which stays still. Resolves to the number of posts
 * added (and announced), or `null` when loading failed (the gap shows why).
 */
export async function fillGap(
  loader: StreamLoaderController,
  key: string,
  cursor: string,
  side: GapSide,
  from: HTMLElement,
  belowId?: string,
): Promise<number | null> {
  const { options, stream } = loader;
  const top = from.getBoundingClientRect().top;
  const below = belowId ? options.element(belowId) : null;
  const belowTop = below?.getBoundingClientRect().top ?? null;
  const before = new Set(stream.posts.map((p) => p.id));
  let added: number;
  try {
    added = await loader.loadPage(key, cursor);
  } catch {
    return null;
  }
  options.announce(
    options.comments?.() ? messages().loadedMoreComments(added) : messages().loadedMore(added),
  );
  await loader.host.updateComplete;
  const fresh = stream.posts.filter((p) => !before.has(p.id));
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
export async function loadLatest(loader: StreamLoaderController): Promise<void> {
  const { options, stream } = loader;
  if (!stream.segments.at(-1)?.nextCursor) return;
  const page = await options.adapter()!.listPosts(options.threadId(), {
    direction: 'backward',
    limit: options.pageSize(),
    signal: options.signal(),
  });
  stream.add(page);
  options.changed();
}
