/**
 * When the threads in the page's markup that load from an `endpoint` have shown their first
 * posts (or why they could not): what `parley.ts` waits for before it loads what those threads
 * do not need, so it does not compete with them for the network and the main thread.
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

/**
 * Resolves after the first paint of every `<parley-thread endpoint>` in the document now, at
 * once when there is none, and after `timeout` ms at the latest (a thread that hangs or leaves).
 */
export function firstViewsShown(timeout = 3000): Promise<void> {
  if (typeof document === 'undefined') return Promise.resolve();
  const threads = [...document.querySelectorAll('parley-thread[endpoint]')].filter(
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
