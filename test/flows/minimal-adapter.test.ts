/**
 * An adapter with only the required methods (no subscribe, listPostsAround, sign-in, edit or
 * delete) and capabilities that say so: the thread works, and shows none of what it lacks.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { AdapterCapabilities, CommentAdapter, MemoryAdapter } from '../../src/index.js';
import { mainComposer, postIn, seedAdapter, threadFixture, typeInto } from '../helpers.js';

const NOTHING_EXTRA: AdapterCapabilities = {
  live: false,
  window: false,
  signIn: false,
  edit: false,
  delete: false,
  counts: false,
};

/** The required methods of `inner`, and nothing else. */
function minimal(inner: MemoryAdapter): CommentAdapter & { calls: string[] } {
  const calls: string[] = [];
  const log =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A) => (calls.push(name), call(...args));
  return {
    calls,
    capabilities: NOTHING_EXTRA,
    getThread: log('getThread', (id, o) => inner.getThread(id, o)),
    listPosts: log('listPosts', (id, o) => inner.listPosts(id, o)),
    getPost: log('getPost', (id, o) => inner.getPost(id, o)),
    createPost: log('createPost', (post, o) => inner.createPost(post, o)),
    getViewer: log('getViewer', (o) => inner.getViewer(o)),
  };
}

const buttons = (el: Element, action: string) =>
  el.shadowRoot!.querySelectorAll(`[data-action="${action}"]`).length;

describe('a minimal adapter', () => {
  it("shows the thread, and no Edit or Delete on the reader's own posts", async () => {
    const el = await threadFixture(minimal(seedAdapter({ as: 'dqualls' })));
    const own = postIn(el, 'p1');
    await own.updateComplete;
    expect(own.post?.author.handle).to.equal('dqualls');
    expect(buttons(own, 'reply')).to.equal(1);
    expect(buttons(own, 'copy-link')).to.equal(1);
    expect(buttons(own, 'edit')).to.equal(0);
    expect(buttons(own, 'delete')).to.equal(0);
  });

  it('shows Edit and Delete for the same post when the adapter can edit and delete', async () => {
    const el = await threadFixture(seedAdapter({ as: 'dqualls' }));
    const own = postIn(el, 'p1');
    await own.updateComplete;
    expect(buttons(own, 'edit')).to.equal(1);
    expect(buttons(own, 'delete')).to.equal(1);
  });

  it('publishes a reply through createPost', async () => {
    const adapter = minimal(seedAdapter({ as: 'dqualls' }));
    const el = await threadFixture(adapter);
    const composer = mainComposer(el);
    await typeInto(composer, 'Posted through the minimal adapter.');
    await composer.submit();
    await waitUntil(
      () =>
        [...el.shadowRoot!.querySelectorAll('parley-post')].some((p) =>
          p.shadowRoot?.textContent?.includes('Posted through the minimal adapter.'),
        ),
      'the reply did not show',
    );
    expect(adapter.calls.includes('createPost')).to.equal(true);
  });

  it('offers a signed-out reader no Log in button of its own, only the site slot', async () => {
    const el = await threadFixture(minimal(seedAdapter()));
    const composer = mainComposer(el);
    await composer.updateComplete;
    expect(composer.shadowRoot!.querySelector('[part="signed-out"]') !== null).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part="login"]')).to.equal(null);
  });

  it('still offers Log in where the adapter has a way to sign in', async () => {
    const el = await threadFixture(seedAdapter());
    expect(el.shadowRoot!.querySelector('[part="login"]') !== null).to.equal(true);
  });

  it('jumps to a post that is not loaded by paging to it, without listPostsAround', async () => {
    const adapter = minimal(seedAdapter());
    const el = await threadFixture(adapter, { pageSize: 3 });
    expect(el.shadowRoot!.querySelector('parley-post[data-post-id="p9"]')).to.equal(null);
    expect(await el.jumpTo('p9')).to.equal(true);
    await el.updateComplete;
    expect(postIn(el, 'p9').highlighted).to.equal(true);
    expect(adapter.calls.filter((c) => c === 'listPosts').length > 1).to.equal(true);
  });

  it('shows no live-update notice for an adapter without live changes', async () => {
    const el = await threadFixture(minimal(seedAdapter()));
    expect(el.shadowRoot!.querySelector('[part="notice"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="new-replies"]')).to.equal(null);
  });
});
