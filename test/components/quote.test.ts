/** `<parley-quote>`: the quoted author, the clamped excerpt, jumping, resolving and the popover. */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { inShadow } from '../helpers.js';
import {
  ParleyError,
  type Author,
  type ParleyQuote,
  type Post,
  type Quote,
} from '../../src/index.js';
import { ContextProvider } from '@lit/context';
import { postLookupContext, type PostLookup } from '../../src/context/post-lookup.js';

/**
 * Whether `selector` matches in the shadow root of `host`. Assertions compare booleans, strings
 * and ids rather than elements: a failed assertion holding a DOM node stalls this runner.
 */
const has = (host: Element, selector: string) => host.shadowRoot!.querySelector(selector) !== null;

const dan: Author = { id: 'u-danhinmon', name: 'Dan Hinmon', handle: 'DanHinmon' };

let nextPost = 0;

function makePost(overrides: Partial<Post> = {}): Post {
  nextPost += 1;
  return {
    id: `quoted-${nextPost}`,
    threadId: 't1',
    author: dan,
    createdAt: '2019-01-28T13:47:00-06:00',
    body: 'Good question. **Mayo Clinic** has had open access for years.\n\nSee [the guide](https://example.com/guide).',
    ...overrides,
  };
}

const quoteOf = (post: Post, text = 'Mayo Clinic has had open access for years.'): Quote => ({
  postId: post.id,
  text,
});

async function quoteFixture(
  quote: Quote,
  post: Post | null,
  sourceId: string | null = 'p-source',
): Promise<ParleyQuote> {
  const el = await fixture<ParleyQuote>(
    html`<parley-quote .quote=${quote} .post=${post} .sourceId=${sourceId} locale="en-US" time-zone="America/Chicago"></parley-quote>`,
  );
  await el.updateComplete;
  return el;
}

/** A wrapper that provides a post lookup (as `<parley-thread>` does) to what it holds. */
async function lookupWrapper(lookup: PostLookup | undefined): Promise<HTMLDivElement> {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  new ContextProvider(wrapper, { context: postLookupContext, initialValue: lookup });
  return wrapper;
}

/** Puts a `<parley-quote>` into `wrapper`, as a thread renders it. */
async function quoteIn(
  wrapper: HTMLElement,
  quote: Quote,
  post: Post | null = null,
): Promise<ParleyQuote> {
  const el = document.createElement('parley-quote');
  el.quote = quote;
  el.post = post;
  wrapper.append(el);
  await el.updateComplete;
  return el;
}

/**
 * A quote without `.post` inside a wrapper whose post lookup answers with `answer` (or, when
 * `answer` is undefined, that provides no lookup at all).
 */
async function resolvingFixture(quote: Quote, answer: (() => Promise<Post>) | undefined) {
  const requests: string[] = [];
  const wrapper = await lookupWrapper(
    answer ? (postId) => (requests.push(postId), answer()) : undefined,
  );
  const el = await quoteIn(wrapper, quote);
  if (answer) await waitUntil(() => requests.length > 0, 'the quote did not ask for its post');
  return { el, requests };
}

const popoverOf = (el: ParleyQuote) => inShadow(el, '[part="popover"]');
const isShown = (node: HTMLElement) => !node.hidden && node.getClientRects().length > 0;

