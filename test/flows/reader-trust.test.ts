/**
 * What a reader does is never lost or surprising: removed quotes stay removed, Escape closes only
 * the innermost thing, focus never drops to <body>, sign-in never hands out someone else's
 * identity. Each test reproduces a bug a reader hit in a real browser.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  clearParleyStorage,
  failing,
  inShadow,
  mainComposer,
  postIn,
  seed,
  seedAdapter,
  threadFixture,
  typeInto,
  THREAD_ID,
  signInPart,
  textOf,
} from '../helpers.js';
import {
  MemoryAdapter,
  ParleyError,
  type ParleyPost,
  type ParleyThread,
  type ThreadListener,
} from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import type { ParleyQuote } from '../../src/components/quote/quote.component.js';

async function pressAction(post: ParleyPost, action: string): Promise<void> {
  await post.updateComplete;
  inShadow<HTMLButtonElement>(post, `[data-action="${action}"]`).click();
}

const attachedQuote = (composer: ParleyComposer) =>
  composer.shadowRoot!.querySelector<HTMLElement>('[part="attached-quote"]');

/** The element that has focus, looking through every open shadow root. */
function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function removeAttachedQuote(composer: ParleyComposer): Promise<void> {
  await waitUntil(() => attachedQuote(composer), 'no quote attached');
  attachedQuote(composer)!.querySelector<HTMLButtonElement>('button')!.click();
  await composer.updateComplete;
  expect(!!attachedQuote(composer), 'the ✕ removed the quote').to.equal(false);
}

