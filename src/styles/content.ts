import { css } from 'lit';
import { token } from './tokens.js';

/** Typography of rendered markdown (post bodies, previews, quote popovers). */
export const contentStyles = css`
  /* Each block of user text takes its direction from its first strong letter, as dir="auto"
     would, isolated from the page's: an English post in a right-to-left page keeps its "!" on
     the right, an Arabic one in a left-to-right page reads from the right. The page's direction
     still lays out the blocks (list markers, quote borders, indents). */
  .content,
  .content p,
  .content li,
  .content dt,
  .content dd,
  .content blockquote,
  .content h1,
  .content h2,
  .content h3,
  .content h4,
  .content h5,
  .content h6,
  .content th,
  .content td,
  .content pre,
  .content :not(pre) > code {
    unicode-bidi: plaintext;
  }
  /* @handles are Latin: "@ada" reads left to right in any text. */
  .content .mention {
    direction: ltr;
    unicode-bidi: isolate;
  }
  .content > :first-child {
    margin-top: 0;
  }
  .content > :last-child {
    margin-bottom: 0;
  }
  .content p,
  .content ul,
  .content ol,
  .content pre,
  .content blockquote,
  .content table {
    margin: 0 0 0.75em;
  }
  .content h1,
  .content h2,
  .content h3,
  .content h4,
  .content h5,
  .content h6 {
    font-size: 1em;
    font-weight: 700;
    margin: 1em 0 0.5em;
  }
  .content a {
    color: ${token('color-accent')};
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  .content img {
    max-width: 100%;
    height: auto;
    border-radius: ${token('radius-s')};
  }
  .content code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    background: ${token('color-surface')};
    border-radius: ${token('radius-s')};
    padding: 0.1em 0.3em;
  }
  .content pre {
    overflow-x: auto;
    padding: ${token('space-s')};
    background: ${token('color-surface')};
    border-radius: ${token('radius-s')};
  }
  .content pre code {
    padding: 0;
    background: none;
  }
  .content blockquote {
    padding-inline-start: ${token('space-m')};
    border-inline-start: 3px solid ${token('color-border')};
    color: ${token('color-muted')};
  }
  .content ul,
  .content ol {
    padding-inline-start: 1.5em;
  }
  .content table {
    border-collapse: collapse;
    display: block;
    overflow-x: auto;
  }
  .content th,
  .content td {
    border: 1px solid ${token('color-border')};
    padding: 0.25em 0.5em;
  }
  .content hr {
    border: 0;
    border-top: 1px solid ${token('color-border')};
  }
  .content .mention[data-known] {
    color: ${token('color-mention')};
    font-weight: 600;
  }
`;
