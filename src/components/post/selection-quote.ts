/**
 * "Quote" over text a reader selected in a post's body: shown in a popover above the selection,
 * it asks the thread to quote just that part. A post loads this the first time the page has a
 * text selection at all, so a reader who never selects anything never downloads it.
 */
import type { ReactiveControllerHost } from 'lit';
import { textOf } from '../../content/markdown.js';
import { PopoverController } from '../../controllers/popover.js';
import { ParleyQuoteRequestEvent } from '../../events/events.js';
import { selectionIn } from '../../internal/selection.js';
import { normalizeExcerpt } from '../../model/quote.js';
import type { Post } from '../../model/types.js';

/** The post, as the selection quote sees it. */
export interface SelectionHost extends ReactiveControllerHost, HTMLElement {
  readonly post: Post | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** The post's rendered body, its "Quote" button, and whether the post may be quoted now. */
export type SelectionParts = () => {
  body?: HTMLElement;
  button?: HTMLButtonElement;
  quotable: boolean;
};

/** The readable text of a selected range, with the line breaks quoting the whole post keeps. */
function textOfRange(range: Range): string {
  const holder = document.createElement('div');
  holder.append(range.cloneContents());
  return textOf(holder);
}

export class SelectionQuote {
  private readonly popover: PopoverController;
  private text = '';

  constructor(
    private readonly host: SelectionHost,
    private readonly parts: SelectionParts,
  ) {
    this.popover = new PopoverController(host, { placement: 'top', gap: 8 });
  }

  /** The selection changed: "Quote" over the part of it in the body, or hidden. */
  follow(): void {
    const { body, button, quotable } = this.parts();
    if (!body || !quotable) return;
    const range = selectionIn(this.host.renderRoot as ShadowRoot, body);
    const text = range ? normalizeExcerpt(textOfRange(range)) : '';
    if (!range || !text || !button) {
      if (this.popover.open) this.popover.hide();
      this.text = '';
      return;
    }
    this.text = text;
    this.popover.show({ getBoundingClientRect: () => range.getBoundingClientRect() }, button);
  }

  /** "Quote" was pressed: the selected text goes to the thread. */
  quote(event: Event): void {
    event.preventDefault();
    const text = this.text;
    const post = this.host.post;
    this.text = '';
    this.popover.hide();
    if (post && text) this.host.dispatchEvent(new ParleyQuoteRequestEvent({ post, text }));
  }
}
