/** `<parley-post>` on its own: header, avatar, markdown body, actions, delete, edit and selection quoting. */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { inShadow } from '../helpers.js';
import {
  ParleyError,
  formatDateTime,
  formatRelative,
  permalinkOf,
  type Author,
  type ParleyPost,
  type Post,
} from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';

/**
 * Whether `selector` matches in the shadow root of `host`. Assertions compare booleans, strings
 * and ids rather than elements: a failed assertion holding a DOM node stalls this runner.
 */
const has = (host: Element, selector: string) => host.shadowRoot!.querySelector(selector) !== null;

const dalya: Author = { id: 'u-dqualls', name: 'Dalya Qualls', handle: 'dqualls' };
const dan: Author = { id: 'u-danhinmon', name: 'Dan Hinmon', handle: 'DanHinmon' };

let nextPost = 0;

/** A post with a fresh id (so the markdown cache never serves another test's body). */
function makePost(overrides: Partial<Post> = {}): Post {
  nextPost += 1;
  return {
    id: `post-test-${nextPost}`,
    threadId: 't1',
    author: dan,
    createdAt: '2019-01-28T11:03:00-06:00',
    body: 'Good question, **Dayla**.',
    ...overrides,
  };
}

async function postFixture(
  post: Post,
  options: { viewer?: Author | null; participants?: string[]; noReply?: boolean } = {},
): Promise<ParleyPost> {
  const el = await fixture<ParleyPost>(html`<parley-post
    .post=${post}
    .viewer=${options.viewer ?? null}
    .participants=${new Set(options.participants ?? [])}
    ?no-reply=${options.noReply ?? false}
    locale="en-US"
    time-zone="America/Chicago"
  ></parley-post>`);
  await el.updateComplete;
  return el;
}

/** The action button `name` (`reply`, `quote`, `copy-link`, `edit`, `delete`) or `null`. */
function action(el: ParleyPost, name: string): HTMLButtonElement | null {
  return el.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${name}"]`);
}

/** The element that has focus inside the post's shadow root. */
function focused(el: ParleyPost): Element | null {
  return el.shadowRoot!.activeElement;
}

/** The non-blank text nodes of `root`, in document order. */
function textNodes(root: Node): Text[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out: Text[] = [];
  while (walker.nextNode())
    if (walker.currentNode.nodeValue!.trim()) out.push(walker.currentNode as Text);
  return out;
}

afterEach(() => document.getSelection()?.removeAllRanges());

