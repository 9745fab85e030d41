import { css } from 'lit';
import { SMALL, em, token } from '../../styles/tokens.js';

/** The title's text size, relative to body text. */
const TITLE = 1.4;

export const threadStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    background: ${token('color-bg')};
    font-size: calc(${token('font-size')});
  }
  .base {
    padding: ${token('space-m')};
  }
  /* The title and what is typed into the sign-in form take their own direction; the title
     still lines up with the page (right in a right-to-left page, whatever its language). */
  .title {
    unicode-bidi: plaintext;
  }
  .title {
    text-align: match-parent;
    text-align: -webkit-match-parent; /* Chromium knows only the prefixed name */
  }
  .title {
    margin: 0 0 ${token('space-s', TITLE)};
    font-size: ${em(TITLE)};
    line-height: 1.25;
    font-weight: 700;
  }
  .count-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: ${token('space-s')};
    margin: ${token('space-m')} 0 0;
    padding-bottom: ${token('space-xs')};
    border-bottom: 1px solid ${token('color-border')};
  }
  .count {
    font-weight: 700;
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .opening {
    padding-bottom: ${token('space-s')};
  }
  /* Off-screen posts cost no layout or paint, yet stay in the DOM for find-in-page and screen
     readers; the browser remembers each one's last rendered height. The side margins leave room
     for the jump highlight, which paint containment would otherwise clip. */
  .long parley-post {
    content-visibility: auto;
    contain-intrinsic-size: auto ${em(9)};
    padding-inline: ${token('space-s')};
    margin-inline: calc(-1 * ${token('space-s')});
  }
  .gap {
    border: 1px dashed ${token('color-border')};
    background: ${token('color-surface')};
    margin: ${token('space-s')} 0;
  }
  .gap-label {
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
    flex-basis: 100%;
  }
  .notice {
    margin: ${token('space-s')} 0;
    padding: ${token('space-s')} ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-s')};
    background: ${token('color-surface')};
    font-size: ${token('font-size-small')};
  }
  .notice.warn {
    border-color: ${token('color-danger')};
  }
  .diagnostic {
    flex-basis: 100%;
    color: ${token('color-text')};
    font-size: ${token('font-size-small')};
    text-align: start;
  }
  .diagnostic p {
    margin: ${token('space-xs')} 0 0;
    font-family: ui-monospace, monospace;
    overflow-wrap: anywhere;
  }
  .float {
    position: sticky;
    bottom: ${token('space-s')};
    z-index: 1;
    display: flex;
    justify-content: flex-end;
    margin: ${token('space-s')} 0;
    pointer-events: none;
  }
  .float .button {
    pointer-events: auto;
    box-shadow: ${token('shadow')};
  }
  .skip:focus {
    position: static !important;
    width: auto;
    height: auto;
    margin: 0 0 ${token('space-s')};
    clip: auto;
    overflow: visible;
    display: inline-block;
    color: ${token('color-accent')};
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .replies > li + li {
    border-top: 1px solid ${token('color-border')};
  }
  .children {
    margin-inline-start: calc(${token('avatar-size')} / 2);
    padding-inline-start: calc(${token('indent')} - ${token('avatar-size')} / 2 + ${token('space-s')});
    border-inline-start: 2px solid ${token('color-border')};
  }
  .more,
  .state {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: ${token('space-s')};
    padding: ${token('space-m')};
    margin-top: ${token('space-s')};
    border-radius: ${token('radius-m')};
    text-align: center;
  }
  .state {
    flex-direction: column;
    padding: ${token('space-l')} ${token('space-m')};
    background: ${token('color-surface')};
    color: ${token('color-muted')};
  }
  .state.error {
    color: ${token('color-danger')};
    border: 1px solid currentColor;
    background: none;
  }
  .state p {
    margin: 0;
  }
  .alert {
    color: ${token('color-danger')};
    font-size: ${token('font-size-small')};
    margin: ${token('space-s', SMALL)} 0 0;
  }
  .skeleton {
    display: grid;
    grid-template-columns: ${token('avatar-size')} 1fr;
    gap: ${token('space-s')} ${token('space-m')};
    padding: ${token('space-m')} 0;
  }
  .skeleton .bone {
    background: ${token('color-skeleton')};
    border-radius: ${token('radius-s')};
    height: 0.9em;
    animation: pulse 1.4s ease-in-out infinite;
  }
  .skeleton .circle {
    grid-row: span 3;
    width: ${token('avatar-size')};
    height: ${token('avatar-size')};
    border-radius: ${token('radius-avatar')};
  }
  .skeleton .short {
    width: 35%;
  }
  .skeleton .long {
    width: 90%;
  }
  .skeleton .title-bone {
    height: 1.4em;
    width: 60%;
    margin-bottom: ${token('space-s')};
  }
  @keyframes pulse {
    50% {
      opacity: 0.45;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton .bone {
      animation: none;
    }
  }
  @container (max-width: 30em) {
    .base {
      padding: ${token('space-s')};
    }
    .children {
      margin-inline-start: ${token('space-xs')};
      padding-inline-start: ${token('space-s')};
    }
  }
`;
