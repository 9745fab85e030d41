/**
 * The thread's controllers on a bare host against a MemoryAdapter: each one's behaviour without
 * the thread around it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { AnnouncerController } from '../../src/controllers/announcer.js';
import { LiveUpdatesController } from '../../src/controllers/live-updates.js';
import { StreamLoaderController } from '../../src/controllers/stream-loader.js';
import { ThreadLoadController, type LoadedThread } from '../../src/controllers/thread-load.js';
import type { CommentAdapter } from '../../src/index.js';
import { MemoryAdapter, ParleyError, type Post } from '../../src/index.js';
import { PostStream } from '../../src/model/stream.js';

const THREAD = 'bare';
const author = { id: 'u1', name: 'Member One', handle: 'one' };
const other = { id: 'u2', name: 'Member Two', handle: 'two' };

function adapterWith(count: number, viewer = author): MemoryAdapter {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const posts: Post[] = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    threadId: THREAD,
    author: i % 2 ? other : author,
    createdAt: new Date(start + i * 60_000).toISOString(),
    body: `Post ${i}`,
  }));
  return new MemoryAdapter({
    threads: [{ id: THREAD, title: 'Bare' }],
    posts,
    users: [author, other],
    viewer: { user: viewer },
  });
}

/** A host with nothing but a render of what the test gives it. */
class BareHost extends LitElement {
  view: () => unknown = () => html``;
  protected override render() {
    return this.view();
  }
}
customElements.define('bare-controller-host', BareHost);

async function bareHost(): Promise<BareHost> {
  return fixture<BareHost>(html`<bare-controller-host></bare-controller-host>`);
}

