/**
 * The flows a reader takes through `<parley-thread>` on a MemoryAdapter: reading the seed
 * discussion, replying, quoting, jumping, mentioning, editing, deleting, drafts, failures,
 * signing in, deep links, themes, live posts, and accessibility of the whole.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import {
  announced,
  clearParleyStorage,
  failing,
  inShadow,
  textOf,
  mainComposer,
  postIn,
  seedAdapter,
  sessionOn,
  threadFixture,
  typeInto,
  THREAD_ID,
  signInPart,
} from '../helpers.js';
import {
  MemoryAdapter,
  ParleyError,
  type CommentAdapter,
  type ParleyErrorEvent,
  type ParleyPost,
  type ParleyThread,
  type ThreadChange,
} from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import type { ParleyQuote } from '../../src/components/quote/quote.component.js';

// ---- Local helpers (specific to these flows) ----

/** Ids of the rendered posts under the replies list, in document order. */
const replyIds = (el: ParleyThread): string[] =>
  [...el.shadowRoot!.querySelectorAll<ParleyPost>('[part="replies"] parley-post')].map(
    (p) => p.dataset.postId ?? '',
  );

/**
 * Id of the post whose nested list holds `post`, or `null` for a top-level reply. (Compares ids:
 * a failed equality between DOM elements makes the runner serialise the whole DOM.)
 */
function shownUnder(post: Element): string | null {
  const list = post.closest('[part="children"]');
  return (
    list?.closest('[part="reply"]')?.querySelector<ParleyPost>(':scope > parley-post')?.dataset
      .postId ?? null
  );
}

/** The rendered post with this id, or `null`. */
const maybePost = (el: ParleyThread, id: string): ParleyPost | null =>
  el.shadowRoot!.querySelector<ParleyPost>(`parley-post[data-post-id="${id}"]`);

/** Presses a post's action button (`reply`, `quote`, `edit`, `delete`, …). */
async function pressAction(post: ParleyPost, action: string): Promise<void> {
  await post.updateComplete;
  inShadow<HTMLButtonElement>(post, `[data-action="${action}"]`).click();
}

/** The `<parley-quote>` inside a post. */
const quoteIn = (post: ParleyPost): ParleyQuote => inShadow<ParleyQuote>(post, 'parley-quote');

/** Whether focus is on `post` itself (its article), through the thread's shadow root. */
const isFocused = (el: ParleyThread, post: ParleyPost): boolean =>
  document.activeElement === el &&
  el.shadowRoot!.activeElement === post &&
  post.shadowRoot!.activeElement?.localName === 'article';

/** Submits a composer with its submit button. */
async function pressSubmit(composer: ParleyComposer): Promise<void> {
  await composer.updateComplete;
  inShadow<HTMLButtonElement>(composer, '[part="submit"]').click();
}

/** A composer's textarea (shown only to a signed-in reader). */
async function composerField(composer: ParleyComposer): Promise<HTMLTextAreaElement> {
  await composer.updateComplete;
  return inShadow<HTMLTextAreaElement>(composer, 'textarea');
}

/** Records the calls of an adapter method. */
function spyOn<K extends keyof CommentAdapter>(
  adapter: CommentAdapter,
  method: K,
): { calls: number } {
  const record = { calls: 0 };
  const original = (adapter[method] as (...args: unknown[]) => unknown).bind(adapter);
  (adapter as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    record.calls++;
    return original(...args);
  };
  return record;
}

beforeEach(clearParleyStorage);
afterEach(clearParleyStorage);