describe('reader trust', () => {
  beforeEach(() => clearParleyStorage());
  afterEach(() => clearParleyStorage());

  describe('a removed quote stays removed', () => {
    it('after a jump', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await pressAction(postIn(el, 'p7'), 'quote');
      const composer = mainComposer(el);
      await removeAttachedQuote(composer);
      const quote = inShadow<ParleyQuote>(postIn(el, 'p4'), 'parley-quote');
      await quote.updateComplete;
      inShadow<HTMLButtonElement>(quote, '[part="jump"]').click();
      await waitUntil(() => postIn(el, 'p2').highlighted, 'the jump did not land');
      await el.updateComplete;
      await composer.updateComplete;
      expect(!!attachedQuote(composer), 'the quote came back after a jump').to.equal(false);
    });

    it('after opening and cancelling a reply box, and is not published', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await pressAction(postIn(el, 'p7'), 'quote');
      const composer = mainComposer(el);
      await removeAttachedQuote(composer);
      await pressAction(postIn(el, 'p2'), 'reply');
      await waitUntil(
        () => el.shadowRoot!.querySelector('.reply-box parley-composer'),
        'no reply box',
      );
      const box = el.shadowRoot!.querySelector<ParleyComposer>('.reply-box parley-composer')!;
      await box.updateComplete;
      inShadow<HTMLButtonElement>(box, '[part="cancel"]').click();
      await waitUntil(
        () => !el.shadowRoot!.querySelector('.reply-box'),
        'the reply box did not close',
      );
      await composer.updateComplete;
      expect(
        !!attachedQuote(composer),
        'the quote came back after cancelling a reply box',
      ).to.equal(false);
      await typeInto(composer, 'No quote here.');
      const created = oneEvent(el, 'parley-post-created');
      inShadow<HTMLButtonElement>(composer, '[part="submit"]').click();
      const { post } = (await created).detail;
      expect(post.quote ?? null).to.equal(null);
    });

    it('after a reload of the element (the draft remembers the removal)', async () => {
      const adapter = seedAdapter({ as: 'jellis' });
      const el = await threadFixture(adapter);
      await pressAction(postIn(el, 'p7'), 'quote');
      const composer = mainComposer(el);
      await typeInto(composer, 'Draft text');
      await removeAttachedQuote(composer);
      el.remove();
      const again = await threadFixture(adapter);
      const fresh = mainComposer(again);
      await fresh.updateComplete;
      expect(fresh.body).to.equal('Draft text');
      expect(!!attachedQuote(fresh)).to.equal(false);
    });
  });

  describe('Escape closes one thing, and never discards text', () => {
    it('closes the mention list first, then the reply box, keeping the text as the draft', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await pressAction(postIn(el, 'p2'), 'reply');
      await waitUntil(
        () => el.shadowRoot!.querySelector('.reply-box parley-composer'),
        'no reply box',
      );
      const box = el.shadowRoot!.querySelector<ParleyComposer>('.reply-box parley-composer')!;
      await waitUntil(
        () => deepActive()?.localName === 'textarea',
        'the reply box did not take focus',
      );
      await sendKeys({ type: 'Thanks @da' });
      await waitUntil(
        () => box.shadowRoot!.querySelector('[part="suggestion"]'),
        'no mention suggestions',
      );
      await sendKeys({ press: 'Escape' });
      await box.updateComplete;
      expect(
        box.shadowRoot!.querySelectorAll('[part="suggestion"]').length,
        'the list closed',
      ).to.equal(0);
      expect(
        !!el.shadowRoot!.querySelector('.reply-box'),
        'the first Escape kept the box open',
      ).to.equal(true);
      expect(box.body).to.equal('Thanks @da');

      await sendKeys({ press: 'Escape' });
      await waitUntil(
        () => !el.shadowRoot!.querySelector('.reply-box'),
        'the second Escape did not close the box',
      );
      expect(deepActive()?.localName, 'focus went back to the post').to.equal('article');

      await pressAction(postIn(el, 'p2'), 'reply');
      await waitUntil(
        () => el.shadowRoot!.querySelector('.reply-box parley-composer'),
        'no reply box',
      );
      const reopened = el.shadowRoot!.querySelector<ParleyComposer>('.reply-box parley-composer')!;
      await reopened.updateComplete;
      expect(reopened.body, 'the text came back as the draft').to.equal('Thanks @da');
    });

    it('keeps an unsaved edit when Escape closes the edit box', async () => {
      const el = await threadFixture(seedAdapter({ as: 'dqualls' }));
      const p7 = postIn(el, 'p7');
      await pressAction(p7, 'edit');
      await waitUntil(() => p7.shadowRoot!.querySelector('parley-composer'), 'no edit box');
      const editor = p7.shadowRoot!.querySelector<ParleyComposer>('parley-composer')!;
      await typeInto(editor, ' Edited.');
      await sendKeys({ press: 'Escape' });
      await waitUntil(
        () => !p7.shadowRoot!.querySelector('parley-composer'),
        'Escape did not close the edit box',
      );
      expect(textOf(inShadow(p7, '[part="body"]'))).to.equal('Thank you Dan. This is so helpful.');
      await pressAction(p7, 'edit');
      await waitUntil(() => p7.shadowRoot!.querySelector('parley-composer'), 'no edit box');
      const again = p7.shadowRoot!.querySelector<ParleyComposer>('parley-composer')!;
      await again.updateComplete;
      expect(again.body).to.equal('Thank you Dan. This is so helpful. Edited.');
    });

    it('offers no Edit in a locked thread, but still Delete', async () => {
      const data = seed();
      data.threads[0].locked = true;
      const el = await threadFixture(
        new MemoryAdapter({
          ...data,
          viewer: { user: data.users.find((u) => u.id === 'u-dqualls')! },
        }),
      );
      const p7 = postIn(el, 'p7');
      await p7.updateComplete;
      expect(!!p7.shadowRoot!.querySelector('[data-action="edit"]'), 'no Edit').to.equal(false);
      expect(!!p7.shadowRoot!.querySelector('[data-action="delete"]'), 'Delete stays').to.equal(
        true,
      );
      expect(!!p7.shadowRoot!.querySelector('[data-action="reply"]'), 'no Reply').to.equal(false);
    });

    it('cancels the delete confirmation with Escape, and styles Delete as destructive', async () => {
      const el = await threadFixture(seedAdapter({ as: 'dqualls' }));
      const p7 = postIn(el, 'p7');
      await pressAction(p7, 'delete');
      await waitUntil(() => p7.shadowRoot!.querySelector('[part="confirm"]'), 'no confirmation');
      const yes = inShadow<HTMLButtonElement>(p7, '[data-action="confirm-delete"]');
      expect(yes.classList.contains('danger'), 'Delete looks destructive').to.equal(true);
      expect(yes.classList.contains('primary'), 'Delete is not the primary action').to.equal(false);
      await waitUntil(
        () => deepActive()?.getAttribute('data-action') === 'keep',
        'focus is not on Keep',
      );
      await sendKeys({ press: 'Escape' });
      await waitUntil(
        () => !p7.shadowRoot!.querySelector('[part="confirm"]'),
        'Escape did not cancel',
      );
      expect(deepActive()?.getAttribute('data-action')).to.equal('delete');
      expect(postIn(el, 'p7').post!.deleted ?? false).to.equal(false);
    });
  });

  describe('focus never drops to <body>', () => {
    it('tabs past a quote whose post has a link without losing focus', async () => {
      const data = seed();
      data.posts.find((p) => p.id === 'p2')!.body =
        'See [the study](https://example.com/study) for details.';
      const el = await threadFixture(new MemoryAdapter(data));
      const quote = inShadow<ParleyQuote>(postIn(el, 'p4'), 'parley-quote');
      await quote.updateComplete;
      const jump = inShadow<HTMLButtonElement>(quote, '[part="jump"]');
      jump.focus();
      await waitUntil(
        () => !inShadow(quote, '[part="popover"]').hidden,
        'the preview did not open on focus',
      );
      await sendKeys({ press: 'Tab' });
      await new Promise((r) => setTimeout(r, 50));
      const active = deepActive();
      expect(active === document.body || active === null, 'focus fell to <body>').to.equal(false);
      expect(active?.closest('[part="popover"]') === null, 'focus went into the preview').to.equal(
        true,
      );
    });

    it('brings a signed-out reader who pressed Quote to Log in, and attaches the quote after signing in', async () => {
      const el = await threadFixture(seedAdapter());
      const p7 = postIn(el, 'p7');
      await p7.updateComplete;
      const quoteButton = inShadow<HTMLButtonElement>(p7, '[data-action="quote"]');
      quoteButton.focus();
      quoteButton.click();
      await waitUntil(
        () => deepActive()?.getAttribute('part') === 'login',
        `focus is on ${deepActive()?.localName}, not Log in`,
      );
      await waitUntil(
        () =>
          textOf(el.shadowRoot!.querySelector('[aria-live="polite"]')).startsWith(
            'Log in to quote this post.',
          ),
        'not announced',
      );
      expect(
        !!el.shadowRoot!.querySelector('[part="back"]'),
        'the reader can go back to the post',
      ).to.equal(true);

      inShadow<HTMLButtonElement>(el, '[part="login"]').click();
      await waitUntil(() => signInPart(el, 'input[name="name"]'), 'no guest form');
      signInPart<HTMLInputElement>(el, 'input[name="name"]')!.value = 'Quoting guest';
      signInPart<HTMLButtonElement>(el, 'button[type="submit"]')!.click();
      const composer = mainComposer(el);
      await waitUntil(() => attachedQuote(composer), 'the quote was not attached after signing in');
      expect(textOf(attachedQuote(composer)!.querySelector('.excerpt'))).to.equal(
        'Thank you Dan. This is so helpful.',
      );
    });

    it('puts focus on Retry after a send pressed with the button fails', async () => {
      const { adapter } = failing(seedAdapter({ as: 'jellis' }), ['createPost']);
      const el = await threadFixture(adapter);
      const composer = mainComposer(el);
      await typeInto(composer, 'This will fail.');
      const submit = inShadow<HTMLButtonElement>(composer, '[part="submit"]');
      submit.focus();
      submit.click();
      await waitUntil(() => composer.shadowRoot!.querySelector('[part="error"]'), 'no error shown');
      await waitUntil(
        () => deepActive()?.getAttribute('data-action') === 'retry',
        `focus is on ${deepActive()?.localName}, not Retry`,
      );
      expect(composer.body).to.equal('This will fail.');
    });
  });

  describe('sighted readers see what screen readers hear', () => {
    it('shows "Link copied" on the Copy link button', async () => {
      const el = await threadFixture(seedAdapter());
      const p2 = postIn(el, 'p2');
      const clipboard = navigator.clipboard;
      const original = clipboard.writeText;
      let copied = '';
      clipboard.writeText = async (text: string) => void (copied = text);
      try {
        await pressAction(p2, 'copy-link');
        await waitUntil(
          () => textOf(inShadow(p2, '[data-action="copy-link"]')) === 'Link copied ✓',
          'no visible confirmation',
        );
        expect(copied.endsWith('#post-p2')).to.equal(true);
      } finally {
        clipboard.writeText = original;
      }
    });
  });

  describe('identity', () => {
    it('signs a visitor of the inline-JSON embed in as a guest with the name they give', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.innerHTML = `<parley-thread thread-id="${THREAD_ID}"><script type="application/json">${JSON.stringify(seed()).replace(/</g, '\\u003c')}</script></parley-thread>`;
      const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
      await waitUntil(
        () => el.shadowRoot?.querySelectorAll('parley-post').length === 9,
        'the inline thread did not render',
      );
      // The reply area comes a frame after the posts: the thread's own updateComplete waits for it.
      await el.updateComplete;
      await mainComposer(el).updateComplete;
      inShadow<HTMLButtonElement>(el, '[part="login"]').click();
      await waitUntil(() => signInPart(el, 'input[name="name"]'), 'no guest form');
      const name = signInPart<HTMLInputElement>(el, 'input[name="name"]')!;
      name.value = 'Curious reader';
      signInPart<HTMLButtonElement>(el, 'button[type="submit"]')!.click();
      const composer = mainComposer(el);
      await waitUntil(() => composer.shadowRoot!.querySelector('textarea'), 'not signed in');
      expect(textOf(inShadow(composer, '.as')).startsWith('Posting as Curious reader')).to.equal(
        true,
      );
      const p1 = postIn(el, 'p1');
      await p1.updateComplete;
      expect(
        !!p1.shadowRoot!.querySelector('[data-action="edit"], [data-action="delete"]'),
        "Edit/Delete on someone else's post",
      ).to.equal(false);
    });

    it('marks a guest as a guest where their name shows', async () => {
      const adapter = seedAdapter();
      const el = await threadFixture(adapter);
      await adapter.signIn({ name: 'Dalya Qualls' });
      const composer = mainComposer(el);
      await waitUntil(() => composer.shadowRoot!.querySelector('textarea'), 'not signed in');
      expect(textOf(inShadow(composer, '.as .who'))).to.equal('Posting as Dalya Qualls (guest)');
      await typeInto(composer, 'I am not the real Dalya.');
      const created = oneEvent(el, 'parley-post-created');
      inShadow<HTMLButtonElement>(composer, '[part="submit"]').click();
      const { post } = (await created).detail;
      const shown = postIn(el, post.id);
      await shown.updateComplete;
      expect(textOf(inShadow(shown, '[part="guest"]'))).to.equal('guest');
      expect(
        !!postIn(el, 'p1').shadowRoot!.querySelector('[part="guest"]'),
        'members carry no marker',
      ).to.equal(false);
    });

    it('shows who is signed in, and Sign out signs out and keeps focus in the reply box', async () => {
      const adapter = seedAdapter({ as: 'jellis' });
      const el = await threadFixture(adapter);
      const composer = mainComposer(el);
      await composer.updateComplete;
      expect(textOf(inShadow(composer, '[part="signed-in-as"]'))).to.equal(
        'Posting as Jordan Ellis · Sign out',
      );
      const signOut = inShadow<HTMLButtonElement>(composer, '[part="sign-out"]');
      signOut.focus();
      const request = oneEvent(el, 'parley-logout-request');
      signOut.click();
      expect((await request).cancelable).to.equal(true);
      await waitUntil(
        () => composer.shadowRoot!.querySelector('[part="signed-out"]'),
        'still signed in',
      );
      expect((await adapter.getViewer()).user).to.equal(null);
      await waitUntil(
        () =>
          deepActive()?.closest?.('[part="signed-out"]') ||
          deepActive()?.getAttribute('part') === 'login',
        `focus is on ${deepActive()?.localName}`,
      );
    });

    it('keeps Sign out and the whole name visible in a 360 px column', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 328px"></div>`);
      const el = document.createElement('parley-thread');
      el.threadId = THREAD_ID;
      el.adapter = seedAdapter({ as: 'dqualls' });
      wrapper.append(el);
      await waitUntil(() => el.shadowRoot?.querySelector('parley-composer.main'), 'no composer');
      const composer = mainComposer(el);
      await waitUntil(() => composer.shadowRoot!.querySelector('[part="sign-out"]'), 'no Sign out');
      const button = inShadow<HTMLButtonElement>(
        composer,
        '[part="sign-out"]',
      ).getBoundingClientRect();
      const form = inShadow(composer, 'form').getBoundingClientRect();
      expect(
        button.width > 0 && button.left >= form.left && button.right <= form.right,
        'Sign out is inside the box',
      ).to.equal(true);
      const who = inShadow(composer, '.as .who');
      expect(who.scrollWidth <= who.clientWidth, 'the name is not cut off').to.equal(true);
    });

    it('offers no Sign out when the site signs readers in with auth-token', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      el.authToken = 'a-site-token';
      await el.updateComplete;
      const composer = mainComposer(el);
      await composer.updateComplete;
      expect(!!composer.shadowRoot!.querySelector('[part="sign-out"]')).to.equal(false);
    });
  });

  describe('feedback that names the cause', () => {
    it('says the inline JSON looks cut short when a post holds "</script>", and how to fix it', async () => {
      const data = seed();
      data.posts[1].body = 'Try this: </script><b>spilled</b>';
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.innerHTML = `<parley-thread thread-id="${THREAD_ID}"><script type="application/json">${JSON.stringify(data)}</script></parley-thread>`;
      const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
      await waitUntil(() => el.shadowRoot?.querySelector('[role="alert"]'), 'no error shown');
      expect(textOf(el.shadowRoot!.querySelector('[role="alert"]'))).to.contain('looks cut short');
      expect(textOf(el.shadowRoot!.querySelector('[role="alert"]'))).to.contain('\\u003c');
    });

    it('renders the data safely when the JSON escapes "<" as the README shows', async () => {
      const data = seed();
      data.posts[1].body = 'Try this: </script><b>bold</b>';
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.innerHTML = `<parley-thread thread-id="${THREAD_ID}"><script type="application/json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script></parley-thread>`;
      const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
      await waitUntil(
        () => el.shadowRoot?.querySelectorAll('parley-post').length === 9,
        'the thread did not render',
      );
      const p2 = postIn(el, 'p2');
      await p2.updateComplete;
      expect(textOf(inShadow(p2, '[part="body"]'))).to.contain('Try this:');
    });

    it("shows when the embedded backend's stored data could not be read", async () => {
      localStorage.setItem('parley:v1:thread:storage-check', '{not json');
      const el = await fixture<ParleyThread>(
        html`<parley-thread thread-id="storage-check"></parley-thread>`,
      );
      await waitUntil(
        () => el.shadowRoot!.querySelector('[part="notice"]'),
        'no notice of the storage problem',
      );
      expect(textOf(el.shadowRoot!.querySelector('[part="notice"]'))).to.match(
        /^Replies in this browser could not be read or saved: .+/,
      );
    });

    it('says when live updates stop and when they are back', async () => {
      const backend = seedAdapter();
      let emit: (change: { type: 'connection-changed'; live: boolean }) => void = () => undefined;
      const adapter = new Proxy(backend, {
        get(target, prop, receiver) {
          if (prop === 'subscribe') {
            return (threadId: string, listener: ThreadListener) => {
              emit = listener;
              return target.subscribe(threadId, listener);
            };
          }
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const el = await threadFixture(adapter);
      expect(!!el.shadowRoot!.querySelector('[part="notice"]')).to.equal(false);
      emit({ type: 'connection-changed', live: false });
      await el.updateComplete;
      expect(textOf(el.shadowRoot!.querySelector('[part="notice"]'))).to.match(
        /^Live updates paused/,
      );
      expect(el.shadowRoot!.querySelector('[part="notice"]')!.getAttribute('role')).to.equal(
        'status',
      );
      emit({ type: 'connection-changed', live: true });
      await el.updateComplete;
      expect(textOf(el.shadowRoot!.querySelector('[part="notice"]'))).to.equal(
        'Live updates are back.',
      );
    });

    it('folds the technical cause of a failed load away for the site owner', async () => {
      const error = new ParleyError('network', 'The comments could not be loaded.', {
        diagnostic: 'The server did not allow this origin (CORS).',
      });
      const { adapter } = failing(seedAdapter(), ['getThread'], error);
      const el = await threadFixture(adapter);
      const details = inShadow<HTMLDetailsElement>(el, '[part="diagnostic"]');
      expect(details.open).to.equal(false);
      expect(textOf(details.querySelector('summary'))).to.equal('Details for the site owner');
      expect(textOf(details.querySelector('p'))).to.equal(
        'The server did not allow this origin (CORS).',
      );
      expect(textOf(el.shadowRoot!.querySelector('[part="state"] p:nth-child(2)'))).to.equal(
        'The comments could not be loaded.',
      );
    });
  });
});
