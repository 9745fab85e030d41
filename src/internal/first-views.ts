/**
 * When the threads in the page's markup that open on their own have shown their first posts (or
 * why they could not): what `parley.ts` waits for before it loads what those threads do not need
 * to show them (the composer, the sign-in form), so it does not compete with them for the network
 * and the main thread. A thread opens on its own when it has an `endpoint`, or data for the
 * embedded backend (inline or at `src`); one with none may be waiting for the page's script to
 * give it an adapter, perhaps one imported from the bundle, so nothing waits for it.
 */
import { painted } from './paint.js';

const shown = new WeakSet<Element>();
const waiting = new Map<Element, () => void>();

/** Called by `<parley-thread>` once its first load is on screen, or has failed. */
export function firstViewShown(thread: Element): void {
  if (shown.has(thread)) return;
  shown.add(thread);
  waiting.get(thread)?.();
  waiting.delete(thread);
}

/** The threads that open on their own. */
const OPENS_ALONE =
  'parley-thread[endpoint],parley-thread[src],parley-thread:has(>script[type="application/json"])';

/**
 * Resolves after the first paint of every thread in the document now that opens on its own, at
 * once when there is none, and after `timeout` ms at the latest (a thread that hangs or leaves).
 */
export function firstViewsShown(timeout = 3000): Promise<void> {
  if (typeof document === 'undefined') return Promise.resolve();
  const threads = [...document.querySelectorAll(OPENS_ALONE)].filter(
    (thread) => !shown.has(thread),
  );
  if (!threads.length) return Promise.resolve();
  const each = threads.map(
    (thread) => new Promise<void>((resolve) => waiting.set(thread, resolve)),
  );
  return Promise.race([
    Promise.all(each).then(painted),
    new Promise<void>((resolve) => setTimeout(resolve, timeout)),
  ]);
}
