/**
 * The post stream of a long thread: pages, windows around a jump target, gaps between them,
 * "Back to where I was", scroll anchoring, auto-loading, and posts that stay in the DOM.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { type CommentAdapter, type ListPostsOptions, type ParleyThread } from '../../src/index.js';
import { inShadow, longThread, LONG_THREAD, postIn, sessionOn, threadFixture } from '../helpers.js';

const THREAD = LONG_THREAD;

/** Counts the adapter's calls. */
function counted<T extends Required<Pick<CommentAdapter, 'listPostsAround'>> & CommentAdapter>(
  adapter: T,
) {
  const calls = { listPosts: [] as ListPostsOptions[], listPostsAround: [] as string[] };
  const listPosts = adapter.listPosts.bind(adapter);
  const listPostsAround = adapter.listPostsAround.bind(adapter);
  adapter.listPosts = (id, options = {}) => (calls.listPosts.push(options), listPosts(id, options));
  adapter.listPostsAround = (id, postId, options) => (
    calls.listPostsAround.push(postId),
    listPostsAround(id, postId, options)
  );
  return calls;
}

const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const shownIds = (el: ParleyThread) =>
  [...el.shadowRoot!.querySelectorAll('parley-post')].map((p) => p.getAttribute('data-post-id'));
const part = (el: ParleyThread, name: string) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${name}"]`);
const live = (el: ParleyThread) => text(inShadow(el, '[role="status"][aria-live="polite"]'));
const topOf = (el: ParleyThread, id: string) => postIn(el, id).getBoundingClientRect().top;
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** Waits until a smooth scroll has come to rest (the position holds for three frames). */
async function scrollSettled(): Promise<void> {
  let last = NaN;
  let still = 0;
  while (still < 3) {
    await frame();
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
  }
}

afterEach(() => window.scrollTo(0, 0));

describe('opening a long thread', () => {
  it('renders the first posts at once and the rest a slice per task; updateComplete waits for all', async () => {
    const adapter = longThread(120);
    const el = document.createElement('parley-thread') as ParleyThread;
    el.threadId = THREAD;
    el.pageSize = 50;
    el.adapter = adapter;
    // What each render committed: the number of posts on the page after it.
    const seen: number[] = [];
    document.body.append(el);
    const observer = new MutationObserver(() => {
      const n = el.shadowRoot!.querySelectorAll('parley-post').length;
      if (n > 0 && n !== seen.at(-1)) seen.push(n);
    });
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    try {
      await waitUntil(() => el.shadowRoot!.querySelector('parley-post'), 'no post shown');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('parley-post').length, 'all of the page').to.equal(50);
      expect(seen[0], 'the first render shows the first posts').to.equal(5);
      expect(seen.at(-1)).to.equal(50);
      expect(
        seen.every((n, i) => i === 0 || n - seen[i - 1] <= 5),
        `at most 5 posts per render: ${seen.join(', ')}`,
      ).to.equal(true);
      expect(el.shadowRoot!.querySelector('[part="load-more"]'), 'Load more, once all show').to
        .exist;
      // Later pages (Load more) are not sliced: they arrive where the reader is, at once.
      seen.length = 0;
      await el.loadMore();
      await el.updateComplete;
      expect(
        seen.filter((n) => n > 50),
        'the next page in one render',
      ).to.deep.equal([100]);
    } finally {
      observer.disconnect();
      el.remove();
    }
  });
});

