/** Optimistic posting: a reply shows at once as sending, then becomes the server's version or goes back. */
import { expect, waitUntil } from '@open-wc/testing';
import { ParleyError, type NewPost, type ParleyThread, type Post } from '../../src/index.js';
import {
  clearParleyStorage,
  inShadow,
  mainComposer,
  seedAdapter,
  threadFixture,
  typeInto,
} from '../helpers.js';

/** A seed adapter whose createPost waits until the test lets it go (or fail). */
function gated() {
  const adapter = seedAdapter({ as: 'jellis' });
  const create = adapter.createPost.bind(adapter);
  let release: (fail?: ParleyError) => void = () => undefined;
  adapter.createPost = (input: NewPost) =>
    new Promise<Post>((resolve, reject) => {
      release = (fail) => (fail ? reject(fail) : resolve(create(input)));
    });
  return { adapter, release: (fail?: ParleyError) => release(fail) };
}

const posts = (el: ParleyThread) => [...el.shadowRoot!.querySelectorAll('parley-post')];
const sendingPost = (el: ParleyThread) => posts(el).find((p) => p.hasAttribute('sending')) ?? null;
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('optimistic posting', () => {
  beforeEach(clearParleyStorage);
  afterEach(clearParleyStorage);

  it('shows the reply at once as sending, then replaces it with the server’s version', async () => {
    const { adapter, release } = gated();
    const el = await threadFixture(adapter);
    const composer = mainComposer(el);
    await typeInto(composer, 'Counting on it.');
    void composer.submit();
    await waitUntil(() => sendingPost(el), 'the reply did not show at once');
    const pending = sendingPost(el)!;
    expect(text(inShadow(pending, '[part~="sending"]'))).to.equal('Sending…');
    expect(text(inShadow(pending, '[part~="body"]'))).to.equal('Counting on it.');
    expect(
      pending.shadowRoot!.querySelector('[part~="actions"]') === null,
      'no actions while sending',
    ).to.equal(true);
    expect(composer.body, 'the composer empties at once').to.equal('');
    expect(text(inShadow(el, '[part="reply-count"]'))).to.equal('9 replies');

    release();
    await waitUntil(() => !sendingPost(el), 'the sending post stayed');
    const last = posts(el).at(-1)!;
    expect(last.getAttribute('data-post-id')!.startsWith('sending-')).to.equal(false);
    expect(text(inShadow(last, '[part~="body"]'))).to.equal('Counting on it.');
    expect(text(inShadow(el, '[part="reply-count"]'))).to.equal('9 replies');
  });

  it('takes the reply out again on failure and puts the text back with the error', async () => {
    const { adapter, release } = gated();
    const el = await threadFixture(adapter);
    const composer = mainComposer(el);
    await typeInto(composer, 'This one will fail.');
    void composer.submit();
    await waitUntil(() => sendingPost(el), 'the reply did not show at once');
    release(new ParleyError('network', 'The comment server could not be reached.'));
    await waitUntil(() => !sendingPost(el), 'the failed post stayed');
    await waitUntil(() => composer.body === 'This one will fail.', 'the text did not come back');
    await composer.updateComplete;
    expect(text(inShadow(composer, '[role="alert"]'))).to.contain(
      'The comment server could not be reached.',
    );
    expect(posts(el).length).to.equal(9);
    expect(text(inShadow(el, '[part="reply-count"]'))).to.equal('8 replies');
  });
});
