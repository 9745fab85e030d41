/**
 * Mixed-direction text: in a right-to-left page (Arabic, Hebrew) English posts keep their
 * punctuation where it belongs, handles read "@ada", the character count reads "0 / 10,000";
 * in a left-to-right page an Arabic post reads right to left. Checked in pixels: the boxes of
 * single characters, measured through ranges inside the shadow roots.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import {
  MemoryAdapter,
  type Author,
  type ParleyPost,
  type ParleyThread,
  type Post,
} from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import type { ParleyQuote } from '../../src/components/quote/quote.component.js';
import { clearParleyStorage, inShadow, mainComposer, postIn, typeInto } from '../helpers.js';
import { threadIn } from './fixtures.js';

const THREAD = 'bidi';
const ada: Author = { id: 'u-ada', name: 'Ada L.', handle: 'ada' };
const layla: Author = { id: 'u-layla', name: 'ليلى ح.', handle: 'layla' };
const noa: Author = { id: 'u-noa', name: 'נועה', handle: 'noa' };

const ENGLISH = 'Hello, world!';
const ARABIC = 'مرحبا بالعالم!';
const HEBREW = 'שלום עולם!';
const MENTION = 'شكرا @ada على المساعدة';

function bidiAdapter(): MemoryAdapter {
  const at = (minute: number) =>
    new Date(Date.parse('2026-03-01T10:00:00Z') + minute * 60_000).toISOString();
  const posts: Post[] = [
    { id: 'b1', threadId: THREAD, author: layla, createdAt: at(0), body: ARABIC },
    {
      id: 'b2',
      threadId: THREAD,
      author: ada,
      createdAt: at(1),
      body: `${ENGLISH}\n\n- ${ENGLISH}\n\n> ${ENGLISH}`,
      quote: { postId: 'b1', text: ARABIC },
    },
    {
      id: 'b3',
      threadId: THREAD,
      author: layla,
      createdAt: at(2),
      body: MENTION,
      quote: { postId: 'b2', text: ENGLISH },
    },
    { id: 'b4', threadId: THREAD, author: noa, createdAt: at(3), body: HEBREW },
  ];
  return new MemoryAdapter({
    threads: [{ id: THREAD, title: 'Hello, RTL world!' }],
    posts,
    users: [ada, layla, noa],
    viewer: { user: ada },
  });
}

/**
 * The box of the character at `offset` in `needle`, where `needle` is rendered under `el` (in its
 * own tree: a shadow root's element). Lit renders `@${handle}` as two text nodes, so the text of
 * all of them is searched as one.
 */
function charBox(el: Element, needle: string, offset: number): DOMRect {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  const text = nodes.map((n) => n.data).join('');
  const at = text.indexOf(needle);
  if (at < 0)
    throw new Error(`"${needle}" is not rendered in <${el.localName}> (it holds "${text.trim()}")`);
  let index = at + offset;
  for (const node of nodes) {
    if (index < node.data.length) {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      return range.getBoundingClientRect();
    }
    index -= node.data.length;
  }
  throw new Error(`offset ${offset} is past "${needle}"`);
}

/** Whether, on screen, the character at `a` in `needle` is left of the one at `b`. */
const leftOf = (el: Element, needle: string, a: number, b: number) =>
  charBox(el, needle, a).left < charBox(el, needle, b).left;

const last = (s: string) => s.length - 1;

const rtlHosts = {
  Arabic: { dir: 'rtl', lang: 'ar', threadId: THREAD },
  Hebrew: { dir: 'rtl', lang: 'he', threadId: THREAD },
};

async function ready(el: ParleyThread): Promise<ParleyComposer> {
  for (const id of ['b1', 'b2', 'b3', 'b4']) await postIn(el, id).updateComplete;
  const composer = mainComposer(el);
  await waitUntil(() => composer.shadowRoot!.querySelector('textarea'), 'not signed in');
  for (const id of ['b2', 'b3']) {
    const quote = postIn(el, id).shadowRoot!.querySelector<ParleyQuote>('parley-quote')!;
    await waitUntil(
      () => quote.shadowRoot!.querySelector('[part="author"]'),
      `the quote in ${id} did not resolve`,
    );
  }
  return composer;
}

beforeEach(async () => {
  clearParleyStorage();
  await setViewport({ width: 900, height: 900 });
});
afterEach(clearParleyStorage);

