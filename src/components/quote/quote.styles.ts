import { css } from 'lit';
import { token } from '../../styles/tokens.js';
import { popoverReset } from '../../internal/popover.js';
import { unsafeCSS } from 'lit';

export const quoteStyles = css`
  :host {
    display: block;
  }
  figure {
    margin: 0;
    padding: ${token('space-s')} ${token('space-m')};
    background: ${token('color-quote-bg')};
    border-inline-start: 3px solid ${token('color-quote-border')};
    border-radius: ${token('radius-s')};
    font-size: ${token('font-size-small')};
  }
  figcaption {
    font-weight: 700;
    color: ${token('color-text')};
  }
  blockquote {
    margin: ${token('space-xs')} 0;
    white-space: pre-line;
    color: ${token('color-muted')};
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: var(--parley-quote-lines, 4);
    line-clamp: var(--parley-quote-lines, 4);
    overflow: hidden;
  }
  .status {
    margin: ${token('space-xs')} 0;
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
    width: min(32rem, calc(100vw - 16px));
    max-height: min(24rem, 60vh);
    overflow: auto;
    padding: ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: ${token('color-bg')};
    color: ${token('color-text')};
    box-shadow: ${token('shadow')};
    font-size: ${token('font-size')};
    line-height: ${token('line-height')};
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
