/**
 * The one path from untrusted markdown to HTML: marked (`markdown-parse.ts`, loaded on first use)
 * → DOMPurify, or DOMPurify alone for a post's server-rendered `html`. Posts, previews, quote
 * popovers and the composer's Preview tab all render through here, and nothing else in Parley
 * turns a string into HTML.
 *
 * Links and images may point at this site (`/path`, `./x`, `../x`, `#frag`, `?query`) or at an
 * `https:`, `http:` or `mailto:` URL the author wrote out. Every URL is checked the way the browser
 * will read it, by resolving it, so `/\\evil.example` (which browsers read as `//evil.example`) and
 * its encoded and whitespace-split forms cannot reach another host. Remote images follow an
 * {@link ImagePolicy}: loaded, routed through the site's proxy, or shown as links.
 */
import createDOMPurify, { type Config } from 'dompurify';
import { ParleyError } from '../model/errors.js';
import type { Post } from '../model/types.js';

/** `rel` of every link in user content. */
export const LINK_REL = 'nofollow ugc noopener noreferrer';

/**
 * The text of the link that stands in for a remote image without alt text when images are off.
 * The component passes its localised label as `imageLabel`.
 */
const IMAGE_LABEL = 'Image';

/**
 * What happens to remote (cross-origin) images in posts; images on the page's own origin always
 * load. `load` loads them (lazily, without a referrer), `off` shows a link to each instead, so no
 * request leaves until the reader clicks, and `proxy` loads them through the site's own proxy:
 * `{url}` in `template` is replaced by the image's absolute URL, URI-encoded.
 */
export type ImagePolicy = { mode: 'load' } | { mode: 'off' } | { mode: 'proxy'; template: string };

/** Options of {@link renderMarkdown} and {@link renderPost}. */
export interface RenderOptions {
  /** What happens to remote images; `{ mode: 'load' }` when not given. */
  images?: ImagePolicy;
  /** The text of the link that replaces a remote image without alt text (`off`); `Image` by default. */
  imageLabel?: string;
}

/** Markdown to unsanitised HTML (`markdown-parse.ts`), once `markdown-ready.ts` has loaded. */
let parse: ((source: string) => string) | null = null;
let loading: Promise<void> | null = null;

/** Called by `markdown-ready.ts`. */
export function setMarkdownParser(parser: (source: string) => string): void {
  parse = parser;
}

/** Whether markdown can be rendered now (else {@link loadMarkdown} first). */
export const markdownReady = (): boolean => parse !== null;

/**
 * Loads the markdown parser (marked) the first time it is needed: a post without server-rendered
 * `html`, the composer's preview. Resolves at once when it is there. A failed load may be retried.
 */
export function loadMarkdown(): Promise<void> {
  if (parse) return Promise.resolve();
  return (loading ??= import('./markdown-ready.js').then(
    () => undefined,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  ));
}

/** The load of the parser while it is on its way, else `null`: what an element waits for. */
export const markdownLoading = (): Promise<void> | null => (parse ? null : loading);

const purify = createDOMPurify(window);

const config: Config & { RETURN_DOM_FRAGMENT: true } = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: [
    'style',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'option',
    'dialog',
    'template',
    'slot',
    'video',
    'audio',
    'source',
    'picture',
    'map',
    'area',
  ],
  // `background` (on tables and cells) loads an image that would escape the image policy.
  FORBID_ATTR: [
    'style',
    'id',
    'name',
    'tabindex',
    'autofocus',
    'srcset',
    'background',
    'part',
    'slot',
    'contenteditable',
    'popover',
  ],
  // A first filter; `checkedUrl` below decides. DOMPurify removes whitespace before testing, so
  // `/\t/x` reads as `//x` here, and a slash followed by a slash or backslash never passes.
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|[#?]|\/(?![/\\])|\.{1,2}\/)/i,
  // DOMPurify tests every attribute outside this list against ALLOWED_URI_REGEXP, which would
  // strip the table alignment and list start that marked writes; neither is a URL.
  ADD_URI_SAFE_ATTR: ['align', 'start'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

/** Characters the URL parser drops or that hide what a URL starts with: C0, space, DEL, C1, Unicode spaces. */
const URL_NOISE =
  /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

/** Schemes an author may write out; everything else must stay on this site. */
const SCHEMES = new Set(['https', 'http', 'mailto']);

const sameOrigin = (a: URL, b: URL) => a.protocol === b.protocol && a.host === b.host;

/**
 * The URL the browser will load for `raw` in a link or image, or `null` when it may not be used:
 * either an `https:`, `http:` or `mailto:` URL whose scheme the author wrote out, or a reference
 * that resolves on the page's own origin (never one that starts with two slashes or backslashes
 * in any mix, which the browser reads as another host).
 */
function checkedUrl(raw: string): URL | null {
  const compact = raw.replace(URL_NOISE, '');
  if (/^[/\\]{2}/.test(compact)) return null;
  let url: URL;
  let base: URL;
  try {
    base = new URL(document.baseURI);
    url = new URL(raw, base);
  } catch {
    return null;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1].toLowerCase();
  if (scheme !== undefined)
    return SCHEMES.has(scheme) && url.protocol === `${scheme}:` ? url : null;
  return sameOrigin(url, base) ? url : null;
}

// Only the markup Parley generates may carry a class or a data attribute: the mention span. A
// hand-written one keeps its class only when it reads exactly as the mention it claims to be.
// (A reader's own `target` never passes: links get theirs below.)
purify.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'class') {
    data.keepAttr =
      node.nodeName === 'SPAN' &&
      data.attrValue === 'mention' &&
      node.textContent?.toLowerCase() === `@${node.getAttribute('data-handle') ?? ''}`;
  } else if (data.attrName === 'data-handle') {
    data.forceKeepAttr = node.nodeName === 'SPAN' && /^[a-z0-9_.-]{1,40}$/.test(data.attrValue);
  }
});