describe('<parley-post>', () => {
  describe('properties', () => {
    it('renders nothing without a post', async () => {
      const el = await fixture<ParleyPost>(html`<parley-post></parley-post>`);
      expect(has(el, 'article'), 'article is rendered').to.equal(false);
    });

    it('shows the author name and @handle as text', async () => {
      const el = await postFixture(makePost());
      expect(inShadow(el, '[part="author"]').textContent).to.equal('Dan Hinmon');
      expect(inShadow(el, '[part="handle"]').textContent).to.equal('@DanHinmon');
    });

    it('omits the handle when the author has none', async () => {
      const el = await postFixture(makePost({ author: { id: 'u-x', name: 'No Handle' } }));
      expect(has(el, '[part="handle"]'), '[part="handle"] is rendered').to.equal(false);
    });

    it('shows the creation time in a time element, formatted in the given locale and time zone', async () => {
      const el = await postFixture(makePost());
      const time = inShadow(el, '[part="time"] time');
      expect(time.getAttribute('datetime')).to.equal('2019-01-28T11:03:00-06:00');
      expect(time.textContent).to.equal('Mon, Jan 28, 2019 11:03am');
      expect(time.textContent).to.equal(
        formatDateTime('2019-01-28T11:03:00-06:00', {
          locale: 'en-US',
          timeZone: 'America/Chicago',
        }),
      );
    });

    it('puts the relative time in the title of the permalink, which links to the post', async () => {
      const createdAt = new Date(Date.now() - 3 * 24 * 3600 * 1000 - 60_000).toISOString();
      const post = makePost({ createdAt });
      const el = await postFixture(post);
      const link = inShadow<HTMLAnchorElement>(el, 'a[part="time"]');
      expect(link.title).to.equal('3 days ago');
      expect(link.title).to.equal(formatRelative(createdAt, { locale: 'en-US' }));
      expect(link.getAttribute('href')).to.equal(`#post-${post.id}`);
    });

    it('shows the avatar image when avatarUrl is http(s)', async () => {
      const url = 'https://avatars.example/dan.png';
      const el = await postFixture(makePost({ author: { ...dan, avatarUrl: url } }));
      const img = inShadow<HTMLImageElement>(el, '[part="avatar"] img');
      expect(img.getAttribute('src')).to.equal(url);
      expect(img.alt).to.equal('');
      expect(img.getAttribute('referrerpolicy')).to.equal('no-referrer');
    });

    it('shows initials on a colour when there is no avatarUrl', async () => {
      const el = await postFixture(makePost({ author: dalya }));
      const avatar = inShadow(el, '[part="avatar"]');
      expect(avatar.querySelector('img') !== null, 'img is rendered').to.equal(false);
      expect(avatar.textContent!.trim()).to.equal('DQ');
      expect(getComputedStyle(avatar).backgroundColor).to.match(/^rgb\(/);
      expect(getComputedStyle(avatar).backgroundColor).not.to.equal('rgba(0, 0, 0, 0)');
    });

    it('falls back to initials when the avatar image fails to load', async () => {
      const url = new URL('/no-such-avatar-for-parley-tests.png', location.href).href;
      const el = await postFixture(makePost({ author: { ...dalya, avatarUrl: url } }));
      const avatar = inShadow(el, '[part="avatar"]');
      expect(avatar.querySelector('img')?.getAttribute('src')).to.equal(url);
      await waitUntil(() => !avatar.querySelector('img'), 'the avatar image never failed');
      expect(avatar.textContent!.trim()).to.equal('DQ');
      expect(avatar.getAttribute('style')).to.contain('background');
    });

    it('renders the body as markdown', async () => {
      const el = await postFixture(
        makePost({ body: 'Some **bold** and _italic_ text\n\n- one\n- two\n\n`code`' }),
      );
      const body = inShadow(el, '[part="body"]');
      expect(body.querySelector('strong')!.textContent).to.equal('bold');
      expect(body.querySelector('em')!.textContent).to.equal('italic');
      expect(body.querySelectorAll('ul > li').length).to.equal(2);
      expect(body.querySelector('code')!.textContent).to.equal('code');
    });

    it('opens links in a new tab with rel="nofollow ugc noopener noreferrer"', async () => {
      const el = await postFixture(
        makePost({
          body: 'See [the guide](https://example.com/guide) or https://example.org/auto',
        }),
      );
      const links = [...inShadow(el, '[part="body"]').querySelectorAll('a')];
      expect(links.length).to.equal(2);
      for (const link of links) {
        expect(link.getAttribute('rel')).to.equal('nofollow ugc noopener noreferrer');
        expect(link.getAttribute('target')).to.equal('_blank');
      }
      expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
        'https://example.com/guide',
        'https://example.org/auto',
      ]);
    });

    it('styles @mentions only of participants', async () => {
      const el = await postFixture(
        makePost({ body: 'Thanks @dqualls and @stranger, mail me at dan@example.com' }),
        { participants: ['dqualls'] },
      );
      const mentions = [
        ...inShadow(el, '[part="body"]').querySelectorAll<HTMLElement>('span.mention'),
      ];
      expect(mentions.map((m) => m.textContent)).to.deep.equal(['@dqualls', '@stranger']);
      expect(mentions[0].hasAttribute('data-known')).to.equal(true);
      expect(mentions[1].hasAttribute('data-known')).to.equal(false);
    });

    it('updates the mention styling when the participants change', async () => {
      const el = await postFixture(makePost({ body: 'Hi @stranger' }));
      const mention = inShadow(el, 'span.mention');
      expect(mention.hasAttribute('data-known')).to.equal(false);
      el.participants = new Set(['stranger']);
      await el.updateComplete;
      expect(inShadow(el, 'span.mention').hasAttribute('data-known')).to.equal(true);
    });

    it('shows Edit and Delete only on the viewer’s own posts', async () => {
      const mine = await postFixture(makePost({ author: dalya }), { viewer: dalya });
      expect(action(mine, 'edit')).to.exist;
      expect(action(mine, 'delete')).to.exist;

      const theirs = await postFixture(makePost({ author: dan }), { viewer: dalya });
      expect(action(theirs, 'edit') !== null, 'edit is offered').to.equal(false);
      expect(action(theirs, 'delete') !== null, 'delete is offered').to.equal(false);
      expect(action(theirs, 'reply')).to.exist;

      const signedOut = await postFixture(makePost({ author: dalya }), { viewer: null });
      expect(action(signedOut, 'edit') !== null, 'edit is offered').to.equal(false);
      expect(action(signedOut, 'delete') !== null, 'delete is offered').to.equal(false);
    });

    it('hides Reply and Quote with no-reply, keeping Copy link', async () => {
      const el = await postFixture(makePost(), { noReply: true });
      expect(action(el, 'reply') !== null, 'reply is offered').to.equal(false);
      expect(action(el, 'quote') !== null, 'quote is offered').to.equal(false);
      expect(action(el, 'copy-link')).to.exist;
    });

    it('shows a deleted post as a tombstone without body or actions', async () => {
      const el = await postFixture(makePost({ author: dalya, body: '', deleted: true }), {
        viewer: dalya,
      });
      expect(inShadow(el, '[part="tombstone"]').textContent).to.equal('This post was deleted.');
      expect(has(el, '[part="body"]'), '[part="body"] is rendered').to.equal(false);
      expect(has(el, '[part="actions"]'), '[part="actions"] is rendered').to.equal(false);
      expect(el.shadowRoot!.querySelectorAll('[data-action]').length).to.equal(0);
    });

    it('reflects highlighted and variant to attributes', async () => {
      const el = await postFixture(makePost());
      el.highlighted = true;
      el.variant = 'opening';
      await el.updateComplete;
      expect(el.hasAttribute('highlighted')).to.equal(true);
      expect(el.getAttribute('variant')).to.equal('opening');
      el.setAttribute('variant', 'reply');
      el.removeAttribute('highlighted');
      await el.updateComplete;
      expect(el.variant).to.equal('reply');
      expect(el.highlighted).to.equal(false);
    });
  });

  describe('events', () => {
    it('fires parley-reply-request with the post when Reply is pressed', async () => {
      const post = makePost();
      const el = await postFixture(post);
      setTimeout(() => action(el, 'reply')!.click());
      const event = await oneEvent(el, 'parley-reply-request');
      expect(event.detail.post).to.equal(post);
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('fires parley-quote-request with the whole post as plain text when Quote is pressed', async () => {
      const post = makePost({
        body: 'First **bold** line\nsecond line\n\nA [link](https://example.com) and `code`.',
      });
      const el = await postFixture(post);
      setTimeout(() => action(el, 'quote')!.click());
      const event = await oneEvent(el, 'parley-quote-request');
      expect(event.detail.post).to.equal(post);
      expect(event.detail.text).to.equal('First bold line\nsecond line\n\nA link and code.');
    });

    it('copies the permalink and announces it, or shows the link when copying is not allowed', async () => {
      const post = makePost();
      const el = await postFixture(post);
      let announced = '';
      el.addEventListener('parley-announce', (e) => (announced = e.detail.message));
      action(el, 'copy-link')!.click();
      await waitUntil(
        () => announced || el.shadowRoot!.querySelector('[part="error"]'),
        'copying had no outcome',
      );
      if (announced) {
        expect(announced).to.equal('Link copied to the clipboard.');
        expect(has(el, '[part="error"]'), '[part="error"] is rendered').to.equal(false);
      } else {
        const error = inShadow(el, '[part="error"]');
        expect(error.getAttribute('role')).to.equal('alert');
        expect(error.textContent).to.equal(
          `Could not copy the link. Here it is: ${permalinkOf(post.id)}`,
        );
      }
      expect(permalinkOf(post.id)).to.equal(`${location.href.split('#')[0]}#post-${post.id}`);
    });
  });

  describe('flows', () => {
    it('opens an in-place composer holding the body when Edit is pressed, and closes it on Escape', async () => {
      const post = makePost({ author: dalya, body: 'My **original** text' });
      const el = await postFixture(post, { viewer: dalya });
      action(el, 'edit')!.click();
      await el.updateComplete;
      const composer = inShadow<ParleyComposer>(el, 'parley-composer');
      await composer.updateComplete;
      expect(composer.mode).to.equal('edit');
      expect(composer.body).to.equal('My **original** text');
      const field = inShadow<HTMLTextAreaElement>(composer, 'textarea');
      expect(field.value).to.equal('My **original** text');
      await waitUntil(
        () => composer.shadowRoot!.activeElement === field,
        'the editor did not take focus',
      );
      expect(has(el, '[part="body"]'), '[part="body"] is rendered').to.equal(false);
      expect(action(el, 'edit')!.disabled).to.equal(true);
      expect(action(el, 'delete')!.disabled, 'Delete while editing').to.equal(true);
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'Escape' });
      await waitUntil(
        () => !el.shadowRoot!.querySelector('parley-composer'),
        'the editor did not close',
      );
      expect(inShadow(el, '[part="body"] strong').textContent).to.equal('original');
      await waitUntil(() => focused(el) === action(el, 'edit'), 'focus did not return to Edit');
    });

    it('asks before deleting, and Keep returns focus to Delete', async () => {
      const el = await postFixture(makePost({ author: dalya }), { viewer: dalya });
      let requested = false;
      el.addEventListener('parley-delete-request', () => (requested = true));
      action(el, 'delete')!.click();
      await el.updateComplete;
      const confirm = inShadow(el, '[part="confirm"]');
      expect(confirm.textContent).to.contain('Delete this post?');
      expect(focused(el) === inShadow(el, '[data-action="keep"]'), 'focus moved there').to.equal(
        true,
      );
      await expect(el).to.be.accessible();

      inShadow<HTMLButtonElement>(el, '[data-action="keep"]').click();
      await el.updateComplete;
      expect(has(el, '[part="confirm"]'), '[part="confirm"] is rendered').to.equal(false);
      expect(focused(el) === action(el, 'delete'), 'focus moved there').to.equal(true);
      expect(requested).to.equal(false);
    });

    it('fires parley-delete-request once deleting is confirmed', async () => {
      const post = makePost({ author: dalya });
      const el = await postFixture(post, { viewer: dalya });
      action(el, 'delete')!.click();
      await el.updateComplete;
      setTimeout(() => inShadow<HTMLButtonElement>(el, '[data-action="confirm-delete"]').click());
      const event = await oneEvent(el, 'parley-delete-request');
      expect(event.detail.post).to.equal(post);
    });

    it('shows why deleting failed when the answer is rejected', async () => {
      const el = await postFixture(makePost({ author: dalya }), { viewer: dalya });
      let reject!: (e: unknown) => void;
      el.addEventListener('parley-delete-request', (e) =>
        e.respondWith(new Promise((_, r) => (reject = r))),
      );
      action(el, 'delete')!.click();
      await el.updateComplete;
      const confirmButton = inShadow<HTMLButtonElement>(el, '[data-action="confirm-delete"]');
      confirmButton.click();
      await el.updateComplete;
      expect(confirmButton.disabled).to.equal(true);
      expect(action(el, 'delete')!.disabled).to.equal(true);

      reject(new ParleyError('forbidden', 'You can only delete your own posts.'));
      await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'no error was shown');
      const error = inShadow(el, '[part="error"]');
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.equal(
        'The post was not deleted. You can only delete your own posts.',
      );
      expect(inShadow<HTMLButtonElement>(el, '[data-action="confirm-delete"]').disabled).to.equal(
        false,
      );
      await expect(el).to.be.accessible();
    });

    it('shows the tombstone once the post it shows is deleted', async () => {
      const post = makePost({ author: dalya });
      const el = await postFixture(post, { viewer: dalya });
      action(el, 'delete')!.click();
      await el.updateComplete;
      el.post = { ...post, body: '', deleted: true };
      await el.updateComplete;
      expect(inShadow(el, '[part="tombstone"]').textContent).to.equal('This post was deleted.');
      expect(has(el, '[part="confirm"]'), '[part="confirm"] is rendered').to.equal(false);
      expect(has(el, '[part="actions"]'), '[part="actions"] is rendered').to.equal(false);
    });

    it('offers a floating Quote button over selected text and quotes exactly that text', async () => {
      const post = makePost({ body: 'Alpha beta gamma delta.\n\nSecond paragraph here.' });
      const el = await postFixture(post);
      const button = inShadow<HTMLButtonElement>(el, '[part="selection-quote"]');
      expect(button.hidden).to.equal(true);

      const [first] = textNodes(inShadow(el, '[part="body"]'));
      expect(first.data).to.equal('Alpha beta gamma delta.');
      document.getSelection()!.setBaseAndExtent(first, 6, first, 16);
      await waitUntil(() => !button.hidden, 'the Quote button did not appear');
      expect(button.textContent!.trim()).to.equal('Quote');
      await expect(el).to.be.accessible();

      setTimeout(() => button.click());
      const event = await oneEvent(el, 'parley-quote-request');
      expect(event.detail.post).to.equal(post);
      expect(event.detail.text).to.equal('beta gamma');
      await waitUntil(() => button.hidden, 'the Quote button stayed up');
    });

    it('offers the Quote button after a real mouse drag across the text', async () => {
      const post = makePost({
        body: 'Keep us posted, Angi. We would love to hear any success you have.',
      });
      const el = await postFixture(post);
      const body = inShadow(el, '[part="body"]');
      const box = body.getBoundingClientRect();
      const y = Math.round(box.top + 8);
      await sendMouse({ type: 'move', position: [Math.round(box.left + 1), y] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [Math.round(box.left + 140), y] });
      await sendMouse({ type: 'up' });
      const button = inShadow<HTMLButtonElement>(el, '[part="selection-quote"]');
      await waitUntil(() => !button.hidden, 'a dragged selection showed no Quote button');
      const rect = button.getBoundingClientRect();
      const requested = oneEvent(el, 'parley-quote-request');
      await sendMouse({
        type: 'click',
        position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)],
      });
      const event = await requested;
      expect(event.detail.text.length).to.be.greaterThan(3);
      expect(post.body.startsWith(event.detail.text)).to.equal(true);
      await resetMouse();
    });

    it('quotes a selection that spans paragraphs with a blank line between them', async () => {
      const el = await postFixture(makePost({ body: 'Alpha beta.\n\nGamma delta.' }));
      const [first, second] = textNodes(inShadow(el, '[part="body"]'));
      document.getSelection()!.setBaseAndExtent(first, 6, second, 5);
      const button = inShadow<HTMLButtonElement>(el, '[part="selection-quote"]');
      await waitUntil(() => !button.hidden, 'the Quote button did not appear');
      setTimeout(() => button.click());
      const event = await oneEvent(el, 'parley-quote-request');
      expect(event.detail.text).to.equal('beta.\n\nGamma');
    });

    it('keeps a line break inside a paragraph as a line break in the selected text', async () => {
      const el = await postFixture(makePost({ body: 'first line\nsecond line' }));
      const [first, second] = textNodes(inShadow(el, '[part="body"]'));
      expect(inShadow(el, '[part="body"] br')).to.exist;
      document.getSelection()!.setBaseAndExtent(first, 6, second, 6);
      const button = inShadow<HTMLButtonElement>(el, '[part="selection-quote"]');
      await waitUntil(() => !button.hidden, 'the Quote button did not appear');
      setTimeout(() => button.click());
      const event = await oneEvent(el, 'parley-quote-request');
      expect(event.detail.text).to.equal('line\nsecond');
    });

    it('hides the floating Quote button when the selection collapses', async () => {
      const el = await postFixture(makePost({ body: 'Alpha beta gamma.' }));
      const [text] = textNodes(inShadow(el, '[part="body"]'));
      const button = inShadow<HTMLButtonElement>(el, '[part="selection-quote"]');
      document.getSelection()!.setBaseAndExtent(text, 0, text, 5);
      await waitUntil(() => !button.hidden, 'the Quote button did not appear');
      document.getSelection()!.collapse(text, 2);
      await waitUntil(() => button.hidden, 'the Quote button stayed up');
    });

    it('offers no selection quote in a post without Reply', async () => {
      const el = await postFixture(makePost({ body: 'Alpha beta gamma.' }), { noReply: true });
      const [text] = textNodes(inShadow(el, '[part="body"]'));
      const seen = new Promise<void>((resolve) =>
        document.addEventListener('selectionchange', () => resolve(), { once: true }),
      );
      document.getSelection()!.setBaseAndExtent(text, 0, text, 5);
      await seen;
      await el.updateComplete;
      expect(inShadow<HTMLButtonElement>(el, '[part="selection-quote"]').hidden).to.equal(true);
    });
  });

  describe('parts', () => {
    it('exposes base, header, avatar, author, handle, time, body and actions', async () => {
      const el = await postFixture(makePost({ author: dalya }), { viewer: dalya });
      for (const part of [
        'base',
        'header',
        'avatar',
        'author',
        'handle',
        'time',
        'body',
        'actions',
        'selection-quote',
      ]) {
        expect(el.shadowRoot!.querySelector(`[part~="${part}"]`), part).to.exist;
      }
      expect(el.shadowRoot!.querySelectorAll('[part="action"]').length).to.equal(5);
      expect(inShadow(el, '[part="base"]').localName).to.equal('article');
    });

    it('exposes the quote and re-exports its parts', async () => {
      const el = await postFixture(makePost({ quote: { postId: 'p-other', text: 'An excerpt' } }));
      const quote = inShadow(el, '[part="quote"]');
      expect(quote.localName).to.equal('parley-quote');
      expect(quote.getAttribute('exportparts')).to.contain('jump:quote-jump');
    });
  });

  describe('accessibility', () => {
    it('is accessible as someone else’s post', async () => {
      const el = await postFixture(
        makePost({ body: 'Hi @dqualls, see [this](https://example.com).' }),
        { viewer: dalya, participants: ['dqualls'] },
      );
      await expect(el).to.be.accessible();
    });

    it('is accessible as one’s own post, signed out, deleted and with an avatar', async () => {
      await expect(
        await postFixture(makePost({ author: dalya }), { viewer: dalya }),
      ).to.be.accessible();
      await expect(await postFixture(makePost())).to.be.accessible();
      await expect(await postFixture(makePost({ body: '', deleted: true }))).to.be.accessible();
      await expect(
        await postFixture(
          makePost({ author: { ...dan, avatarUrl: 'https://avatars.example/dan.png' } }),
        ),
      ).to.be.accessible();
    });

    it('names the article by its author and describes it by its time', async () => {
      const el = await postFixture(makePost());
      const article = inShadow(el, 'article');
      const labelledBy = inShadow(el, `#${article.getAttribute('aria-labelledby')}`);
      const describedBy = el.shadowRoot!.getElementById(article.getAttribute('aria-describedby')!);
      expect(labelledBy.textContent).to.equal('Dan Hinmon');
      expect(describedBy!.textContent).to.equal('Mon, Jan 28, 2019 11:03am');
    });

    it('formats its creation time once per render, for the time and the description', async () => {
      const el = await postFixture(makePost());
      const real = Intl.DateTimeFormat.prototype.formatToParts;
      let calls = 0;
      Intl.DateTimeFormat.prototype.formatToParts = function (this: Intl.DateTimeFormat, date) {
        calls++;
        return real.call(this, date);
      };
      try {
        el.post = makePost({ body: 'Changed, so the post renders again.' });
        await el.updateComplete;
      } finally {
        Intl.DateTimeFormat.prototype.formatToParts = real;
      }
      expect(calls).to.equal(1);
      expect(inShadow(el, '#when').textContent).to.equal('Mon, Jan 28, 2019 11:03am');
      expect(inShadow(el, '[part="time"] time').textContent).to.equal('Mon, Jan 28, 2019 11:03am');
    });

    it('labels the actions group with the author', async () => {
      const el = await postFixture(makePost());
      const actions = inShadow(el, '[part="actions"]');
      expect(actions.getAttribute('role')).to.equal('group');
      expect(actions.getAttribute('aria-label')).to.equal('Actions for the post by Dan Hinmon');
    });

    it('moves focus to the article with focus()', async () => {
      const el = await postFixture(makePost());
      el.focus();
      expect(focused(el) === inShadow(el, 'article'), 'focus moved there').to.equal(true);
    });
  });
});

