/**
 * Parley's markdown rules, without the DOM: marked with GitHub-flavoured markdown, line breaks,
 * and `@handle` mentions. The reference server renders posts' `html` with it, and the browser
 * renders with it whatever came without `html`; both then go through the one sanitising path
 * (`markdown.ts`), so what this returns is never trusted as it is.
 */
import { Marked, type TokenizerAndRendererExtension } from 'marked';

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

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

/** Markdown to HTML, unsanitised. */
export function parseMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}
