import { css, unsafeCSS } from 'lit';
import { popoverReset } from '../../styles/popover.js';
import { SMALL, em, token } from '../../styles/tokens.js';

/** The ✕ that removes an attached quote, relative to body text (1.1 times secondary text). */
const REMOVE = SMALL * 1.1;

/**
 * The editor's styles (the form, its tabs, text field, preview, attached quote, mention
 * suggestions), adopted by the composer when its editor loads, after the composer's own.
 */
export const editorStyles = css`  .base {
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: ${token('color-bg')};
    overflow: hidden;
  }
  .base:focus-within {
    border-color: ${token('color-accent')};
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: ${token('space-s')};
    padding: ${token('space-xs')} ${token('space-s')};
    border-bottom: 1px solid ${token('color-border')};
    background: ${token('color-surface')};
  }
  [role='tablist'] {
    display: flex;
    flex: none;
    gap: ${token('space-xs')};
  }
  [role='tab'] {
    white-space: nowrap;
    border: 0;
    background: none;
    padding: ${token('space-xs', SMALL)} ${token('space-s', SMALL)};
    border-radius: ${token('radius-s')};
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
    font-weight: 600;
    cursor: pointer;
  }
  [role='tab'][aria-selected='true'] {
    background: ${token('color-bg')};
    color: ${token('color-text')};
    box-shadow: inset 0 0 0 1px ${token('color-border')};
  }
  /* Busy buttons keep focus (aria-disabled, not disabled) but look and act disabled. */
  .button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.6;
  }
  button.link {
    padding: 0;
    border: 0;
    background: none;
    color: ${token('color-accent')};
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
  .as {
    display: flex;
    align-items: baseline;
    gap: 0.3em;
    /* Shrinks down to a readable width, then moves to its own line. */
    min-width: min(100%, 14em);
    margin-inline-start: auto;
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
    white-space: nowrap;
  }
  /* A long name gives way; Sign out always stays visible. */
  .as .who {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .as button {
    flex: none;
  }
  .attached {
    display: flex;
    gap: ${token('space-s', SMALL)};
    align-items: flex-start;
    margin: ${token('space-s', SMALL)} ${token('space-s', SMALL)} 0;
    padding: ${token('space-xs', SMALL)} ${token('space-s', SMALL)};
    background: ${token('color-quote-bg')};
    border-inline-start: 3px solid ${token('color-quote-border')};
    border-radius: ${token('radius-s')};
    font-size: ${token('font-size-small')};
  }
  .attached .text {
    flex: 1;
    min-width: 0;
  }
  .attached .excerpt {
    color: ${token('color-muted')};
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
    white-space: pre-line;
  }
  .attached button {
    flex: none;
    border: 0;
    background: none;
    cursor: pointer;
    color: ${token('color-muted')};
    font-size: 1.1em;
    line-height: 1;
    padding: ${token('space-xs', REMOVE)};
    border-radius: ${token('radius-s')};
  }
  /* What is typed, the attached excerpt, names and handles take their own direction (each
     line of the text field its own); the count reads "0 / 10,000" left to right: with no letter
     in it, plaintext falls back to left to right. */
  textarea,
  .attached .excerpt,
  [role='option'] .name,
  .as .who,
  .count {
    unicode-bidi: plaintext;
  }
  [role='option'] .handle {
    direction: ltr;
    unicode-bidi: isolate;
  }
  textarea {
    display: block;
    width: 100%;
    min-height: 5.5em;
    max-height: 60vh;
    resize: vertical;
    border: 0;
    margin: 0;
    padding: ${token('space-s')} ${token('space-m')};
    background: transparent;
    color: inherit;
    font: inherit;
    line-height: ${token('line-height')};
  }
  textarea:focus-visible {
    outline: none;
  }
  textarea::placeholder {
    color: ${token('color-muted')};
    opacity: 1;
  }
  .preview {
    min-height: 5.5em;
    padding: ${token('space-s')} ${token('space-m')};
  }
  .preview .empty {
    color: ${token('color-muted')};
    font-style: italic;
  }
  .footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: ${token('space-s')};
    padding: ${token('space-xs')} ${token('space-s')} ${token('space-s')};
  }
  .count,
  .hint {
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
    margin-inline-end: auto;
  }
  .count.over {
    color: ${token('color-danger')};
    font-weight: 600;
  }
  .hint {
    margin-inline-end: 0;
  }
  .suggestions {
    ${unsafeCSS(popoverReset)}
    list-style: none;
    padding: ${token('space-xs', SMALL)};
    min-width: ${em(14, SMALL)};
    max-width: min(${em(22, SMALL)}, calc(100vw - 16px));
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: ${token('color-bg')};
    color: ${token('color-text')};
    box-shadow: ${token('shadow')};
    font-size: ${token('font-size-small')};
  }
  .suggestions[hidden] {
    display: none;
  }
  [role='option'] {
    display: flex;
    gap: ${token('space-s', SMALL)};
    align-items: baseline;
    padding: ${token('space-xs', SMALL)} ${token('space-s', SMALL)};
    border-radius: ${token('radius-s')};
    cursor: pointer;
  }
  [role='option'][aria-selected='true'] {
    background: ${token('color-accent')};
    color: ${token('color-accent-contrast')};
  }
  [role='option'] .name {
    font-weight: 600;
  }
  [role='option'] .handle {
    opacity: 0.8;
  }
  [role='option'][aria-selected='true'] .handle {
    opacity: 1;
  }
`;