for (const [language, attrs] of Object.entries(rtlHosts)) {
  describe(`in a right-to-left page (${language})`, () => {
    it('keeps the page right-to-left: the thread, its layout and its own text', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      await ready(el);
      const post = postIn(el, 'b2');
      expect(getComputedStyle(inShadow(post, '[part="base"]')).direction).to.equal('rtl');
      // The avatar is on the right, the text column left of it.
      expect(inShadow(post, '[part="avatar"]').getBoundingClientRect().left).to.be.greaterThan(
        inShadow(post, '[part="body"]').getBoundingClientRect().left,
      );
    });

    it('ends an English post with its "!" on the right, in paragraphs, list items and quotes', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      await ready(el);
      const body = inShadow(postIn(el, 'b2'), '[part="body"]');
      for (const selector of ['p', 'li', 'blockquote p']) {
        const block = body.querySelector(selector)!;
        expect(leftOf(block, ENGLISH, 0, last(ENGLISH)), `"H" left of "!" in ${selector}`).to.equal(
          true,
        );
        expect(leftOf(block, ENGLISH, 5, 6), `"," left of " " in ${selector}`).to.equal(true);
        // Laid out from the left, as English text is.
        expect(
          Math.round(charBox(block, ENGLISH, 0).left - block.getBoundingClientRect().left),
          `${selector} starts at its left edge`,
        ).to.be.below(2);
      }
    });

    it('reads handles left to right, "@" first: in the header, the quote and a mention in Arabic text', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      await ready(el);
      expect(
        leftOf(inShadow(postIn(el, 'b1'), '[part="handle"]'), '@layla', 0, 1),
        'header handle after an Arabic name',
      ).to.equal(true);
      expect(
        leftOf(inShadow(postIn(el, 'b2'), '[part="handle"]'), '@ada', 0, 1),
        'header handle',
      ).to.equal(true);
      const quote = inShadow<ParleyQuote>(postIn(el, 'b3'), 'parley-quote');
      expect(leftOf(inShadow(quote, '[part="author"]'), '@ada', 0, 1), 'quoted author').to.equal(
        true,
      );
      expect(
        leftOf(inShadow(postIn(el, 'b3'), '[part="body"] .mention'), '@ada', 0, 1),
        'mention in Arabic text',
      ).to.equal(true);
    });

    it('keeps an English display name whole: "Ada L." ends with "." on the right', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      await ready(el);
      expect(
        leftOf(inShadow(postIn(el, 'b2'), '[part="author"]'), ada.name, 0, last(ada.name)),
      ).to.equal(true);
    });

    it('reads the character count "0 / 10,000" left to right, and keeps the count at the start of the footer', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      const composer = await ready(el);
      const count = inShadow(composer, '[part="count"]');
      const text = (count.textContent ?? '').trim();
      expect(text).to.equal('0 / 10,000');
      expect(leftOf(count, text, 0, 2), '"0" left of "/"').to.equal(true);
      expect(leftOf(count, text, 2, 4), '"/" left of "10,000"').to.equal(true);
      // The footer is still laid out right to left: the count at its right, Post reply at its left.
      const footer = inShadow(composer, '[part="footer"]').getBoundingClientRect();
      expect(
        Math.round(footer.right - count.getBoundingClientRect().right),
        'count at the right of the footer',
      ).to.be.below(20);
      expect(
        inShadow(composer, '[part="submit"]').getBoundingClientRect().left - footer.left,
        'Post reply at the left',
      ).to.be.below(20);
      await typeInto(composer, ENGLISH);
      expect(leftOf(count, '13 / 10,000', 0, 3)).to.equal(true);
    });

    it('shows an English excerpt and an English title the English way', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      await ready(el);
      const quote = inShadow<ParleyQuote>(postIn(el, 'b3'), 'parley-quote');
      expect(
        leftOf(inShadow(quote, '[part="excerpt"]'), ENGLISH, 0, last(ENGLISH)),
        'excerpt',
      ).to.equal(true);
      expect(leftOf(inShadow(el, '[part="title"]'), 'Hello, RTL world!', 0, 16), 'title').to.equal(
        true,
      );
    });

    it('lines the title and a quoted @handle up with the page, right, and keeps their text whole', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      await ready(el);
      const title = inShadow(el, '[part="title"]');
      expect(
        Math.round(
          title.getBoundingClientRect().right - charBox(title, 'Hello, RTL world!', 16).right,
        ),
        'title at the right',
      ).to.be.below(2);
      const caption = inShadow(
        inShadow<ParleyQuote>(postIn(el, 'b3'), 'parley-quote'),
        '[part="author"]',
      );
      expect(
        Math.round(caption.getBoundingClientRect().right - charBox(caption, '@ada', 3).right),
        'quoted @handle at the right',
      ).to.be.below(2);
    });

    it('keeps the name whole in "Posting as Ada L."', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      const composer = await ready(el);
      expect(
        leftOf(inShadow(composer, '[part="signed-in-as"]'), 'Posting as Ada L.', 0, 16),
      ).to.equal(true);
    });

    it("previews English text the English way, and lets the text field pick each line's direction", async () => {
      const el = await threadIn(attrs, bidiAdapter());
      const composer = await ready(el);
      const field = await typeInto(composer, ENGLISH);
      expect(getComputedStyle(field).unicodeBidi).to.equal('plaintext');
      composer.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')[1].click();
      await waitUntil(() => composer.shadowRoot!.querySelector('[part="preview"] p'), 'no preview');
      expect(leftOf(inShadow(composer, '[part="preview"] p'), ENGLISH, 0, last(ENGLISH))).to.equal(
        true,
      );
    });

    it('reads each time as a unit', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      await ready(el);
      const time = inShadow(postIn(el, 'b2'), '[part="time"] time');
      const text = time.textContent!;
      expect(leftOf(time, text, 0, text.length - 1)).to.equal(true);
      expect(['isolate', 'plaintext']).to.include(getComputedStyle(time).unicodeBidi);
    });

    it('shows a mention suggestion\'s handle "@" first', async () => {
      const el = await threadIn(attrs, bidiAdapter());
      const composer = await ready(el);
      await typeInto(composer, '@la');
      await waitUntil(
        () => composer.shadowRoot!.querySelector('[part="suggestion"]'),
        'no suggestions',
      );
      expect(leftOf(inShadow(composer, '[part="suggestion"] .handle'), '@layla', 0, 1)).to.equal(
        true,
      );
    });
  });
}