describe('the post stream', () => {
  it('opens a long thread with one page, never the whole thread', async () => {
    const adapter = longThread(300);
    const calls = counted(adapter);
    const el = await threadFixture(adapter, { threadId: THREAD, pageSize: 20 });
    expect(shownIds(el)).to.have.length(20);
    expect(calls.listPosts).to.have.length(1);
    expect(text(part(el, 'reply-count'))).to.equal('299 replies');
    expect(text(part(el, 'load-more'))).to.equal('Load more replies (280)');
  });

  it('loads more with the keyboard and announces how many were added', async () => {
    const el = await threadFixture(longThread(60), { threadId: THREAD, pageSize: 20 });
    part(el, 'load-more')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shownIds(el).length === 40, 'the next page did not load');
    await waitUntil(() => live(el) === 'Loaded 20 more replies.', 'not announced');
    expect(shownIds(el).slice(18, 22)).to.deep.equal(['p18', 'p19', 'p20', 'p21']);
  });

  it('jumps into an unloaded region with one window query, and shows the gap before it', async () => {
    const adapter = longThread(300);
    const calls = counted(adapter);
    const el = await threadFixture(adapter, { threadId: THREAD, pageSize: 20 });
    expect(await el.jumpTo('p200')).to.equal(true);
    expect(calls.listPostsAround).to.deep.equal(['p200']);
    expect(calls.listPosts).to.have.length(1);
    const ids = shownIds(el);
    expect(ids).to.include('p200');
    expect(ids).to.not.include('p100');
    expect(ids.length).to.equal(40);
    expect(text(el.shadowRoot!.querySelector('[part="gap"] .gap-label'))).to.equal(
      '171 posts here are not loaded. (between Thu, Jan 1 12:19am and Thu, Jan 1 3:11am)',
    );
    expect(text(part(el, 'load-later'))).to.equal(
      'Load the next 20 posts, after Thu, Jan 1 12:19am',
    );
    expect(text(part(el, 'load-earlier'))).to.equal(
      'Load the 20 posts just before Thu, Jan 1 3:11am',
    );
    // In reading order: the button that continues the posts above comes first.
    const gapParts = [...el.shadowRoot!.querySelectorAll('[part="gap"] [part]')].map((n) =>
      n.getAttribute('part'),
    );
    expect(gapParts).to.deep.equal(['load-later', 'load-earlier']);
    expect(el.shadowRoot!.activeElement?.getAttribute('data-post-id')).to.equal('p200');
  });

  it('fills a gap from both sides until the windows join', async () => {
    const el = await threadFixture(longThread(80), { threadId: THREAD, pageSize: 20 });
    await el.jumpTo('p60');
    // First page p0–p19, the window p51–p70 (9 before the target, 10 after): a gap of 31.
    expect(text(el.shadowRoot!.querySelector('[part="gap"] .gap-label'))).to.equal(
      '31 posts here are not loaded. (between Thu, Jan 1 12:19am and Thu, Jan 1 12:51am)',
    );
    part(el, 'load-earlier')!.click();
    await waitUntil(() => shownIds(el).includes('p31'), 'earlier posts did not load');
    expect(text(el.shadowRoot!.querySelector('[part="gap"] .gap-label'))).to.match(
      /^11 posts here are not loaded\./,
    );
    part(el, 'load-hidden')!.click();
    await waitUntil(() => !el.shadowRoot!.querySelector('[part="gap"]'), 'the gap did not close');
    expect(shownIds(el).slice(0, 70)).to.deep.equal(Array.from({ length: 70 }, (_, i) => `p${i}`));
  });

  it('jumps to the latest reply by loading the last page only', async () => {
    const adapter = longThread(300);
    const calls = counted(adapter);
    const el = await threadFixture(adapter, { threadId: THREAD, pageSize: 20 });
    part(el, 'jump-latest')!.click();
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'p299',
      'the latest post was not focused',
    );
    expect(calls.listPosts.at(-1)?.direction).to.equal('backward');
    expect(shownIds(el)).to.have.length(40);
    expect(part(el, 'jump-latest'), 'no jump once the end is loaded').to.equal(null);
  });

  it('goes back to the exact post and scroll position after a jump', async () => {
    const adapter = longThread(300, (post, i) => {
      if (i === 15) post.quote = { postId: 'p250', text: 'Post number 250' };
    });
    const el = await threadFixture(adapter, { threadId: THREAD, pageSize: 20 });
    postIn(el, 'p15').scrollIntoView({ block: 'start' });
    window.scrollBy(0, -120);
    const before = topOf(el, 'p15');
    const jump = postIn(el, 'p15')
      .shadowRoot!.querySelector('parley-quote')!
      .shadowRoot!.querySelector<HTMLButtonElement>('[part="jump"]')!;
    jump.click();
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'p250',
      'did not jump',
    );
    await waitUntil(() => Math.abs(topOf(el, 'p15') - before) > 200, 'the jump did not scroll');
    // Back in the middle of the jump's smooth scroll still lands exactly.
    part(el, 'back')!.click();
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'p15',
      'focus did not return',
    );
    await scrollSettled();
    expect(Math.abs(topOf(el, 'p15') - before)).to.be.below(1.5);
    expect(part(el, 'back'), 'the button goes once used').to.equal(null);
  });

  it('keeps what the reader looks at still when a live reply lands above it', async () => {
    const adapter = longThread(60);
    const el = await threadFixture(sessionOn(adapter), { threadId: THREAD, pageSize: 60 });
    postIn(el, 'p30').scrollIntoView({ block: 'start' });
    const before = topOf(el, 'p30');
    await adapter.signIn({ userId: 'u1' });
    await adapter.createPost({
      threadId: THREAD,
      parentId: 'p5',
      body: 'A late reply, nested far above.\n\nWith\n\nseveral\n\nparagraphs.',
    });
    await waitUntil(() => part(el, 'new-replies'), 'no new-replies control');
    await el.updateComplete;
    expect(Math.abs(topOf(el, 'p30') - before), 'the control moved the view').to.be.below(1.5);
    // Shown on request, it nests far above: the reader goes there, and can come back.
    part(el, 'new-replies')!.click();
    await waitUntil(() => shownIds(el).length === 61, 'the live reply did not appear');
    const reply = shownIds(el).find((id) => !/^p\d+$/.test(id ?? ''));
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === reply,
      'the reader was not taken to the reply',
    );
    part(el, 'back')!.click();
    await waitUntil(
      () => Math.abs(topOf(el, 'p30') - before) < 1.5,
      'Back did not return to the reading position',
    );
  });

  it('keeps the view still when earlier posts load above it', async () => {
    const el = await threadFixture(longThread(200), { threadId: THREAD, pageSize: 20 });
    await el.jumpTo('p150');
    await scrollSettled();
    // The window is p141–p160; the reader presses the gap's lower button, just above p141.
    part(el, 'load-earlier')!.scrollIntoView({ block: 'center', behavior: 'instant' });
    await scrollSettled();
    const before = topOf(el, 'p141');
    part(el, 'load-earlier')!.click();
    await waitUntil(() => shownIds(el).includes('p121'), 'earlier posts did not load');
    await el.updateComplete;
    await scrollSettled();
    expect(Math.abs(topOf(el, 'p141') - before), 'what was below the gap did not move').to.be.below(
      1.5,
    );
    // Focus moves to the post that leads into it, which is on screen: not left on a moved button.
    expect(el.shadowRoot!.activeElement?.getAttribute('data-post-id')).to.equal('p140');
    const box = postIn(el, 'p140').getBoundingClientRect();
    expect(box.bottom > 0 && box.top < innerHeight, 'p140 is on screen').to.equal(true);
  });

  it("puts the first later post where the gap's upper button was, with focus on it", async () => {
    const el = await threadFixture(longThread(200), { threadId: THREAD, pageSize: 20 });
    await el.jumpTo('p150');
    await scrollSettled();
    const button = part(el, 'load-later')!;
    // Only the gap and the window below it are on screen: without care the posts land above.
    button.scrollIntoView({ block: 'start', behavior: 'instant' });
    await scrollSettled();
    const before = button.getBoundingClientRect().top;
    button.click();
    await waitUntil(() => shownIds(el).includes('p39'), 'later posts did not load');
    await el.updateComplete;
    await scrollSettled();
    expect(el.shadowRoot!.activeElement?.getAttribute('data-post-id')).to.equal('p20');
    expect(Math.abs(topOf(el, 'p20') - before), "p20 took the button's place").to.be.below(2);
  });

  it('keeps every loaded post in the DOM, off-screen ones skipped by content-visibility, and findable', async () => {
    const el = await threadFixture(longThread(120), { threadId: THREAD, pageSize: 40 });
    await el.loadMore();
    await el.loadMore();
    await el.updateComplete;
    expect(shownIds(el)).to.have.length(120);
    const far = postIn(el, 'p110');
    expect(getComputedStyle(far).contentVisibility).to.equal('auto');
    expect(text(far.shadowRoot!.querySelector('[part~="body"]'))).to.contain('phrase-110-marker');
    const find = (window as Window & { find?: (text: string) => boolean }).find;
    if (find) {
      window.getSelection()!.removeAllRanges();
      expect(
        find.call(window, 'phrase-110-marker'),
        'find-in-page reaches an off-screen post',
      ).to.equal(true);
    }
  });

  it('loads more as the reader nears the end', async () => {
    const el = await threadFixture(longThread(100), {
      threadId: THREAD,
      pageSize: 10,
      autoLoad: true,
    });
    await waitUntil(() => shownIds(el).length >= 10, 'first page missing');
    const end = el.shadowRoot!.querySelector('.more.end')!;
    end.scrollIntoView({ block: 'end' });
    await waitUntil(() => shownIds(el).length >= 20, 'nearing the end loaded nothing');
  });

  it('offers Back right after the post jumped to (one Tab away), and B goes back', async () => {
    const adapter = longThread(300, (post, i) => {
      if (i === 15) post.quote = { postId: 'p250', text: 'Post number 250' };
    });
    const el = await threadFixture(adapter, { threadId: THREAD, pageSize: 20 });
    const jump = postIn(el, 'p15')
      .shadowRoot!.querySelector('parley-quote')!
      .shadowRoot!.querySelector<HTMLButtonElement>('[part="jump"]')!;
    jump.click();
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'p250',
      'did not jump',
    );
    await scrollSettled();
    const back = part(el, 'back')!;
    expect(
      back
        .closest('[part="reply"]')
        ?.querySelector(':scope > parley-post')
        ?.getAttribute('data-post-id'),
      'Back sits with the post jumped to',
    ).to.equal('p250');
    const box = back.getBoundingClientRect();
    expect(box.top >= 0 && box.bottom <= innerHeight, 'Back is on screen').to.equal(true);
    expect(back.getAttribute('aria-keyshortcuts')).to.equal('b');
    // From the post, Tab goes through its actions and then reaches Back.
    let tabs = 0;
    while (el.shadowRoot!.activeElement !== back && tabs < 8) {
      await sendKeys({ press: 'Tab' });
      tabs++;
    }
    expect(el.shadowRoot!.activeElement === back, `Back is ${tabs} Tabs away`).to.equal(true);
    postIn(el, 'p250').focus();
    await sendKeys({ press: 'b' });
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'p15',
      'B did not go back',
    );
    expect(part(el, 'back'), 'the button goes once used').to.equal(null);
  });

  it('offers "Jump to the latest reply" wherever the reader is while the end is not loaded', async () => {
    const el = await threadFixture(longThread(300), { threadId: THREAD, pageSize: 20 });
    postIn(el, 'p12').scrollIntoView({ block: 'center', behavior: 'instant' });
    await scrollSettled();
    const floating = el.shadowRoot!.querySelector<HTMLButtonElement>(
      '.float [part="jump-latest"]',
    )!;
    const box = floating.getBoundingClientRect();
    expect(
      box.top >= 0 && box.bottom <= innerHeight,
      'the control is on screen mid-thread',
    ).to.equal(true);
    floating.click();
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'p299',
      'did not reach the latest reply',
    );
  });

  it('lets End reach the reply box and stay there while more could auto-load', async () => {
    const el = await threadFixture(longThread(100), {
      threadId: THREAD,
      pageSize: 10,
      autoLoad: true,
    });
    await waitUntil(() => shownIds(el).length >= 10, 'first page missing');
    window.scrollTo(0, document.documentElement.scrollHeight);
    await scrollSettled();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await el.updateComplete;
    await scrollSettled();
    const composer = el.shadowRoot!.querySelector('.composer')!.getBoundingClientRect();
    expect(
      composer.top < innerHeight && composer.bottom > 0,
      'the reply box is in view after End',
    ).to.equal(true);
    expect(shownIds(el).length, 'nothing loaded under the reader at the reply box').to.equal(10);
  });

  it('settles at the reply box after End in a long thread with tall posts', async () => {
    const tall = longThread(
      200,
      (post) => (post.body = `${post.body}\n\n${'A longer paragraph of reading. '.repeat(30)}`),
    );
    const el = await threadFixture(tall, { threadId: THREAD, pageSize: 45, autoLoad: true });
    await waitUntil(() => shownIds(el).length >= 45, 'first page missing');
    // End passes the end of the loaded posts on its way to the reply box, and the posts it
    // passes take their real (taller than estimated) height as they render.
    (document.activeElement as HTMLElement | null)?.blur();
    await sendKeys({ press: 'End' });
    await scrollSettled();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await el.updateComplete;
    await scrollSettled();
    const composer = el.shadowRoot!.querySelector('.composer')!.getBoundingClientRect();
    expect(
      composer.top < innerHeight && composer.bottom > 0,
      `the reply box is in view (top ${Math.round(composer.top)})`,
    ).to.equal(true);
    expect(shownIds(el).length, 'no page loaded on the way').to.equal(45);
  });

  it('renders a post body once, not again on every re-render', async () => {
    const el = await threadFixture(longThread(10), { threadId: THREAD });
    const body = postIn(el, 'p3').shadowRoot!.querySelector('[part~="body"]')!;
    const first = body.querySelector('p');
    el.theme = 'dark';
    el.maxDepth = 2;
    await el.updateComplete;
    await postIn(el, 'p3').updateComplete;
    expect(
      postIn(el, 'p3').shadowRoot!.querySelector('[part~="body"] p') === first,
      'the body was rebuilt',
    ).to.equal(true);
  });
});

