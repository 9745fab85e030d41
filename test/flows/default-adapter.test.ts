/** `<parley-thread>` with no adapter: the embedded default, inline seed data, and its failures. */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { ParleyErrorEvent, ParleyThread } from '../../src/index.js';
import { seed, seedAdapter, postIn, THREAD_ID } from '../helpers.js';

const clearStorage = () => {
  for (const key of Object.keys(localStorage))
    if (key.startsWith('parley:')) localStorage.removeItem(key);
};
const text = (el: ParleyThread, selector: string) =>
  el.shadowRoot!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<parley-thread> without an adapter', () => {
  beforeEach(clearStorage);
  afterEach(clearStorage);

  it('renders the discussion given as inline JSON, with zero JavaScript of the page', async () => {
    const data = JSON.stringify(seed());
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    wrapper.innerHTML = `<parley-thread thread-id="${THREAD_ID}"><script type="application/json">${data}</script></parley-thread>`;
    const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
    await waitUntil(
      () => el.shadowRoot?.querySelectorAll('parley-post').length === 9,
      'the inline thread did not render',
    );
    expect(text(el, '[part="title"]')).to.equal('Social Media Access');
    expect(postIn(el, 'p4').post?.quote?.postId).to.equal('p2');
  });

  it('starts an empty discussion titled like the page when there is no data, and keeps new posts', async () => {
    const el = await fixture<ParleyThread>(
      html`<parley-thread thread-id="fresh-page"></parley-thread>`,
    );
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part="state"]'),
      'the empty state did not show',
    );
    expect(text(el, '[part="state"]')).to.contain('No replies yet');
    expect(text(el, '[part="title"]')).to.equal(document.title);
    expect(
      localStorage.getItem('parley:v1:thread:fresh-page'),
      'the auto-created thread is stored',
    ).to.be.a('string');
  });

  it('says what is wrong with invalid inline data, naming the field, and fires parley-error', async () => {
    const bad = JSON.parse(JSON.stringify(seed())) as ReturnType<typeof seed>;
    (bad.posts[2].author as { name?: string }).name = '';
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const failed = oneEvent(wrapper, 'parley-error') as Promise<ParleyErrorEvent>;
    wrapper.innerHTML = `<parley-thread thread-id="${THREAD_ID}"><script type="application/json">${JSON.stringify(bad)}</script></parley-thread>`;
    const event = await failed;
    const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
    await el.updateComplete;
    expect(event.detail.operation).to.equal('load');
    expect(event.detail.error.code).to.equal('invalid');
    expect(text(el, '[role="alert"]')).to.contain('posts[2].author.name');
    // Found as the first page was served, and still said to be in the page's inline data.
    expect(text(el, '[role="alert"]')).to.contain('data inside <parley-thread> is not valid');
    expect(
      el.shadowRoot!.querySelector('[part="retry"]') === null,
      'no Retry for data that cannot change',
    ).to.equal(true);
  });

  it('asks for a thread-id when none is set', async () => {
    const el = await fixture<ParleyThread>(html`<parley-thread></parley-thread>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'), 'no error shown');
    expect(text(el, '[role="alert"]')).to.contain('thread-id');
  });

  it('never uses the default when the page sets an adapter right after adding the element', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('parley-thread');
    el.threadId = THREAD_ID;
    wrapper.append(el);
    el.adapter = seedAdapter();
    await waitUntil(
      () => el.shadowRoot?.querySelectorAll('parley-post').length === 9,
      'the thread did not render',
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(
      Object.keys(localStorage).filter((k) => k.startsWith('parley:v1:thread:')),
    ).to.deep.equal([]);
  });
});
