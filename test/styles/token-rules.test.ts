/**
 * A declaration whose value comes from a token (`${token('…')}` in a `css` template) reaches the
 * property it was written for. The host page sets the tokens to values no default has, so each
 * computed value names the token that produced it. Rules with several such declarations are the
 * ones a template minifier that reorders declarations gets wrong: Lit's expressions stay where
 * they are in the source, so reordered declarations pick up their neighbours' values
 * (`npm run test:minified` runs this against minified templates).
 */
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { MemoryAdapter, type ParleyThread } from '../../src/index.js';
import { clearHostCss, hostCss, inShadow, postIn, seed, threadFixture } from '../helpers.js';

const TOKENS = `parley-thread {
  --parley-color-border: rgb(1, 2, 3);
  --parley-color-muted: rgb(4, 5, 6);
  --parley-avatar-size: 40px;
  --parley-indent: 30px;
  --parley-space-s: 8px;
  --parley-space-m: 16px;
}`;

/** The seed thread, with the first reply's body a markdown blockquote. */
async function thread(): Promise<ParleyThread> {
  const data = seed();
  const reply = data.posts.find((p) => p.id === 'p3')!;
  reply.body = '> Quoted words\n\nThank you so much, Dan!';
  return threadFixture(new MemoryAdapter(data));
}

/** `[border-inline-start, margin-inline-start, padding-inline-start, color]` as computed. */
function inlineStart(el: Element): string[] {
  const s = getComputedStyle(el);
  return [
    `${s.borderInlineStartWidth} ${s.borderInlineStartStyle} ${s.borderInlineStartColor}`,
    s.marginInlineStart,
    s.paddingInlineStart,
    s.color,
  ];
}

describe('token rules', () => {
  // Wide enough that the narrow-container rules (under 30em) do not apply.
  beforeEach(async () => {
    await setViewport({ width: 1000, height: 900 });
    hostCss(TOKENS);
  });
  afterEach(() => clearHostCss());

  it('hangs nested replies off a rule in the border colour, indented by the avatar and indent', async () => {
    const el = await thread();
    const children = inShadow(el, '[part="children"]');
    const [border, margin, padding] = inlineStart(children);
    expect(border).to.equal('2px solid rgb(1, 2, 3)');
    // margin: half the avatar; padding: the indent, less that half, plus space-s.
    expect(margin).to.equal('20px');
    expect(padding).to.equal('18px');
  });

  it('draws a markdown blockquote with a rule in the border colour, in muted text', async () => {
    const el = await thread();
    const body = inShadow(postIn(el, 'p3'), '[part="body"]');
    const quote = body.querySelector('blockquote');
    expect(quote, 'the reply renders its blockquote').to.exist;
    const [border, , padding, color] = inlineStart(quote!);
    expect(border).to.equal('3px solid rgb(1, 2, 3)');
    expect(padding).to.equal('16px');
    expect(color).to.equal('rgb(4, 5, 6)');
  });
});