describe('the post stream, accessibility', () => {
  it('is accessible with a gap, Back to where I was, and new replies waiting, light and dark', async () => {
    const adapter = longThread(120, (post, i) => {
      if (i === 5) post.quote = { postId: 'p100', text: 'Post number 100' };
    });
    const el = await threadFixture(sessionOn(adapter), { threadId: THREAD, pageSize: 20 });
    postIn(el, 'p5')
      .shadowRoot!.querySelector('parley-quote')!
      .shadowRoot!.querySelector<HTMLButtonElement>('[part="jump"]')!
      .click();
    await waitUntil(() => part(el, 'back') && part(el, 'gap'), 'no gap or Back');
    await adapter.signIn({ userId: 'u2' });
    await adapter.createPost({ threadId: THREAD, body: 'Fresh news.' });
    await waitUntil(() => part(el, 'new-replies'), 'no new-replies control');
    // The highlight of the jump fades after 2.5 s: measured once it is gone, not while it fades.
    await waitUntil(() => !postIn(el, 'p100').hasAttribute('highlighted'), 'still highlighted', {
      timeout: 5000,
    });
    // axe measures colours: let colour transitions (the highlight, the theme) finish first. A
    // transition exists only once styles are recalculated: wait for a frame before collecting.
    const settled = async () => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)));
    };
    await settled();
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    await settled();
    await expect(el).to.be.accessible();
  });
});
