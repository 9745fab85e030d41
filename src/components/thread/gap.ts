import { html, nothing, type TemplateResult } from 'lit';
import { formatDateTime } from '../../i18n/format.js';
import { messages } from '../../i18n/messages.js';
import type { Gap } from '../../model/stream.js';
import type { Post } from '../../model/types.js';

/** Which side of a gap a button loads: the posts after the ones above, or before the ones below. */
export type GapSide = 'later' | 'earlier';

/** What a gap's controls show and do. */
export interface GapView {
  gap: Gap;
  pageSize: number;
  locale?: string;
  timeZone?: string;
  /** How the posts of a gap arrive (the thread's `StreamLoaderController`). */
  loader: {
    /** Keys of the gaps being loaded (`end`, `before:…`, `after:…`). */
    readonly loading: ReadonlySet<string>;
    /** Why loading more failed, if it did. */
    readonly error: string;
    more(): Promise<void>;
    fillGap(
      key: string,
      cursor: string,
      side: GapSide,
      from: HTMLElement,
      belowId: string | undefined,
    ): Promise<unknown>;
  };
}

/**
 * "Load more" at the end of the loaded posts, or the controls of a gap between loaded windows,
 * in reading order: the top button continues the posts above, the bottom one leads into the
 * posts below; each says which side it loads by the time of the post it continues from.
 */
export function renderGap(view: GapView): TemplateResult {
  const m = messages();
  const { gap, loader } = view;
  const { loading } = loader;
  if (!gap.after) {
    const busy = loading.has('end');
    return html`<div class="more end">
      <button class="button outline" part="load-more" @click=${() => void loader.more()} ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
        ${busy ? m.loadingMore : m.loadMore}${gap.count && !busy ? ` (${gap.count.toLocaleString(view.locale)})` : ''}
      </button>
      ${loader.error ? html`<p class="alert" role="alert">${loader.error}</p>` : nothing}
    </div>`;
  }
  const later = gap.before?.nextCursor ?? null;
  const earlier = gap.after.prevCursor;
  const when = (post: Post | undefined) =>
    post ? formatDateTime(post.createdAt, { locale: view.locale, timeZone: view.timeZone }) : '';
  const lastAbove = gap.before?.posts.at(-1);
  const firstBelow = gap.after.posts[0];
  const pageCount = gap.count === null ? view.pageSize : Math.min(gap.count, view.pageSize);
  const button = (label: string, part: string, key: string, cursor: string, side: GapSide) => {
    const busy = loading.has(key);
    return html`<button
      class="button outline"
      part=${part}
      ?disabled=${busy}
      aria-busy=${busy ? 'true' : 'false'}
      @click=${(e: Event) => void loader.fillGap(key, cursor, side, e.currentTarget as HTMLElement, firstBelow?.id)}
    >
      ${busy ? m.loadingMore : label}
    </button>`;
  };
  const small = gap.count !== null && gap.count <= view.pageSize;
  const span = lastAbove && firstBelow ? ` (${m.gapSpan(when(lastAbove), when(firstBelow))})` : '';
  const label = html`<span class="gap-label">${m.hiddenPosts(gap.count)}${span}</span>`;
  return html`<div class="more gap" part="gap" role="group" aria-label=${m.hiddenPosts(gap.count)}>
    ${
      small
        ? html`${label}${button(m.loadHidden(gap.count!), 'load-hidden', later ? `after:${later}` : `before:${earlier}`, (later ?? earlier)!, later ? 'later' : 'earlier')}`
        : html`${later ? button(m.loadLater(pageCount, when(lastAbove)), 'load-later', `after:${later}`, later, 'later') : nothing}
        ${label}
        ${earlier ? button(m.loadEarlier(pageCount, when(firstBelow)), 'load-earlier', `before:${earlier}`, earlier, 'earlier') : nothing}`
    }
    ${loader.error ? html`<p class="alert" role="alert">${loader.error}</p>` : nothing}
  </div>`;
}