describe('in a left-to-right page', () => {
  it('ends an Arabic post with its "!" on the left, and a Hebrew one too', async () => {
    const el = await threadIn({ dir: 'ltr', lang: 'en', threadId: THREAD }, bidiAdapter());
    await ready(el);
    const arabic = inShadow(postIn(el, 'b1'), '[part="body"] p');
    expect(leftOf(arabic, ARABIC, last(ARABIC), 0), '"!" left of the first letter').to.equal(true);
    expect(
      Math.round(arabic.getBoundingClientRect().right - charBox(arabic, ARABIC, 0).right),
      'laid out from the right',
    ).to.be.below(2);
    const hebrew = inShadow(postIn(el, 'b4'), '[part="body"] p');
    expect(leftOf(hebrew, HEBREW, last(HEBREW), 0)).to.equal(true);
  });

  it('keeps an Arabic display name whole: "ليلى ح." ends with "." on the left', async () => {
    const el = await threadIn({ dir: 'ltr', lang: 'en', threadId: THREAD }, bidiAdapter());
    await ready(el);
    const post = postIn(el, 'b1') as ParleyPost;
    expect(leftOf(inShadow(post, '[part="author"]'), layla.name, last(layla.name), 0)).to.equal(
      true,
    );
    expect(inShadow(post, '[part="author"]').getBoundingClientRect().right).to.be.at.most(
      inShadow(post, '[part="handle"]').getBoundingClientRect().left,
    );
    expect(leftOf(inShadow(post, '[part="handle"]'), '@layla', 0, 1)).to.equal(true);
  });

  it('shows English posts as before', async () => {
    const el = await threadIn({ dir: 'ltr', lang: 'en', threadId: THREAD }, bidiAdapter());
    await ready(el);
    const p = inShadow(postIn(el, 'b2'), '[part="body"] p');
    expect(leftOf(p, ENGLISH, 0, last(ENGLISH))).to.equal(true);
    expect(Math.round(charBox(p, ENGLISH, 0).left - p.getBoundingClientRect().left)).to.be.below(2);
  });
});
