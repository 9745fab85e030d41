/**
 * Comments mode: `<parley-thread>` as the comment section under an article, where the page is
 * the topic. No opening post, a heading that counts comments, the comment box above the list (or
 * below it), the thread's own `mode` from its backend, and everything a discussion does still
 * working on the comments.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  announced,
  clearParleyStorage,
  failing,
  inShadow,
  postIn,
  textOf,
  longThread,
  LONG_THREAD,
  mainComposer,
  sessionOn,
  typeInto,
} from '../helpers.js';
import {
  MemoryAdapter,
  type Author,
  type ParleyPost,
  type ParleyThread,
  type Post,
  type Thread,
} from '../../src/index.js';
import { canonicalUrl } from '../../src/adapters/early.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';

const ARTICLE = 'article-42';
const ada: Author = { id: 'ada', name: 'Ada Lovelace', handle: 'ada' };
const brook: Author = { id: 'brook', name: 'Brook Ellis', handle: 'brook' };

/** Three comments on an article and a reply to the first. */
function comments(threadId = ARTICLE): Post[] {
  const at = (minute: number) => `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z`;
  return [
    { id: 'c1', threadId, author: ada, body: 'Great article, thank you.', createdAt: at(1) },
    {
      id: 'c2',
      threadId,
      author: brook,
      body: 'I disagree with the second point.',
      createdAt: at(2),
    },
    {
      id: 'c3',
      threadId,
      author: brook,
      body: 'Why? @brook explains it below.',
      parentId: 'c1',
      createdAt: at(3),
    },
    { id: 'c4', threadId, author: ada, body: 'A third comment.', createdAt: at(4) },
  ];
}

/** Eight top-level comments: more than a page of three. */
const eightComments = (): Post[] =>
  Array.from({ length: 8 }, (_, i) => ({
    id: `m${i}`,
    threadId: ARTICLE,
    author: i % 2 ? ada : brook,
    body: `Comment ${i}.`,
    createdAt: `2026-11-20T11:0${i}:00Z`,
  }));

function adapterFor(
  thread: Partial<Thread> = {},
  options: { posts?: Post[]; as?: Author } = {},
): MemoryAdapter {
  const id = thread.id ?? ARTICLE;
  return new MemoryAdapter({
    threads: [{ id, title: 'Why tests matter', ...thread }],
    posts: options.posts ?? comments(id),
    users: [ada, brook],
    viewer: { user: options.as ?? null },
  });
}

/** A thread on `adapter`, with `attrs` set as attributes, once its posts or its empty state show. */
async function open(
  adapter: MemoryAdapter,
  attrs: Record<string, string> = {},
  threadId = ARTICLE,
): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(html`<parley-thread
    thread-id=${threadId}
    no-auto-load
    .adapter=${adapter}
  ></parley-thread>`);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  await waitUntil(
    () => el.shadowRoot!.querySelector('parley-post, [part="state"]'),
    'the thread did not render',
  );
  await el.updateComplete;
  await waitUntil(() => mainComposer(el), 'the comment box never showed');
  await el.updateComplete;
  return el;
}

/** Ids of the posts at the top level of the list, in order. */
const topLevel = (el: ParleyThread): string[] =>
  [
    ...el.shadowRoot!.querySelectorAll<ParleyPost>(
      '[part="replies"] > [part="reply"] > parley-post',
    ),
  ].map((post) => post.dataset.postId ?? '');

/** Whether `a` comes before `b` in the document. */
const before = (a: Node, b: Node) =>
  !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

