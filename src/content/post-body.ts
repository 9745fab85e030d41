/**
 * A post's body for a Lit template: its sanitised HTML, or, while the markdown parser is still
 * on its way (a post without server-rendered `html`), nothing yet and a re-render of `host` once
 * it has come. Should it fail to load, the markdown source shows as plain text: nothing is lost.
 */
import { html, noChange, nothing, type ReactiveControllerHost } from 'lit';
import { Directive, directive } from 'lit/directive.js';
import type { Post } from '../model/types.js';
import { loadMarkdown, markdownLoading, renderPost, type RenderOptions } from './markdown.js';

let failed = false;

/**
 * Shows a copy of a sanitised, cached fragment (`renderPost`), made again only when the fragment
 * changes: the nodes are cloned, never parsed again from a string.
 */
class ContentDirective extends Directive {
  private shown: DocumentFragment | null = null;

  render(content: DocumentFragment) {
    if (content === this.shown) return noChange;
    this.shown = content;
    return document.importNode(content, true);
  }
}

const showContent = directive(ContentDirective);

export function postBody(
  host: ReactiveControllerHost,
  post: Pick<Post, 'id' | 'threadId' | 'body' | 'html' | 'createdAt' | 'editedAt'>,
  options: RenderOptions,
) {
  const rendered = renderPost(post, options);
  if (rendered !== undefined) return showContent(rendered);
  if (failed) return html`<p class="source">${post.body}</p>`;
  loadMarkdown().then(
    () => host.requestUpdate(),
    () => {
      failed = true;
      host.requestUpdate();
    },
  );
  return nothing;
}

/** What an element's `getUpdateComplete` awaits, so `updateComplete` means its body is shown. */
export async function bodiesSettled(): Promise<boolean> {
  const pending = markdownLoading();
  if (!pending) return false;
  await pending.catch(() => undefined);
  return true;
}
