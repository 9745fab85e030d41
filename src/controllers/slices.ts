import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StreamView } from '../components/thread/layout.js';
import type { ThreadNode } from '../model/threading.js';
import { afterPaint } from '../internal/paint.js';

/**
 * A freshly loaded page rendered a slice at a time: the first `size` posts at once (about a
 * screenful), then `size` more per task, each once the one before has been painted, so opening
 * a thread never blocks input for long and the first posts paint first. The
 * host renders `shown(sections)`; `finished` resolves once the last slice rendered (a host's
 * `updateComplete` waits for it). Pages loaded later are not sliced.
 */
export class SlicesController implements ReactiveController {
  /** How many posts render now; Infinity when not slicing. */
  private count = Infinity;
  /** Whether the last render showed every post (`null` until the posts render at all). */
  private all: boolean | null = null;
  /** Cancels the next slice while it waits for this one to be painted. */
  private cancelNext: (() => void) | null = null;
  private done: () => void = () => undefined;
  /** Resolves once every slice of the page being sliced has rendered. */
  finished: Promise<void> = Promise.resolve();

  /** `size`: posts rendered first (about a screenful, or less), then as many per task. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly size = 10,
  ) {
    host.addController(this);
  }

  /** Whether a page is being shown a slice at a time. */
  get active(): boolean {
    return this.count !== Infinity;
  }

  /** A new page: render its first slice. */
  start(): void {
    this.end();
    this.count = this.size;
    this.all = null;
    this.finished = new Promise((resolve) => (this.done = resolve));
  }

  /** Everything renders from now on. */
  end(): void {
    this.cancelNext?.();
    this.cancelNext = null;
    if (!this.active) return;
    this.count = Infinity;
    this.done();
    // Ended before the last slice (a new load, the thread left the page): render the rest.
    if (!this.all) this.host.requestUpdate();
  }

  /** What of the reply trees to render now (`opening`: the opening post is shown, and counts). */
  shown(
    sections: StreamView['sections'],
    opening: boolean,
  ): { sections: StreamView['sections']; complete: boolean } {
    if (!this.active) return { sections, complete: true };
    const shown = firstPosts(sections, this.count - (opening ? 1 : 0));
    this.all = shown.complete;
    return shown;
  }

  hostUpdated(): void {
    // Until the posts render (a load may still show its skeleton), nothing is decided.
    if (!this.active || this.cancelNext || this.all === null) return;
    if (this.all) return this.end();
    // The next slice waits for this one to be painted: a task queued now could run before the
    // frame that shows the first posts, and delay it.
    this.cancelNext = afterPaint(() => {
      this.cancelNext = null;
      this.count += this.size;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.end();
  }
}

/**
 * The first `count` posts of a view's reply trees in reading order (depth first), as trees of
 * their own, and whether that is all of them: what a thread renders while it shows a freshly
 * loaded page a slice at a time.
 */
export function firstPosts(
  sections: StreamView['sections'],
  count: number,
): { sections: StreamView['sections']; complete: boolean } {
  let left = count;
  const take = (nodes: readonly ThreadNode[]): ThreadNode[] => {
    const kept: ThreadNode[] = [];
    for (const node of nodes) {
      if (left <= 0) break;
      left--;
      kept.push(node.children.length ? { ...node, children: take(node.children) } : node);
    }
    return kept;
  };
  const pruned = sections.map(({ segment, layout }) => ({
    segment,
    layout: { ...layout, replies: take(layout.replies) },
  }));
  return { sections: pruned, complete: left > 0 || countPosts(sections) <= count };
}

function countPosts(sections: StreamView['sections']): number {
  const count = (nodes: readonly ThreadNode[]): number =>
    nodes.reduce((n, node) => n + 1 + count(node.children), 0);
  return sections.reduce((n, s) => n + count(s.layout.replies), 0);
}
