import type { Placement, VirtualElement } from '@floating-ui/dom';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onFirstUse } from '../internal/lazy.js';

type FloatingUi = typeof import('../internal/floating.js');

/**
 * Floating UI, loaded on the first popover (a reader who never opens one never downloads it).
 * Call it early (on hover, say) to have it ready.
 */
export const loadFloatingUi: () => Promise<FloatingUi> = onFirstUse(
  () => import('../internal/floating.js'),
);

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
 * `fixed`, which works from inside shadow roots. Floating UI itself loads with the first popover;
 * until it has placed the element, the element is shown but invisible.
 */
export class PopoverController implements ReactiveController {
  private cleanup: (() => void) | null = null;
  private floating: HTMLElement | null = null;
  /** Bumped by every show and hide: a placement that arrives late for an older one is dropped. */
  private turn = 0;

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
    this.cleanup?.();
    this.cleanup = null;
    const turn = ++this.turn;
    if (!floating.style.left) floating.style.visibility = 'hidden'; // not placed yet
    void loadFloatingUi().then(({ place }) => {
      // Not when it was hidden, or shown again, meanwhile.
      if (turn === this.turn) this.cleanup = place(anchor, floating, placement, gap);
    });
  }

  /** Hides the popover and stops following its anchor. */
  hide(): void {
    this.turn++;
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
