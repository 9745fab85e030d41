/**
 * `<parley-count>`: a thread's comment count anywhere on a page, every count answered by one
 * call, kept up to date as the page's threads post and, with `live`, as the adapter says.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import {
  MemoryAdapter,
  type Author,
  type ParleyCount,
  type ParleyErrorEvent,
  type ParleyThread,
  type Post,
} from '../../src/index.js';
import { clearParleyStorage, mainComposer, typeInto } from '../helpers.js';

const ada: Author = { id: 'ada', name: 'Ada Lovelace', handle: 'ada' };
const page = 'https://blog.example/posts/why-tests';

function posts(threadId: string, n: number, deleted = 0): Post[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${threadId}-${i}`,
    threadId,
    author: ada,
    body: i < deleted ? '' : `Comment ${i}`,
    createdAt: `2026-11-20T10:0${i}:00Z`,
    ...(i < deleted ? { deleted: true } : {}),
  }));
}

/** A backend with three articles' comments (one of them deleted), counting its getCounts calls. */
function backend() {
  const adapter = new MemoryAdapter({
    threads: [
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
      { id: 'c', title: 'C' },
      { id: page, title: 'Why tests', url: page },
    ],
    posts: [...posts('a', 5, 1), ...posts('b', 1), ...posts(page, 2)],
    users: [ada],
    viewer: { user: ada },
  });
  const calls: string[][] = [];
  const getCounts = adapter.getCounts.bind(adapter);
  adapter.getCounts = (ids, options) => {
    calls.push([...ids]);
    return getCounts(ids, options);
  };
  return { adapter, calls };
}

const text = (el: ParleyCount) =>
  (el.shadowRoot!.querySelector('[part="count"]')?.textContent ?? '').trim();

describe('<parley-count>', () => {
  afterEach(clearParleyStorage);

  it('answers every count on the page with one call, counting what is not deleted', async () => {
    const { adapter, calls } = backend();
    const list = await fixture<HTMLElement>(html`<ul>
      <li><parley-count thread-id="a" .adapter=${adapter}></parley-count></li>
      <li><parley-count thread-id="b" .adapter=${adapter}></parley-count></li>
      <li><parley-count thread-id="c" .adapter=${adapter}></parley-count></li>
      <li><parley-count thread-id="a" mode="discussion" .adapter=${adapter}></parley-count></li>
    </ul>`);
    const counts = [...list.querySelectorAll<ParleyCount>('parley-count')];
    await waitUntil(() => counts.every((c) => text(c)), 'the counts never showed');
    expect(counts.map(text)).to.deep.equal(['4 comments', '1 comment', '0 comments', '3 replies']);
    expect(calls).to.deep.equal([['a', 'b', 'c']]);
  });

  it('counts the thread of the page at href, keyed by its URL as a thread without thread-id is', async () => {
    const { adapter } = backend();
    const el = await fixture<ParleyCount>(
      html`<parley-count href="${page}#comments" .adapter=${adapter}></parley-count>`,
    );
    await waitUntil(() => text(el), 'no count');
    expect(text(el)).to.equal('2 comments');
  });

  it('follows a thread on the same page as its reader comments', async () => {
    const { adapter } = backend();
    const area = await fixture<HTMLElement>(html`<div>
      <parley-count thread-id="b" .adapter=${adapter}></parley-count>
      <parley-thread thread-id="b" mode="comments" no-auto-load .adapter=${adapter}></parley-thread>
    </div>`);
    const count = area.querySelector<ParleyCount>('parley-count')!;
    const thread = area.querySelector<ParleyThread>('parley-thread')!;
    await waitUntil(() => text(count) === '1 comment', 'no count');
    await waitUntil(() => mainComposer(thread), 'no comment box');
    await typeInto(mainComposer(thread), 'Another comment.');
    mainComposer(thread).shadowRoot!.querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    await waitUntil(() => text(count) === '2 comments', `the count says "${text(count)}"`);
  });

  it("with live, follows the adapter's changes of the thread", async () => {
    const { adapter } = backend();
    const el = await fixture<ParleyCount>(
      html`<parley-count thread-id="c" live .adapter=${adapter}></parley-count>`,
    );
    await waitUntil(() => text(el) === '0 comments', 'no count');
    await adapter.createPost({ threadId: 'c', body: 'First!' });
    await waitUntil(() => text(el) === '1 comment', `the count says "${text(el)}"`);
  });

  it('keeps following the thread when it is moved in the page', async () => {
    const { adapter } = backend();
    const area = await fixture<HTMLElement>(
      html`<div><p></p><parley-count thread-id="c" live .adapter=${adapter}></parley-count></div>`,
    );
    const el = area.querySelector<ParleyCount>('parley-count')!;
    await waitUntil(() => text(el) === '0 comments', 'no count');
    area.querySelector('p')!.append(el);
    await adapter.createPost({ threadId: 'c', body: 'After the move.' });
    await waitUntil(() => text(el) === '1 comment', `the count says "${text(el)}"`);
  });

  it('says what is missing when it has no backend', async () => {
    const el = document.createElement('parley-count');
    el.threadId = 'a';
    const failed = oneEvent(el, 'parley-error');
    document.body.append(el);
    try {
      const { error } = ((await failed) as ParleyErrorEvent).detail;
      expect(error.code).to.equal('invalid');
      expect(error.message).to.contain('set its endpoint attribute, or its adapter property');
      expect(text(el)).to.equal('');
    } finally {
      el.remove();
    }
  });

  it('passes axe', async () => {
    const { adapter } = backend();
    const el = await fixture<ParleyCount>(
      html`<p>Why tests matter · <parley-count thread-id="a" .adapter=${adapter}></parley-count></p>`,
    );
    const count = el.querySelector<ParleyCount>('parley-count')!;
    await waitUntil(() => text(count), 'no count');
    await expect(el).to.be.accessible();
  });
});
