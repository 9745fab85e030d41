/**
 * The composer's regions around its text field: the signed-out and locked notices, the attached
 * quote, the @mention list and a failed send: template functions, rendered in the composer's
 * shadow root (`uid` prefixes the ids that tie them to the field). Also the first control a
 * signed-out reader can focus.
 */
import { html, nothing } from 'lit';
import type { AttachedQuote } from '../../controllers/draft.js';
import type { MentionSuggestionsController } from '../../controllers/mention-suggestions.js';
import { messages } from '../../i18n/messages-write.js';

/** What a locked thread shows instead of the form. */
export function renderLocked() {
  return html`<div class="locked" part="locked"><p>${messages().threadLocked}</p></div>`;
}

/**
 * What a signed-out reader sees: the prompt (to comment, for `comment`) and Log in (or the
 * page's own `login` slot).
 */
export function renderSignedOut(logIn: () => void, comment = false) {
  const m = messages();
  return html`<div class="signed-out" part="signed-out">
      <p>${comment ? m.signedOutToComment : m.signedOut}</p>
      <slot name="login"><button class="button primary" @click=${logIn}>${m.logIn}</button></slot>
    </div>`;
}

/** The editor could not be loaded: why, and Retry. */
export function renderEditorFailed(retry: () => void) {
  const m = messages();
  return html`<div class="error" part="error" role="alert">
      <p>${m.editorFailed}</p>
      <button type="button" class="button outline" @click=${retry}>${m.retry}</button>
    </div>`;
}

/** The first control shown without the text field: Log in (slotted or default), or a button. */
export function firstControl(root: HTMLElement | DocumentFragment): HTMLElement | null {
  const slot = root.querySelector<HTMLSlotElement>('slot[name="login"]');
  const slotted = slot
    ?.assignedElements({ flatten: true })
    .find((el): el is HTMLElement => el instanceof HTMLElement);
  const focusable = slotted?.matches('a[href], button, [tabindex]')
    ? slotted
    : slotted?.querySelector<HTMLElement>('a[href], button, [tabindex]');
  return focusable ?? root.querySelector<HTMLElement>('button');
}

/** The excerpt attached by Quote, with ✕ to remove it. */
export function renderQuote(quote: AttachedQuote, remove: () => void) {
  const m = messages();
  return html`<div class="attached" part="attached-quote">
      <div class="text">
        <strong>${m.quoting(quote.author.handle ? `@${quote.author.handle}` : quote.author.name)}</strong>
        <div class="excerpt" dir="auto">${quote.text}</div>
      </div>
      <button type="button" @click=${remove} aria-label=${m.removeQuote} title=${m.removeQuote}>✕</button>
    </div>`;
}

/** The @mention list (hidden until the suggestions open it as a popover under the caret). */
export function renderSuggestions(uid: string, mentions: MentionSuggestionsController) {
  return html`<ul class="suggestions" part="suggestions" role="listbox" id="${uid}-suggestions" aria-label=${messages().mentionSuggestions} hidden>
      ${mentions.suggestions.map(
        (person, i) => html`<li
          role="option"
          part="suggestion"
          id="${uid}-option-${i}"
          aria-selected=${i === mentions.active ? 'true' : 'false'}
          @pointerdown=${(e: PointerEvent) => (e.preventDefault(), mentions.choose(person))}
        >
          <span class="name">${person.name}</span><span class="handle">@${person.handle}</span>
        </li>`,
      )}
    </ul>`;
}

/** A failed send: why, with Retry (a submit button, so it sends the text again). */
export function renderSendError(error: string, busy: boolean) {
  if (!error) return nothing;
  return html`<div class="error" part="error" role="alert">
      <p>${error}</p>
      <button type="submit" class="button outline" data-action="retry" aria-disabled=${busy ? 'true' : 'false'}>${messages().retry}</button>
    </div>`;
}