describe('controllers on a bare host', () => {
  describe('StreamLoaderController', () => {
    it('starts from a first page, loads the next pages, and says when it reached the end', async () => {
      const adapter = adapterWith(25);
      const host = await bareHost();
      let changes = 0;
      const loader = new StreamLoaderController(host, {
        adapter: () => adapter,
        threadId: () => THREAD,
        pageSize: () => 10,
        signal: () => undefined,
        changed: () => changes++,
        fail: () => undefined,
        element: () => null,
        announce: () => undefined,
      });
      loader.reset(await adapter.listPosts(THREAD, { limit: 10 }));
      expect(loader.stream.size).to.equal(10);
      expect(await loader.loadMore()).to.equal(10);
      expect(await loader.loadMore()).to.equal(5);
      expect(await loader.loadMore(), 'nothing after the end').to.equal(0);
      expect(loader.stream.posts.map((p) => p.id)).to.deep.equal(
        Array.from({ length: 25 }, (_, i) => `p${i}`),
      );
      expect(changes).to.equal(3);
    });

    it('shares one request for the same gap, and loads the window around a post and the last page', async () => {
      const adapter = adapterWith(100);
      const host = await bareHost();
      const loader = new StreamLoaderController(host, {
        adapter: () => adapter,
        threadId: () => THREAD,
        pageSize: () => 10,
        signal: () => undefined,
        changed: () => undefined,
        fail: () => undefined,
        element: () => null,
        announce: () => undefined,
      });
      loader.reset(await adapter.listPosts(THREAD, { limit: 10 }));
      const cursor = loader.stream.segments[0].nextCursor!;
      const first = loader.loadPage('end', cursor);
      expect(loader.loading.has('end')).to.equal(true);
      expect(loader.loadPage('end', cursor) === first, 'the same request').to.equal(true);
      await first;
      expect(loader.loading.has('end')).to.equal(false);
      await loader.loadAround('p60');
      expect(loader.stream.has('p60') && !loader.stream.has('p40')).to.equal(true);
      expect(loader.stream.gaps().length).to.equal(2);
      await loader.loadLatest();
      expect(loader.stream.has('p99')).to.equal(true);
    });

    it('keeps why a page failed, for the reader, and reports it', async () => {
      const adapter = adapterWith(30);
      const host = await bareHost();
      const failures: string[] = [];
      let broken = false;
      const flaky = new Proxy(adapter, {
        get(target, prop, receiver) {
          if (prop === 'listPosts' && broken)
            return async () => Promise.reject(new ParleyError('network', 'No connection.'));
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const loader = new StreamLoaderController(host, {
        adapter: () => flaky,
        threadId: () => THREAD,
        pageSize: () => 10,
        signal: () => undefined,
        changed: () => undefined,
        fail: (operation, error) => failures.push(`${operation}:${error.code}`),
        element: () => null,
        announce: () => undefined,
      });
      loader.reset(await adapter.listPosts(THREAD, { limit: 10 }));
      broken = true;
      const failed = await loader.loadMore().then(
        () => false,
        () => true,
      );
      expect(failed).to.equal(true);
      expect(loader.error).to.equal('The discussion could not be loaded. No connection.');
      expect(failures).to.deep.equal(['load-more:network']);
    });
  });

  describe('LiveUpdatesController', () => {
    it("holds posts by others back, shows the reader's own, and follows the connection", async () => {
      const adapter = adapterWith(3);
      const host = await bareHost();
      const stream = new PostStream();
      stream.add(await adapter.listPosts(THREAD, { limit: 10 }));
      const seen: string[] = [];
      const said: string[] = [];
      const updates = new LiveUpdatesController(host, {
        adapter: () => adapter,
        threadId: () => THREAD,
        stream: () => stream,
        changed: () => seen.push('changed'),
        viewer: () => author,
        threadChanged: (thread) => seen.push(`thread:${thread.title}`),
        viewerChanged: (user) => seen.push(`viewer:${user?.id ?? 'none'}`),
        reload: () => seen.push('reload'),
        announce: (message) => said.push(message),
      });
      updates.subscribe();
      await adapter.createPost({ threadId: THREAD, body: 'Mine, from another tab.' });
      expect(stream.posts.at(-1)?.body, "the reader's own post is shown at once").to.equal(
        'Mine, from another tab.',
      );
      await adapter.signIn({ userId: 'u2' });
      await adapter.createPost({ threadId: THREAD, body: 'Someone else.' });
      await waitUntil(
        () => updates.incoming.length === 1,
        'the post by someone else does not wait',
      );
      expect(stream.size, 'the post by someone else is not in the stream yet').to.equal(4);
      await adapter.updatePost('p1', 'Edited live.');
      expect(stream.get('p1')?.body, 'an edit replaces the loaded post').to.equal('Edited live.');
      expect(seen).to.deep.equal(['changed', 'viewer:u2', 'changed']);
      expect(said).to.deep.equal(['New reply from Member Two.']);
      expect(updates.take().map((p) => p.body)).to.deep.equal(['Someone else.']);
      expect(updates.incoming.length).to.equal(0);
      host.remove();
      await adapter.createPost({ threadId: THREAD, body: 'After leaving.' });
      expect(updates.incoming.length, 'no longer subscribed once the host left').to.equal(0);
      document.body.append(host);
      await adapter.createPost({ threadId: THREAD, body: 'Back in the page.' });
      await waitUntil(() => updates.incoming.length === 1, 'follows again once the host is back');
      updates.unsubscribe();
      host.remove();
      document.body.append(host);
      await adapter.createPost({ threadId: THREAD, body: 'Not followed.' });
      expect(updates.incoming.length, 'an unsubscribed thread stays unsubscribed').to.equal(1);
      host.remove();
    });
  });

  describe('ThreadLoadController', () => {
    /** A load controller on a bare host, with what it reported. */
    function loading(host: BareHost, state: { adapter: CommentAdapter | null; threadId: string }) {
      const seen = { starts: 0, loaded: [] as LoadedThread[], failed: [] as ParleyError[] };
      const load = new ThreadLoadController(host, {
        adapter: () => state.adapter,
        threadId: () => state.threadId,
        pageSize: () => 5,
        starting: () => seen.starts++,
        loaded: (result) => seen.loaded.push(result),
        fail: (_, error) => seen.failed.push(error),
      });
      host.view = () =>
        load.task.render({
          initial: () => html`<p>waiting</p>`,
          pending: () => html`<p>loading</p>`,
          complete: (thread) => html`<p>${thread.title}</p>`,
          error: () => html`<p>failed</p>`,
        });
      host.requestUpdate();
      return { load, seen };
    }
    const shown = (host: BareHost) => host.shadowRoot!.querySelector('p')?.textContent;

    it('waits without an adapter, then loads the thread, its first page and its reader', async () => {
      const host = await bareHost();
      const state = { adapter: null as CommentAdapter | null, threadId: THREAD };
      const { load, seen } = loading(host, state);
      await waitUntil(() => shown(host) === 'waiting', `shows ${shown(host)}`);
      expect(seen.starts).to.equal(0);
      state.adapter = adapterWith(12);
      host.requestUpdate();
      await waitUntil(() => shown(host) === 'Bare', `shows ${shown(host)}`);
      expect(load.ready).to.equal(true);
      expect(seen.starts).to.equal(1);
      expect(seen.loaded[0]!.page.posts.length).to.equal(5);
      expect(seen.loaded[0]!.viewer?.id).to.equal(author.id);
    });

    it('cancels the load it replaces: the adapter sees the abort, and only the last one shows', async () => {
      const host = await bareHost();
      const signals: AbortSignal[] = [];
      const slow = adapterWith(3);
      const getThread = slow.getThread.bind(slow);
      slow.getThread = (id, options) => {
        signals.push(options!.signal!);
        return getThread(id, options);
      };
      const state = { adapter: slow as CommentAdapter | null, threadId: THREAD };
      const { load, seen } = loading(host, state);
      await host.updateComplete;
      const first = load.signal!;
      void load.run();
      await waitUntil(() => seen.loaded.length === 1, 'the second load did not arrive');
      expect(signals.length).to.equal(2);
      expect(signals[0]!.aborted).to.equal(true);
      expect(first.aborted, 'what belonged to the first load ends with it').to.equal(true);
      expect(signals[1]!.aborted).to.equal(false);
      expect(seen.starts).to.equal(2);
      expect(seen.failed.length, 'a cancelled load is no failure').to.equal(0);
    });

    it('reports a failed load once and renders its error', async () => {
      const host = await bareHost();
      const state = { adapter: adapterWith(3) as CommentAdapter | null, threadId: 'missing' };
      const { load, seen } = loading(host, state);
      await waitUntil(() => shown(host) === 'failed', `shows ${shown(host)}`);
      expect(load.ready).to.equal(false);
      expect(seen.failed.map((e) => e.code)).to.deep.equal(['not-found']);
    });
  });

  describe('AnnouncerController', () => {
    it('announces the same text twice through one polite live region', async () => {
      const host = await bareHost();
      const announcer = new AnnouncerController(host);
      host.view = () => announcer.render();
      host.requestUpdate();
      await host.updateComplete;
      const region = host.shadowRoot!.querySelector('[role="status"]')!;
      expect(region.getAttribute('aria-live')).to.equal('polite');
      const seen: string[] = [];
      new MutationObserver(() => seen.push(region.textContent ?? '')).observe(region, {
        childList: true,
        characterData: true,
        subtree: true,
      });
      announcer.announce('Saved.');
      await waitUntil(() => seen.at(-1) === 'Saved.', 'not announced');
      announcer.announce('Saved.');
      await waitUntil(
        () => seen.filter((t) => t === 'Saved.').length === 2,
        `the repeat was not announced (${JSON.stringify(seen)})`,
      );
      expect(
        seen.slice(seen.indexOf('Saved.') + 1).includes(''),
        'cleared before the repeat',
      ).to.equal(true);
    });
  });
});
