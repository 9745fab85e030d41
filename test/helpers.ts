/** Shared test helpers: fixtures for the seed thread, waiting without sleeping, adapters that fail. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import {
  MemoryAdapter,
  ParleyError,
  type Author,
  type CommentAdapter,
  type MemoryAdapterOptions,
  type ParleyThread,
  type ParleyPost,
  type Post,
} from '../src/index.js';
import type { ParleyComposer } from '../src/components/composer/composer.component.js';
import { posts, thread, users, THREAD_ID } from '../demo/seed.js';

export { THREAD_ID };

/** A fresh copy of the seed discussion (deep-cloned, so tests cannot leak into each other). */
export function seed(): Required<Pick<MemoryAdapterOptions, 'threads' | 'posts' | 'users'>> {
  return structuredClone({ threads: [thread], posts, users });
}

/** A MemoryAdapter over the seed, optionally signed in as one of its users. */
export function seedAdapter(options: MemoryAdapterOptions & { as?: string } = {}): MemoryAdapter {
  const data = seed();
  const user = options.as
    ? data.users.find((u) => u.id === options.as || u.handle === options.as)
    : undefined;
  return new MemoryAdapter({ ...data, viewer: user ? { user } : undefined, ...options });
}

/** Renders `<parley-thread>` on an adapter and waits until its posts are shown. */
export async function threadFixture(
  adapter: CommentAdapter,
  attrs: {
    threadId?: string;
    pageSize?: number;
    maxDepth?: number;
    theme?: string;
    autoLoad?: boolean;
  } = {},
): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(html`<parley-thread
    thread-id=${attrs.threadId ?? THREAD_ID}
    page-size=${attrs.pageSize ?? 50}
    max-depth=${attrs.maxDepth ?? 3}
    theme=${attrs.theme ?? 'light'}
    ?no-auto-load=${!attrs.autoLoad}
    .adapter=${adapter}
  ></parley-thread>`);
  await waitUntil(
    () => el.shadowRoot!.querySelector('parley-post, [part="state"]'),
    'thread did not render',
  );
  await el.updateComplete;
  return el;
}

/** The `<parley-post>` showing `postId` inside a thread. */
export function postIn(el: ParleyThread, postId: string): ParleyPost {
  const post = el.shadowRoot!.querySelector<ParleyPost>(`parley-post[data-post-id="${postId}"]`);
  if (!post) throw new Error(`post ${postId} is not rendered`);
  return post;
}

/** The thread's main composer. */
export function mainComposer(el: ParleyThread): ParleyComposer {
  return el.shadowRoot!.querySelector<ParleyComposer>('parley-composer.main')!;
}

/** An element in a shadow root, or a clear failure. */
export function inShadow<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found in <${host.localName}>`);
  return found;
}

/** Whitespace-collapsed text of a node. */
export const textOf = (node: Node | null | undefined): string =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The thread's polite live region. */
export const liveRegion = (el: ParleyThread): HTMLElement =>
  inShadow(el, '[role="status"][aria-live="polite"]');

/** Waits until the thread's live region says `message`. */
export async function announced(el: ParleyThread, message: string): Promise<void> {
  await waitUntil(
    () => textOf(liveRegion(el)) === message,
    `the live region never said "${message}" (it says "${textOf(liveRegion(el))}")`,
  );
}

/** Types into a composer's textarea as a reader would (input events included). */
export async function typeInto(
  composer: ParleyComposer,
  text: string,
): Promise<HTMLTextAreaElement> {
  await composer.updateComplete;
  const field = inShadow<HTMLTextAreaElement>(composer, 'textarea');
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
  document.execCommand('insertText', false, text);
  await composer.updateComplete;
  return field;
}

/**
 * Wraps an adapter so chosen methods fail with a `ParleyError` until `heal()` is called.
 * Everything else passes through to the real adapter.
 */
export function failing<T extends CommentAdapter>(
  inner: T,
  methods: (keyof CommentAdapter)[],
  error = new ParleyError('network', 'The comment server could not be reached.'),
) {
  let broken = true;
  const proxy = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (broken && methods.includes(prop as keyof CommentAdapter))
        return async () => Promise.reject(error);
      return value.bind(target);
    },
  });
  return { adapter: proxy as T, heal: () => (broken = false) };
}

/**
 * One reader's session on a shared backend: it sees the backend's post changes, but not the
 * sign-ins of other sessions (a test signs in as someone else on the backend to post as them).
 */
export function sessionOn<T extends CommentAdapter>(backend: T): T {
  return new Proxy(backend, {
    get(target, prop, receiver) {
      if (prop === 'subscribe' && target.subscribe) {
        return (
          threadId: string,
          listener: Parameters<NonNullable<CommentAdapter['subscribe']>>[1],
        ) =>
          target.subscribe!(
            threadId,
            (change) => change.type !== 'viewer-changed' && listener(change),
          );
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Forgets everything Parley stored in this browser (drafts, embedded data): tests start clean. */
export function clearParleyStorage(): void {
  for (const key of Object.keys(localStorage))
    if (key.startsWith('parley:')) localStorage.removeItem(key);
}

/** An element inside the thread's sign-in form (`<parley-sign-in>`), or `null`. */
export function signInPart<T extends Element = HTMLElement>(
  el: ParleyThread,
  selector: string,
): T | null {
  return (
    el.shadowRoot!.querySelector('parley-sign-in')?.shadowRoot?.querySelector<T>(selector) ?? null
  );
}

/** The id of the thread `longThread` makes. */
export const LONG_THREAD = 'long';
const longPeople: Author[] = Array.from({ length: 6 }, (_, i) => ({
  id: `u${i}`,
  name: `Member ${i}`,
  handle: `member${i}`,
}));

/** A thread of `count` posts (p0 … p<count-1>), one minute apart, by six members; `extra` adjusts single posts. */
export function longThread(
  count: number,
  extra: (post: Post, i: number) => void = () => undefined,
): MemoryAdapter {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const posts: Post[] = Array.from({ length: count }, (_, i) => {
    const post: Post = {
      id: `p${i}`,
      threadId: LONG_THREAD,
      author: longPeople[i % longPeople.length],
      createdAt: new Date(start + i * 60_000).toISOString(),
      body: `Post number ${i}: phrase-${i}-marker, with a few words to read.`,
    };
    extra(post, i);
    return post;
  });
  return new MemoryAdapter({
    threads: [{ id: LONG_THREAD, title: 'A long discussion' }],
    posts,
    users: longPeople,
  });
}

let hostStyle: HTMLStyleElement | null = null;

/** Gives the host page this stylesheet (replacing the one set before); `clearHostCss()` removes it. */
export function hostCss(text: string): void {
  hostStyle?.remove();
  hostStyle = document.createElement('style');
  hostStyle.textContent = text;
  document.head.append(hostStyle);
}

export function clearHostCss(): void {
  hostStyle?.remove();
  hostStyle = null;
}
