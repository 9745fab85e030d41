/** `<parley-composer>`: signed out, typing and sending, errors, limits, preview, drafts, quotes and @mentions. */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { inShadow, typeInto } from '../helpers.js';
import { ParleyError, renderMarkdown, type Author, type Post } from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import type { AttachedQuote } from '../../src/controllers/draft.js';
import type { ParleyComposeEndEvent, ParleyComposeEvent } from '../../src/events/writing.js';

/**
 * Whether `selector` matches in the shadow root of `host`. Assertions compare booleans, strings
 * and ids rather than elements: a failed assertion holding a DOM node stalls this runner.
 */
const has = (host: Element, selector: string) => host.shadowRoot!.querySelector(selector) !== null;

const dalya: Author = { id: 'u-dqualls', name: 'Dalya Qualls', handle: 'dqualls' };
const dan: Author = { id: 'u-danhinmon', name: 'Dan Hinmon', handle: 'DanHinmon' };
const angela: Author = { id: 'u-angela', name: 'Angela Moore', handle: 'angela_k_moore' };
const jordan: Author = { id: 'u-jellis', name: 'Jordan Ellis', handle: 'jellis' };
const people = [dalya, dan, angela, jordan];

const DRAFT_PREFIX = 'parley:draft:';
const draftKey = (threadId: string, parentId: string | null) =>
  `${DRAFT_PREFIX}v1:${threadId}:${parentId ?? 'root'}`;

function clearDrafts(): void {
  for (const key of Object.keys(localStorage))
    if (key.startsWith(DRAFT_PREFIX)) localStorage.removeItem(key);
}

interface Options {
  viewer?: Author | null;
  mode?: 'new' | 'reply' | 'edit';
  threadId?: string;
  parentId?: string | null;
  maxLength?: number;
  quote?: AttachedQuote | null;
  participants?: Author[];
}

async function composerFixture(options: Options = {}): Promise<ParleyComposer> {
  const el = await fixture<ParleyComposer>(html`<parley-composer
    .viewer=${options.viewer === undefined ? dalya : options.viewer}
    mode=${options.mode ?? 'new'}
    thread-id=${options.threadId ?? ''}
    .parentId=${options.parentId ?? null}
    max-length=${options.maxLength ?? 10000}
    .quote=${options.quote ?? null}
    .participants=${options.participants ?? []}
  ></parley-composer>`);
  await el.updateComplete;
  return el;
}

const field = (el: ParleyComposer) => inShadow<HTMLTextAreaElement>(el, 'textarea');
const submitButton = (el: ParleyComposer) => inShadow<HTMLButtonElement>(el, '[part="submit"]');
const hint = (el: ParleyComposer) => inShadow(el, '.hint');
const tabNamed = (el: ParleyComposer, name: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find(
    (t) => t.textContent!.trim() === name,
  )!;

/** Focuses the field and types with the real keyboard. */
async function typeKeys(el: ParleyComposer, text: string): Promise<void> {
  field(el).focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

/** Presses Ctrl+Enter on the real keyboard. */
async function ctrlEnter(): Promise<void> {
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'Enter' });
  await sendKeys({ up: 'Control' });
}

/** Answers the next compose event with a promise the test settles. */
function answerNextCompose(el: ParleyComposer) {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const response = new Promise<Post>(
    (res, rej) => ((resolve = res as (v: unknown) => void), (reject = rej)),
  );
  const event = new Promise<ParleyComposeEvent>((done) =>
    el.addEventListener(
      'parley-compose',
      (e) => {
        e.respondWith(response);
        done(e);
      },
      { once: true },
    ),
  );
  return { event, resolve, reject };
}

/** The rendered preview without Lit's comment markers. */
function previewHtml(el: ParleyComposer): string {
  const copy = inShadow(el, '[part="preview"]').cloneNode(true) as HTMLElement;
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((c) => c.parentNode!.removeChild(c));
  return copy.innerHTML.trim();
}

beforeEach(clearDrafts);
afterEach(clearDrafts);

