import {
  autoUpdate,
  computePosition,
  flip,
  offset,
  shift,
  type Placement,
  type VirtualElement,
} from '@floating-ui/dom';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface PopoverOptions {
  placement?: Placement;
  /** Gap between anchor and popover, in px. */
  gap?: number;
}

/**
 * The one popover primitive: places a floating element next to an anchor with Floating UI,
 * keeps it placed while open (`autoUpdate`), and cleans up on hide and when the host leaves the
 * DOM. The floating element is shown in the top layer (`popover="manual"`) when the browser
 * supports it, so no host-page overflow or stacking context can clip it; it is positioned
 * `fixed`, which works from inside shadow roots.
 */
export class PopoverController implements ReactiveController {
  private cleanup: (() => void) | null = null;
  private floating: HTMLElement | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: PopoverOptions = {},
  ) {
    host.addController(this);
  }

  /** Whether a popover is showing. */
  get open(): boolean {
    return this.floating !== null;
  }

  /** Shows `floating` next to `anchor` (an element, or a virtual one such as a text selection). */
  show(
    anchor: Element | VirtualElement,
    floating: HTMLElement,
    options: PopoverOptions = {},
  ): void {
    if (this.floating && this.floating !== floating) this.hide();
    this.floating = floating;
    floating.hidden = false;
    if (!floating.hasAttribute('popover') && 'showPopover' in floating)
      floating.setAttribute('popover', 'manual');
    try {
      if (!floating.matches(':popover-open')) floating.showPopover();
    } catch {
      // Without the Popover API the element stays in flow, positioned fixed.
    }
    const placement = options.placement ?? this.options.placement ?? 'bottom-start';
    const gap = options.gap ?? this.options.gap ?? 6;
    const update = () =>
      computePosition(anchor, floating, {
        strategy: 'fixed',
        placement,
        middleware: [offset(gap), flip({ padding: 8 }), shift({ padding: 8 })],
      }).then(({ x, y }) => {
        Object.assign(floating.style, { position: 'fixed', left: `${x}px`, top: `${y}px` });
      });
    this.cleanup?.();
    this.cleanup = autoUpdate(anchor, floating, () => void update());
  }

  /** Hides the popover and stops following its anchor. */
  hide(): void {
    this.cleanup?.();
    this.cleanup = null;
    const floating = this.floating;
    this.floating = null;
    if (!floating) return;
    try {
      if (floating.matches(':popover-open')) floating.hidePopover();
    } catch {
      // Not a popover; hiding below is enough.
    }
    floating.hidden = true;
  }

  hostDisconnected(): void {
    this.hide();
  }
}

/** Styles for a floating element: overrides the UA popover box so Floating UI owns placement. */
export const popoverReset = `
  margin: 0;
  inset: auto;
  position: fixed;
  overflow: visible;
`;