describe('comments mode', () => {
  afterEach(clearParleyStorage);

  it('has no opening post: every top-level post is a comment, and the heading counts them', async () => {
    const el = await open(adapterFor(), { mode: 'comments' });
    const root = el.shadowRoot!;
    expect(root.querySelector('[part~="opening"]'), 'no opening post').to.equal(null);
    expect(root.querySelector('[part="title"]'), 'the page has its own title').to.equal(null);
    expect(topLevel(el)).to.deep.equal(['c1', 'c2', 'c4']);
    // The reply to a comment nests under it.
    const reply = root.querySelector('parley-post[data-post-id="c3"]')!;
    expect(
      reply.closest('[part="children"]')?.closest('[part="reply"]')?.querySelector('parley-post')
        ?.dataset.postId,
    ).to.equal('c1');

    const heading = inShadow(el, '[part="reply-count"]');
    expect(textOf(heading)).to.equal('4 comments');
    expect(heading.getAttribute('role')).to.equal('heading');
    expect(heading.getAttribute('aria-level')).to.equal('2');
    const section = inShadow(el, '[part="base"]');
    expect(root.getElementById(section.getAttribute('aria-labelledby')!)).to.equal(heading);
    // The first comment is a comment like the others, not the opening post.
    const first = root.querySelector<ParleyPost>('parley-post[data-post-id="c1"]')!;
    expect(first.variant).to.equal('reply');
  });

  it('puts the comment box above the comments, worded for comments, and below with composer-position', async () => {
    const el = await open(adapterFor(), { mode: 'comments' });
    const list = inShadow(el, '[part="replies"]');
    expect(before(mainComposer(el), list), 'the box is above the list').to.equal(true);
    expect(textOf(inShadow(el, '[part="skip-link"]'))).to.equal('Skip to the comment box');
    await mainComposer(el).updateComplete;
    expect(textOf(mainComposer(el).shadowRoot!.querySelector('[part="signed-out"] p'))).to.equal(
      'Please log in or register to comment.',
    );

    // Log in opens the form, worded for comments.
    inShadow<HTMLButtonElement>(el, '[part="login"]').click();
    await waitUntil(
      () => el.shadowRoot!.querySelector('parley-sign-in')?.shadowRoot?.querySelector('legend'),
      'the sign-in form never opened',
    );
    const form = el.shadowRoot!.querySelector('parley-sign-in')!;
    expect(textOf(form.shadowRoot!.querySelector('legend'))).to.equal('Log in to comment');
    expect(textOf(form.shadowRoot!.querySelector('[part="hint"]'))).to.equal(
      'Your name is shown with your comments. No account or password needed.',
    );

    el.composerPosition = 'bottom';
    await el.updateComplete;
    expect(before(list, mainComposer(el)), 'the box is below the list').to.equal(true);

    const discussion = await open(adapterFor());
    expect(
      before(inShadow(discussion, '[part="replies"]'), mainComposer(discussion)),
      'a discussion keeps its box at the end',
    ).to.equal(true);
  });

  it('publishes a comment from the box above the list as a top-level comment', async () => {
    const el = await open(adapterFor({}, { as: ada }), { mode: 'comments' });
    const composer = mainComposer(el);
    await composer.updateComplete;
    const field = inShadow<HTMLTextAreaElement>(composer, 'textarea');
    expect(field.placeholder).to.equal('Write a comment… Markdown and @mentions work.');
    expect(field.getAttribute('aria-label')).to.equal('Write a comment');
    expect(textOf(inShadow(composer, '[part="submit"]'))).to.equal('Post comment');

    await typeInto(composer, 'A fourth comment, from the top.');
    inShadow<HTMLButtonElement>(composer, '[part="submit"]').click();
    await waitUntil(() => topLevel(el).length === 4, 'the comment never showed');
    await el.updateComplete;
    const id = topLevel(el)[3];
    const post = el.shadowRoot!.querySelector<ParleyPost>(`parley-post[data-post-id="${id}"]`)!;
    expect(textOf(post.shadowRoot!.querySelector('[part="body"]'))).to.equal(
      'A fourth comment, from the top.',
    );
    expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('5 comments');
    expect(field.value, 'the box is empty again').to.equal('');
  });

  it('words what arrives live and what the reader posts as comments, and replies as replies', async () => {
    const backend = adapterFor({}, { as: ada });
    const el = await open(sessionOn(backend) as MemoryAdapter, { mode: 'comments' });
    // Someone else comments while Ada reads: it waits behind the button, and is announced.
    await backend.signIn({ userId: 'brook' });
    const live = await backend.createPost({ threadId: ARTICLE, body: 'Late to the party.' });
    await backend.signIn({ userId: 'ada' });
    await announced(el, 'New comment from Brook Ellis.');
    const button = inShadow<HTMLButtonElement>(el, '[part~="new-replies"]');
    expect(textOf(button)).to.equal('Show 1 new comment');
    button.click();
    await waitUntil(() => topLevel(el).includes(live.id), 'the live comment never showed');
    expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('5 comments');

    // Ada comments from the box above the list…
    await typeInto(mainComposer(el), 'My own comment.');
    inShadow<HTMLButtonElement>(mainComposer(el), '[part="submit"]').click();
    await announced(el, 'Your comment was posted.');
    // …and replies to a comment, which nests under it and is a reply.
    await postIn(el, 'c2').updateComplete;
    inShadow<HTMLButtonElement>(postIn(el, 'c2'), '[data-action="reply"]').click();
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part="reply-box"] parley-composer'),
      'no reply box',
    );
    const box = el.shadowRoot!.querySelector<ParleyComposer>('[part="reply-box"] parley-composer')!;
    await typeInto(box, 'A reply to Brook.');
    inShadow<HTMLButtonElement>(box, '[part="submit"]').click();
    await announced(el, 'Your reply was posted.');
    const reply = [...el.shadowRoot!.querySelectorAll<ParleyPost>('parley-post')].find(
      (post) => textOf(post.shadowRoot!.querySelector('[part="body"]')) === 'A reply to Brook.',
    )!;
    expect(
      reply.closest('[part="children"]')?.closest('[part="reply"]')?.querySelector('parley-post')
        ?.dataset.postId,
    ).to.equal('c2');
    expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('7 comments');
  });

  it('jumps from a quote to the comment it quotes, and lets the author edit a comment', async () => {
    const posts = comments();
    posts[3].quote = { postId: 'c2', text: 'I disagree with the second point.' };
    const el = await open(adapterFor({}, { posts, as: ada }), { mode: 'comments' });
    await postIn(el, 'c4').updateComplete;
    const quote = postIn(el, 'c4').shadowRoot!.querySelector('parley-quote')!;
    await quote.updateComplete;
    inShadow<HTMLButtonElement>(quote, '[part="jump"]').click();
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'c2',
      'the jump did not reach the quoted comment',
    );

    await waitUntil(
      () => postIn(el, 'c4').shadowRoot!.querySelector('[data-action="edit"]'),
      'no Edit on her own comment',
    );
    inShadow<HTMLButtonElement>(postIn(el, 'c4'), '[data-action="edit"]').click();
    await waitUntil(
      () =>
        postIn(el, 'c4')
          .shadowRoot!.querySelector('parley-composer[mode="edit"]')
          ?.shadowRoot?.querySelector('textarea'),
      'no edit box',
    );
    const editor = inShadow<ParleyComposer>(postIn(el, 'c4'), 'parley-composer[mode="edit"]');
    const field = inShadow<HTMLTextAreaElement>(editor, 'textarea');
    field.focus();
    field.select();
    document.execCommand('insertText', false, 'An edited comment.');
    await editor.updateComplete;
    inShadow<HTMLButtonElement>(editor, '[part="submit"]').click();
    await waitUntil(
      () =>
        textOf(postIn(el, 'c4').shadowRoot!.querySelector('[part="body"]')) ===
        'An edited comment.',
      'the edit never showed',
    );
    expect(topLevel(el)).to.deep.equal(['c1', 'c2', 'c4']);
  });

  it('opens a long comment section at a deep-linked comment, with gaps, and keeps a draft', async () => {
    const adapter = longThread(300);
    location.hash = '#post-p250';
    try {
      const el = await fixture<ParleyThread>(html`<parley-thread
        thread-id=${LONG_THREAD}
        mode="comments"
        page-size="20"
        no-auto-load
        .adapter=${adapter}
      ></parley-thread>`);
      await waitUntil(
        () => el.shadowRoot!.activeElement?.getAttribute('data-post-id') === 'p250',
        'the deep link did not reach its comment',
      );
      expect(el.shadowRoot!.querySelector('[part~="opening"]'), 'no opening post').to.equal(null);
      expect(el.shadowRoot!.querySelector('[part="gap"]'), 'the unloaded comments are a gap').to
        .exist;
      expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('300 comments');
      // What moves through a long comment section speaks of comments.
      const jumps = [...el.shadowRoot!.querySelectorAll('[part="jump-latest"]')].map(textOf);
      expect(jumps.length, 'Jump to the latest is offered').to.be.greaterThan(0);
      for (const jump of jumps) expect(jump).to.equal('Jump to the latest comment');
    } finally {
      history.replaceState(null, '', location.pathname + location.search);
    }

    // A comment typed in the box above the list survives the thread being created again.
    const reader = adapterFor({}, { as: ada });
    const first = await open(reader, { mode: 'comments' });
    await typeInto(mainComposer(first), 'Half a comment');
    first.remove();
    const second = await open(reader, { mode: 'comments' });
    await mainComposer(second).updateComplete;
    expect(inShadow<HTMLTextAreaElement>(mainComposer(second), 'textarea').value).to.equal(
      'Half a comment',
    );
  });

  it('keeps a comment that failed to send in the box, says so as a comment, and Retry sends it', async () => {
    const { adapter, heal } = failing(adapterFor({}, { as: ada }), ['createPost']);
    const el = await open(adapter as unknown as MemoryAdapter, { mode: 'comments' });
    const composer = mainComposer(el);
    await typeInto(composer, 'This comment survives.');
    inShadow<HTMLButtonElement>(composer, '[part="submit"]').click();
    await waitUntil(() => composer.shadowRoot!.querySelector('[part="error"]'), 'no error shown');
    expect(textOf(inShadow(composer, '[part="error"]'))).to.contain(
      'Your comment may not have been sent. Your text is still here, and Retry will not post it twice.',
    );
    expect(inShadow<HTMLTextAreaElement>(composer, 'textarea').value).to.equal(
      'This comment survives.',
    );
    heal();
    inShadow<HTMLButtonElement>(composer, '[data-action="retry"]').click();
    await waitUntil(() => topLevel(el).length === 4, 'Retry did not send it');
  });

  it("follows the thread's own mode, which the attribute overrides", async () => {
    const el = await open(adapterFor({ mode: 'comments' }));
    expect(el.shadowRoot!.querySelector('[part~="opening"]')).to.equal(null);
    expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('4 comments');

    el.mode = 'discussion';
    await el.updateComplete;
    expect(inShadow(el, '[part="title"]').textContent).to.equal('Why tests matter');
    expect(
      el.shadowRoot!.querySelector<ParleyPost>('[part~="opening"] parley-post')?.dataset.postId,
    ).to.equal('c1');
    expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('3 replies');
    // A reply to the opening post is a reply to the thread.
    expect(topLevel(el)).to.deep.equal(['c2', 'c3', 'c4']);

    el.mode = 'comments';
    await el.updateComplete;
    expect(topLevel(el)).to.deep.equal(['c1', 'c2', 'c4']);
  });

  it("reads a thread keyed by the page's canonical URL as comments", async () => {
    const url = canonicalUrl();
    const el = await open(adapterFor({ id: url }), {}, url);
    expect(el.shadowRoot!.querySelector('[part~="opening"]')).to.equal(null);
    expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('4 comments');
  });

  it('says there are no comments yet, under a heading, with the box ready', async () => {
    const el = await open(adapterFor({}, { posts: [] }), { mode: 'comments' });
    expect(textOf(inShadow(el, '[part="reply-count"]'))).to.equal('Comments');
    expect(textOf(inShadow(el, '[part="state"]'))).to.equal(
      'No comments yet. Be the first to comment.',
    );
    expect(mainComposer(el)).to.exist;
  });

  it('loads more comments near the end while the box above them is in view', async () => {
    const el = await fixture<ParleyThread>(html`<parley-thread
      thread-id=${ARTICLE}
      mode="comments"
      page-size="3"
      .adapter=${adapterFor({}, { posts: eightComments() })}
    ></parley-thread>`);
    await waitUntil(() => mainComposer(el), 'the comment box never showed');
    const box = mainComposer(el).getBoundingClientRect();
    expect(box.top < innerHeight && box.bottom > 0, 'the box is in view').to.equal(true);
    // The box and the end of the list are both in view: the box does not hold loading back.
    await waitUntil(() => topLevel(el).length >= 6, 'nothing more loaded', { timeout: 5000 });
  });

  it('offers and announces more comments as comments', async () => {
    const el = await fixture<ParleyThread>(html`<parley-thread
      thread-id=${ARTICLE}
      mode="comments"
      page-size="3"
      no-auto-load
      .adapter=${adapterFor({}, { posts: eightComments() })}
    ></parley-thread>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="load-more"]'), 'no Load more');
    await waitUntil(() => mainComposer(el), 'the comment box never showed');
    const more = inShadow<HTMLButtonElement>(el, '[part="load-more"]');
    expect(textOf(more)).to.equal('Load more comments (5)');
    more.click();
    await announced(el, 'Loaded 3 more comments.');
    expect(topLevel(el)).to.have.length(6);
  });

  it('passes axe in comments mode, light and dark', async () => {
    const el = await open(adapterFor({}, { as: brook }), { mode: 'comments' });
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('refuses a thread whose mode is neither discussion nor comments, naming the field', () => {
    expect(() => adapterFor({ mode: 'forum' as Thread['mode'] }))
      .to.throw()
      .with.property('field', 'threads[0].mode');
  });
});
