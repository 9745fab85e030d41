import { html, nothing, type TemplateResult } from 'lit';
import { readingMessages as messages } from '../../i18n/messages.js';
import type { Gap } from '../../model/stream.js';
import { onFirstUse } from '../../internal/lazy.js';

/** Which side of a gap a button loads: the posts after the ones above, or before the ones below. */
export type GapSide = 'later' | 'earlier';

/** What a gap's controls show and do. */
export interface GapView {
  gap: Gap;
  pageSize: number;
  /** The thread reads as comments on the page ("Load more comments"). */
  comments?: boolean;
  locale?: string;
  timeZone?: string;
  /** How the posts of a gap arrive (the thread's `StreamLoaderController`). */
  loader: {
    /** The thread, rendered again once the code of a gap has loaded. */
    readonly host: { requestUpdate(): void };
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
export function renderGap(view: GapView): TemplateResult | typeof nothing {
  const m = messages();
  const { gap, loader } = view;
  const { loading } = loader;
  if (!gap.after) {
    const busy = loading.has('end');
    return html`<div class="more end">
      <button class="button outline" part="load-more" @click=${() => void loader.more()} ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
        ${busy ? m.loadingMore : view.comments ? m.loadMoreComments : m.loadMore}${gap.count && !busy ? ` (${gap.count.toLocaleString(view.locale)})` : ''}
      </button>
      ${loader.error ? html`<p class="alert" role="alert">${loader.error}</p>` : nothing}
    </div>`;
  }
  // Gaps between windows come from jumps and filled gaps (`stream-moves.ts`), which load the
  // code that shows them first; should one show before that code has come, it comes now.
  if (windowGaps) return windowGaps.renderWindowGap(view);
  void loadWindowGaps().then(
    () => loader.host.requestUpdate(),
    () => undefined, // the moves that need it fail too, and say so by the gap
  );
  return nothing;
}

let windowGaps: typeof import('./window-gap.js') | null = null;

/** Loads the controls of gaps between loaded windows (`window-gap.ts`). */
export const loadWindowGaps = onFirstUse(() =>
  import('./window-gap.js').then((module) => void (windowGaps = module)),
);