// Every link and image URL is resolved and checked; one that fails loses its URL (`finish`
// then unwraps the link, keeping its text). An image needs an http(s) URL.
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A' && node.hasAttribute('href')) {
    const href = node.getAttribute('href') ?? '';
    if (!checkedUrl(href)) node.removeAttribute('href');
    else if (!href.startsWith('#')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', LINK_REL);
    }
  }
  if (node.nodeName === 'IMG') {
    const src = node.hasAttribute('src') ? checkedUrl(node.getAttribute('src') ?? '') : undefined;
    if (src === null || (src && !/^https?:$/.test(src.protocol))) node.removeAttribute('src');
    node.setAttribute('loading', 'lazy');
    node.setAttribute('decoding', 'async');
    node.setAttribute('referrerpolicy', 'no-referrer');
  }
});

// Parley's own DOMPurify instance, configured once: `sanitize(html, config)` would parse the whole
// config again on every call, once per post. The hooks above stay in force (`setConfig` leaves
// hooks alone), and nothing else uses this instance (a page's own DOMPurify is another one).
purify.setConfig(config);

/** Whether `template` is a usable proxy template: see {@link parseImagePolicy}. */
function isProxyTemplate(template: string): boolean {
  if (!template.includes('{url}') || /[\u0000-\u0020\u007f-\u009f]/.test(template)) return false;
  if (!/^(?:https?:\/\/|\/(?![/\\]))/i.test(template)) return false;
  // `{url}` must not reach the scheme, host or port: two different images give the same origin.
  const a = checkedUrl(template.replaceAll('{url}', 'a'));
  const b = checkedUrl(template.replaceAll('{url}', 'b%2Fc'));
  return !!a && !!b && a.protocol !== 'mailto:' && a.origin === b.origin;
}

/**
 * Reads the `image-proxy` attribute of `<parley-thread>` into an {@link ImagePolicy}: empty or
 * missing loads remote images, `off` (any case) shows them as links, and a URL template that
 * contains `{url}` and starts with `https://`, `http://` or `/` (a path on this site) routes them
 * through that proxy. Throws a `ParleyError` (`invalid`, field `image-proxy`) for anything else.
 */
export function parseImagePolicy(attribute: string | null | undefined): ImagePolicy {
  const value = (attribute ?? '').trim();
  if (value === '') return { mode: 'load' };
  if (value.toLowerCase() === 'off') return { mode: 'off' };
  if (isProxyTemplate(value)) return { mode: 'proxy', template: value };
  throw new ParleyError(
    'invalid',
    `image-proxy must be "off" or a URL template containing {url} that starts with https://, http:// or / (a path on this site), such as "https://images.example.com/proxy?url={url}"; got "${value}".`,
    { field: 'image-proxy' },
  );
}

/**
 * Applies the image policy and unwraps links that lost their URL, in a sanitised fragment. The
 * fragment belongs to DOMPurify's inert document, so nothing here (or in serialising it) loads.
 */
