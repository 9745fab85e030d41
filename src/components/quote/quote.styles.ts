import { css } from 'lit';
import { unsafeCSS } from 'lit';
import { SMALL, em, token } from '../../styles/tokens.js';
import { popoverReset } from '../../styles/popover.js';

export const quoteStyles = css`
  :host {
    display: block;
  }
  figure {
    margin: 0;
    padding: ${token('space-s', SMALL)} ${token('space-m', SMALL)};
    background: ${token('color-quote-bg')};
    border-inline-start: 3px solid ${token('color-quote-border')};
    border-radius: ${token('radius-s')};
    font-size: ${token('font-size-small')};
  }
  /* The quoted author (a name, or a Latin @handle) and the excerpt take their own direction. */
  figcaption,
  blockquote,
  .popover .name,
  .popover .meta {
    unicode-bidi: plaintext;
  }
  figcaption {
    /* A label: it lines up with the page even when it is a Latin @handle in a right-to-left one. */
    text-align: match-parent;
    text-align: -webkit-match-parent; /* Chromium knows only the prefixed name */
    font-weight: 700;
    color: ${token('color-text')};
  }
  blockquote {
    margin: ${token('space-xs', SMALL)} 0;
    white-space: pre-line;
    color: ${token('color-muted')};
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: var(--parley-quote-lines, 4);
    line-clamp: var(--parley-quote-lines, 4);
    overflow: hidden;
  }
  .status {
    margin: ${token('space-xs', SMALL)} 0;
    color: ${token('color-muted')};
    font-style: italic;
  }
  .jump {
    padding: 0;
    border: 0;
    background: none;
    color: ${token('color-accent')};
    font-weight: 600;
    cursor: pointer;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  .popover {
    ${unsafeCSS(popoverReset)}
    width: min(${em(32)}, calc(100vw - 16px));
    max-height: min(${em(24)}, 60vh);
    overflow: auto;
    padding: ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: ${token('color-bg')};
    color: ${token('color-text')};
    box-shadow: ${token('shadow')};
  }
  .popover[hidden] {
    display: none;
  }
  .popover header {
    display: flex;
    flex-wrap: wrap;
    gap: ${token('space-s')};
    align-items: baseline;
    margin-bottom: ${token('space-s')};
  }
  .popover .name {
    font-weight: 700;
  }
  .popover .meta {
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
  }
`;
