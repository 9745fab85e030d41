/**
 * The host page stays out: a site's root font size, its inherited text styles and its cursor do
 * not reach into Parley, while what a site is meant to pass on (its font family, its direction,
 * its `--parley-*` tokens, hiding the widget) still does. Every check renders a real
 * `<parley-thread>` on a MemoryAdapter and reads computed styles inside its shadow roots.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { ParleyPost, ParleyThread } from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import {
  inShadow,
  mainComposer,
  postIn,
  seedAdapter,
  threadFixture,
  clearHostCss,
  hostCss,
} from '../helpers.js';
import { quoteOf, states } from './fixtures.js';
import { differences, geometryOf } from './geometry.js';

/** The root size trick of many sites: 1rem is 10 px, the body is put back to 16 px. */
const ROOT_62_5 = 'html { font-size: 62.5%; } body { font-size: 1.6rem; }';

/** Every inherited text property a host page might set on the way down, set wildly. */
const HOSTILE_TEXT = `
  body {
    text-shadow: 2px 2px 3px rgb(255 0 0);
    cursor: wait;
    letter-spacing: 5px;
    word-spacing: 12px;
    text-transform: uppercase;
    line-height: 4;
    font-style: italic;
    font-weight: 900;
    font-variant: small-caps slashed-zero;
    font-stretch: condensed;
    font-size-adjust: 0.9;
    font-kerning: none;
    font-feature-settings: 'smcp';
    font-variation-settings: 'wght' 900;
    font-optical-sizing: none;
    font-synthesis: none;
    text-align: right;
    text-align-last: center;
    text-indent: 3em;
    white-space: pre;
    text-wrap: balance;
    word-break: break-all;
    line-break: anywhere;
    overflow-wrap: normal;
    hyphens: auto;
    hyphenate-character: '*';
    tab-size: 20;
    list-style: square inside;
    quotes: '<' '>';
    text-underline-offset: 10px;
    text-underline-position: under;
    text-decoration-skip-ink: none;
    text-emphasis: filled red;
    -webkit-text-stroke: 1px red;
    -webkit-text-fill-color: red;
    caret-color: red;
    accent-color: red;
    color-scheme: dark;
    image-rendering: pixelated;
    ruby-position: under;
  }`;

const px = (value: string) => Math.round(parseFloat(value) * 100) / 100;
const style = (el: Element) => getComputedStyle(el);

/** The rendered elements these tests look into. */
async function partsOf(el: ParleyThread) {
  // The thread's reply box comes with its interaction, a moment after the posts.
  await el.updateComplete;
  const opening = postIn(el, 'p1');
  const p4 = postIn(el, 'p4');
  await p4.updateComplete;
  const composer = mainComposer(el);
  await composer.updateComplete;
  const quote = await quoteOf(el, 'p4');
  return {
    title: inShadow(el, '[part="title"]'),
    section: inShadow(el, '[part="base"]'),
    openingBody: inShadow(opening, '[part="body"] p'),
    body: inShadow(p4, '[part="body"] p'),
    author: inShadow(p4, '[part="author"]'),
    action: inShadow<HTMLButtonElement>(p4, '[part="action"]'),
    avatar: inShadow(p4, '[part="avatar"]'),
    quote: inShadow(quote, '[part="base"]'),
    excerpt: inShadow(quote, '[part="excerpt"]'),
    jump: inShadow(quote, '[part="jump"]'),
    composer,
    textarea: inShadow<HTMLTextAreaElement>(composer, 'textarea'),
    submit: inShadow<HTMLButtonElement>(composer, '[part="submit"]'),
    tab: inShadow<HTMLButtonElement>(composer, '[part="tab"]'),
    count: inShadow(composer, '[part="count"]'),
  };
}

/** Renders a state on a plain page and again under `css`, and returns the lines that differ. */
async function changedBy(css: string, build: () => Promise<ParleyThread>): Promise<string[]> {
  clearHostCss();
  const plain = geometryOf(await build());
  hostCss(css);
  const styled = geometryOf(await build());
  return differences(plain, styled);
}

beforeEach(() => setViewport({ width: 1000, height: 900 }));
afterEach(() => {
  clearHostCss();
});

