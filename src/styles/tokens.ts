import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * The design tokens: one place for every `--parley-*` default. Light values here; `dark`
 * re-points the colours. Components read tokens through `token()`, which carries the light
 * default as a fallback, so a lone `<parley-post>` looks right and one value set on
 * `<parley-thread>` (or any ancestor) reaches every nested element.
 *
 * Every length is relative to the widget's own text (`em`), never to the page's root (`rem`): a
 * site that shrinks its root (`html { font-size: 62.5% }`) and sizes its text back up gets the
 * same widget as a plain 16 px page, and a site that sets a larger text size on the element gets a
 * larger widget throughout.
 *
 * The custom properties, as the element manifest lists them for `<parley-thread>` (read from
 * here by custom-elements-manifest.config.mjs):
 * @cssprop [--parley-font-family=inherit] - Font of everything; the host page's by default.
 * @cssprop [--parley-font-size=1em] - Base text size.
 * @cssprop [--parley-font-size-small=0.875em] - Size of secondary text.
 * @cssprop [--parley-line-height=1.55] - Line height.
 * @cssprop [--parley-color-bg=#ffffff] - Background.
 * @cssprop [--parley-color-surface=#f6f8fa] - Background of panels, code and toolbars.
 * @cssprop [--parley-color-text=#1f2328] - Text.
 * @cssprop [--parley-color-muted=#59636e] - Secondary text.
 * @cssprop [--parley-color-border=#d1d9e0] - Borders and separators.
 * @cssprop [--parley-color-accent=#0b63c9] - Links, buttons and the active state.
 * @cssprop [--parley-color-accent-contrast=#ffffff] - Text on the accent colour.
 * @cssprop [--parley-color-accent-soft=#e8f1fc] - Hover background of quiet buttons.
 * @cssprop [--parley-color-danger=#c21f30] - Errors.
 * @cssprop [--parley-color-highlight=#fff4c2] - A post that was jumped to.
 * @cssprop [--parley-color-focus=#0b63c9] - Focus rings.
 * @cssprop [--parley-color-quote-bg=#f6f8fa] - Quoted-post previews.
 * @cssprop [--parley-color-quote-border=#8fb5e6] - Their leading border.
 * @cssprop [--parley-color-mention=#0b63c9] - @mentions of participants.
 * @cssprop [--parley-color-skeleton=#e6eaef] - Loading placeholders.
 * @cssprop [--parley-radius-s=4px] - Small corner radius.
 * @cssprop [--parley-radius-m=8px] - Large corner radius.
 * @cssprop [--parley-radius-avatar=50%] - Avatar corner radius.
 * @cssprop [--parley-space-xs=0.25em] - Smallest spacing.
 * @cssprop [--parley-space-s=0.5em] - Small spacing.
 * @cssprop [--parley-space-m=1em] - Medium spacing.
 * @cssprop [--parley-space-l=1.5em] - Large spacing.
 * @cssprop [--parley-avatar-size=2.5em] - Avatar size.
 * @cssprop [--parley-indent=1.5em] - Indentation of each level of nested replies.
 * @cssprop [--parley-density=1] - Multiplies vertical spacing of posts (0.5 compact, 1.5 airy).
 * @cssprop [--parley-shadow=0 6px 24px rgb(0 0 0 / 0.14), 0 1px 3px rgb(0 0 0 / 0.08)] - Shadow of popovers.
 * @cssprop [--parley-color-bg-dark=#14181d] - `--parley-color-bg` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-surface-dark=#1c2128] - `--parley-color-surface` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-text-dark=#e6edf3] - `--parley-color-text` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-muted-dark=#9ba6b2] - `--parley-color-muted` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-border-dark=#3a434e] - `--parley-color-border` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-accent-dark=#5aa6ff] - `--parley-color-accent` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-accent-contrast-dark=#08111d] - `--parley-color-accent-contrast` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-accent-soft-dark=#15273d] - `--parley-color-accent-soft` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-danger-dark=#ff7b86] - `--parley-color-danger` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-highlight-dark=#3a3112] - `--parley-color-highlight` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-focus-dark=#7cb8ff] - `--parley-color-focus` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-quote-bg-dark=#1c2128] - `--parley-color-quote-bg` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-quote-border-dark=#3d6ea8] - `--parley-color-quote-border` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-mention-dark=#7cb8ff] - `--parley-color-mention` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-color-skeleton-dark=#262d36] - `--parley-color-skeleton` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 * @cssprop [--parley-shadow-dark=0 6px 24px rgb(0 0 0 / 0.5), 0 1px 3px rgb(0 0 0 / 0.4)] - `--parley-shadow` in the dark theme (`theme="dark"`, or `auto` with a dark system): a host's light value never reaches the dark theme.
 */
export const light = {
  'font-family': 'inherit',
  'font-size': '1em',
  'font-size-small': '0.875em',
  'line-height': '1.55',
  'color-bg': '#ffffff',
  'color-surface': '#f6f8fa',
  'color-text': '#1f2328',
  'color-muted': '#59636e',
  'color-border': '#d1d9e0',
  'color-accent': '#0b63c9',
  'color-accent-contrast': '#ffffff',
  'color-accent-soft': '#e8f1fc',
  'color-danger': '#c21f30',
  'color-highlight': '#fff4c2',
  'color-focus': '#0b63c9',
  'color-quote-bg': '#f6f8fa',
  'color-quote-border': '#8fb5e6',
  'color-mention': '#0b63c9',
  'color-skeleton': '#e6eaef',
  'radius-s': '4px',
  'radius-m': '8px',
  'radius-avatar': '50%',
  'space-xs': '0.25em',
  'space-s': '0.5em',
  'space-m': '1em',
  'space-l': '1.5em',
  'avatar-size': '2.5em',
  indent: '1.5em',
  density: '1',
  shadow: '0 6px 24px rgb(0 0 0 / 0.14), 0 1px 3px rgb(0 0 0 / 0.08)',
} as const;

export type TokenName = keyof typeof light;

/**
 * The dark theme's values. Each has a `--parley-<name>-dark` counterpart a site sets for its own
 * dark colours: the light-theme name a site sets is never read in the dark theme.
 */
export const dark = {
  'color-bg': '#14181d',
  'color-surface': '#1c2128',
  'color-text': '#e6edf3',
  'color-muted': '#9ba6b2',
  'color-border': '#3a434e',
  'color-accent': '#5aa6ff',
  'color-accent-contrast': '#08111d',
  'color-accent-soft': '#15273d',
  'color-danger': '#ff7b86',
  'color-highlight': '#3a3112',
  'color-focus': '#7cb8ff',
  'color-quote-bg': '#1c2128',
  'color-quote-border': '#3d6ea8',
  'color-mention': '#7cb8ff',
  'color-skeleton': '#262d36',
  shadow: '0 6px 24px rgb(0 0 0 / 0.5), 0 1px 3px rgb(0 0 0 / 0.4)',
} as const satisfies Partial<Record<TokenName, string>>;

/** Secondary text (`--parley-font-size-small`) relative to body text, by default. */
export const SMALL = parseFloat(light['font-size-small']);

/**
 * `var(--parley-<name>, <light default>)`.
 *
 * `scale` is the text size where the token is read, relative to the widget's body text (`SMALL`
 * in secondary text, 1.4 in the title): an `em` default is divided by it, so a default space or
 * size measures the same in small text as in body text. A value a site sets is used as it is.
 */
export function token(name: TokenName, scale = 1): CSSResult {
  return unsafeCSS(`var(--parley-${name}, ${scaled(light[name], scale)})`);
}

/** `n` body-text ems, read in text `scale` times the body text (see `token()`). */
export function em(n: number, scale = 1): CSSResult {
  return unsafeCSS(scaled(`${n}em`, scale));
}

function scaled(value: string, scale: number): string {
  return scale === 1 || !/^[\d.]+em$/.test(value)
    ? value
    : `calc(${value} / ${Number(scale.toFixed(4))})`;
}

/** `var(--parley-<name>-dark, <dark default>)`. */
function darkToken(name: keyof typeof dark): string {
  return `var(--parley-${name}-dark, ${dark[name]})`;
}

/**
 * The theme of the element that owns one (`<parley-thread>`): dark when `theme="dark"`, or
 * `theme="auto"` and the reader prefers dark.
 *
 * A site's `--parley-color-*` values set on `<parley-thread>` beat anything its `:host` rules
 * declare, so the dark values are declared one level in, on `.base` (the thread's root, which
 * host CSS cannot reach), from the `-dark` counterparts: a light accent a site set for its light
 * pages never lands on the dark background. The host box itself reads the `-dark` names directly.
 * Light needs no token declarations, as every read carries the light fallback; it says
 * `color-scheme: light` so a dark host page does not give a light thread dark form controls.
 */
const darkTheme = unsafeCSS(`
  color-scheme: dark;
  background: ${darkToken('color-bg')};
  color: ${darkToken('color-text')};
`);
const darkTokens = unsafeCSS(
  (Object.keys(dark) as (keyof typeof dark)[])
    .map((name) => `--parley-${name}: ${darkToken(name)};`)
    .join('\n'),
);

export const themeStyles = css`
  :host {
    color-scheme: light;
  }
  :host([theme='dark']) {
    ${darkTheme}
  }
  :host([theme='dark']) .base {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkTheme}
    }
    :host([theme='auto']) .base {
      ${darkTokens}
    }
  }
`;

/**
 * What every element starts from: the host page's inherited text styles stop at the element
 * boundary, except what a site is meant to pass on — its font family, its text size (every
 * length is in `em`), its direction, whether the widget is visible or clickable, and the
 * `--parley-*` tokens. Also a visible focus ring and a visually-hidden helper.
 */
export const baseStyles = css`
  :host {
    box-sizing: border-box;
    /* The font shorthand resets style, weight, variants, stretch, size-adjust, kerning, features
       and variations. calc() keeps the size yet drops the page's "medium" keyword, which would
       shrink monospace text (code blocks) to 13 px. */
    font: calc(1em) serif;
    font-family: ${token('font-family')};
    line-height: ${token('line-height')};
    font-synthesis: weight style small-caps;
    color: ${token('color-text')};
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    text-indent: 0;
    text-align: start;
    text-align-last: auto;
    text-shadow: none;
    white-space: normal;
    text-wrap-style: auto;
    word-break: normal;
    line-break: auto;
    overflow-wrap: anywhere;
    hyphens: manual;
    hyphenate-character: auto;
    tab-size: 8;
    text-underline-offset: auto;
    text-underline-position: auto;
    text-decoration-skip-ink: auto;
    text-emphasis: none;
    text-emphasis-position: over right;
    -webkit-text-stroke: 0;
    -webkit-text-fill-color: currentcolor;
    writing-mode: horizontal-tb;
    ruby-position: over;
    list-style: disc;
    quotes: auto;
    caret-color: auto;
    accent-color: auto;
    image-rendering: auto;
    cursor: auto;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid ${token('color-focus')};
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  button {
    font: inherit;
    color: inherit;
  }
`;

/** Quiet text buttons used for post actions and links that act, in secondary text. */
export const buttonStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    gap: ${token('space-xs', SMALL)};
    min-height: ${em(2, SMALL)};
    padding: 0 calc(${token('space-s', SMALL)} * ${token('density')});
    border: 1px solid transparent;
    border-radius: ${token('radius-s')};
    background: none;
    color: ${token('color-muted')};
    font-size: ${token('font-size-small')};
    font-weight: 600;
    cursor: pointer;
    text-decoration: none;
  }
  .button:hover {
    color: ${token('color-accent')};
    background: ${token('color-accent-soft')};
  }
  .button[disabled] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .button.primary {
    background: ${token('color-accent')};
    color: ${token('color-accent-contrast')};
    padding: 0 ${token('space-m', SMALL)};
    min-height: ${em(2.25, SMALL)};
  }
  .button.primary:hover:not([disabled]) {
    filter: brightness(1.08);
  }
  .button.danger {
    color: ${token('color-danger')};
  }
  .button.outline {
    border-color: ${token('color-border')};
    color: ${token('color-text')};
  }
`;
