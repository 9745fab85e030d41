/**
 * What Parley uses of Floating UI, in one module that the popover controller loads with its first
 * popover: placing a floating element next to its anchor, and keeping it there. Only the functions
 * used end up in that chunk (a dynamic import of the package itself would keep all of it).
 */
import {
  autoUpdate,
  computePosition,
  flip,
  offset,
  shift,
  type Placement,
  type VirtualElement,
} from '@floating-ui/dom';

/**
 * Places `floating` (positioned `fixed`, which works from inside shadow roots) next to `anchor`,
 * kept in place while either moves or resizes, and shown once placed. Returns the function that
 * stops following.
 */
export function place(
  anchor: Element | VirtualElement,
  floating: HTMLElement,
  placement: Placement,
  gap: number,
): () => void {
  const update = () =>
    computePosition(anchor, floating, {
      strategy: 'fixed',
      placement,
      middleware: [offset(gap), flip({ padding: 8 }), shift({ padding: 8 })],
    }).then(({ x, y }) => {
      Object.assign(floating.style, {
        position: 'fixed',
        left: `${x}px`,
        top: `${y}px`,
        visibility: '',
      });
    });
  return autoUpdate(anchor, floating, () => void update());
}
