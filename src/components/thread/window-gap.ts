/**
 * The controls of a gap between loaded windows of a long thread ("N posts here are not loaded",
 * with a button for each side): loaded with the code of jumps and filled gaps, which make them.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatDateTime } from '../../i18n/format.js';
import { messages } from '../../i18n/messages-write.js';
import type { Post } from '../../model/types.js';
import type { GapSide, GapView } from './gap.js';

/**
 * In reading order: the top button continues the posts above, the bottom one leads into the
 * posts below; each says which side it loads by the time of the post it continues from.
 */
export function renderWindowGap(view: GapView): TemplateResult {
  const m = messages();
  const { gap, loader } = view;
  const { loading } = loader;
  const after = gap.after!;
  const later = gap.before?.nextCursor ?? null;
  const earlier = after.prevCursor;
  const when = (post: Post | undefined) =>
    post ? formatDateTime(post.createdAt, { locale: view.locale, timeZone: view.timeZone }) : '';
  const lastAbove = gap.before?.posts.at(-1);
  const firstBelow = after.posts[0];
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
