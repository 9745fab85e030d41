/**
 * `<parley-thread endpoint>` on the real reference server that `npm test` starts
 * (`window.__PARLEY_SERVER__`): no JavaScript adapter, single sign-on through `auth-token`, the
 * built-in sign-in form, two readers seeing each other's replies live, and a server that fails.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { RestAdapter, type Author, type ParleyPost, type ParleyThread } from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import {
  clearParleyStorage,
  inShadow,
  mainComposer,
  seed,
  typeInto,
  THREAD_ID,
  signInPart,
} from '../helpers.js';
import { signSsoToken } from '../../demo/sso.js';

const server = window.__PARLEY_SERVER__;
/** A single-sign-on token for `user`, signed as a host site would (the test server's secret). */
const ssoToken = (user: Author) => signSsoToken(user, 'test-secret-test-secret-test-secret!');

/** Loads the seed discussion into the server; resolves to a session token per seeded user. */
async function seedServer(): Promise<Record<string, string>> {
  const data = seed();
  const response = await fetch(`${server}/v1/_seed`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(data),
  });
  if (!response.ok) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { tokens: Record<string, string> }).tokens;
}

const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const postCount = (el: ParleyThread) => el.shadowRoot!.querySelectorAll('parley-post').length;
const postingAs = (el: ParleyThread) => text(mainComposer(el)?.shadowRoot?.querySelector('.as'));

async function endpointThread(attrs: { token?: string } = {}): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(
    html`<parley-thread endpoint=${server!} thread-id=${THREAD_ID} auth-token=${attrs.token ?? ''} no-auto-load></parley-thread>`,
  );
  await waitUntil(() => postCount(el) === 9, 'the thread did not load from the server', {
    timeout: 5000,
  });
  // The reply box and Log in come with the thread's interaction, a moment after the posts.
  await el.updateComplete;
  return el;
}