describe('<parley-composer>', () => {
  describe('properties', () => {
    it('asks signed-out readers to log in', async () => {
      const el = await composerFixture({ viewer: null });
      expect(inShadow(el, '[part="signed-out"]').textContent).to.contain(
        'Please log in or register to post a reply.',
      );
      expect(has(el, 'textarea'), 'textarea is rendered').to.equal(false);
      const button = inShadow<HTMLButtonElement>(el, '[part="signed-out"] button');
      expect(button.textContent!.trim()).to.equal('Log in');
      await expect(el).to.be.accessible();
    });

    it('replaces the Log in button with a slotted login element', async () => {
      const el = await fixture<ParleyComposer>(
        html`<parley-composer .viewer=${null}><a slot="login" href="/login">Sign in with your library card</a></parley-composer>`,
      );
      const slot = inShadow<HTMLSlotElement>(el, 'slot[name="login"]');
      expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal([
        'Sign in with your library card',
      ]);
      const fallback = inShadow<HTMLButtonElement>(el, 'slot[name="login"] button');
      expect(fallback.getClientRects().length).to.equal(0);
      expect(el.querySelector('a')!.getClientRects().length).to.be.greaterThan(0);
      await expect(el).to.be.accessible();
    });

    it('shows the field and who is posting to signed-in readers', async () => {
      const el = await composerFixture();
      expect(field(el).getAttribute('aria-label')).to.equal('Write a reply');
      expect(inShadow(el, '.as').textContent).to.equal('Posting as Dalya Qualls');
      expect(submitButton(el).textContent!.trim()).to.equal('Post reply');
      expect(has(el, '[part="cancel"]'), '[part="cancel"] is rendered').to.equal(false);
    });

    it('offers Cancel in reply mode and Save in edit mode', async () => {
      const reply = await composerFixture({ mode: 'reply', parentId: 'p2' });
      expect(inShadow(reply, '[part="cancel"]').textContent!.trim()).to.equal('Cancel');
      const edit = await composerFixture({ mode: 'edit' });
      expect(submitButton(edit).textContent!.trim()).to.equal('Save');
      expect(field(edit).getAttribute('aria-label')).to.equal('Edit your post');
    });

    it('updates the character count while typing', async () => {
      const el = await composerFixture({ maxLength: 500 });
      expect(inShadow(el, '[part="count"]').textContent).to.equal('0 / 500');
      await typeKeys(el, 'Hello there');
      expect(inShadow(el, '[part="count"]').textContent).to.equal('11 / 500');
      expect(el.body).to.equal('Hello there');
    });

    it('disables sending and says how many characters are over max-length', async () => {
      const el = await composerFixture({ maxLength: 10 });
      let composed = false;
      el.addEventListener('parley-compose', () => (composed = true));
      await typeKeys(el, 'This is too long');
      expect(submitButton(el).disabled).to.equal(true);
      expect(hint(el).textContent).to.equal('6 characters over the limit.');
      expect(hint(el).getAttribute('role')).to.equal('alert');
      expect(inShadow(el, '[part="count"]').classList.contains('over')).to.equal(true);
      expect(field(el).getAttribute('aria-invalid')).to.equal('true');
      await ctrlEnter();
      await el.updateComplete;
      expect(composed).to.equal(false);
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Backspace' });
      await el.updateComplete;
      expect(el.body).to.equal('This is to');
      expect(submitButton(el).disabled).to.equal(false);
      expect(field(el).getAttribute('aria-invalid')).to.equal('false');
    });

    it('reflects mode and locked, and maps max-length and thread-id', async () => {
      const el = await composerFixture();
      el.mode = 'reply';
      el.locked = true;
      await el.updateComplete;
      expect(el.getAttribute('mode')).to.equal('reply');
      expect(el.hasAttribute('locked')).to.equal(true);
      el.setAttribute('max-length', '42');
      el.setAttribute('thread-id', 'abc');
      el.removeAttribute('locked');
      await el.updateComplete;
      expect(el.maxLength).to.equal(42);
      expect(el.threadId).to.equal('abc');
      expect(el.locked).to.equal(false);
    });

    it('shows the locked notice instead of the field in a locked thread', async () => {
      const el = await composerFixture();
      el.locked = true;
      await el.updateComplete;
      expect(inShadow(el, '[part="locked"]').textContent).to.contain('This discussion is locked.');
      expect(has(el, 'textarea'), 'textarea is rendered').to.equal(false);
      await expect(el).to.be.accessible();
    });
  });

  describe('events', () => {
    it('fires parley-login-request when Log in is pressed', async () => {
      const el = await composerFixture({ viewer: null });
      setTimeout(() => inShadow<HTMLButtonElement>(el, '[part="signed-out"] button').click());
      const event = await oneEvent(el, 'parley-login-request');
      expect(event.cancelable).to.equal(true);
      expect(event.composed).to.equal(true);
    });

    it('submits with Ctrl+Enter: parley-compose carries the body, parent and quote', async () => {
      const quote: AttachedQuote = {
        postId: 'p4',
        text: 'This is a great article',
        author: angela,
      };
      const el = await composerFixture({ mode: 'reply', parentId: 'p2', quote });
      await typeKeys(el, 'Thanks for **this**');
      const composed = oneEvent(el, 'parley-compose');
      await ctrlEnter();
      const event = await composed;
      const { idempotencyKey, ...rest } = event.detail;
      expect(rest).to.deep.equal({
        body: 'Thanks for **this**',
        parentId: 'p2',
        quote: { postId: 'p4', text: 'This is a great article' },
        postId: null,
      });
      expect(idempotencyKey).to.match(/^parley-[0-9a-f-]{36}$/);
    });

    it('fires parley-compose-end with sent:false on Escape in reply mode', async () => {
      const el = await composerFixture({ mode: 'reply', parentId: 'p2' });
      await typeKeys(el, 'never mind');
      const ended = oneEvent(el, 'parley-compose-end');
      await sendKeys({ press: 'Escape' });
      const event = await ended;
      expect(event.detail).to.deep.equal({ sent: false, parentId: 'p2', postId: null });
    });

    it('ignores Escape in the thread’s own reply box', async () => {
      const el = await composerFixture({ mode: 'new' });
      let ended = false;
      el.addEventListener('parley-compose-end', () => (ended = true));
      await typeKeys(el, 'keep me');
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(ended).to.equal(false);
      expect(field(el).value).to.equal('keep me');
    });
  });

  describe('flows', () => {
    it('stays busy until the answer settles, then clears and reports sent:true', async () => {
      const el = await composerFixture({ mode: 'reply', parentId: 'p2' });
      await typeKeys(el, 'On its way');
      const answer = answerNextCompose(el);
      submitButton(el).click();
      await answer.event;
      await el.updateComplete;
      // aria-disabled, not disabled: the pressed button keeps focus while the reply is sent.
      expect(submitButton(el).getAttribute('aria-disabled')).to.equal('true');
      expect(submitButton(el).textContent!.trim()).to.equal('Sending…');
      expect(inShadow(el, 'form').getAttribute('aria-busy')).to.equal('true');
      expect(field(el).readOnly).to.equal(true);
      expect(inShadow<HTMLButtonElement>(el, '[part="cancel"]').disabled).to.equal(true);
      await expect(el).to.be.accessible();

      const ended = oneEvent(el, 'parley-compose-end') as Promise<ParleyComposeEndEvent>;
      answer.resolve({ id: 'p-new' });
      const end = await ended;
      expect(end.detail).to.deep.equal({ sent: true, parentId: 'p2', postId: null });
      await el.updateComplete;
      expect(field(el).value).to.equal('');
      expect(el.body).to.equal('');
      expect(submitButton(el).getAttribute('aria-disabled')).to.equal('false');
      expect(submitButton(el).textContent!.trim()).to.equal('Post reply');
      expect(inShadow(el, 'form').getAttribute('aria-busy')).to.equal('false');
    });

    it('says a reply refused by the server was not sent', async () => {
      const el = await composerFixture();
      await typeKeys(el, 'Too fast');
      const first = answerNextCompose(el);
      await ctrlEnter();
      await first.event;
      first.reject(
        new ParleyError('rate-limited', 'Slow down: try again in 20 seconds.', { retryAfter: 20 }),
      );
      await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'no error was shown');
      expect(inShadow(el, '[part="error"] p').textContent).to.equal(
        'Your reply was not sent. Your text is still here. Slow down: try again in 20 seconds.',
      );
    });

    it('keeps the reply text when sending fails, says why, and Retry sends it again', async () => {
      const el = await composerFixture();
      await typeKeys(el, 'Important reply');
      const first = answerNextCompose(el);
      await ctrlEnter();
      await first.event;
      first.reject(new ParleyError('network', 'The comment server could not be reached.'));
      await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'no error was shown');
      const error = inShadow(el, '[part="error"]');
      expect(error.getAttribute('role')).to.equal('alert');
      // A network failure may have lost only the answer: the reader is told Retry is safe.
      expect(error.querySelector('p')!.textContent).to.equal(
        'Your reply may not have been sent. Your text is still here, and Retry will not post it twice. The comment server could not be reached.',
      );
      expect(field(el).value).to.equal('Important reply');
      expect(field(el).readOnly).to.equal(false);
      await expect(el).to.be.accessible();

      const second = answerNextCompose(el);
      const retry = inShadow<HTMLButtonElement>(el, '[data-action="retry"]');
      expect(retry.textContent!.trim()).to.equal('Retry');
      retry.click();
      const again = await second.event;
      expect(again.detail.body).to.equal('Important reply');
      await el.updateComplete;
      expect(has(el, '[part="error"]'), '[part="error"] is rendered').to.equal(false);
      expect(submitButton(el).textContent!.trim()).to.equal('Sending…');
      const ended = oneEvent(el, 'parley-compose-end');
      second.resolve(undefined);
      expect((await ended).detail.sent).to.equal(true);
      expect(field(el).value).to.equal('');
    });

    it('says "Write something before posting." on an empty submit and sends nothing', async () => {
      const el = await composerFixture();
      let composed = false;
      el.addEventListener('parley-compose', () => (composed = true));
      await typeKeys(el, '   ');
      submitButton(el).click();
      await el.updateComplete;
      expect(composed).to.equal(false);
      expect(hint(el).textContent).to.equal('Write something before posting.');
      expect(hint(el).getAttribute('role')).to.equal('alert');
      expect(field(el).getAttribute('aria-invalid')).to.equal('true');
      expect(el.shadowRoot!.activeElement === field(el), 'focus moved there').to.equal(true);
      await expect(el).to.be.accessible();

      await sendKeys({ type: 'x' });
      await el.updateComplete;
      expect(hint(el).textContent).to.equal('Ctrl+Enter to send');
      expect(hint(el).hasAttribute('role')).to.equal(false);
    });

    it('switches between Write and Preview with clicks and arrow keys', async () => {
      const el = await composerFixture();
      await typeKeys(el, 'Some *emphasis*');
      const write = tabNamed(el, 'Write');
      const preview = tabNamed(el, 'Preview');
      expect(write.getAttribute('aria-selected')).to.equal('true');
      expect(preview.tabIndex).to.equal(-1);

      preview.click();
      await el.updateComplete;
      expect(preview.getAttribute('aria-selected')).to.equal('true');
      expect(write.getAttribute('aria-selected')).to.equal('false');
      expect(has(el, 'textarea'), 'textarea is rendered').to.equal(false);
      expect(inShadow(el, '[part="preview"] em').textContent).to.equal('emphasis');
      await expect(el).to.be.accessible();

      preview.focus();
      await sendKeys({ press: 'ArrowLeft' });
      await el.updateComplete;
      expect(write.getAttribute('aria-selected')).to.equal('true');
      expect(el.shadowRoot!.activeElement === write, 'focus moved there').to.equal(true);
      expect(field(el).value).to.equal('Some *emphasis*');

      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(preview.getAttribute('aria-selected')).to.equal('true');
      expect(el.shadowRoot!.activeElement === preview, 'focus moved there').to.equal(true);

      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(write.getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(preview.getAttribute('aria-selected')).to.equal('true');
    });

    it('renders the preview through the one markdown path, where a script does nothing', async () => {
      const w = window as unknown as { __composerPwned?: boolean };
      delete w.__composerPwned;
      const el = await composerFixture();
      const source =
        '# Title\n\n[link](https://example.com) <script>window.__composerPwned = true</script><img src=x onerror="window.__composerPwned = true">';
      await typeInto(el, source);
      tabNamed(el, 'Preview').click();
      await el.updateComplete;
      const preview = inShadow(el, '[part="preview"]');
      expect(previewHtml(el)).to.equal(renderMarkdown(source).trim());
      expect(preview.querySelector('script') !== null, 'script is rendered').to.equal(false);
      expect(preview.querySelector('[onerror]') !== null, '[onerror] is rendered').to.equal(false);
      expect(preview.querySelector('a')!.getAttribute('rel')).to.equal(
        'nofollow ugc noopener noreferrer',
      );
      await waitUntil(
        () => preview.querySelector('img')?.complete ?? true,
        'the image never settled',
      );
      expect(w.__composerPwned).to.equal(undefined);
    });

    it('says there is nothing to preview for an empty text', async () => {
      const el = await composerFixture();
      tabNamed(el, 'Preview').click();
      await el.updateComplete;
      expect(inShadow(el, '[part="preview"]').textContent!.trim()).to.equal(
        'Nothing to preview yet.',
      );
    });

    it('restores an unsent draft in a new composer for the same thread and parent', async () => {
      const first = await composerFixture({ threadId: 't1', parentId: 'p2', mode: 'reply' });
      await typeKeys(first, 'Half-written reply');
      await waitUntil(
        () => localStorage.getItem(draftKey('t1', 'p2')) !== null,
        'the draft was not saved',
      );
      expect(JSON.parse(localStorage.getItem(draftKey('t1', 'p2'))!).body).to.equal(
        'Half-written reply',
      );
      first.remove();

      const again = await composerFixture({ threadId: 't1', parentId: 'p2', mode: 'reply' });
      expect(field(again).value).to.equal('Half-written reply');
      expect(inShadow(again, '[part="count"]').textContent).to.equal('18 / 10,000');

      const other = await composerFixture({ threadId: 't1', parentId: 'p3', mode: 'reply' });
      expect(field(other).value).to.equal('');
      const otherThread = await composerFixture({ threadId: 't2', parentId: 'p2', mode: 'reply' });
      expect(field(otherThread).value).to.equal('');
    });

    it('with no-draft, keeps no draft and restores none', async () => {
      localStorage.setItem(draftKey('t1', 'p4'), JSON.stringify({ body: 'An older draft' }));
      const el = await fixture<ParleyComposer>(html`<parley-composer
        .viewer=${dalya}
        mode="reply"
        thread-id="t1"
        .parentId=${'p4'}
        no-draft
      ></parley-composer>`);
      expect(el.noDraft, 'the attribute sets the property').to.equal(true);
      expect(field(el).value, 'the stored draft is not restored').to.equal('');
      await typeKeys(el, 'Not to be kept');
      el.remove();
      expect(JSON.parse(localStorage.getItem(draftKey('t1', 'p4'))!).body).to.equal(
        'An older draft',
      );
      localStorage.removeItem(draftKey('t1', 'p4'));
    });

    it('saves the draft at once when the composer is removed', async () => {
      const el = await composerFixture({ threadId: 't1' });
      await typeKeys(el, 'Quick');
      el.remove();
      expect(JSON.parse(localStorage.getItem(draftKey('t1', null))!).body).to.equal('Quick');
    });

    it('forgets the draft once the reply is sent', async () => {
      const el = await composerFixture({ threadId: 't1', parentId: 'p2', mode: 'reply' });
      await typeKeys(el, 'Sending this');
      await waitUntil(
        () => localStorage.getItem(draftKey('t1', 'p2')) !== null,
        'the draft was not saved',
      );
      const answer = answerNextCompose(el);
      await ctrlEnter();
      await answer.event;
      const ended = oneEvent(el, 'parley-compose-end');
      answer.resolve(undefined);
      await ended;
      expect(localStorage.getItem(draftKey('t1', 'p2'))).to.equal(null);
      el.remove();
      expect(localStorage.getItem(draftKey('t1', 'p2'))).to.equal(null);
    });

    it('keeps the draft when sending fails', async () => {
      const el = await composerFixture({ threadId: 't1' });
      await typeKeys(el, 'Not lost');
      const answer = answerNextCompose(el);
      await ctrlEnter();
      await answer.event;
      answer.reject(new ParleyError('unavailable', 'Down.'));
      await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'no error was shown');
      el.remove();
      expect(JSON.parse(localStorage.getItem(draftKey('t1', null))!).body).to.equal('Not lost');
    });

    it('keeps a reply’s text as its draft when it is cancelled', async () => {
      const el = await composerFixture({ threadId: 't1', parentId: 'p2', mode: 'reply' });
      await typeKeys(el, 'Changed my mind');
      inShadow<HTMLButtonElement>(el, '[part="cancel"]').click();
      expect(JSON.parse(localStorage.getItem(draftKey('t1', 'p2')) ?? '{}').body).to.equal(
        'Changed my mind',
      );
      el.remove();
      const again = await composerFixture({ threadId: 't1', parentId: 'p2', mode: 'reply' });
      expect(again.body).to.equal('Changed my mind');
    });

    it('forgets the draft of a reply box cancelled empty', async () => {
      const el = await composerFixture({ threadId: 't1', parentId: 'p2', mode: 'reply' });
      await typeKeys(el, 'x');
      await waitUntil(
        () => localStorage.getItem(draftKey('t1', 'p2')) !== null,
        'the draft was not saved',
      );
      field(el).select();
      document.execCommand('delete');
      await el.updateComplete;
      inShadow<HTMLButtonElement>(el, '[part="cancel"]').click();
      expect(localStorage.getItem(draftKey('t1', 'p2'))).to.equal(null);
    });

    it('shows an attached quote, which can be removed', async () => {
      const quote: AttachedQuote = {
        postId: 'p2',
        text: 'Mayo Clinic has had open access for years',
        author: dan,
      };
      const el = await composerFixture({ quote });
      const attached = inShadow(el, '[part="attached-quote"]');
      expect(attached.querySelector('strong')!.textContent).to.equal('Quoting @DanHinmon');
      expect(attached.querySelector('.excerpt')!.textContent).to.equal(
        'Mayo Clinic has had open access for years',
      );
      await expect(el).to.be.accessible();

      const remove = attached.querySelector<HTMLButtonElement>('button')!;
      expect(remove.getAttribute('aria-label')).to.equal('Remove quote');
      remove.click();
      await el.updateComplete;
      expect(has(el, '[part="attached-quote"]'), '[part="attached-quote"] is rendered').to.equal(
        false,
      );
      expect(el.quote).to.equal(null);
      expect(el.shadowRoot!.activeElement === field(el), 'focus moved there').to.equal(true);

      await typeKeys(el, 'No quote now');
      const composed = oneEvent(el, 'parley-compose');
      await ctrlEnter();
      const event = await composed;
      expect(event.detail.quote).to.equal(null);
    });

    it('keeps an attached quote in the draft', async () => {
      const quote: AttachedQuote = { postId: 'p2', text: 'An excerpt', author: dan };
      const first = await composerFixture({ threadId: 't1', quote });
      await typeKeys(first, 'About that');
      first.remove();
      const again = await composerFixture({ threadId: 't1' });
      expect(again.quote).to.deep.equal(quote);
      expect(inShadow(again, '[part="attached-quote"] strong').textContent).to.equal(
        'Quoting @DanHinmon',
      );
    });

    it('suggests participants after "@", moves through them with the arrows and inserts one with Enter', async () => {
      const el = await composerFixture({ viewer: jordan, participants: people });
      await typeKeys(el, 'Thanks @da');
      const list = inShadow(el, '[part="suggestions"]');
      await waitUntil(() => !list.hidden, 'the suggestions did not open');
      expect(list.getAttribute('role')).to.equal('listbox');
      const options = () => [...list.querySelectorAll<HTMLElement>('[role="option"]')];
      expect(options().map((o) => o.querySelector('.handle')!.textContent)).to.deep.equal([
        '@DanHinmon',
        '@dqualls',
      ]);
      const selected = () =>
        options()
          .filter((o) => o.getAttribute('aria-selected') === 'true')
          .map((o) => o.id);
      expect(selected()).to.deep.equal([options()[0].id]);
      expect(field(el).getAttribute('aria-activedescendant')).to.equal(options()[0].id);
      expect(field(el).getAttribute('aria-controls')).to.equal(list.id);
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(selected()).to.deep.equal([options()[1].id]);
      expect(field(el).getAttribute('aria-activedescendant')).to.equal(options()[1].id);

      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(selected()).to.deep.equal([options()[0].id]);

      await sendKeys({ press: 'ArrowUp' });
      await el.updateComplete;
      expect(selected()).to.deep.equal([options()[1].id]);
      await sendKeys({ press: 'ArrowUp' });
      await el.updateComplete;
      expect(selected()).to.deep.equal([options()[0].id]);

      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(field(el).value).to.equal('Thanks @DanHinmon ');
      expect(el.body).to.equal('Thanks @DanHinmon ');
      expect(list.hidden).to.equal(true);
      expect(options().length).to.equal(0);
      expect(field(el).hasAttribute('aria-activedescendant')).to.equal(false);
    });

    it('does not suggest the viewer', async () => {
      const el = await composerFixture({ viewer: dan, participants: people });
      await typeKeys(el, '@da');
      const list = inShadow(el, '[part="suggestions"]');
      await waitUntil(() => !list.hidden, 'the suggestions did not open');
      const handles = [...list.querySelectorAll('.handle')].map((h) => h.textContent);
      expect(handles).to.include('@dqualls');
      expect(handles).not.to.include('@DanHinmon');
    });

    it('closes the suggestions on Escape without inserting, and without cancelling a reply', async () => {
      const el = await composerFixture({
        viewer: jordan,
        participants: people,
        mode: 'reply',
        parentId: 'p2',
      });
      let ended = false;
      el.addEventListener('parley-compose-end', () => (ended = true));
      await typeKeys(el, 'Hi @da');
      const list = inShadow(el, '[part="suggestions"]');
      await waitUntil(() => !list.hidden, 'the suggestions did not open');
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(list.hidden).to.equal(true);
      expect(field(el).value).to.equal('Hi @da');
      expect(field(el).hasAttribute('aria-activedescendant')).to.equal(false);
      expect(ended).to.equal(false);
    });

    it('sends with Enter only when no suggestion list is open', async () => {
      const el = await composerFixture({ viewer: jordan, participants: people });
      let composed = false;
      el.addEventListener('parley-compose', () => (composed = true));
      await typeKeys(el, 'cc @ang');
      await waitUntil(
        () => !inShadow(el, '[part="suggestions"]').hidden,
        'the suggestions did not open',
      );
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(field(el).value).to.equal('cc @angela_k_moore ');
      expect(composed).to.equal(false);
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(field(el).value).to.equal('cc @angela_k_moore \n');
      expect(composed).to.equal(false);
    });

    it('opens no suggestions for an @ inside an e-mail address', async () => {
      const el = await composerFixture({ viewer: jordan, participants: people });
      await typeKeys(el, 'mail dan@da');
      await el.updateComplete;
      expect(inShadow(el, '[part="suggestions"]').hidden).to.equal(true);
      expect(el.shadowRoot!.querySelectorAll('[role="option"]').length).to.equal(0);
    });
  });

  describe('parts', () => {
    it('exposes base, toolbar, tab, textarea, footer, count and submit', async () => {
      const el = await composerFixture({
        mode: 'reply',
        parentId: 'p2',
        quote: { postId: 'p1', text: 'x', author: dalya },
      });
      for (const part of [
        'base',
        'toolbar',
        'tab',
        'attached-quote',
        'textarea',
        'footer',
        'count',
        'submit',
        'cancel',
        'suggestions',
      ]) {
        expect(el.shadowRoot!.querySelector(`[part="${part}"]`), part).to.exist;
      }
    });
  });

  describe('accessibility', () => {
    it('is accessible empty, typed in, in edit mode and with a quote', async () => {
      await expect(await composerFixture()).to.be.accessible();
      const typed = await composerFixture({ mode: 'reply', parentId: 'p2' });
      await typeKeys(typed, 'Some text');
      await expect(typed).to.be.accessible();
      await expect(await composerFixture({ mode: 'edit' })).to.be.accessible();
      await expect(
        await composerFixture({ quote: { postId: 'p1', text: 'Quoted', author: dalya } }),
      ).to.be.accessible();
    });

    it('describes the field by its count and message', async () => {
      const el = await composerFixture();
      const ids = field(el).getAttribute('aria-describedby')!.split(' ');
      expect(ids.map((id) => el.shadowRoot!.getElementById(id)?.textContent)).to.deep.equal([
        '0 / 10,000',
        'Ctrl+Enter to send',
      ]);
    });

    it('connects tabs and panel', async () => {
      const el = await composerFixture();
      const write = tabNamed(el, 'Write');
      const panel = el.shadowRoot!.getElementById(write.getAttribute('aria-controls')!)!;
      expect(panel.getAttribute('role')).to.equal('tabpanel');
      expect(panel.getAttribute('aria-labelledby')).to.equal(write.id);
    });
  });
});
