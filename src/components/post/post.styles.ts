import { css } from 'lit';
import { SMALL, em, token } from '../../styles/tokens.js';

/** Initials' size in the avatar, relative to the avatar. */
const INITIALS = 0.38;
/** The opening post's name and body, relative to body text. */
const OPENING = 1.05;

export const postStyles = css`
  :host {
    display: block;
    scroll-margin-block: ${em(5)};
    container-type: inline-size;
  }
  article {
    position: relative;
    display: grid;
    grid-template-columns: ${token('avatar-size')} minmax(0, 1fr);
    column-gap: calc(${token('space-m')} * ${token('density')});
    padding: calc(${token('space-m')} * ${token('density')}) 0;
    border-radius: ${token('radius-m')};
    transition: background-color 0.6s ease-out, box-shadow 0.6s ease-out;
    outline: none;
  }
  article:focus-visible {
    box-shadow: 0 0 0 2px ${token('color-focus')};
  }
  /* The highlight bleeds sideways only, so it never covers a reply box right below. */
  :host([highlighted]) article {
    background: ${token('color-highlight')};
    box-shadow: calc(-1 * ${token('space-s')}) 0 0 0 ${token('color-highlight')}, ${token('space-s')} 0 0 0 ${token('color-highlight')};
    transition: none;
  }
  :host([highlighted]) article:focus-visible {
    outline: 2px solid ${token('color-focus')};
    outline-offset: 0;
  }
  .avatar {
    grid-row: 1 / span 4;
    width: calc(1em / ${INITIALS});
    height: calc(1em / ${INITIALS});
    border-radius: ${token('radius-avatar')};
    overflow: hidden;
    display: grid;
    place-items: center;
    font-weight: 700;
    /* The box is sized from the initials' size, the one length here read in the avatar's own
       text: it is the avatar size wherever that size was set and in whatever unit. */
    font-size: calc(${token('avatar-size')} * ${INITIALS});
    color: #fff;
    user-select: none;
  }
  .avatar img {
    width: 100%;
    height: 100%;
    object-fit: cover;
    display: block;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    column-gap: ${token('space-s')};
    row-gap: 0;
    min-width: 0;
  }
  /* Names, handles and times are isolated from what surrounds them: a name takes the direction
     of its first strong letter, a handle (always Latin) reads "@ada" left to right. */
  .author,
  .replying-to,
  time {
    unicode-bidi: plaintext;
  }
  .handle {
    direction: ltr;
    unicode-bidi: isolate;
  }
  .author {
    font-weight: 700;
  }
  /* Someone who gave only a name: marked, so a guest cannot pass for a member. */
  .guest {
    padding: 0 0.4em;
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-s')};
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
  }
  .handle,
  .meta,
  .replying-to {
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
  }
  .time {
    color: inherit;
    text-decoration: none;
  }
  .time:hover {
    text-decoration: underline;
  }
  .edited {
    font-style: italic;
  }
  :host([sending]) article {
    opacity: 0.65;
  }
  .sending {
    font-style: italic;
  }
  .body {
    margin-top: ${token('space-xs')};
    grid-column: 2;
  }
  .tombstone {
    grid-column: 2;
    color: ${token('color-muted')};
    font-style: italic;
  }
  parley-quote {
    grid-column: 2;
    margin-top: ${token('space-s')};
  }
  .actions {
    grid-column: 2;
    display: flex;
    flex-wrap: wrap;
    gap: ${token('space-xs')};
    margin-top: ${token('space-xs')};
    margin-inline-start: calc(-1 * ${token('space-s')});
  }
  .confirm,
  .error,
  parley-composer {
    grid-column: 2;
    margin-top: ${token('space-s')};
  }
  .error {
    margin-top: ${token('space-s', SMALL)};
  }
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${token('space-s')};
    padding: ${token('space-s')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: ${token('color-surface')};
  }
  /* The destructive action looks destructive: filled with the danger colour. */
  .confirm .button.danger {
    background: ${token('color-danger')};
    border-color: ${token('color-danger')};
    color: ${token('color-bg')};
  }
  .confirm .button.danger:hover:not([disabled]) {
    background: ${token('color-danger')};
    color: ${token('color-bg')};
    filter: brightness(1.1);
  }
  .error {
    color: ${token('color-danger')};
    font-size: ${token('font-size-small')};
  }
  :host([variant='opening']) .author {
    font-size: ${em(OPENING)};
  }
  :host([variant='opening']) .body {
    font-size: ${em(OPENING)};
    margin-top: ${token('space-xs', OPENING)};
  }
  .selection-quote {
    margin: 0;
    padding: 0 ${token('space-s', SMALL)};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-s')};
    background: ${token('color-bg')};
    box-shadow: ${token('shadow')};
    color: ${token('color-text')};
    min-height: ${em(2, SMALL)};
    font-size: ${token('font-size-small')};
    font-weight: 600;
    cursor: pointer;
    inset: auto;
    position: fixed;
  }
  .selection-quote:hover {
    color: ${token('color-accent')};
  }
  /* Narrow (a phone, a sidebar): the avatar sits in the header row and the text takes the width. */
  @container (max-width: 26em) {
    article {
      grid-template-columns: auto minmax(0, 1fr);
      column-gap: ${token('space-s')};
    }
    .avatar {
      grid-row: 1;
      width: calc(0.8em / ${INITIALS});
      height: calc(0.8em / ${INITIALS});
      align-self: center;
    }
    .body,
    .tombstone,
    parley-quote,
    .actions,
    .confirm,
    .error,
    parley-composer {
      grid-column: 1 / -1;
    }
    .actions {
      margin-inline-start: calc(-1 * ${token('space-s')});
    }
  }
  @media (prefers-reduced-motion: reduce) {
    article {
      transition: none;
    }
  }
`;
