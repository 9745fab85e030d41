/**
 * The one path from untrusted markdown to HTML: marked → DOMPurify. Posts, previews, quote
 * popovers and the composer's Preview tab all render through here, and nothing else in Parley
 * turns a string into HTML.
 */
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import createDOMPurify, { type Config } from 'dompurify';
import type { Post } from '../model/types.js';

/** `rel` of every link in user content. */
export const LINK_REL = 'nofollow ugc noopener noreferrer';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** `@handle` at the start of a word becomes `<span class="mention" data-handle>`. */
const mention: TokenizerAndRendererExtension = {
  name: 'mention',
  level: 'inline',
  start(src) {
    const match = /(?:^|[^\w@./-])@[A-Za-z0-9_]/.exec(src);
    if (!match) return undefined;
    return match.index + match[0].length - 2;
  },
  tokenizer(src) {
    const match = /^@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)/.exec(src);
    return match ? { type: 'mention', raw: match[0], handle: match[1] } : undefined;
  },
  renderer(token) {
    const handle = escapeAttr(String(token.handle));
    return `<span class="mention" data-handle="${handle.toLowerCase()}">@${handle}</span>`;
  },
};

const marked = new Marked({ gfm: true, breaks: true, async: false, extensions: [mention] });

const purify = createDOMPurify(window);

const config: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'dialog', 'template', 'slot', 'video', 'audio', 'source', 'picture', 'map', 'area'],
  FORBID_ATTR: ['style', 'id', 'name', 'tabindex', 'autofocus', 'srcset', 'part', 'slot', 'contenteditable', 'popover'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/(?!\/)|\.{1,2}\/)/i,
  ALLOW_DATA_ATTR: false,
};

// Only the markup Parley generates may carry a class or a data attribute: the mention span. A
// hand-written one keeps its class only when it reads exactly as the mention it claims to be.
// (A reader's own `target` never passes: links get theirs below.)
purify.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'class') {
    data.keepAttr =
      node.nodeName === 'SPAN' && data.attrValue === 'mention' && node.textContent?.toLowerCase() === `@${node.getAttribute('data-handle') ?? ''}`;
  } else if (data.attrName === 'data-handle') {
    data.forceKeepAttr = node.nodeName === 'SPAN' && /^[a-z0-9_.-]{1,40}$/.test(data.attrValue);
  }
});

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A' && node.hasAttribute('href')) {
    const href = node.getAttribute('href') ?? '';
    if (!href.startsWith('#')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', LINK_REL);
    }
  }
  if (node.nodeName === 'IMG') {
    node.setAttribute('loading', 'lazy');
    node.setAttribute('decoding', 'async');
    node.setAttribute('referrerpolicy', 'no-referrer');
  }
});

/** Renders untrusted markdown to sanitised HTML. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false });
  return purify.sanitize(html, config);
}

const cache = new Map<string, string>();
const CACHE_SIZE = 2000;

/**
 * The rendered body of one version of a post, parsed and sanitised once and then cached: keyed by
 * thread, id, edit time and length, so re-renders (and two threads on one page) never mix up or
 * redo the work.
 */
export function renderPost(post: Pick<Post, 'id' | 'threadId' | 'body' | 'createdAt' | 'editedAt'>): string {
  const key = `${post.threadId}\u0000${post.id}\u0000${post.editedAt ?? post.createdAt}\u0000${post.body.length}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = renderMarkdown(post.body);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, html);
  }
  return html;
}

const BLOCKS = new Set(['P', 'LI', 'BLOCKQUOTE', 'PRE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TR', 'HR', 'UL', 'OL', 'TABLE']);

/** The readable text of rendered HTML: paragraphs separated by blank lines, `<br>` as line breaks. */
export function textOf(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  const out: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) out.push(node.nodeValue ?? '');
    else if (node.nodeName === 'BR') out.push('\n');
    else if (node.nodeName === 'IMG') out.push((node as HTMLImageElement).alt);
    else {
      const block = BLOCKS.has(node.nodeName);
      if (block) out.push('\n\n');
      node.childNodes.forEach(visit);
      if (block) out.push('\n\n');
    }
  };
  template.content.childNodes.forEach(visit);
  return out.join('').replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Marks the mention spans in rendered content whose handle names a participant
 * (`data-known`), so only real people are styled as mentions.
 */
export function markMentions(root: ParentNode, known: ReadonlySet<string>): void {
  for (const span of root.querySelectorAll<HTMLElement>('span.mention[data-handle]')) {
    span.toggleAttribute('data-known', known.has(span.dataset.handle ?? ''));
  }
}
