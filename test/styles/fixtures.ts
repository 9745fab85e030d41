/**
 * The reader-visible states of a whole `<parley-thread>` that the style tests look at (for axe in
 * every theme, for geometry under hostile host pages): each builder renders a real thread on a
 * MemoryAdapter and drives it into the state the way a reader would.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, type ParleyThread, type Viewer } from '../../src/index.js';
import type { ParleyComposer } from '../../src/components/composer/composer.component.js';
import type { ParleyQuote } from '../../src/components/quote/quote.component.js';
import {
  failing,
  inShadow,
  longThread,
  LONG_THREAD,
  mainComposer,
  postIn,
  seedAdapter,
  threadFixture,
  typeInto,
} from '../helpers.js';

/** What a state builder is given: how to render the thread (theme), on which adapter. */
export interface StateOptions {
  theme?: 'light' | 'dark' | 'auto';
}

export type StateBuilder = (options: StateOptions) => Promise<ParleyThread>;

const LONG = LONG_THREAD;

/** The long thread of the stream tests, with post 5 quoting post 100 (for a gap with a quote). */
const longQuoting = (count: number) =>
  longThread(count, (post, i) => {
    if (i === 5 && count > 100) post.quote = { postId: 'p100', text: 'Post number 100' };
  });

/** A MemoryAdapter that also looks like a server with accounts, so Log in opens the sign-in form. */
function accountsAdapter(): MemoryAdapter {
  const adapter = seedAdapter();
  const withAccounts = adapter as MemoryAdapter & {
    register(options: { name: string; handle: string; password: string }): Promise<Viewer>;
  };
  withAccounts.register = () => Promise.reject(new Error('not in these tests'));
  return adapter;
}

/** The `<parley-quote>` of a post. */
export async function quoteOf(el: ParleyThread, postId: string): Promise<ParleyQuote> {
  const post = postIn(el, postId);
  await post.updateComplete;
  const quote = inShadow<ParleyQuote>(post, 'parley-quote');
  await quote.updateComplete;
  await waitUntil(
    () => quote.shadowRoot!.querySelector('[part="jump"]'),
    `the quote in ${postId} did not resolve`,
  );
  return quote;
}

/** Waits until Floating UI has placed a popover (it positions asynchronously) and it was painted. */
async function placed(popover: HTMLElement): Promise<void> {
  await waitUntil(() => popover.style.left !== '', 'the popover was not placed');
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

/** Every state the widget shows a reader, by name. */
export const states: Record<string, StateBuilder> = {
  'thread loaded, signed out': ({ theme }) => threadFixture(seedAdapter(), { theme }),

  'signed in with a reply box open': async ({ theme }) => {
    const el = await threadFixture(seedAdapter({ as: 'jellis' }), { theme });
    postIn(el, 'p2').reply();
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part="reply-box"] parley-composer'),
      'no reply box opened',
    );
    await el.shadowRoot!.querySelector<ParleyComposer>('[part="reply-box"] parley-composer')!
      .updateComplete;
    return el;
  },

  'a jump done (Back shown, the target highlighted)': async ({ theme }) => {
    const el = await threadFixture(seedAdapter(), { theme });
    inShadow<HTMLButtonElement>(await quoteOf(el, 'p4'), '[part="jump"]').click();
    await waitUntil(
      () => postIn(el, 'p2').highlighted && el.shadowRoot!.querySelector('[part="back"]'),
      'no highlight or Back after the jump',
    );
    await postIn(el, 'p2').updateComplete;
    return el;
  },

  'quote popover open': async ({ theme }) => {
    const el = await threadFixture(seedAdapter(), { theme });
    const quote = await quoteOf(el, 'p4');
    quote.showPreview();
    await waitUntil(
      () => quote.shadowRoot!.querySelector('[part="popover"]:popover-open .content'),
      'the popover did not open',
    );
    await placed(quote.shadowRoot!.querySelector<HTMLElement>('[part="popover"]')!);
    return el;
  },

  'mention suggestions open': async ({ theme }) => {
    const el = await threadFixture(seedAdapter({ as: 'jellis' }), { theme });
    const composer = mainComposer(el);
    await typeInto(composer, 'Thanks @an');
    await waitUntil(
      () =>
        composer.shadowRoot!.querySelector('[part="suggestions"]:popover-open [part="suggestion"]'),
      'no suggestions',
    );
    await placed(composer.shadowRoot!.querySelector<HTMLElement>('[part="suggestions"]')!);
    return el;
  },

  'a failed send showing the error': async ({ theme }) => {
    const { adapter } = failing(seedAdapter({ as: 'jellis' }), ['createPost']);
    const el = await threadFixture(adapter, { theme });
    const composer = mainComposer(el);
    await typeInto(composer, 'This should survive a failure.');
    inShadow<HTMLButtonElement>(composer, '[part="submit"]').click();
    await waitUntil(() => composer.shadowRoot!.querySelector('[part="error"]'), 'no error shown');
    await waitUntil(
      () => !el.shadowRoot!.querySelector('parley-post[sending]'),
      'the sending post stayed',
    );
    return el;
  },

  'delete confirmation': async ({ theme }) => {
    const el = await threadFixture(seedAdapter({ as: 'jellis' }), { theme });
    const p9 = postIn(el, 'p9');
    await p9.updateComplete;
    inShadow<HTMLButtonElement>(p9, '[data-action="delete"]').click();
    await waitUntil(
      () => p9.shadowRoot!.querySelector('[part="confirm"]'),
      'no delete confirmation',
    );
    return el;
  },

  'the sign-in form of a server with accounts': async ({ theme }) => {
    const el = await threadFixture(accountsAdapter(), { theme });
    const composer = mainComposer(el);
    await composer.updateComplete;
    await el.signIn();
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="sign-in"]'), 'no sign-in form');
    return el;
  },

  'gaps and load-more in a long thread': async ({ theme }) => {
    const el = await threadFixture(longQuoting(160), { threadId: LONG, pageSize: 20, theme });
    inShadow<HTMLButtonElement>(await quoteOf(el, 'p5'), '[part="jump"]').click();
    await waitUntil(
      () =>
        el.shadowRoot!.querySelector('[part="gap"]') &&
        el.shadowRoot!.querySelector('[part="load-more"]') &&
        el.shadowRoot!.querySelector('[part="back"]'),
      'no gap, Load more or Back',
    );
    return el;
  },
};

/** A thread in a `<div>` of the given `dir` and `lang`, on `adapter` (the seed, signed in, by default). */
export async function threadIn(
  attrs: { dir?: string; lang?: string; threadId?: string },
  adapter: MemoryAdapter = seedAdapter({ as: 'jellis' }),
): Promise<ParleyThread> {
  const wrapper =
    await fixture<HTMLDivElement>(html`<div dir=${attrs.dir ?? 'ltr'} lang=${attrs.lang ?? 'en'}>
    <parley-thread thread-id=${attrs.threadId ?? 'social-media-access'} no-auto-load .adapter=${adapter}></parley-thread>
  </div>`);
  const el = wrapper.querySelector<ParleyThread>('parley-thread')!;
  await waitUntil(() => el.shadowRoot!.querySelector('parley-post'), 'thread did not render');
  await el.updateComplete;
  return el;
}