describe('<parley-thread> flows', () => {
  describe('reading', () => {
    it('shows the title, the opening post, the reply count and every reply in order', async () => {
      const el = await threadFixture(seedAdapter());

      const title = inShadow(el, '[part="title"]');
      expect(title.getAttribute('role')).to.equal('heading');
      expect(title.getAttribute('aria-level')).to.equal('2');
      expect(textOf(title)).to.equal('Social Media Access');

      const opening = inShadow(el, '[part="opening"] parley-post') as ParleyPost;
      expect(opening.dataset.postId).to.equal('p1');
      expect(opening.variant).to.equal('opening');
      expect(textOf(inShadow(opening, '[part="body"]'))).to.contain(
        'Does anyone have any stats/figures',
      );

      expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('8 replies');
      expect(replyIds(el)).to.deep.equal(['p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
      expect(textOf(inShadow(postIn(el, 'p9'), '[part="author"]'))).to.equal('Jordan Ellis');
    });

    it('nests p3 in a children list under p2', async () => {
      const el = await threadFixture(seedAdapter());
      expect(postIn(el, 'p3').closest('ol')!.getAttribute('part')).to.equal('children');
      expect(shownUnder(postIn(el, 'p3'))).to.equal('p2');
      expect(shownUnder(postIn(el, 'p4')), 'p4 is a top-level reply').to.equal(null);
      expect(postIn(el, 'p4').closest('ol')!.getAttribute('part')).to.equal('replies');
    });

    it('shows each quote with the quoted author and "Jump to this post"', async () => {
      const el = await threadFixture(seedAdapter());
      const expected: Record<string, string> = {
        p4: '@DanHinmon',
        p5: '@angela_k_moore',
        p6: '@DanHinmon',
        p8: '@angela_k_moore',
      };
      for (const [id, author] of Object.entries(expected)) {
        const quote = quoteIn(postIn(el, id));
        await quote.updateComplete;
        expect(textOf(inShadow(quote, '[part="author"]')), `quote in ${id}`).to.equal(author);
        expect(textOf(inShadow(quote, '[part="jump"]'))).to.equal('Jump to this post');
      }
      const p5Quote = quoteIn(postIn(el, 'p5'));
      expect(textOf(inShadow(p5Quote, '[part="excerpt"]'))).to.equal(
        '@DanHinmon – This is a great article, apropos to a discussion I just had with one of my coworkers.',
      );
      expect(postIn(el, 'p7').shadowRoot!.querySelector('parley-quote')).to.equal(null);
    });

    it('shows a busy loading skeleton while the adapter is slow', async () => {
      const el = await fixture<ParleyThread>(
        html`<parley-thread thread-id=${THREAD_ID} .adapter=${seedAdapter({ latency: 300 })}></parley-thread>`,
      );
      const base = inShadow(el, '[part="base"]');
      expect(base.getAttribute('aria-busy')).to.equal('true');
      expect(el.shadowRoot!.querySelectorAll('[part="skeleton"]').length).to.be.greaterThan(0);
      expect(textOf(inShadow(el, '[role="status"]:not([aria-live])'))).to.equal(
        'Loading the discussion…',
      );
      expect(el.shadowRoot!.querySelector('parley-post')).to.equal(null);

      await waitUntil(
        () => el.shadowRoot!.querySelector('parley-post'),
        'the thread never loaded',
        { timeout: 3000 },
      );
      expect(base.getAttribute('aria-busy')).to.equal('false');
      expect(el.shadowRoot!.querySelector('[part="skeleton"]')).to.equal(null);
      expect(base.getAttribute('aria-labelledby')).to.equal('title');
    });

    it('shows an empty state for a thread without posts', async () => {
      const adapter = new MemoryAdapter({ threads: [{ id: 'quiet', title: 'A quiet corner' }] });
      const el = await threadFixture(adapter, { threadId: 'quiet' });
      expect(textOf(inShadow(el, '[part="title"]'))).to.equal('A quiet corner');
      expect(textOf(inShadow(el, '[part="state"]'))).to.equal(
        'No replies yet. Start the conversation.',
      );
      expect(el.shadowRoot!.querySelector('parley-post')).to.equal(null);
      expect(el.shadowRoot!.querySelector('[part="reply-count"]')).to.equal(null);
      expect(mainComposer(el), 'the reply box is still offered').to.exist;
    });

    it('shows the load error with Retry, and Retry renders the thread once the adapter recovers', async () => {
      const { adapter, heal } = failing(seedAdapter(), ['getThread', 'listPosts']);
      const errors: string[] = [];
      const onError = (e: ParleyErrorEvent) => errors.push(e.detail.operation);
      document.addEventListener('parley-error', onError);
      try {
        const el = await threadFixture(adapter);
        const state = inShadow(el, '[part="state"]');
        expect(state.getAttribute('role')).to.equal('alert');
        expect(textOf(state)).to.contain('The discussion could not be loaded.');
        expect(textOf(state)).to.contain('The comment server could not be reached.');
        expect(errors).to.deep.equal(['load']);

        heal();
        inShadow<HTMLButtonElement>(el, '[part="retry"]').click();
        await waitUntil(() => maybePost(el, 'p9'), 'Retry did not render the thread');
        expect(el.shadowRoot!.querySelector('[part="state"][role="alert"]')).to.equal(null);
        expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('8 replies');
      } finally {
        document.removeEventListener('parley-error', onError);
      }
    });

    it('loads the rest page by page with "Load more" and announces each page', async () => {
      const el = await threadFixture(seedAdapter(), { pageSize: 3 });
      expect(replyIds(el)).to.deep.equal(['p2', 'p3']);
      const button = inShadow<HTMLButtonElement>(el, '[part="load-more"]');
      expect(textOf(button)).to.equal('Load more replies (6)');

      button.click();
      await waitUntil(() => maybePost(el, 'p6'), 'the second page did not load');
      await announced(el, 'Loaded 3 more replies.');
      expect(replyIds(el)).to.deep.equal(['p2', 'p3', 'p4', 'p5', 'p6']);

      inShadow<HTMLButtonElement>(el, '[part="load-more"]').click();
      await waitUntil(() => maybePost(el, 'p9'), 'the last page did not load');
      await announced(el, 'Loaded 3 more replies.');
      expect(replyIds(el)).to.deep.equal(['p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
      await el.updateComplete;
      expect(
        el.shadowRoot!.querySelector('[part="load-more"]'),
        'no more pages, no button',
      ).to.equal(null);
    });

    it('says "replying to @handle" for a reply deeper than max-depth', async () => {
      const adapter = seedAdapter({ as: 'DanHinmon' });
      const deep = await adapter.createPost({
        threadId: THREAD_ID,
        body: 'Glad it helped, Dalya.',
        parentId: 'p3',
      });

      const flat = await threadFixture(adapter, { maxDepth: 1 });
      const post = postIn(flat, deep.id);
      expect(textOf(inShadow(post, '[part="replying-to"]'))).to.equal('replying to @dqualls');
      // It sits at the last indented level, beside p3, under p2.
      expect(shownUnder(post)).to.equal('p2');
      expect(shownUnder(postIn(flat, 'p3'))).to.equal('p2');

      flat.remove();
      const nested = await threadFixture(adapter, { maxDepth: 3 });
      const indented = postIn(nested, deep.id);
      expect(
        indented.shadowRoot!.querySelector('[part="replying-to"]'),
        'indented replies need no "replying to"',
      ).to.equal(null);
      expect(shownUnder(indented)).to.equal('p3');
    });
  });

  describe('replying', () => {
    it("Reply on the opening post goes to the thread's reply box, focused, and Back returns", async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await pressAction(postIn(el, 'p1'), 'reply');
      const main = inShadow<ParleyComposer>(el, 'parley-composer.main');
      await waitUntil(
        () =>
          el.shadowRoot!.activeElement === main &&
          main.shadowRoot!.activeElement?.localName === 'textarea',
        'the reply box was not focused',
      );
      expect(el.shadowRoot!.querySelector('[part="reply-box"]'), 'no box under a post').to.equal(
        null,
      );
      expect(el.shadowRoot!.querySelector('[part="back"]'), 'Back is offered').to.exist;
    });

    it('opens a focused reply box under p2, publishes the reply nested under p2, focuses and announces it', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await pressAction(postIn(el, 'p2'), 'reply');

      await waitUntil(
        () => el.shadowRoot!.querySelector('[part="reply-box"] parley-composer'),
        'no reply box opened',
      );
      const composer = inShadow<ParleyComposer>(el, '[part="reply-box"] parley-composer');
      expect(
        composer.closest('[part="reply"]')!.querySelector<ParleyPost>(':scope > parley-post')!
          .dataset.postId,
      ).to.equal('p2');
      await waitUntil(
        () =>
          document.activeElement === el &&
          el.shadowRoot!.activeElement === composer &&
          composer.shadowRoot!.activeElement?.localName === 'textarea',
        'the reply box was not focused',
      );
      expect(inShadow(composer, 'textarea').getAttribute('aria-label')).to.equal(
        'Reply to Dan Hinmon',
      );

      await typeInto(composer, 'Thanks for the **link**, Dan.');
      const created = oneEvent(document, 'parley-post-created');
      await pressSubmit(composer);
      const event = await created;

      expect(event.bubbles && event.composed, 'bubbles and composed').to.equal(true);
      expect(event.target === el, 'fired on the thread').to.equal(true);
      const post = event.detail.post;
      expect(post.body).to.equal('Thanks for the **link**, Dan.');
      expect(post.parentId).to.equal('p2');
      expect(post.author.id).to.equal('u-jellis');

      const rendered = postIn(el, post.id);
      expect(inShadow(rendered, '[part="body"] strong').textContent).to.equal('link');
      expect(shownUnder(rendered)).to.equal('p2');
      expect(isFocused(el, rendered), 'focus moved to the new reply').to.equal(true);
      await announced(el, 'Your reply was posted.');
      expect(el.shadowRoot!.querySelector('[part="reply-box"]'), 'the reply box closed').to.equal(
        null,
      );
      expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('9 replies');
    });
  });

  describe('quoting', () => {
    it('attaches the whole post with Quote and publishes it as a quote', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await pressAction(postIn(el, 'p7'), 'quote');
      const composer = mainComposer(el);
      await waitUntil(
        () => composer.shadowRoot!.querySelector('[part="attached-quote"]'),
        'no quote attached',
      );
      const attached = inShadow(composer, '[part="attached-quote"]');
      expect(textOf(attached.querySelector('strong'))).to.equal('Quoting @dqualls');
      expect(textOf(attached.querySelector('.excerpt'))).to.equal(
        'Thank you Dan. This is so helpful.',
      );

      await typeInto(composer, 'Agreed, very helpful.');
      const created = oneEvent(document, 'parley-post-created');
      await pressSubmit(composer);
      const { post } = (await created).detail;
      expect(post.quote).to.deep.equal({
        postId: 'p7',
        text: 'Thank you Dan. This is so helpful.',
      });

      const quote = quoteIn(postIn(el, post.id));
      await quote.updateComplete;
      expect(textOf(inShadow(quote, '[part="author"]'))).to.equal('@dqualls');
      expect(textOf(inShadow(quote, '[part="excerpt"]'))).to.equal(
        'Thank you Dan. This is so helpful.',
      );
      await composer.updateComplete;
      expect(
        composer.shadowRoot!.querySelector('[part="attached-quote"]'),
        'the composer let go of the quote',
      ).to.equal(null);
    });

    it('attaches exactly the text selected in a post body with the floating Quote button', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      const p1 = postIn(el, 'p1');
      const paragraph = inShadow(p1, '[part="body"] p');
      const node = paragraph.firstChild as Text;
      const start = node.data.indexOf('allowing');
      const selected = 'allowing social media access at work';
      expect(node.data.slice(start, start + selected.length)).to.equal(selected);

      document.getSelection()!.setBaseAndExtent(node, start, node, start + selected.length);
      const button = inShadow<HTMLButtonElement>(p1, '[part="selection-quote"]');
      await waitUntil(() => !button.hidden, 'the floating Quote button did not appear');
      button.click();

      const composer = mainComposer(el);
      await waitUntil(
        () => composer.shadowRoot!.querySelector('[part="attached-quote"]'),
        'no quote attached',
      );
      const attached = inShadow(composer, '[part="attached-quote"]');
      expect(textOf(attached.querySelector('strong'))).to.equal('Quoting @dqualls');
      expect(attached.querySelector('.excerpt')!.textContent).to.equal(selected);
      expect(button.hidden, 'the floating button hides after use').to.equal(true);
      document.getSelection()!.removeAllRanges();

      await typeInto(composer, 'Here is one study.');
      const created = oneEvent(document, 'parley-post-created');
      await pressSubmit(composer);
      const { post } = (await created).detail;
      expect(post.quote).to.deep.equal({ postId: 'p1', text: selected });
      const quote = quoteIn(postIn(el, post.id));
      await quote.updateComplete;
      expect(textOf(inShadow(quote, '[part="excerpt"]'))).to.equal(selected);
    });
  });

  describe('jumping', () => {
    it('scrolls to, focuses and highlights p2 from the quote in p4', async () => {
      const el = await threadFixture(seedAdapter());
      const p2 = postIn(el, 'p2');
      expect(p2.highlighted).to.equal(false);
      const quote = quoteIn(postIn(el, 'p4'));
      await quote.updateComplete;
      inShadow<HTMLButtonElement>(quote, '[part="jump"]').click();

      await waitUntil(() => p2.highlighted, 'p2 was not highlighted');
      expect(p2.hasAttribute('highlighted')).to.equal(true);
      expect(isFocused(el, p2), 'focus is on p2').to.equal(true);
      expect(postIn(el, 'p4').highlighted).to.equal(false);
      await announced(el, 'Showing the post by Dan Hinmon.');
    });

    it('loads just the window around a post that is not loaded yet, then shows it', async () => {
      const el = await threadFixture(seedAdapter(), { pageSize: 2 });
      expect(maybePost(el, 'p8')).to.equal(null);

      expect(await el.jumpTo('p8')).to.equal(true);
      const p8 = postIn(el, 'p8');
      expect(p8.highlighted).to.equal(true);
      expect(isFocused(el, p8)).to.equal(true);
      // Not every page in between: the first page, a gap, and the window around p8.
      expect(replyIds(el)).to.deep.equal(['p2', 'p8', 'p9']);
      expect(textOf(inShadow(el, '[part="gap"] .gap-label'))).to.match(
        /^5 posts here are not loaded\. \(between .*2019.* and .*2019.*\)$/,
      );
      expect(
        el.shadowRoot!.querySelector('[part="load-more"]') === null,
        'the window reaches the end',
      ).to.equal(true);
    });

    it('shows both posts of two quick jumps to unloaded posts of a slow adapter', async () => {
      const el = await threadFixture(seedAdapter({ latency: 20 }), { pageSize: 2 });
      const shown = await Promise.all([el.jumpTo('p6'), el.jumpTo('p9')]);
      expect(shown).to.deep.equal([true, true]);
      expect(replyIds(el)).to.include.members(['p6', 'p9']);
    });

    it('announces that a deleted post without replies cannot be shown', async () => {
      const adapter = seedAdapter({ as: 'jellis' });
      const el = await threadFixture(adapter);
      await adapter.deletePost('p9');
      await waitUntil(() => !maybePost(el, 'p9'), 'the deleted post is still shown');

      expect(await el.jumpTo('p9')).to.equal(false);
      await announced(el, 'That post was deleted.');
      expect(document.activeElement === el, 'nothing in the thread took focus').to.equal(false);
    });
  });

  describe('mentions', () => {
    it('inserts the handle chosen with ArrowDown and Enter from the suggestions', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      const composer = mainComposer(el);
      const field = await composerField(composer);
      field.focus();
      await sendKeys({ type: 'Ask @an' });
      await waitUntil(
        () => composer.shadowRoot!.querySelectorAll('[part="suggestion"]').length > 0,
        'no suggestions',
      );
      const options = () => [
        ...composer.shadowRoot!.querySelectorAll<HTMLElement>('[part="suggestion"]'),
      ];
      expect(options().map((o) => textOf(o.querySelector('.handle')))).to.deep.equal([
        '@angela_k_moore',
        '@DanHinmon',
      ]);
      expect(options()[0].getAttribute('aria-selected')).to.equal('true');

      await sendKeys({ press: 'ArrowDown' });
      await composer.updateComplete;
      expect(options()[1].getAttribute('aria-selected')).to.equal('true');
      expect(field.getAttribute('aria-activedescendant')).to.equal(options()[1].id);

      await sendKeys({ press: 'Enter' });
      await composer.updateComplete;
      expect(field.value).to.equal('Ask @DanHinmon ');
      expect(options()).to.have.length(0);
      expect(composer.shadowRoot!.activeElement === field, 'focus stays in the field').to.equal(
        true,
      );
    });
  });

  describe('editing and deleting', () => {
    it('edits one\'s own post: Edit, change, Save updates the body with an "edited" marker', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      const p9 = postIn(el, 'p9');
      expect(p9.shadowRoot!.querySelector('[part="edited"]')).to.equal(null);
      expect(
        postIn(el, 'p8').shadowRoot!.querySelector('[data-action="edit"]'),
        "no Edit on others' posts",
      ).to.equal(null);
      await pressAction(p9, 'edit');

      await waitUntil(
        () => p9.shadowRoot!.querySelector('parley-composer[mode="edit"]'),
        'no edit box',
      );
      const editor = inShadow<ParleyComposer>(p9, 'parley-composer[mode="edit"]');
      const field = await composerField(editor);
      expect(field.value).to.contain('Regardless, employees will be on Social Media');
      field.focus();
      field.select();
      document.execCommand('insertText', false, 'Trust is the real question.');
      await editor.updateComplete;

      const updated = oneEvent(document, 'parley-post-updated');
      await pressSubmit(editor);
      const { post } = (await updated).detail;
      expect(post.id).to.equal('p9');
      expect(post.body).to.equal('Trust is the real question.');

      await waitUntil(
        () => p9.shadowRoot!.querySelector('[part="body"]'),
        'the edit box did not close',
      );
      expect(textOf(inShadow(p9, '[part="body"]'))).to.equal('Trust is the real question.');
      expect(textOf(inShadow(p9, '[part="edited"]'))).to.equal('edited');
      expect(p9.shadowRoot!.querySelector('parley-composer')).to.equal(null);
      await announced(el, 'Your post was updated.');
    });

    it("removes one's own post without replies when deleted", async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      const p9 = postIn(el, 'p9');
      await pressAction(p9, 'delete');
      await p9.updateComplete;
      const deleted = oneEvent(document, 'parley-post-deleted');
      inShadow<HTMLButtonElement>(p9, '[data-action="confirm-delete"]').click();
      const { post } = (await deleted).detail;

      expect(post.id).to.equal('p9');
      expect(post.deleted).to.equal(true);
      await el.updateComplete;
      expect(maybePost(el, 'p9')).to.equal(null);
      expect(isFocused(el, postIn(el, 'p8')), 'focus moved to the post before it').to.equal(true);
      expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('7 replies');
      await announced(el, 'Your post was deleted.');
    });

    it("keeps one's own post with replies as a tombstone when deleted", async () => {
      const el = await threadFixture(seedAdapter({ as: 'DanHinmon' }));
      const p2 = postIn(el, 'p2');
      await pressAction(p2, 'delete');
      await p2.updateComplete;
      const deleted = oneEvent(document, 'parley-post-deleted');
      inShadow<HTMLButtonElement>(p2, '[data-action="confirm-delete"]').click();
      expect((await deleted).detail.post.id).to.equal('p2');

      await el.updateComplete;
      await p2.updateComplete;
      expect(postIn(el, 'p2') === p2, 'p2 is still rendered').to.equal(true);
      expect(textOf(inShadow(p2, '[part="tombstone"]'))).to.equal('This post was deleted.');
      expect(p2.shadowRoot!.querySelector('[part="body"]')).to.equal(null);
      expect(p2.shadowRoot!.querySelector('[part="actions"]')).to.equal(null);
      expect(isFocused(el, p2), 'focus stays on the tombstone').to.equal(true);
      // Its reply still reads in context, and the quote of it says it is gone.
      expect(shownUnder(postIn(el, 'p3'))).to.equal('p2');
      const quote = quoteIn(postIn(el, 'p4'));
      await waitUntil(
        () => quote.shadowRoot!.querySelector('[part="status"]'),
        'the quote of p2 does not say it was deleted',
      );
      expect(textOf(inShadow(quote, '[part="status"]'))).to.equal('The quoted post was deleted.');
      expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('7 replies');
    });
  });

  describe('drafts and failures', () => {
    it('restores the unsent text when the thread is created again', async () => {
      const adapter = seedAdapter({ as: 'jellis' });
      const first = await threadFixture(adapter);
      await typeInto(mainComposer(first), 'Half a thought about trust');
      first.remove();

      const second = await threadFixture(adapter);
      const field = await composerField(mainComposer(second));
      expect(field.value).to.equal('Half a thought about trust');
    });

    it('keeps the text and shows the error when sending fails, and Retry sends it after recovery', async () => {
      const { adapter, heal } = failing(seedAdapter({ as: 'jellis' }), ['createPost']);
      const el = await threadFixture(adapter);
      const composer = mainComposer(el);
      await typeInto(composer, 'This should survive a failure.');

      const failed = oneEvent(document, 'parley-error');
      await pressSubmit(composer);
      const { error, operation } = (await failed).detail;
      expect(operation).to.equal('create');
      expect(error).to.be.instanceOf(ParleyError);
      expect(error.code).to.equal('network');

      await waitUntil(() => composer.shadowRoot!.querySelector('[part="error"]'), 'no error shown');
      const alert = inShadow(composer, '[part="error"]');
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(textOf(alert)).to.contain(
        'Your reply may not have been sent. Your text is still here, and Retry will not post it twice.',
      );
      expect(textOf(alert)).to.contain('The comment server could not be reached.');
      expect((await composerField(composer)).value).to.equal('This should survive a failure.');
      expect(replyIds(el)).to.have.length(8);

      heal();
      const created = oneEvent(document, 'parley-post-created');
      alert.querySelector<HTMLButtonElement>('[data-action="retry"]')!.click();
      const { post } = (await created).detail;
      expect(post.body).to.equal('This should survive a failure.');
      expect(maybePost(el, post.id)).to.exist;
      await composer.updateComplete;
      expect(composer.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
      expect((await composerField(composer)).value).to.equal('');
    });
  });

  describe('signing in', () => {
    it('asks signed-out readers to log in, and Log in asks a guest for a name (never signs in as someone else)', async () => {
      const adapter = seedAdapter();
      const el = await threadFixture(adapter);
      const composer = mainComposer(el);
      expect(textOf(inShadow(composer, '[part="signed-out"] p'))).to.equal(
        'Please log in or register to post a reply.',
      );
      expect(composer.shadowRoot!.querySelector('textarea')).to.equal(null);
      expect(postIn(el, 'p2').shadowRoot!.querySelector('[data-action="edit"]')).to.equal(null);

      const request = oneEvent(document, 'parley-login-request');
      inShadow<HTMLButtonElement>(el, '[part="login"]').click();
      const event = await request;
      expect(event.cancelable && event.bubbles && event.composed).to.equal(true);

      await waitUntil(() => signInPart(el, 'input[name="name"]'), 'no guest name field');
      expect((await adapter.getViewer()).user, 'nobody was signed in without asking').to.equal(
        null,
      );
      expect(
        el
          .shadowRoot!.querySelector('parley-sign-in')
          ?.shadowRoot?.querySelectorAll('input[type="radio"]').length ?? 0,
        'the embedded backend offers only a guest name',
      ).to.equal(0);
      const name = signInPart<HTMLInputElement>(el, 'input[name="name"]')!;
      expect(
        el.shadowRoot!.querySelector('parley-sign-in')!.shadowRoot!.activeElement === name,
        'the name field has focus',
      ).to.equal(true);
      name.value = 'Visitor';
      signInPart<HTMLButtonElement>(el, 'button[type="submit"]')!.click();

      await waitUntil(
        () => composer.shadowRoot!.querySelector('textarea'),
        'the composer did not appear after signing in',
      );
      expect(textOf(inShadow(composer, '.as')).startsWith('Posting as Visitor')).to.equal(true);
      const viewer = (await adapter.getViewer()).user;
      expect(viewer?.name).to.equal('Visitor');
      expect(viewer?.id.startsWith('guest-')).to.equal(true);
      await postIn(el, 'p1').updateComplete;
      expect(
        postIn(el, 'p1').shadowRoot!.querySelector('[data-action="edit"]') === null,
        "no Edit on the seeded member's post",
      ).to.equal(true);
    });

    it('does not sign in when the host page takes over the log-in request', async () => {
      const adapter = seedAdapter();
      const signIn = spyOn(adapter, 'signIn');
      const el = await threadFixture(adapter);
      const takeOver = (e: Event) => e.preventDefault();
      document.addEventListener('parley-login-request', takeOver);
      try {
        const request = oneEvent(document, 'parley-login-request');
        inShadow<HTMLButtonElement>(el, '[part="login"]').click();
        const event = await request;
        expect(event.defaultPrevented).to.equal(true);
        // The thread decides in a microtask after the event; let it run.
        await Promise.resolve();
        await el.updateComplete;
        expect(signIn.calls).to.equal(0);
        expect((await adapter.getViewer()).user).to.equal(null);
        expect(mainComposer(el).shadowRoot!.querySelector('[part="signed-out"]')).to.exist;
      } finally {
        document.removeEventListener('parley-login-request', takeOver);
      }
    });

    it('shows a slotted log-in link instead of the default button', async () => {
      const el =
        await fixture<ParleyThread>(html`<parley-thread thread-id=${THREAD_ID} .adapter=${seedAdapter()}>
        <a slot="login" href="#site-login">Sign in with your library card</a>
      </parley-thread>`);
      await waitUntil(() => el.shadowRoot!.querySelector('parley-composer.main'), 'no composer');
      const composer = mainComposer(el);
      await composer.updateComplete;
      const link = el.querySelector('a[slot="login"]') as HTMLAnchorElement;
      const slot = inShadow<HTMLSlotElement>(el, 'slot[name="login"]');
      const assigned = slot.assignedElements();
      expect(
        assigned.length === 1 && assigned[0] === link,
        'the link fills the login slot',
      ).to.equal(true);
      expect(link.checkVisibility(), 'the link is shown').to.equal(true);
      expect(
        inShadow(el, '[part="login"]').checkVisibility(),
        'the default button is not',
      ).to.equal(false);
      expect(textOf(inShadow(composer, '[part="signed-out"] p'))).to.equal(
        'Please log in or register to post a reply.',
      );
    });
  });

  describe('deep links', () => {
    afterEach(() => {
      history.replaceState(null, '', `${location.pathname}${location.search}`);
    });

    it('focuses and highlights the post named in the hash after loading, and follows later hash changes', async () => {
      location.hash = '#post-p6';
      const el = await threadFixture(seedAdapter());
      const p6 = postIn(el, 'p6');
      await waitUntil(() => p6.highlighted && isFocused(el, p6), 'p6 was not shown');

      const changed = oneEvent(window, 'hashchange');
      location.hash = '#post-p2';
      await changed;
      const p2 = postIn(el, 'p2');
      await waitUntil(
        () => p2.highlighted && isFocused(el, p2),
        'p2 was not shown after the hash changed',
      );
      expect(p6.highlighted, 'only one post is highlighted').to.equal(false);
      location.hash = '';
    });
  });

  describe('theme', () => {
    afterEach(() => emulateMedia({ colorScheme: 'light' }));

    it('re-points the colours for theme="dark"', async () => {
      const light = await threadFixture(seedAdapter(), { theme: 'light' });
      const dark = await threadFixture(seedAdapter(), { theme: 'dark' });
      expect(getComputedStyle(light).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(getComputedStyle(dark).backgroundColor).to.equal('rgb(20, 24, 29)');
      const lightText = getComputedStyle(inShadow(light, '[part="title"]')).color;
      const darkText = getComputedStyle(inShadow(dark, '[part="title"]')).color;
      expect(darkText).to.not.equal(lightText);
      // The tokens reach nested elements too.
      const body = (el: ParleyThread) =>
        getComputedStyle(inShadow(postIn(el, 'p1'), '[part="body"]')).color;
      expect(body(dark)).to.not.equal(body(light));
    });

    it('reflects theme both ways and follows the reader\'s setting with theme="auto"', async () => {
      const el = await threadFixture(seedAdapter(), { theme: 'light' });
      el.theme = 'auto';
      await el.updateComplete;
      expect(el.getAttribute('theme')).to.equal('auto');
      el.setAttribute('theme', 'dark');
      expect(el.theme).to.equal('dark');
      el.setAttribute('theme', 'auto');
      await el.updateComplete;

      await emulateMedia({ colorScheme: 'dark' });
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(20, 24, 29)');
      await emulateMedia({ colorScheme: 'light' });
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
    });
  });

  describe('live changes', () => {
    it('shows a post created through the same adapter by another user without a reload', async () => {
      const adapter = seedAdapter({ as: 'jellis' });
      const el = await threadFixture(sessionOn(adapter));
      await adapter.signIn({ userId: 'u-angela' });
      const post = await adapter.createPost({
        threadId: THREAD_ID,
        body: 'Update: IT said yes!',
        parentId: 'p8',
      });
      await adapter.signIn({ userId: 'u-jellis' });

      // It waits behind "Show 1 new reply" so nothing moves under the reader.
      await waitUntil(
        () => el.shadowRoot!.querySelector('[part~="new-replies"]'),
        'no new-replies control',
      );
      expect(maybePost(el, post.id)).to.equal(null);
      expect(textOf(inShadow(el, '[part~="new-replies"]'))).to.equal('Show 1 new reply');
      inShadow<HTMLButtonElement>(el, '[part~="new-replies"]').click();
      await waitUntil(() => maybePost(el, post.id), 'the new post did not appear');
      await waitUntil(
        () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === post.id,
        'focus did not move to it',
      );
      expect(el.shadowRoot!.querySelector('[part~="new-replies"]')).to.equal(null);
      expect(textOf(inShadow(postIn(el, post.id), '[part="body"]'))).to.equal(
        'Update: IT said yes!',
      );
      expect(shownUnder(postIn(el, post.id))).to.equal('p8');
      expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('9 replies');
    });

    it('announces a post by someone else that arrives through the live feed', async () => {
      const backend = seedAdapter({ as: 'jellis' });
      const session = sessionOn(backend);
      const el = await threadFixture(session);
      await backend.signIn({ userId: 'u-angela' });
      const post = await backend.createPost({ threadId: THREAD_ID, body: 'Update: IT said yes!' });
      await backend.signIn({ userId: 'u-jellis' });

      await announced(el, 'New reply from Angela Moore.');
      expect(textOf(inShadow(el, '[part~="new-replies"]'))).to.equal('Show 1 new reply');
      inShadow<HTMLButtonElement>(el, '[part~="new-replies"]').click();
      await waitUntil(() => maybePost(el, post.id), 'the new post did not appear');
      expect(textOf(mainComposer(el).shadowRoot!.querySelector('.as'))).to.equal(
        'Posting as Jordan Ellis · Sign out',
      );
    });
    it('shows the thread afresh when the adapter says it cannot replay what was missed', async () => {
      const backend = seedAdapter({ as: 'jellis' });
      // A live feed that missed everything, until it says so.
      let listener: ((change: ThreadChange) => void) | null = null;
      let subscriptions = 0;
      const missing = new Proxy(backend, {
        get(target, prop, receiver) {
          if (prop === 'subscribe')
            return (_threadId: string, heard: (change: ThreadChange) => void) => {
              subscriptions++;
              listener = heard;
              return () => {
                if (listener === heard) listener = null;
              };
            };
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const el = await threadFixture(missing);
      await waitUntil(() => listener !== null, 'the thread did not subscribe');
      await backend.signIn({ userId: 'u-angela' });
      const post = await backend.createPost({
        threadId: THREAD_ID,
        body: 'Posted while the feed was away.',
      });
      await backend.signIn({ userId: 'u-jellis' });
      expect(maybePost(el, post.id)).to.equal(null);
      expect(subscriptions).to.equal(1);
      listener!({ type: 'reload' });
      await waitUntil(() => maybePost(el, post.id), 'the thread did not reload');
      await waitUntil(() => subscriptions === 2 && listener, 'it did not follow the thread again');
    });
  });

  describe('accessibility', () => {
    it('is accessible signed out', async () => {
      const el = await threadFixture(seedAdapter());
      await expect(el).to.be.accessible();
    });

    it('is accessible signed in', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await expect(el).to.be.accessible();
    });

    it('is accessible with an inline reply box open', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }));
      await pressAction(postIn(el, 'p2'), 'reply');
      await waitUntil(
        () => el.shadowRoot!.querySelector('[part="reply-box"] parley-composer'),
        'no reply box opened',
      );
      await el.shadowRoot!.querySelector<ParleyComposer>('[part="reply-box"] parley-composer')!
        .updateComplete;
      await expect(el).to.be.accessible();
    });

    it('is accessible in the dark theme', async () => {
      const el = await threadFixture(seedAdapter({ as: 'jellis' }), { theme: 'dark' });
      await expect(el).to.be.accessible();
    });
  });
});
