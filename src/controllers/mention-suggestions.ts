import type { ReactiveControllerHost } from 'lit';
import { caretRect } from '../internal/caret.js';
import { PopoverController } from './popover.js';
import { mentionQueryAt, suggestMentions } from '../model/mentions.js';
import type { Author } from '../model/types.js';

/**
 * @mention suggestions for a text field: the people matching the `@query` at the caret, a list
 * anchored to the caret (through the popover primitive), moving through it with the arrows, and
 * inserting the chosen handle the native way, so undo keeps working and the field fires `input`.
 * The host renders `suggestions` and `active` in the list the field's `aria-controls` names;
 * this controller asks it to re-render when they change.
 */
export class MentionSuggestionsController {
  /** The people offered for the `@query` at the caret; empty while closed. */
  suggestions: Author[] = [];
  /** The highlighted suggestion. */
  active = 0;
  /** The field typed in, and where the `@query` being typed starts in it. */
  private field?: HTMLTextAreaElement;
  private start = -1;
  private readonly popover: PopoverController;

  constructor(private readonly host: ReactiveControllerHost) {
    this.popover = new PopoverController(host, { placement: 'bottom-start', gap: 4 });
  }

  /** Offers those of `people` who match the `@query` at the caret of `field`, or closes the list. */
  update(field: HTMLTextAreaElement | null | undefined, people: readonly Author[]): void {
    if (!field) return;
    const caret = field.selectionStart;
    const found = field.selectionEnd === caret ? mentionQueryAt(field.value, caret) : null;
    const list = found ? suggestMentions(people, found.query) : [];
    if (!found || list.length === 0) return this.close();
    this.field = field;
    this.start = found.start;
    this.suggestions = list;
    this.active = Math.min(this.active, list.length - 1);
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => {
      const anchor = { getBoundingClientRect: () => caretRect(field, this.start) };
      const id = field.getAttribute('aria-controls');
      const floating = id && (field.getRootNode() as Document | ShadowRoot).getElementById(id);
      if (floating && this.suggestions.length) this.popover.show(anchor, floating);
    });
  }

  /** Closes the list. */
  close(): void {
    if (this.suggestions.length === 0 && !this.popover.open) return;
    this.suggestions = [];
    this.active = 0;
    this.popover.hide();
    this.host.requestUpdate();
  }

  /**
   * The list's keys while it is open: arrows move, Enter (without Ctrl/Cmd) or Tab inserts,
   * Escape closes. Returns whether the key was taken.
   */
  handleKeydown(event: KeyboardEvent): boolean {
    const count = this.suggestions.length;
    const { key } = event;
    const move = key === 'ArrowDown' || key === 'ArrowUp';
    const pick = (key === 'Enter' && !event.ctrlKey && !event.metaKey) || key === 'Tab';
    if (count === 0 || !(move || pick || key === 'Escape')) return false;
    event.preventDefault();
    if (move) {
      this.active = (this.active + (key === 'ArrowDown' ? 1 : count - 1)) % count;
      this.host.requestUpdate();
    } else if (pick) {
      this.choose(this.suggestions[this.active]);
    } else {
      event.stopPropagation();
      this.close();
    }
    return true;
  }

  /** Replaces the `@query` being typed with the chosen person's handle. */
  choose(author: Author | undefined): void {
    const { field } = this;
    if (!field || !author?.handle) return;
    const caret = field.selectionStart;
    field.focus();
    field.setSelectionRange(this.start, caret);
    insertText(field, `@${author.handle} `);
    this.close();
  }
}

/** Inserts text at the selection the native way, so the browser's undo keeps working. */
function insertText(field: HTMLTextAreaElement, text: string): void {
  let inserted = false;
  try {
    inserted = document.execCommand('insertText', false, text);
  } catch {
    inserted = false;
  }
  if (!inserted || !field.value.includes(text)) {
    field.setRangeText(text, field.selectionStart, field.selectionEnd, 'end');
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
