import { css } from 'lit';
import { SMALL, token } from '../../styles/tokens.js';

export const signInStyles = css`
  :host {
    display: block;
  }
  .sign-in {
    padding: ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: ${token('color-surface')};
  }
  .sign-in fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: ${token('space-s')};
  }
  .sign-in legend {
    font-weight: 700;
    margin-bottom: ${token('space-s')};
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: ${token('space-m')};
  }
  .choice {
    display: inline-flex;
    gap: ${token('space-xs')};
    align-items: center;
  }
  .field {
    display: grid;
    gap: ${token('space-xs', SMALL)};
    font-size: ${token('font-size-small')};
    font-weight: 600;
  }
  .field input {
    font: inherit;
    font-weight: normal;
    padding: ${token('space-xs', SMALL)} ${token('space-s', SMALL)};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-s')};
    background: ${token('color-bg')};
    color: ${token('color-text')};
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: ${token('space-s')};
    margin-top: ${token('space-s')};
  }
  /* What is typed takes its own direction. */
  .field input {
    unicode-bidi: plaintext;
  }
  .hint {
    margin: 0;
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
  }
  .alert {
    color: ${token('color-danger')};
    font-size: ${token('font-size-small')};
    margin: ${token('space-s', SMALL)} 0 0;
  }
`;
