/**
 * A site owner's page that loads only the built bundle, `dist/parley.js` (built by `npm run build`;
 * `npm test` builds it first). Nothing from `src/` runs here: the tags must come from the bundle.
 */
import { expect, waitUntil } from '@open-wc/testing';
// Types only (erased at runtime): what the bundle exports is the public API of src/index.ts.
import type * as ParleyApi from '../../src/index.js';

type Api = typeof ParleyApi;
type Thread = InstanceType<Api['ParleyThread']>;

declare global {
  interface Window {
    /** Set by any hostile payload that manages to run. */
    parleyPwned?: string;
  }
}

const TAGS = ['parley-thread', 'parley-post', 'parley-composer', 'parley-quote'] as const;
const BUNDLE = new URL('../../dist/parley.js', import.meta.url).href;
const SINGLE = new URL('../../dist/parley.single.js', import.meta.url).href;
const server = window.__PARLEY_SERVER__;

/** Every element under `root`, through open shadow roots. */
function* deepElements(root: ParentNode): Generator<Element> {
  for (const element of root.querySelectorAll('*')) {
    yield element;
    if (element.shadowRoot) yield* deepElements(element.shadowRoot);
  }
}

/** An element in a shadow root, or a clear failure. */
function shadowQuery<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found in <${host.localName}>`);
  return found;
}

/** The chunks of dist/ this page has fetched so far (the entry aside). */
const chunksLoaded = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\/dist\/parley-[\w-]+\.js/.test(name));

const text = (node: Node | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

const alice = { id: 'u-alice', name: 'Alice Archer', handle: 'alice' };
const mallory = {
  id: 'u-mallory',
  name: '<script>window.parleyPwned = "name"</script>Mallory',
  handle: 'mallory',
  avatarUrl: 'javascript:window.parleyPwned="avatar"',
};
const hostileTitle = '<img src="/title.png" onerror="window.parleyPwned=\'title\'">Open house';

function hostileData() {
  return {
    threads: [{ id: 'open-house', title: hostileTitle }],
    users: [alice, mallory],
    posts: [
      {
        id: 'h1',
        threadId: 'open-house',
        author: alice,
        createdAt: '2026-11-01T10:00:00Z',
        body: 'Welcome, everyone. <img src="/does-not-exist.png" alt="a picture" onerror="window.parleyPwned=\'img\'"> Say hello!',
      },
      {
        id: 'h2',
        threadId: 'open-house',
        author: mallory,
        createdAt: '2026-11-01T10:05:00Z',
        body: [
          '[free prize](javascript:window.parleyPwned="link")',
          '<a href="javascript:window.parleyPwned=\'raw-link\'">raw</a>',
          '<svg onload="window.parleyPwned=\'svg\'"></svg>',
          '<iframe src="javascript:window.parleyPwned=\'iframe\'"></iframe>',
          '<script>window.parleyPwned = "script"</script>',
          '<b onclick="window.parleyPwned=\'click\'">bold</b>',
        ].join('\n\n'),
      },
      {
        id: 'h3',
        threadId: 'open-house',
        author: alice,
        createdAt: '2026-11-01T10:09:00Z',
        parentId: 'h2',
        quote: { postId: 'h2', text: '<img src=x onerror="window.parleyPwned=\'quote\'">' },
        body: 'Nice try, @mallory.',
      },
    ],
  };
}

/** Mounts `<parley-thread>` the way a site owner's script would, and waits for its posts. */
async function mountThread(
  api: Api,
  options: ParleyApi.MemoryAdapterOptions = {},
): Promise<Thread> {
  const el = document.createElement('parley-thread') as Thread;
  el.setAttribute('thread-id', 'open-house');
  el.adapter = new api.MemoryAdapter({ ...hostileData(), ...options });
  document.body.append(el);
  await waitUntil(
    () => el.shadowRoot?.querySelector('parley-post[data-post-id="h3"]'),
    'the thread did not render from the bundle',
  );
  await el.updateComplete;
  return el;
}

/** Whether anything in the rendered tree can run script. */
function scriptableNodes(root: Element): string[] {
  const found: string[] = [];
  for (const element of deepElements(root.shadowRoot!)) {
    if (element.localName === 'script' || element.localName === 'iframe')
      found.push(`<${element.localName}>`);
    for (const attr of element.attributes) {
      if (attr.name.startsWith('on')) found.push(`${element.localName}[${attr.name}]`);
      if (
        ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name) &&
        /^\s*javascript:/i.test(attr.value)
      ) {
        found.push(`${element.localName}[${attr.name}=${attr.value}]`);
      }
    }
  }
  return found;
}

describe("dist/parley.js on a site owner's page", () => {
  let api: Api;
  const mounted: Element[] = [];

  before(async () => {
    // This page has loaded nothing from src/: every tag must be registered by the bundle itself.
    for (const tag of TAGS)
      expect(customElements.get(tag), `${tag} before the bundle`).to.equal(undefined);
    api = (await import(BUNDLE)) as Api;
  });

  afterEach(() => {
    for (const el of mounted.splice(0)) el.remove();
    delete window.parleyPwned;
  });

  it('defines the four elements', async () => {
    for (const tag of TAGS) expect(customElements.get(tag), tag).to.be.a('function');
    expect(
      customElements.get('parley-thread') === api.ParleyThread,
      'parley-thread is the exported class',
    ).to.equal(true);
    expect(customElements.get('parley-post') === api.ParleyPost).to.equal(true);
    expect(customElements.get('parley-composer') === api.ParleyComposer).to.equal(true);
    expect(customElements.get('parley-quote') === api.ParleyQuote).to.equal(true);
    expect(document.createElement('parley-thread')).to.be.instanceOf(api.ParleyThread);
    await customElements.whenDefined('parley-thread');
  });

  it('exports the public API', () => {
    expect(api.MemoryAdapter).to.be.a('function');
    expect(api.ParleyError).to.be.a('function');
    expect(new api.ParleyError('network', 'down').code).to.equal('network');
    expect(api.renderMarkdown('**hi**')).to.equal('<p><strong>hi</strong></p>\n');
  });

  it("renders a thread from an adapter made with the bundle's MemoryAdapter", async () => {
    const el = await mountThread(api);
    mounted.push(el);
    expect(text(shadowQuery(el, '[part="title"]'))).to.equal(hostileTitle);
    expect(shadowQuery(el, '[part="opening"] parley-post').dataset.postId).to.equal('h1');
    expect(text(shadowQuery(el, '[part="reply-count"]'))).to.equal('2 replies');
    const h3 = shadowQuery(el, 'parley-post[data-post-id="h3"]');
    expect(h3.closest('[part="children"]'), 'the reply to h2 is nested').to.exist;
    expect(text(shadowQuery(h3, '[part="body"]'))).to.equal('Nice try, @mallory.');
    // A signed-out reader gets the whole thread and the log-in prompt without the composer's
    // editor, Floating UI, or the code that publishes, edits and deletes.
    expect(
      text(shadowQuery(shadowQuery(el, 'parley-composer.main'), '[part="signed-out"]')),
    ).to.contain('Please log in');
    expect(
      chunksLoaded().filter((name) => /parley-(editor|floating|post-actions)-/.test(name)),
      'chunks fetched for a signed-out reader',
    ).to.deep.equal([]);
  });

  it('shows hostile input as inert text and runs none of it', async () => {
    const el = await mountThread(api);
    mounted.push(el);
    expect(scriptableNodes(el)).to.deep.equal([]);

    // The title and the author name are text, not markup.
    const title = shadowQuery(el, '[part="title"]');
    expect(title.querySelector('img')).to.equal(null);
    const h2 = shadowQuery(el, 'parley-post[data-post-id="h2"]');
    expect(text(shadowQuery(h2, '[part="author"]'))).to.equal(mallory.name);

    // The javascript: avatar is refused: initials instead of an image.
    const avatar = shadowQuery(h2, '[part="avatar"]');
    expect(avatar.querySelector('img')).to.equal(null);
    expect(avatar.children.length, 'initials, as text').to.equal(0);
    expect(text(avatar)).to.not.equal('');

    // javascript: links are unwrapped: their text stays, as text; the bold text survives without its handler.
    const body = shadowQuery(h2, '[part="body"]');
    expect(body.querySelectorAll('a').length, 'no link is left of a javascript: URL').to.equal(0);
    expect(text(body)).to.contain('free prize');
    expect(text(body)).to.contain('raw');
    expect(text(body.querySelector('b'))).to.equal('bold');
    expect(body.querySelector('svg, iframe, script')).to.equal(null);

    // The quoted excerpt is shown as text.
    const h3 = shadowQuery(el, 'parley-post[data-post-id="h3"]');
    const quote = shadowQuery(h3, 'parley-quote');
    expect(text(shadowQuery(quote, '[part="excerpt"]'))).to.equal(
      '<img src=x onerror="window.parleyPwned=\'quote\'">',
    );

    // The image in h1 is kept, without its handler; once it has failed to load, nothing ran.
    const h1 = shadowQuery(el, 'parley-post[data-post-id="h1"]');
    const img = shadowQuery<HTMLImageElement>(h1, '[part="body"] img');
    expect(img.alt).to.equal('a picture');
    expect(img.getAttribute('onerror')).to.equal(null);
    await waitUntil(() => img.complete, 'the broken image never settled');
    expect(window.parleyPwned).to.equal(undefined);
  });

  it('publishes a reply through the bundle and sanitises what the reader wrote', async () => {
    const el = await mountThread(api, { viewer: { user: alice } });
    mounted.push(el);
    const composer = shadowQuery(el, 'parley-composer.main');
    await waitUntil(
      () => composer.shadowRoot?.querySelector('textarea'),
      'no reply box for a signed-in reader',
    );
    // The editor came from its chunk, beside the entry.
    const editor = new URL('.', BUNDLE).href;
    expect(chunksLoaded().some((name) => name.startsWith(`${editor}parley-editor-`))).to.equal(
      true,
    );
    expect(
      chunksLoaded().some((name) => name.startsWith(`${editor}parley-post-actions-`)),
      'publishing is loaded ahead for a signed-in reader',
    ).to.equal(true);
    const field = shadowQuery<HTMLTextAreaElement>(composer, 'textarea');
    field.focus();
    document.execCommand(
      'insertText',
      false,
      'Thanks! <img src=x onerror="window.parleyPwned=\'reply\'"> [me](javascript:window.parleyPwned="reply-link")',
    );

    const created = new Promise<ParleyApi.ParleyPostCreatedEvent>((resolve) =>
      document.addEventListener(
        'parley-post-created',
        (e) => resolve(e as ParleyApi.ParleyPostCreatedEvent),
        { once: true },
      ),
    );
    shadowQuery<HTMLButtonElement>(composer, '[part="submit"]').click();
    const { post } = (await created).detail;

    const shown = shadowQuery(el, `parley-post[data-post-id="${post.id}"]`);
    await waitUntil(
      () => shown.shadowRoot?.querySelector('[part="body"]'),
      'the reply was not rendered',
    );
    const body = shadowQuery(shown, '[part="body"]');
    expect(text(body)).to.equal('Thanks! me');
    expect(
      body.querySelectorAll('a').length,
      'the javascript: link was unwrapped to its text',
    ).to.equal(0);
    expect(scriptableNodes(el)).to.deep.equal([]);
    expect(window.parleyPwned).to.equal(undefined);
  });

  it('loads a second copy (the single-file build) without throwing, keeping the first registration', async () => {
    const again = (await import(SINGLE)) as Api;
    expect(again.ParleyThread !== api.ParleyThread, 'the second copy really ran').to.equal(true);
    for (const tag of TAGS) expect(customElements.get(tag), tag).to.be.a('function');
    expect(
      customElements.get('parley-thread') === api.ParleyThread,
      'the first registration stays',
    ).to.equal(true);

    // A thread on the page still works, with an adapter from either copy.
    const el = await mountThread(again);
    mounted.push(el);
    expect(el).to.be.instanceOf(api.ParleyThread);
    expect(text(shadowQuery(el, '[part="reply-count"]'))).to.equal('2 replies');
  });
});

/**
 * A classic script for a frame: records in `chunksAtFirstPost` every resource the frame had
 * fetched when its `<parley-thread>` first showed a post (a MutationObserver's callback runs
 * before any later task, so the moment is exact).
 */
const OBSERVE_FIRST_POST = `
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        const root = attach.call(this, init);
        if (this.localName === 'parley-thread')
          new MutationObserver((_, observer) => {
            if (!root.querySelector('parley-post')) return;
            window.chunksAtFirstPost = performance.getEntriesByType('resource').map((e) => e.name);
            observer.disconnect();
          }).observe(root, { childList: true, subtree: true });
        return root;
      };`;

/** The dist/ files among `names`, without their directory and hash ("parley-core"). */
const distFiles = (names: string[]) =>
  names
    .filter((name) => /\/dist\/parley[\w.-]*\.js/.test(name))
    .map((name) => name.replace(/^.*\/dist\//, '').replace(/-[\w-]{8}\.js$/, ''));

/**
 * Pages whose markup has a `<parley-thread>` and loads `dist/parley.js` with a script tag, each
 * in a frame of its own (a module map of its own): what a reader of a site fetches.
 */
describe('dist/parley.js as a reader of a page loads it', () => {
  let frame: HTMLIFrameElement | null = null;
  afterEach(() => frame?.remove());

  /** Seeds the reference server with one thread holding one post by Alice. */
  async function seedOnePost(threadId: string, title: string, postId: string, body: string) {
    const seeded = await fetch(`${server}/v1/_seed`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        threads: [{ id: threadId, title }],
        users: [alice],
        posts: [{ id: postId, threadId, author: alice, createdAt: '2026-11-01T10:00:00Z', body }],
      }),
    });
    expect(seeded.status, await seeded.clone().text()).to.equal(200);
  }

  interface FrameWindow extends Window {
    chunksAtFirstPost?: string[];
    api?: Api;
  }

  /**
   * Opens a frame on a page of `markup` that loads `dist/parley.js` (or `bundle`) with a script
   * tag and imports it (into `api`), and waits until its thread first shows a post. Returns the
   * frame's window.
   */
  async function openPage(markup: string, bundle = BUNDLE): Promise<() => FrameWindow> {
    frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><script>${OBSERVE_FIRST_POST}</script>${markup}
      <script type="module" src="${bundle}"></script>
      <script type="module">import * as api from '${bundle}'; window.api = api;</script>`;
    document.body.append(frame);
    // The frame's window, once its page has replaced the first, empty one.
    const win = () => frame!.contentWindow as FrameWindow;
    await waitUntil(() => win()?.chunksAtFirstPost, 'the thread never showed its posts', {
      timeout: 10000,
    });
    return win;
  }

  it("paints from the server's html before marked loads, then completes its exports", async function () {
    if (!server) this.skip();
    await seedOnePost(
      'bundle-read',
      'The read path',
      'r1',
      '**Hello**, @alice. <img src=x onerror="parent.parleyPwned=\'html\'">',
    );

    const win = await openPage(
      `<parley-thread endpoint="${server}" thread-id="bundle-read"></parley-thread>`,
    );
    expect(distFiles(win().chunksAtFirstPost!)).to.deep.equal(['parley.js', 'parley-core']);

    const thread = win().document.querySelector('parley-thread')!;
    const bodyOf = () =>
      thread.shadowRoot
        ?.querySelector('parley-post[data-post-id="r1"]')
        ?.shadowRoot?.querySelector('[part="body"]');
    await waitUntil(bodyOf, 'the post has no body');
    const body = bodyOf()!;
    expect(body.querySelector('strong')?.textContent).to.equal('Hello');
    expect(body.querySelector('span.mention')?.textContent).to.equal('@alice');
    expect(body.querySelector('img')?.getAttribute('onerror'), 'sanitised').to.equal(null);

    // Then the rest: an import of the bundle resolves with every export working.
    await waitUntil(() => win().api, 'importing the bundle never resolved', { timeout: 10000 });
    expect(win().api!.renderMarkdown('**hi**')).to.equal('<p><strong>hi</strong></p>\n');
    expect(win().api!.MemoryAdapter).to.be.a('function');
    expect(window.parleyPwned).to.equal(undefined);
  });

  it('opens an embedded thread without the composer or the sign-in form, then completes its exports', async () => {
    const data = JSON.stringify({ ...hostileData(), viewer: { user: null } });
    const win = await openPage(
      `<parley-thread thread-id="open-house"><script type="application/json">${data.replace(/</g, '\\u003c')}</script></parley-thread>`,
    );
    const first = distFiles(win().chunksAtFirstPost!);
    expect(first, 'the embedded backend').to.include('parley-embedded');
    for (const later of ['parley-later', 'parley-composer', 'parley-sign-in', 'parley-writing'])
      expect(first, `${later} waits for the first posts`).not.to.include(later);

    const root = win().document.querySelector('parley-thread')!.shadowRoot!;
    await waitUntil(
      () => root.querySelector('[part~="login"]'),
      'a signed-out reader is offered sign-in',
    );
    await waitUntil(() => win().api, 'importing the bundle never resolved', { timeout: 10000 });
    expect(win().api!.MemoryAdapter).to.be.a('function');
    expect(win().customElements.get('parley-composer'), 'registered by then').to.be.a('function');
    expect(window.parleyPwned).to.equal(undefined);
  });

  it("asks for the embedded backend's chunk together with its facade, not after it", async () => {
    // The same bundle from a directory where the backend's facade (the few bytes that re-export
    // it from the chunk it shares with MemoryAdapter) answers a second late
    // (web-test-runner.config.mjs): the chunk itself must not wait for it to be read.
    const slow = new URL('../../dist-slow-embedded-backend/parley.js', import.meta.url).href;
    const data = JSON.stringify({ ...hostileData(), viewer: { user: null } });
    const win = await openPage(
      `<parley-thread thread-id="open-house"><script type="application/json">${data.replace(/</g, '\\u003c')}</script></parley-thread>`,
      slow,
    );
    const entries = win().performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const facade = entries.find((e) => /\/parley-embedded-backend-[\w-]+\.js$/.test(e.name));
    const chunk = entries.find((e) => /\/parley-embedded-(?!backend-)[\w-]+\.js$/.test(e.name));
    expect(facade, 'the facade was loaded').to.exist;
    expect(chunk, 'the chunk was loaded').to.exist;
    expect(facade!.responseEnd - facade!.startTime, 'the facade was slow').to.be.greaterThan(900);
    expect(chunk!.startTime, 'the chunk was asked for before the facade answered').to.be.lessThan(
      facade!.responseEnd - 500,
    );
  });

  it('still shows the thread when what readers do besides reading cannot load, and says so', async function () {
    if (!server) this.skip();
    await seedOnePost('bundle-offline', 'Half a connection', 'o1', 'Still readable.');
    // The same bundle from a directory where the thread's interaction chunk answers 503
    // (web-test-runner.config.mjs), as on a connection that failed.
    const bundle = new URL('../../dist-without-interaction/parley.js', import.meta.url).href;
    frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html>
      <parley-thread endpoint="${server}" thread-id="bundle-offline"></parley-thread>
      <script type="module" src="${bundle}"></script>`;
    const errors: string[] = [];
    document.body.append(frame);
    const thread = () => frame!.contentDocument?.querySelector('parley-thread');
    await waitUntil(() => thread()?.shadowRoot, 'the thread never rendered', { timeout: 4000 });
    thread()!.addEventListener('parley-error', (event) =>
      errors.push((event as Event & { detail: { error: Error } }).detail.error.message),
    );
    const alert = () => thread()!.shadowRoot!.querySelector('[part="state"][role="alert"]');
    await waitUntil(alert, 'no message where the reply box goes', { timeout: 4000 });
    const root = thread()!.shadowRoot!;
    expect(root.querySelector('parley-post[data-post-id="o1"]'), 'the post is shown').to.exist;
    expect(text(alert())).to.contain('part of the page did not load');
    expect(alert()!.querySelector('[part="retry"]'), 'with Retry').to.exist;
    expect(root.querySelector('parley-composer'), 'no reply box').to.equal(null);
    expect(errors.join(' ')).to.contain('part of the page did not load');
  });
});
