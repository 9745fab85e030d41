import { css } from 'lit';
import { SMALL, em, token } from '../../styles/tokens.js';

/**
 * What the composer shows without its editor: the signed-out and locked panels, and why the
 * editor could not load. The editor's own styles come with it (`editor.styles.ts`).
 */
export const composerStyles = css`
  :host {
    display: block;
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${token('space-s', SMALL)};
    margin: 0 ${token('space-s', SMALL)} ${token('space-s', SMALL)};
    padding: ${token('space-s', SMALL)};
    border-radius: ${token('radius-s')};
    color: ${token('color-danger')};
    border: 1px solid currentColor;
    font-size: ${token('font-size-small')};
  }
  .error p {
    margin: 0;
    flex: 1 1 ${em(12, SMALL)};
  }
  /* Retry: the size of every other button, not secondary text of secondary text. */
  .error .button {
    font-size: inherit;
  }
  .signed-out,
  .locked {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: ${token('space-s')};
    padding: ${token('space-m')};
    border: 1px dashed ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: ${token('color-surface')};
  }
  .signed-out p,
  .locked p {
    margin: 0;
    font-weight: 600;
  }
`;
