/**
 * The thread's small panels: the loading skeleton, a failed load, the reply count, "Show N new
 * replies", "Jump to the latest reply", the live-update and storage notices, and "Back to where I
 * was". Template functions, rendered in the thread's shadow root.
 */
import { html, nothing } from 'lit';
import { readingMessages as messages } from '../../i18n/messages.js';
import type { ParleyError } from '../../model/errors.js';

/** The loading placeholder: a title bar and three posts. */
export function renderSkeleton() {
  const m = messages();
  const row = html`<div class="skeleton" part="skeleton" aria-hidden="true">
    <div class="bone circle"></div>
    <div class="bone short"></div>
    <div class="bone long"></div>
    <div class="bone long"></div>
  </div>`;
  return html`<div role="status">
    <span class="visually-hidden">${m.loading}</span>
    <div class="skeleton" aria-hidden="true"><div class="bone title-bone" style="grid-column: 1 / -1"></div></div>
    ${row}${row}${row}
  </div>`;
}

/** A failed load: what happened, the cause for the site owner, and Retry where it can help. */
export function renderError(error: ParleyError | null, retry: () => void) {
  const m = messages();
  return html`<div class="state error" part="state" role="alert">
    <p><strong>${m.loadFailed}</strong></p>
    <p>${error?.message}</p>
    ${renderDiagnostic(error)}
    ${error?.code === 'invalid' ? nothing : html`<button class="button outline" part="retry" @click=${retry}>${m.retry}</button>`}
  </div>`;
}

/** The technical cause of a failure, for the site owner: folded away from readers. */
export function renderDiagnostic(error: ParleyError | null) {
  if (!error?.diagnostic) return nothing;
  return html`<details class="diagnostic" part="diagnostic"
    ><summary>${messages().forSiteOwner}</summary><p>${error.diagnostic}</p></details
  >`;
}

/** The embedded backend's storage failed (live updates' notices are the interaction's). */
export function renderStorageNotice(problem: string | null) {
  return problem
    ? html`<p class="notice warn" part="notice" role="alert">${messages().storageProblem(problem)}</p>`
    : nothing;
}

/** The reply box (and what else a reader does besides reading) could not be loaded: Retry. */
export function renderInteractionFailed(retry: () => void) {
  const m = messages();
  return html`<div class="state error" part="state" role="alert">
    <p>${m.actionsFailed}</p>
    <button class="button outline" part="retry" @click=${retry}>${m.retry}</button>
  </div>`;
}

/**
 * The "N replies" heading (`count`), at `level`, with "Jump to the latest reply" while the end is
 * not loaded. `title`: it is the thread's heading, as in comments mode, and looks like one.
 */
export function renderCountRow(
  level: number,
  count: string,
  jumpLatest: (() => void) | null,
  title = false,
) {
  return html`<div class="count-row">
    <div class=${title ? 'title' : 'count'} id=${title ? 'title' : 'count'} part="reply-count" role="heading" aria-level=${Math.min(6, level)}>${count}</div>
    ${jumpLatest ? html`<button class="button" part="jump-latest" @click=${jumpLatest}>${title ? messages().jumpToLatestComment : messages().jumpToLatest}</button>` : nothing}
  </div>`;
}

/**
 * "Jump to the latest reply" ("comment", in comments mode), floating at the end while the end
 * of the thread is not loaded.
 */
export function renderJumpFloat(jumpLatest: () => void, comments: boolean) {
  const m = messages();
  return html`<div class="float"><button class="button primary" part="jump-latest" @click=${jumpLatest}>${comments ? m.jumpToLatestComment : m.jumpToLatest}</button></div>`;
}