describe('<parley-quote>', () => {
  describe('properties', () => {
    it('renders nothing without a quote', async () => {
      const el = await fixture<ParleyQuote>(html`<parley-quote></parley-quote>`);
      expect(has(el, 'figure'), 'figure is rendered').to.equal(false);
    });

    it('shows the quoted author’s @handle and the excerpt as text', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post, 'An <b>excerpt</b> with **stars**'), post);
      expect(inShadow(el, '[part="author"]').textContent).to.equal('@DanHinmon');
      const excerpt = inShadow(el, '[part="excerpt"]');
      expect(excerpt.textContent).to.equal('An <b>excerpt</b> with **stars**');
      expect(excerpt.childElementCount).to.equal(0);
    });

    it('shows the name of an author without a handle', async () => {
      const post = makePost({ author: { id: 'u-nh', name: 'No Handle' } });
      const el = await quoteFixture(quoteOf(post), post);
      expect(inShadow(el, '[part="author"]').textContent).to.equal('No Handle');
    });

    it('clamps the excerpt to four lines, or --parley-quote-lines', async () => {
      const post = makePost();
      const long = Array.from({ length: 30 }, (_, i) => `Line ${i + 1} of a long excerpt.`).join(
        '\n',
      );
      const el = await quoteFixture(quoteOf(post, long), post);
      const excerpt = inShadow(el, '[part="excerpt"]');
      const style = getComputedStyle(excerpt) as CSSStyleDeclaration & { webkitLineClamp: string };
      expect(style.webkitLineClamp).to.equal('4');
      expect(style.overflow).to.equal('hidden');
      expect(excerpt.scrollHeight).to.be.greaterThan(excerpt.clientHeight);

      el.style.setProperty('--parley-quote-lines', '2');
      expect(
        (getComputedStyle(excerpt) as CSSStyleDeclaration & { webkitLineClamp: string })
          .webkitLineClamp,
      ).to.equal('2');
    });

    it('says the quoted post was deleted and offers no jump', async () => {
      const post = makePost({ body: '', deleted: true });
      const el = await quoteFixture(quoteOf(post), post);
      expect(inShadow(el, '[part="status"]').textContent).to.equal('The quoted post was deleted.');
      expect(has(el, '[part="jump"]'), '[part="jump"] is rendered').to.equal(false);
      expect(has(el, '[part="excerpt"]'), '[part="excerpt"] is rendered').to.equal(false);
    });

    it('follows a change of the quoted post to deleted', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      expect(el.shadowRoot!.querySelector('[part="jump"]')).to.exist;
      el.post = { ...post, body: '', deleted: true };
      await el.updateComplete;
      expect(inShadow(el, '[part="status"]').textContent).to.equal('The quoted post was deleted.');
      expect(has(el, '[part="jump"]'), '[part="jump"] is rendered').to.equal(false);
    });
  });

  describe('events', () => {
    it('fires parley-jump-request with the quoted post id and the source when Jump is pressed', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post, 'p-source');
      const jump = inShadow<HTMLButtonElement>(el, '[part="jump"]');
      expect(jump.textContent!.trim()).to.equal('Jump to this post');
      setTimeout(() => jump.click());
      const event = await oneEvent(el, 'parley-jump-request');
      expect(event.detail).to.deep.equal({ postId: post.id, from: 'p-source' });
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('does not ask for the post when it is given', async () => {
      const post = makePost();
      let asked = false;
      const wrapper = await lookupWrapper(async () => ((asked = true), post));
      const el = await quoteIn(wrapper, quoteOf(post), post);
      await Promise.resolve();
      expect(asked).to.equal(false);
      expect(inShadow(el, '[part="author"]').textContent).to.equal('@DanHinmon');
    });

    it("asks the thread's post lookup for the quoted post and shows the answer", async () => {
      const post = makePost();
      const { el, requests } = await resolvingFixture(quoteOf(post), () => Promise.resolve(post));
      expect(requests).to.deep.equal([post.id]);
      await waitUntil(
        () => el.shadowRoot!.querySelector('[part="author"]'),
        'the resolved post was not shown',
      );
      expect(inShadow(el, '[part="author"]').textContent).to.equal('@DanHinmon');
      expect(inShadow(el, '[part="jump"]')).to.exist;
      expect(inShadow(el, 'figure').getAttribute('aria-label')).to.equal('Quote from Dan Hinmon');
    });

    it('says the quoted post was deleted when the answer is a tombstone', async () => {
      const post = makePost({ body: '', deleted: true });
      const { el } = await resolvingFixture(quoteOf(post), () => Promise.resolve(post));
      await waitUntil(() => el.shadowRoot!.querySelector('[part="status"]'), 'no status was shown');
      expect(inShadow(el, '[part="status"]').textContent).to.equal('The quoted post was deleted.');
      expect(has(el, '[part="jump"]'), '[part="jump"] is rendered').to.equal(false);
    });

    it('says the quoted post could not be found when the answer is rejected', async () => {
      const post = makePost();
      const { el } = await resolvingFixture(quoteOf(post), () =>
        Promise.reject(new ParleyError('not-found', 'Gone.')),
      );
      await waitUntil(() => el.shadowRoot!.querySelector('[part="status"]'), 'no status was shown');
      expect(inShadow(el, '[part="status"]').textContent).to.equal(
        'The quoted post could not be found.',
      );
      expect(has(el, '[part="jump"]'), '[part="jump"] is rendered').to.equal(false);
      expect(has(el, '[part="author"]'), '[part="author"] is rendered').to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('still shows the excerpt and Jump when nobody answers', async () => {
      const post = makePost();
      const { el } = await resolvingFixture(quoteOf(post, 'Just the excerpt'), undefined);
      await el.updateComplete;
      expect(inShadow(el, '[part="excerpt"]').textContent).to.equal('Just the excerpt');
      expect(inShadow(el, '[part="jump"]')).to.exist;
      expect(inShadow(el, 'figure').getAttribute('aria-label')).to.equal('Quote');
    });

    it('asks again when the quote changes to another post', async () => {
      const first = makePost();
      const second = makePost({
        author: { id: 'u-a', name: 'Angela Moore', handle: 'angela_k_moore' },
      });
      const answers = new Map([first, second].map((p) => [p.id, p]));
      const requests: string[] = [];
      const wrapper = await lookupWrapper(
        async (postId) => (requests.push(postId), answers.get(postId)!),
      );
      const el = await quoteIn(wrapper, quoteOf(first));
      await waitUntil(
        () => el.shadowRoot!.querySelector('[part="author"]')?.textContent === '@DanHinmon',
        'first post not shown',
      );
      el.post = null;
      el.quote = quoteOf(second);
      await waitUntil(
        () => el.shadowRoot!.querySelector('[part="author"]')?.textContent === '@angela_k_moore',
        'second post not shown',
      );
      expect(requests).to.deep.equal([first.id, second.id]);
    });
  });

  describe('flows', () => {
    it('shows the whole quoted post, rendered as markdown, while Jump has focus', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      const popover = popoverOf(el);
      expect(isShown(popover)).to.equal(false);

      inShadow<HTMLButtonElement>(el, '[part="jump"]').focus();
      await el.updateComplete;
      expect(isShown(popover)).to.equal(true);
      expect(popover.matches(':popover-open')).to.equal(true);
      expect(popover.querySelector('strong')!.textContent).to.equal('Mayo Clinic');
      const link = popover.querySelector('a')!;
      expect(link.getAttribute('href')).to.equal('https://example.com/guide');
      expect(link.getAttribute('rel')).to.equal('nofollow ugc noopener noreferrer');
      expect(popover.querySelector('header')!.textContent).to.contain('Dan Hinmon');
      expect(popover.querySelector('time')!.getAttribute('datetime')).to.equal(post.createdAt);
      expect(inShadow(el, '[part="jump"]').getAttribute('aria-describedby')).to.equal(popover.id);
      await expect(el).to.be.accessible();
    });

    it('hides the popover on Escape, keeping focus on Jump', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      const jump = inShadow<HTMLButtonElement>(el, '[part="jump"]');
      jump.focus();
      await el.updateComplete;
      expect(isShown(popoverOf(el))).to.equal(true);

      let escaped = false;
      const onKey = (e: KeyboardEvent) => (escaped ||= e.key === 'Escape');
      document.addEventListener('keydown', onKey);
      await sendKeys({ press: 'Escape' });
      document.removeEventListener('keydown', onKey);
      await el.updateComplete;
      expect(isShown(popoverOf(el))).to.equal(false);
      expect(el.shadowRoot!.activeElement === jump, 'focus moved there').to.equal(true);
      expect(jump.hasAttribute('aria-describedby')).to.equal(false);
      expect(escaped, 'Escape that closed the popover reached the page').to.equal(false);
    });

    it('shows the popover on hover and lets Escape dismiss it while focus is elsewhere', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      const box = inShadow(el, 'figure').getBoundingClientRect();
      await sendMouse({
        type: 'move',
        position: [Math.round(box.left + 20), Math.round(box.top + 10)],
      });
      await sendMouse({
        type: 'move',
        position: [Math.round(box.left + 30), Math.round(box.top + 12)],
      });
      await waitUntil(() => isShown(popoverOf(el)), 'hovering did not show the popover');
      (document.activeElement as HTMLElement | null)?.blur();
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(isShown(popoverOf(el))).to.equal(false);
    });

    it('does not open under a pointer that stayed still while the quote moved under it', async () => {
      const post = makePost();
      const spacer = document.createElement('div');
      spacer.style.height = '2000px';
      document.body.prepend(spacer);
      const after = document.createElement('div');
      after.style.height = '2000px';
      try {
        const el = await quoteFixture(quoteOf(post), post);
        document.body.append(after);
        await sendMouse({ type: 'move', position: [40, 30] });
        // A jump scrolls the page and the quote ends up under the resting pointer.
        window.scrollTo({
          top: inShadow(el, 'figure').getBoundingClientRect().top + window.scrollY - 20,
          behavior: 'instant',
        });
        const box = inShadow(el, 'figure').getBoundingClientRect();
        expect(box.top <= 30 && box.bottom >= 30, 'the quote is under the pointer').to.equal(true);
        await new Promise((resolve) => setTimeout(resolve, 900));
        expect(isShown(popoverOf(el)), 'the preview opened by itself').to.equal(false);
      } finally {
        spacer.remove();
        after.remove();
        window.scrollTo(0, 0);
        await sendMouse({ type: 'move', position: [0, 0] });
      }
    });

    it('takes links in the preview out of the tab order', async () => {
      const post = { ...makePost(), body: 'See [the study](https://example.com/study).' };
      const el = await quoteFixture(quoteOf(post), post);
      inShadow<HTMLButtonElement>(el, '[part="jump"]').focus();
      await waitUntil(
        () => isShown(popoverOf(el)) && popoverOf(el).querySelector('a'),
        'no preview with its link',
      );
      await el.updateComplete;
      expect(popoverOf(el).querySelector('a')!.tabIndex).to.equal(-1);
    });

    it('hides the popover when Jump loses focus', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      const jump = inShadow<HTMLButtonElement>(el, '[part="jump"]');
      jump.focus();
      await el.updateComplete;
      expect(isShown(popoverOf(el))).to.equal(true);
      jump.blur();
      await el.updateComplete;
      expect(isShown(popoverOf(el))).to.equal(false);
      expect(popoverOf(el).matches(':popover-open')).to.equal(false);
    });

    it('hides the popover when it jumps', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      const jump = inShadow<HTMLButtonElement>(el, '[part="jump"]');
      jump.focus();
      await el.updateComplete;
      setTimeout(() => jump.click());
      await oneEvent(el, 'parley-jump-request');
      await el.updateComplete;
      expect(isShown(popoverOf(el))).to.equal(false);
    });

    it('shows no popover for a post that could not be found', async () => {
      const post = makePost();
      const { el } = await resolvingFixture(quoteOf(post), () =>
        Promise.reject(new ParleyError('not-found', 'Gone.')),
      );
      await waitUntil(() => el.shadowRoot!.querySelector('[part="status"]'), 'no status was shown');
      el.showPreview();
      await el.updateComplete;
      expect(isShown(popoverOf(el))).to.equal(false);
    });

    it('leaves no popover open after it is removed', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      inShadow<HTMLButtonElement>(el, '[part="jump"]').focus();
      await el.updateComplete;
      const popover = popoverOf(el);
      expect(popover.matches(':popover-open')).to.equal(true);
      el.remove();
      expect(popover.matches(':popover-open')).to.equal(false);
      expect(popover.hidden).to.equal(true);
    });
  });

  describe('parts', () => {
    it('exposes base, author, excerpt, jump and popover', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      for (const part of ['base', 'author', 'excerpt', 'jump', 'popover']) {
        expect(el.shadowRoot!.querySelector(`[part="${part}"]`), part).to.exist;
      }
      expect(inShadow(el, '[part="base"]').localName).to.equal('figure');
      expect(inShadow(el, '[part="excerpt"]').localName).to.equal('blockquote');
    });

    it('exposes status for a deleted quoted post', async () => {
      const post = makePost({ body: '', deleted: true });
      const el = await quoteFixture(quoteOf(post), post);
      expect(el.shadowRoot!.querySelector('[part="status"]')).to.exist;
    });
  });

  describe('accessibility', () => {
    it('is accessible with the quoted post, deleted, and unresolved', async () => {
      const post = makePost();
      await expect(await quoteFixture(quoteOf(post), post)).to.be.accessible();
      const gone = makePost({ body: '', deleted: true });
      await expect(await quoteFixture(quoteOf(gone), gone)).to.be.accessible();
      const { el } = await resolvingFixture(quoteOf(post), undefined);
      await expect(el).to.be.accessible();
    });

    it('labels the figure with the quoted author', async () => {
      const post = makePost();
      const el = await quoteFixture(quoteOf(post), post);
      expect(inShadow(el, 'figure').getAttribute('aria-label')).to.equal('Quote from Dan Hinmon');
    });
  });
});
