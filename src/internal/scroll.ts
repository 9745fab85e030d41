/**
 * Scrolling that keeps a post where the reader saw it: by a delta inside whatever scrolls it,
 * and held in place while the posts around it take their real heights. Used by the thread's
 * loader (gaps) and by its interaction (jumps, Back, the scroll anchor).
 */
/** The element that scrolls `element` (through shadow roots), or the document's scroller. */
function scrollerOf(element: Element): Element {
  for (
    let node: Node | null = element.parentNode;
    node;
    node = node instanceof ShadowRoot ? node.host : node.parentNode
  ) {
    if (!(node instanceof Element)) continue;
    const { overflowY } = getComputedStyle(node);
    if ((overflowY === 'auto' || overflowY === 'scroll') && node.scrollHeight > node.clientHeight)
      return node;
  }
  return document.scrollingElement ?? document.documentElement;
}

/** Scrolls whatever scrolls `element` by `delta` pixels, instantly. */
export function scrollByInside(element: Element, delta: number): void {
  if (Math.abs(delta) < 0.5) return;
  const scroller = scrollerOf(element);
  // An instant scrollTo also ends a smooth scroll still under way, which would otherwise carry on.
  scroller.scrollTo({ top: scroller.scrollTop + delta, behavior: 'instant' });
}

/**
 * Keeps `element` at `top` (viewport px) while the page settles: posts skipped by
 * content-visibility take their real height only once they are rendered, a frame or two after a
 * scroll, and would push the element away. Corrects each frame until nothing moves.
 */
let holds = 0;

export async function holdAt(element: Element, top: number, frames = 20): Promise<void> {
  // A newer hold (another jump, Back) or the reader scrolling on their own ends this one.
  const hold = ++holds;
  let stopped = false;
  const stop = () => (stopped = true);
  const inputs = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
  for (const type of inputs) window.addEventListener(type, stop, { passive: true, capture: true });
  let still = 0;
  for (
    let i = 0;
    i < frames && still < 5 && !stopped && hold === holds && element.isConnected;
    i++
  ) {
    const delta = element.getBoundingClientRect().top - top;
    if (Math.abs(delta) < 0.5) still++;
    else {
      still = 0;
      scrollByInside(element, delta);
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  for (const type of inputs) window.removeEventListener(type, stop, { capture: true });
}