describe('a host page with html { font-size: 62.5% }', () => {
  it('keeps body text at 16 px, buttons at least 32 px tall and the avatar at 40 px', async () => {
    hostCss(ROOT_62_5);
    const el = await threadFixture(seedAdapter({ as: 'jellis' }));
    const parts = await partsOf(el);
    expect(px(style(parts.body).fontSize), 'post body').to.equal(16);
    expect(px(style(parts.openingBody).fontSize), 'opening post body').to.equal(16.8);
    expect(px(style(parts.title).fontSize), 'title').to.equal(22.4);
    expect(px(style(parts.textarea).fontSize), 'reply box').to.equal(16);
    expect(px(style(parts.action).fontSize), 'action buttons').to.equal(14);
    expect(parts.action.getBoundingClientRect().height, 'action button height').to.be.at.least(32);
    expect(parts.submit.getBoundingClientRect().height, 'Post reply height').to.be.at.least(36);
    expect(parts.avatar.getBoundingClientRect().width, 'avatar').to.equal(40);
    expect(px(style(parts.section).paddingTop), 'thread padding').to.equal(16);
    expect(px(style(parts.quote).paddingLeft), 'quote padding').to.equal(16);
  });

  for (const name of [
    'thread loaded, signed out',
    'signed in with a reply box open',
    'quote popover open',
    'mention suggestions open',
    'delete confirmation',
    'the sign-in form of a server with accounts',
    'gaps and load-more in a long thread',
  ]) {
    it(`lays out "${name}" exactly as on a plain 16 px page`, async () => {
      const changed = await changedBy(ROOT_62_5, () => states[name]({ theme: 'light' }));
      expect(changed.join('\n')).to.equal('');
    });
  }

  it('still follows a host that sets a larger text size on the element', async () => {
    hostCss(`${ROOT_62_5} parley-thread { font-size: 2rem; }`);
    const el = await threadFixture(seedAdapter({ as: 'jellis' }));
    const parts = await partsOf(el);
    expect(px(style(parts.body).fontSize)).to.equal(20);
    expect(parts.avatar.getBoundingClientRect().width).to.equal(50);
  });
});

