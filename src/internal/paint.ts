/**
 * Runs `callback` in a task after the next frame has been painted (after 100 ms on a page that
 * has no frames, a hidden one): for work that must not delay what the current task shows.
 * Returns a function that cancels it, if it has not run yet.
 */
export function afterPaint(callback: () => void): () => void {
  let task = 0;
  const next = () => {
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    task = window.setTimeout(callback);
  };
  const frame = requestAnimationFrame(next);
  const fallback = window.setTimeout(next, 100);
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    clearTimeout(task);
  };
}

/** {@link afterPaint} as a promise. */
export const painted = (): Promise<void> => new Promise((resolve) => afterPaint(resolve));