function finish(fragment: DocumentFragment, options: RenderOptions): void {
  const doc = fragment.ownerDocument;
  for (const a of fragment.querySelectorAll('a:not([href])')) a.replaceWith(...a.childNodes);
  let policy = options.images ?? { mode: 'load' };
  // A hand-built policy with a template parseImagePolicy would refuse fails closed.
  if (policy.mode === 'proxy' && !isProxyTemplate(policy.template)) policy = { mode: 'off' };
  if (policy.mode === 'load') return;
  for (const img of fragment.querySelectorAll('img[src]')) {
    const url = checkedUrl(img.getAttribute('src') ?? '');
    if (!url || sameOrigin(url, new URL(location.href))) continue;
    if (policy.mode === 'proxy') {
      img.setAttribute('src', policy.template.replaceAll('{url}', encodeURIComponent(url.href)));
      continue;
    }
    const text = img.getAttribute('alt') || options.imageLabel || IMAGE_LABEL;
    if (img.closest('a')) {
      // Already inside a link: a link cannot hold another, so the text alone stands in.
      img.replaceWith(text);
      continue;
    }
    const link = doc.createElement('a');
    link.setAttribute('href', url.href);
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', LINK_REL);
    const title = img.getAttribute('title');
    if (title) link.setAttribute('title', title);
    link.textContent = text;
    img.replaceWith(link);
  }
}

/**
 * Sanitises HTML from an untrusted source (marked's output, or a post's server-rendered `html`)
 * with the rules above, then applies the image policy. The one way HTML reaches the page.
 */
export function sanitizeHtml(html: string, options: RenderOptions = {}): string {
  const fragment = sanitizeFragment(html, options);
  const out = fragment.ownerDocument.createElement('div');
  out.append(fragment);
  return out.innerHTML;
}

/** {@link sanitizeHtml}, as the fragment it makes (in DOMPurify's inert document). */
function sanitizeFragment(html: string, options: RenderOptions): DocumentFragment {
  // The config set above has RETURN_DOM_FRAGMENT, which the call's type cannot know.
  const fragment = purify.sanitize(html) as unknown as DocumentFragment;
  finish(fragment, options);
  return fragment;
}

/**
 * Renders untrusted markdown to sanitised HTML. Links and images keep only URLs on this site or
 * `https:`, `http:` and `mailto:` URLs written out (a link that fails keeps its text); remote
 * images follow `options.images`, loading by default.
 *
 * Needs the markdown parser, which `parley-comments` (and `dist/parley.js`, once its import has
 * resolved) have loaded; code importing `content/markdown.js` alone awaits {@link loadMarkdown}.
 */
export function renderMarkdown(source: string, options: RenderOptions = {}): string {
  if (!parse)
    throw new ParleyError(
      'unavailable',
      'renderMarkdown() needs the markdown parser: await loadMarkdown() first.',
    );
  return sanitizeHtml(parse(source), options);
}

const cache = new Map<string, DocumentFragment>();
const CACHE_SIZE = 2000;

/**
 * The rendered body of one version of a post, parsed and sanitised once and then cached: keyed by
 * thread, id, edit time, length and the image options, so re-renders (and two threads on one
 * page, even with different image policies) never mix up or redo the work. A post that came
 * with server-rendered `html` is sanitised from it without parsing its markdown; one without is
 * `undefined` until the parser has loaded ({@link loadMarkdown}).
 *
 * It is the cached fragment itself, in DOMPurify's inert document (where nothing loads): what
 * shows it inserts a copy (`content/post-body.ts`), so nothing is parsed from a string twice.
 */
export function renderPost(
  post: Pick<Post, 'id' | 'threadId' | 'body' | 'html' | 'createdAt' | 'editedAt'>,
  options: RenderOptions = {},
): DocumentFragment | undefined {
  const images = options.images ?? { mode: 'load' };
  const policy = images.mode === 'proxy' ? `proxy ${images.template}` : images.mode;
  const source = typeof post.html === 'string' ? post.html : undefined;
  const key = [
    post.threadId,
    post.id,
    post.editedAt ?? post.createdAt,
    post.body.length,
    source === undefined ? '' : `html ${source.length}`,
    policy,
    options.imageLabel ?? '',
  ].join('\u0000');
  let content = cache.get(key);
  if (content === undefined) {
    if (source !== undefined) content = sanitizeFragment(source, options);
    else if (parse) content = sanitizeFragment(parse(post.body), options);
    else return undefined;
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, content);
  }
  return content;
}

const BLOCKS = new Set([
  'P',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'TR',
  'HR',
  'UL',
  'OL',
  'TABLE',
]);

/**
 * The readable text of rendered HTML (a string, or the nodes themselves): paragraphs separated by
 * blank lines, `<br>` as line breaks.
 */
export function textOf(html: string | Node): string {
  let root: Node;
  if (typeof html === 'string') {
    const template = document.createElement('template');
    template.innerHTML = html;
    root = template.content;
  } else root = html;
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
  root.childNodes.forEach(visit);
  return out
    .join('')
    .replace(/[ \t]*\n[ \t]*/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
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
