/**
 * The panels of a thread's interaction: the live-update notices, "Show N new replies" and "Back
 * to where I was". Template
 * functions, rendered in the thread's shadow root once its interaction has loaded.
 */
import { html, nothing } from 'lit';
import { messages } from '../../i18n/messages-write.js';

/** "Back to where I was", right after the post the reader jumped to (the next Tab reaches it). */
export function renderBack(back: () => void) {
  const m = messages();
  return html`<div class="back"
    ><button class="button primary" part="back" aria-keyshortcuts="b" title=${m.backShortcut} @click=${back}>${m.backToPlace}</button></div
  >`;
}

/** Live updates stopped, or came back. */
export function renderLive(live: boolean | null, back: boolean) {
  const m = messages();
  return live === false
    ? html`<p class="notice" part="notice" role="status">${m.liveDown}</p>`
    : back
      ? html`<p class="notice ok" part="notice" role="status">${m.liveBack}</p>`
      : nothing;
}

/**
 * "Show N new replies" ("comments", in comments mode): posts by others that arrived live wait
 * behind it.
 */
export function renderIncoming(count: number, show: () => void, comments = false) {
  if (count === 0) return nothing;
  const m = messages();
  return html`<div class="incoming"><button class="button primary" part="new-replies" @click=${show}>${comments ? m.newComments(count) : m.newReplies(count)}</button></div>`;
}
