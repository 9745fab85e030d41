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

/**
 * The `<parley-thread>` of `markup`, put in the page as a site owner writes it (so its inline
 * script is parsed as markup), and the first `parley-error` it fires.
 */
async function mount(markup: string) {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  const failed = oneEvent(wrapper, 'parley-error') as Promise<ParleyErrorEvent>;
  wrapper.innerHTML = markup;
  return { el: wrapper.querySelector<ParleyThread>('parley-thread')!, failed };
}

/** Waits until `el` shows the nine posts of the seed, and checks the title and a quote. */
async function showsSeed(el: ParleyThread, what: string) {
  await waitUntil(() => el.shadowRoot?.querySelectorAll('parley-post').length === 9, what);
  expect(text(el, '[part="title"]')).to.equal('Social Media Access');
  expect(postIn(el, 'p4').post?.quote?.postId).to.equal('p2');
}

/** The seed, with posts[2]'s author nameless (a copy: the seed's authors are shared). */
function badSeed() {
  const bad = JSON.parse(JSON.stringify(seed())) as ReturnType<typeof seed>;
  (bad.posts[2].author as { name?: string }).name = '';
  return bad;
}

describe('<parley-thread> without an adapter', () => {
  beforeEach(clearStorage);
  afterEach(clearStorage);

  it('renders the discussion given as inline JSON, with zero JavaScript of the page', async () => {
    const { el } = await mount(
      `<parley-thread thread-id="${THREAD_ID}"><script type="application/json">${JSON.stringify(seed())}</script></parley-thread>`,
    );
    await showsSeed(el, 'the inline thread did not render');
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
    const { el, failed } = await mount(
      `<parley-thread thread-id="${THREAD_ID}"><script type="application/json">${JSON.stringify(badSeed())}</script></parley-thread>`,
    );
    const event = await failed;
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

  describe('with its data in a JSON file (src)', () => {
    const urls: string[] = [];
    /** A blob: URL serving `body` as JSON, as a site's static file would. */
    const file = (body: string) => {
      const url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
      urls.push(url);
      return url;
    };
    afterEach(() => urls.splice(0).forEach((url) => URL.revokeObjectURL(url)));

    /** A thread with `src`, and inline data if given. */
    const threadFrom = (src: string, inline = '') =>
      mount(`<parley-thread thread-id="${THREAD_ID}" src="${src}">${inline}</parley-thread>`);

    it('opens the discussion from it, as from inline data', async () => {
      const { el } = await threadFrom(file(JSON.stringify(seed())));
      await showsSeed(el, 'the thread did not render from its file');
    });

    it('prefers inline data when there is both', async () => {
      const other = { ...seed(), threads: [{ id: THREAD_ID, title: 'From the file' }] };
      const { el } = await threadFrom(
        file(JSON.stringify(other)),
        `<script type="application/json">${JSON.stringify(seed())}</script>`,
      );
      await waitUntil(() => text(el, '[part="title"]'), 'no title');
      expect(text(el, '[part="title"]')).to.equal('Social Media Access');
    });

    const failures = [
      {
        name: 'a file that is not there',
        src: () => new URL('/no-such-parley-seed.json', location.href).href,
        code: 'unavailable',
        says: ['/no-such-parley-seed.json could not be loaded (HTTP 404)'],
      },
      {
        name: 'a file that is not JSON',
        src: () => file('{ "threads": [ '),
        code: 'invalid',
        says: ['is not valid: it is not JSON'],
      },
      {
        name: 'a post with a bad field',
        src: () => file(JSON.stringify(badSeed())),
        code: 'invalid',
        says: ['is not valid: posts[2].author.name'],
      },
    ];
    for (const { name, src, code, says } of failures) {
      it(`says what is wrong with ${name}, naming the file, and fires parley-error`, async () => {
        const url = src();
        const { el, failed } = await threadFrom(url);
        const event = await failed;
        await waitUntil(() => text(el, '[role="alert"]'), 'no message shown');
        expect(event.detail.error.code).to.equal(code);
        expect(text(el, '[role="alert"]')).to.contain(`The discussion data at ${url}`);
        for (const words of says) expect(text(el, '[role="alert"]')).to.contain(words);
      });
    }
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