if (!server) {
  describe.skip('<parley-thread endpoint> (skipped: no reference server was started for this run)', () => {
    it('runs once `npm test` starts the server');
  });
} else {
  describe('<parley-thread endpoint> on the reference server', () => {
    beforeEach(async () => {
      clearParleyStorage();
      await seedServer();
    });
    afterEach(clearParleyStorage);

    it('renders the discussion from the server with no JavaScript adapter', async () => {
      const el = await endpointThread();
      expect(text(el.shadowRoot!.querySelector('[part="title"]'))).to.equal('Social Media Access');
      expect(text(el.shadowRoot!.querySelector('[part="reply-count"]'))).to.equal('8 replies');
      expect(el.adapter).to.be.instanceOf(RestAdapter);
    });

    it('signs the reader in with the site’s single-sign-on token, and follows a new token', async () => {
      const dalya = seed().users.find((u) => u.handle === 'dqualls')!;
      const el = await endpointThread({ token: await ssoToken(dalya) });
      await waitUntil(
        () => postingAs(el) === 'Posting as Dalya Qualls',
        'not signed in by the token',
      );
      const dan = seed().users.find((u) => u.handle === 'DanHinmon')!;
      el.authToken = await ssoToken(dan);
      await waitUntil(
        () => postingAs(el) === 'Posting as Dan Hinmon',
        'the new token was not used',
      );
    });

    it('offers log in, register and guest when the reader presses Log in, and registers', async () => {
      const el = await endpointThread();
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="login"]')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('[part~="sign-in"]'), 'no sign-in form');
      await expect(el).to.be.accessible();
      const form = signInPart<HTMLFormElement>(el, 'form')!;
      form.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1].click();
      await el.updateComplete;
      const fill = (name: string, value: string) =>
        ((form.elements.namedItem(name) as HTMLInputElement).value = value);
      fill('name', 'Ada Reader');
      fill('handle', `ada${Date.now().toString(36)}`);
      fill('password', 'correct horse battery');
      form.requestSubmit();
      await waitUntil(
        () => postingAs(el) === 'Posting as Ada Reader · Sign out',
        'registering did not sign in',
      );
    });

    it('says why a wrong password failed, keeping the form', async () => {
      const el = await endpointThread();
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="login"]')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('[part~="sign-in"]'), 'no sign-in form');
      const form = signInPart<HTMLFormElement>(el, 'form')!;
      (form.elements.namedItem('handle') as HTMLInputElement).value = 'dqualls';
      (form.elements.namedItem('password') as HTMLInputElement).value = 'not the password';
      form.requestSubmit();
      await waitUntil(() => signInPart(el, '[role="alert"]'), 'no error shown');
      expect(text(signInPart(el, '[role="alert"]')).length).to.be.greaterThan(5);
      expect(!!el.shadowRoot!.querySelector('[part~="sign-in"]'), 'the form stays').to.equal(true);
    });

    it("asks for a thread in the page's markup as the script runs, once, and shows it", async () => {
      await seedServer();
      const frame = document.createElement('iframe');
      frame.style.cssText = 'width: 800px; height: 600px';
      // A site owner's page: the element in the markup, then the script. The classic script notes
      // when parley-thread gets defined.
      frame.srcdoc = `<!doctype html><html lang="en"><body>
        <parley-thread endpoint=${JSON.stringify(server)} thread-id=${JSON.stringify(THREAD_ID)} no-auto-load></parley-thread>
        <script>
          const define = customElements.define.bind(customElements);
          customElements.define = (name, ...rest) => {
            if (name === 'parley-thread') window.definedAt = performance.now();
            return define(name, ...rest);
          };
        </script>
        <script type="module" src="/dist/parley.js"></script></body></html>`;
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.append(frame);
      type Frame = Window & { definedAt?: number };
      const win = () => frame.contentWindow as Frame | null;
      const thread = () => win()?.document.querySelector<ParleyThread>('parley-thread');
      await waitUntil(() => thread()?.shadowRoot && postCount(thread()!) === 9, 'not shown', {
        timeout: 8000,
      });
      const requests = win()!
        .performance.getEntriesByType('resource')
        .filter((e) => e.name.startsWith(`${server}/v1/threads/`));
      const pages = requests.filter((e) => /\/posts\?limit=50$/.test(e.name));
      expect(pages.length, 'the first page was asked for once').to.equal(1);
      expect(
        pages[0].startTime < win()!.definedAt!,
        'it was asked for before the element was even defined',
      ).to.equal(true);
      expect(
        requests.filter((e) => !e.name.includes('/posts')).length,
        'the thread was asked for once',
      ).to.equal(1);
      // Who is reading: the first render waits for it too, so it is asked for as early, once.
      const viewer = win()!
        .performance.getEntriesByType('resource')
        .filter((e) => e.name === `${server}/v1/viewer`);
      expect(viewer.length, 'the viewer was asked for once').to.equal(1);
      expect(
        viewer[0].startTime < win()!.definedAt!,
        'and before the element was defined',
      ).to.equal(true);
    });

    it('lets two readers in two pages see each other’s replies live', async () => {
      const tokens = await seedServer();
      const users = seed().users;
      const dalya = users.find((u) => u.handle === 'dqualls')!;
      const dan = users.find((u) => u.handle === 'DanHinmon')!;
      // Reader B: another document, loading only the built bundle, with its own adapter and stream.
      const frame = document.createElement('iframe');
      frame.style.cssText = 'width: 800px; height: 600px';
      frame.srcdoc = `<!doctype html><html lang="en"><body><script type="module">
        import { RestAdapter } from '/dist/parley.js';
        const el = document.createElement('parley-thread');
        el.threadId = ${JSON.stringify(THREAD_ID)};
        el.noAutoLoad = true;
        el.adapter = new RestAdapter({ endpoint: ${JSON.stringify(server)}, token: ${JSON.stringify(tokens[dan.id])} });
        document.body.append(el);
        window.thread = el;
      </script></body></html>`;
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.append(frame);
      const b = () => (frame.contentWindow as (Window & { thread?: ParleyThread }) | null)?.thread;
      await waitUntil(
        () => b()?.shadowRoot && postCount(b()!) === 9,
        'reader B’s page did not load',
        { timeout: 8000 },
      );
      await waitUntil(
        () => postingAs(b()!) === 'Posting as Dan Hinmon',
        'reader B is not signed in',
      );
      const a = document.createElement('parley-thread');
      a.threadId = THREAD_ID;
      a.noAutoLoad = true;
      a.adapter = new RestAdapter({ endpoint: server!, token: tokens[dalya.id] });
      wrapper.append(a);
      await waitUntil(
        () => postCount(a) === 9 && postingAs(a) === 'Posting as Dalya Qualls',
        'reader A did not load',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await typeInto(mainComposer(a), 'Hello from page A.');
      await mainComposer(a).submit();
      await waitUntil(
        () => b()!.shadowRoot!.querySelector('[part~="new-replies"]'),
        'reader B was not told about the new reply',
        { timeout: 5000 },
      );
      b()!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="new-replies"]')!.click();
      await waitUntil(() => postCount(b()!) === 10, 'reader B does not show the reply');
      // And back: B answers, A hears it.
      const composerB = mainComposer(b()!);
      const fieldB = composerB.shadowRoot!.querySelector('textarea')!;
      fieldB.value = 'Hello back from page B.';
      fieldB.dispatchEvent(
        new (frame.contentWindow as Window & typeof globalThis).InputEvent('input', {
          bubbles: true,
        }),
      );
      await composerB.submit();
      await waitUntil(
        () => a.shadowRoot!.querySelector('[part~="new-replies"]'),
        'reader A was not told about the answer',
        { timeout: 5000 },
      );
    });

    it('lets two readers see each other’s replies live', async () => {
      const tokens = await seedServer();
      const users = seed().users;
      const dalya = users.find((u) => u.handle === 'dqualls')!;
      const dan = users.find((u) => u.handle === 'DanHinmon')!;
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      const open = (token: string) => {
        const el = document.createElement('parley-thread');
        el.threadId = THREAD_ID;
        el.noAutoLoad = true;
        el.adapter = new RestAdapter({ endpoint: server!, token });
        wrapper.append(el);
        return el;
      };
      const a = open(tokens[dalya.id]);
      const b = open(tokens[dan.id]);
      await waitUntil(() => postCount(a) === 9 && postCount(b) === 9, 'both readers did not load');
      await waitUntil(
        () =>
          postingAs(a) === 'Posting as Dalya Qualls' && postingAs(b) === 'Posting as Dan Hinmon',
      );
      // Give both live streams a moment to open: the writer's own stream is awaited by the adapter.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await typeInto(mainComposer(a), 'Live from reader A.');
      await mainComposer(a).submit();
      await waitUntil(
        () => b.shadowRoot!.querySelector('[part~="new-replies"]'),
        'reader B was not told about the new reply',
        { timeout: 5000 },
      );
      b.shadowRoot!.querySelector<HTMLButtonElement>('[part~="new-replies"]')!.click();
      await waitUntil(() => postCount(b) === 10, 'reader B does not show the reply');
      const last = [...b.shadowRoot!.querySelectorAll('parley-post')].at(-1)!;
      expect(text(last.shadowRoot!.querySelector('[part~="body"]'))).to.equal(
        'Live from reader A.',
      );
    });

    it('keeps the reader’s text and says what happened when the server fails', async () => {
      const tokens = await seedServer();
      const dalya = seed().users.find((u) => u.handle === 'dqualls')!;
      let mode: 'ok' | '500' | 'garbage' | 'drop' | '429' | 'stall' = 'ok';
      const flaky: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (init?.method === 'POST' && url.includes('/posts')) {
          if (mode === 'stall') {
            // A server that accepts the connection and never answers: only the timeout ends it.
            return new Promise<Response>((_, reject) =>
              init.signal?.addEventListener('abort', () => reject(init.signal!.reason), {
                once: true,
              }),
            );
          }
          if (mode === '429')
            return new Response(
              JSON.stringify({
                type: 'about:blank',
                title: 'Too many requests',
                status: 429,
                code: 'rate-limited',
                detail: 'You are posting too fast. Wait a minute.',
                retryAfter: 60,
              }),
              {
                status: 429,
                headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '60' },
              },
            );
          if (mode === '500')
            return new Response(
              JSON.stringify({
                type: 'about:blank',
                title: 'Server error',
                status: 500,
                code: 'unavailable',
                detail: 'The database is restarting.',
              }),
              { status: 500, headers: { 'Content-Type': 'application/problem+json' } },
            );
          if (mode === 'garbage')
            return new Response('<html>proxy error</html>', {
              status: 200,
              headers: { 'Content-Type': 'text/html' },
            });
          if (mode === 'drop') throw new TypeError('Failed to fetch');
        }
        return fetch(input, init);
      };
      const el = await fixture<ParleyThread>(
        html`<parley-thread thread-id=${THREAD_ID} no-auto-load .adapter=${new RestAdapter({ endpoint: server!, token: tokens[dalya.id], fetch: flaky, retries: 0, timeout: 400 })}></parley-thread>`,
      );
      await waitUntil(
        () => postCount(el) === 9 && postingAs(el) === 'Posting as Dalya Qualls',
        'did not load',
      );
      const composer: ParleyComposer = mainComposer(el);
      const failures = [
        ['500', 'The database is restarting.'],
        ['garbage', 'could not read'],
        ['drop', ''],
        ['429', 'posting too fast'],
        ['stall', ''],
      ] as const;
      for (const [failure, words] of failures) {
        mode = failure;
        await typeInto(composer, `Attempt with ${failure}.`);
        await composer.submit();
        await waitUntil(
          () => composer.shadowRoot!.querySelector('[role="alert"]'),
          `no error for ${failure}`,
        );
        expect(composer.body, `the text survived ${failure}`).to.equal(`Attempt with ${failure}.`);
        if (words)
          expect(text(composer.shadowRoot!.querySelector('[role="alert"]'))).to.contain(words);
        expect(postCount(el), `no stray post after ${failure}`).to.equal(9);
        // Clear for the next round.
        const field = composer.shadowRoot!.querySelector('textarea')!;
        field.value = '';
        field.dispatchEvent(new InputEvent('input'));
        await composer.updateComplete;
      }
      mode = 'ok';
      await typeInto(composer, 'Finally through.');
      await composer.submit();
      await waitUntil(() => postCount(el) === 10, 'the retry did not post');
    });

    it('publishes a reply once when every answer was lost and the reader pressed Retry', async () => {
      const tokens = await seedServer();
      let dropping = true;
      // The requests reach the server, which commits the post; every answer is thrown away.
      const dropAnswers: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (dropping && init?.method === 'POST' && /\/threads\/[^/]+\/posts$/.test(String(input)))
          throw new TypeError('Failed to fetch');
        return response;
      };
      const adapter = new RestAdapter({
        endpoint: server!,
        token: tokens['u-jellis'],
        fetch: dropAnswers,
        sleep: async () => undefined,
        persistSession: false,
      });
      const el = await fixture<ParleyThread>(
        html`<parley-thread thread-id=${THREAD_ID} no-auto-load .adapter=${adapter}></parley-thread>`,
      );
      await waitUntil(() => postCount(el) === 9, 'the thread did not load');
      // The reply box comes with the thread's interaction, a moment after the posts.
      await el.updateComplete;
      const composer = mainComposer(el);
      await waitUntil(() => composer.shadowRoot?.querySelector('textarea'), 'not signed in');
      await typeInto(composer, 'Sent once, answered never.');
      await composer.submit();
      await waitUntil(
        () => composer.shadowRoot!.querySelector('[part="error"]'),
        'no failure shown',
      );
      expect(composer.body, 'the text stays in the reply box').to.equal(
        'Sent once, answered never.',
      );

      dropping = false;
      inShadow<HTMLButtonElement>(composer, '[data-action="retry"]').click();
      await waitUntil(
        () => !composer.shadowRoot!.querySelector('[part="error"]') && composer.body === '',
        'the retry did not go through',
      );
      // The post the first attempt made may already be shown (it arrived live) while the retry
      // is sending: once that settles, it is there once.
      await waitUntil(
        () => !el.shadowRoot!.querySelector('parley-post[sending]'),
        'the retry did not settle',
      );
      const bodies = [...el.shadowRoot!.querySelectorAll<ParleyPost>('parley-post')].map(
        (p) => p.post?.body,
      );
      expect(
        bodies.filter((b) => b === 'Sent once, answered never.').length,
        'shown once',
      ).to.equal(1);
      const page = (await (
        await fetch(`${server}/v1/threads/${THREAD_ID}/posts?limit=200`)
      ).json()) as { posts: { body: string }[] };
      expect(
        page.posts.filter((p) => p.body === 'Sent once, answered never.').length,
        'published once',
      ).to.equal(1);
    });
  });
}
