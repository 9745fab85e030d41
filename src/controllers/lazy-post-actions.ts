import type { ReactiveControllerHost } from 'lit';
import { ParleyError } from '../model/errors.js';
import { onFirstUse } from '../internal/lazy.js';
import { readingMessages as messages } from '../i18n/messages.js';
import type { Post } from '../model/types.js';
import type { PostActionsController, PostActionsOptions } from './post-actions.js';

/** What a thread asks of its post actions. */
export type PostActions = Pick<PostActionsController, 'sending' | 'create' | 'update' | 'remove'>;

const NONE: ReadonlySet<string> = new Set();

/**
 * The thread's `PostActionsController` (publish, edit, delete), loaded the first time a reader
 * may need it: `prefetch()` once someone is signed in, at the latest on the first action. A
 * reader who only reads never loads it. Should it fail to load, the action fails with a
 * message the composer shows, and what was written stays in it.
 */
export class LazyPostActions implements PostActions {
  private actions: PostActionsController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PostActionsOptions,
  ) {}

  get sending(): ReadonlySet<string> {
    return this.actions?.sending ?? NONE;
  }

  /** Starts loading the actions, if they are not loaded yet. */
  prefetch(): void {
    void this.load().catch(() => undefined);
  }

  private readonly load = onFirstUse(() =>
    import('./post-actions.js').then(
      ({ PostActionsController }) =>
        (this.actions = new PostActionsController(this.host, this.options)),
      (error: unknown) => {
        throw new ParleyError('network', messages().actionsFailed, { cause: error });
      },
    ),
  );

  async create(...args: Parameters<PostActionsController['create']>): Promise<Post> {
    return (await this.loaded('create')).create(...args);
  }

  async update(...args: Parameters<PostActionsController['update']>): Promise<Post> {
    return (await this.loaded('update')).update(...args);
  }

  async remove(...args: Parameters<PostActionsController['remove']>): Promise<Post> {
    return (await this.loaded('delete')).remove(...args);
  }

  /** The loaded actions; a failed load is reported as the action's failure, then thrown. */
  private async loaded(operation: 'create' | 'update' | 'delete'): Promise<PostActionsController> {
    try {
      return await this.load();
    } catch (error) {
      const e = ParleyError.from(error);
      this.options.fail(operation, e);
      throw e;
    }
  }
}