describe('<parley-post> rendering cache', () => {
  it('never shows one thread’s body in another thread’s post with the same id and time', async () => {
    const createdAt = '2026-01-01T00:00:00Z';
    const author = { id: 'u1', name: 'Ada' };
    const one = await fixture<ParleyPost>(
      html`<parley-post .post=${{ id: 'p1', threadId: 'a', author, createdAt, body: 'From thread A' }}></parley-post>`,
    );
    const two = await fixture<ParleyPost>(
      html`<parley-post .post=${{ id: 'p1', threadId: 'b', author, createdAt, body: 'From thread B' }}></parley-post>`,
    );
    expect(inShadow(one, '[part="body"]').textContent!.trim()).to.equal('From thread A');
    expect(inShadow(two, '[part="body"]').textContent!.trim()).to.equal('From thread B');
  });
});

describe("<parley-post> with the backend's html", () => {
  it('shows the html, sanitised as its own rendering would be, instead of parsing the body', async () => {
    const post = makePost({
      body: 'The markdown source, which is not what shows.',
      html: '<p><em>Rendered</em> by the server <span class="mention" data-handle="dqualls">@dqualls</span></p><img src="x" onerror="window.parleyPwned=\'html\'"><script>window.parleyPwned=\'script\'</script><a href="javascript:window.parleyPwned=1">link</a>',
    });
    const el = await postFixture(post, { participants: ['dqualls'] });
    const body = inShadow(el, '[part="body"]');
    expect(body.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Rendered by the server @dquallslink',
    );
    expect(body.querySelector('em')?.textContent).to.equal('Rendered');
    expect(body.querySelector('span.mention')?.hasAttribute('data-known')).to.equal(true);
    expect(body.querySelector('img')?.getAttribute('onerror')).to.equal(null);
    expect(body.querySelector('img')?.getAttribute('loading'), 'the sanitiser hooks ran').to.equal(
      'lazy',
    );
    expect(body.querySelector('script')).to.equal(null);
    expect(body.querySelectorAll('a').length, 'a javascript: link is unwrapped').to.equal(0);
    expect((window as { parleyPwned?: unknown }).parleyPwned).to.equal(undefined);
  });

  it('renders the body when html is absent, and a tombstone shows neither', async () => {
    const plain = await postFixture(makePost({ body: '_From markdown_' }));
    expect(inShadow(plain, '[part="body"] em').textContent).to.equal('From markdown');
    const gone = await postFixture(makePost({ body: '', html: '<p>stale</p>', deleted: true }));
    expect(gone.shadowRoot!.textContent).to.not.contain('stale');
  });
});