describe('a host page that sets inherited text styles', () => {
  it('reaches no text inside the widget', async () => {
    hostCss(HOSTILE_TEXT);
    const el = await threadFixture(seedAdapter({ as: 'jellis' }));
    const parts = await partsOf(el);
    const texts = {
      title: parts.title,
      body: parts.body,
      author: parts.author,
      excerpt: parts.excerpt,
      textarea: parts.textarea,
      count: parts.count,
    };
    const controls = {
      action: parts.action,
      submit: parts.submit,
      tab: parts.tab,
      jump: parts.jump,
    };
    const seen: string[] = [];
    const check = (
      name: string,
      el: Element,
      property: string,
      expected: string | ((value: string) => boolean),
    ) => {
      const value = style(el).getPropertyValue(property);
      const ok = typeof expected === 'string' ? value === expected : expected(value);
      if (!ok) seen.push(`${name} ${property}: ${value}`);
    };
    for (const [name, node] of Object.entries({ ...texts, ...controls })) {
      check(name, node, 'text-shadow', 'none');
      check(name, node, 'letter-spacing', 'normal');
      check(name, node, 'word-spacing', '0px');
      check(name, node, 'text-transform', 'none');
      check(name, node, 'font-style', 'normal');
      check(name, node, 'font-variant-caps', 'normal');
      check(name, node, 'font-variant-numeric', 'normal');
      check(name, node, 'font-stretch', '100%');
      check(name, node, 'font-size-adjust', 'none');
      check(name, node, 'font-kerning', 'auto');
      check(name, node, 'font-feature-settings', 'normal');
      check(name, node, 'font-variation-settings', 'normal');
      check(name, node, 'font-optical-sizing', 'auto');
      check(name, node, 'font-synthesis-weight', 'auto');
      check(name, node, 'text-indent', '0px');
      check(name, node, 'text-align-last', 'auto');
      check(
        name,
        node,
        'white-space-collapse',
        name === 'excerpt' ? 'preserve-breaks' : name === 'textarea' ? 'preserve' : 'collapse',
      );
      check(name, node, 'text-wrap-style', 'auto');
      check(name, node, 'word-break', 'normal');
      check(name, node, 'line-break', 'auto');
      check(name, node, 'hyphens', 'manual');
      check(name, node, 'hyphenate-character', 'auto');
      check(name, node, 'tab-size', '8');
      check(name, node, 'quotes', 'auto');
      check(name, node, 'text-underline-position', 'auto');
      check(name, node, 'text-decoration-skip-ink', 'auto');
      check(name, node, 'text-emphasis-style', 'none');
      check(name, node, '-webkit-text-stroke-width', '0px');
      check(name, node, '-webkit-text-fill-color', (v) => v === style(node).color);
      check(name, node, 'caret-color', (v) => v === style(node).color);
      check(name, node, 'accent-color', 'auto');
      check(name, node, 'image-rendering', 'auto');
      check(name, node, 'writing-mode', 'horizontal-tb');
    }
    for (const [name, node] of Object.entries(texts)) {
      check(name, node, 'cursor', name === 'textarea' ? 'text' : 'auto');
      check(
        name,
        node,
        'font-weight',
        name === 'author' ? '700' : name === 'title' ? '700' : '400',
      );
      // The title lines up with the page: its start, resolved (left here).
      check(name, node, 'text-align', name === 'title' ? 'left' : 'start');
    }
    for (const [name, node] of Object.entries(controls)) check(name, node, 'cursor', 'pointer');
    check('body', parts.body, 'line-height', '24.8px');
    check('body', parts.body, 'font-size', '16px');
    check('thread', el, 'color-scheme', 'light');
    check('textarea', parts.textarea, 'color-scheme', 'light');
    expect(seen.join('\n')).to.equal('');
    expect(parts.submit.getBoundingClientRect().height).to.be.at.least(36);
  });

  it('resets list styles inside post bodies', async () => {
    hostCss(HOSTILE_TEXT);
    const el = await threadFixture(seedAdapter());
    const p9 = postIn(el, 'p9');
    await p9.updateComplete;
    const item = inShadow(p9, '[part="body"] li');
    expect(style(item).listStylePosition).to.equal('outside');
    expect(style(item).listStyleType).to.equal('decimal');
  });

  for (const name of [
    'thread loaded, signed out',
    'signed in with a reply box open',
    'quote popover open',
    'mention suggestions open',
    'a failed send showing the error',
    'delete confirmation',
    'the sign-in form of a server with accounts',
  ]) {
    it(`lays out "${name}" exactly as on a plain page`, async () => {
      const changed = await changedBy(`${ROOT_62_5} ${HOSTILE_TEXT}`, () =>
        states[name]({ theme: 'light' }),
      );
      expect(changed.join('\n')).to.equal('');
    });
  }

  it('keeps the widget horizontal in a vertical host', async () => {
    hostCss('body { writing-mode: vertical-rl; text-orientation: upright; }');
    const el = await threadFixture(seedAdapter({ as: 'jellis' }));
    const parts = await partsOf(el);
    expect(style(el).writingMode).to.equal('horizontal-tb');
    expect(style(parts.body).writingMode).to.equal('horizontal-tb');
  });

  it('resets a lone <parley-post> and <parley-composer> too', async () => {
    hostCss(`${ROOT_62_5} ${HOSTILE_TEXT}`);
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <parley-post .post=${{ id: 'x', threadId: 't', author: { id: 'u', name: 'Ada', handle: 'ada' }, body: 'Hello, world!', createdAt: '2026-01-01T00:00:00Z' }}></parley-post>
      <parley-composer .viewer=${{ id: 'u', name: 'Ada', handle: 'ada' }}></parley-composer>
    </div>`);
    const post = wrapper.querySelector<ParleyPost>('parley-post')!;
    const composer = wrapper.querySelector<ParleyComposer>('parley-composer')!;
    await post.updateComplete;
    await composer.updateComplete;
    const body = inShadow(post, '[part="body"] p');
    expect([
      style(body).letterSpacing,
      style(body).textTransform,
      style(body).fontSize,
      style(body).lineHeight,
      style(body).textShadow,
    ]).to.deep.equal(['normal', 'none', '16px', '24.8px', 'none']);
    const submit = inShadow(composer, '[part="submit"]');
    expect([style(submit).cursor, style(submit).letterSpacing]).to.deep.equal([
      'pointer',
      'normal',
    ]);
    expect(submit.getBoundingClientRect().height).to.be.at.least(36);
  });
});

describe('what a host page passes on', () => {
  it('passes on the font family, the direction and --parley-* tokens', async () => {
    hostCss(
      `body { font-family: Georgia, serif; } parley-thread { --parley-color-accent: rgb(180, 70, 27); }`,
    );
    const wrapper = await fixture<HTMLDivElement>(
      html`<div dir="rtl"><parley-thread thread-id="social-media-access" .adapter=${seedAdapter({ as: 'jellis' })}></parley-thread></div>`,
    );
    const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
    await waitUntil(() => el.shadowRoot!.querySelector('parley-post[data-post-id="p4"]'));
    const parts = await partsOf(el);
    expect(style(parts.body).fontFamily).to.equal('Georgia, serif');
    expect(style(parts.textarea).fontFamily).to.equal('Georgia, serif');
    expect(style(parts.submit).fontFamily).to.equal('Georgia, serif');
    // The page's direction lays the widget out (user text may take its own, see bidi.test.ts).
    expect(style(parts.section).direction).to.equal('rtl');
    expect(style(inShadow(postIn(el, 'p4'), '[part="base"]')).direction).to.equal('rtl');
    expect(style(inShadow(parts.composer, '[part="footer"]')).direction).to.equal('rtl');
    expect(style(parts.submit).backgroundColor).to.equal('rgb(180, 70, 27)');
    expect(style(parts.jump).color).to.equal('rgb(180, 70, 27)');
  });

  it('stays hidden in a part of the page hidden with visibility: hidden', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="visibility: hidden"><parley-thread thread-id="social-media-access" .adapter=${seedAdapter({ as: 'jellis' })}></parley-thread></div>`,
    );
    const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
    await waitUntil(() => el.shadowRoot!.querySelector('parley-post[data-post-id="p4"]'));
    const parts = await partsOf(el);
    expect([
      style(el).visibility,
      style(parts.body).visibility,
      style(parts.action).visibility,
    ]).to.deep.equal(['hidden', 'hidden', 'hidden']);
  });
});
