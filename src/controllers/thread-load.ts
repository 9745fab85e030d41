import { initialState, Task, TaskStatus } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import type { CommentAdapter } from '../adapters/adapter.js';
import { ParleyError } from '../model/errors.js';
import type { Author, PostPage, Thread } from '../model/types.js';
import type { ParleyOperation } from '../events/events.js';

/** What one load brings: the thread, its first page, and who is reading. */
export interface LoadedThread {
  thread: Thread;
  page: PostPage;
  viewer: Author | null;
}

export interface ThreadLoadOptions {
  adapter(): CommentAdapter | null;
  threadId(): string;
  pageSize(): number;
  /** A load starts: forget what belonged to the previous one. */
  starting(): void;
  /** The load arrived (and is the latest): show it. */
  loaded(result: LoadedThread): void;
  fail(operation: ParleyOperation, error: ParleyError): void;
}

/**
 * Loads a thread: its data, its first page and its reader, at once, as a `@lit/task` `Task`
 * that runs again whenever the adapter or the thread id changes. Each run's `AbortSignal` goes
 * to the adapter, and a newer run cancels the one before. `signal` outlives the run: everything
 * that belongs to this load (paging, lookups, sign-in) ends with it when the next load starts.
 */
export class ThreadLoadController {
  readonly task: Task<[CommentAdapter | null, string], Thread>;
  private abort: AbortController | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: ThreadLoadOptions,
  ) {
    this.task = new Task(host, {
      args: () => [options.adapter(), options.threadId()],
      task: ([adapter, threadId], { signal }) => this.load(adapter, threadId, signal),
      onError: (error) => {
        const e = ParleyError.from(error);
        if (e.code !== 'aborted') options.fail('load', e);
      },
    });
  }

  /** The signal of the current load. */
  get signal(): AbortSignal | undefined {
    return this.abort?.signal;
  }

  /** Whether the thread is loaded and shown. */
  get ready(): boolean {
    return this.task.status === TaskStatus.COMPLETE;
  }

  /** Loads the thread again. Resolves once it is shown, or failed. */
  async run(): Promise<void> {
    await this.task.run().catch(() => undefined);
  }

  private async load(
    adapter: CommentAdapter | null,
    threadId: string,
    signal: AbortSignal,
  ): Promise<Thread | typeof initialState> {
    if (!adapter || !threadId) return initialState;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    signal.addEventListener('abort', () => abort.abort(signal.reason), { once: true });
    this.options.starting();
    const viewer = adapter.getViewer({ signal }).catch((error: unknown) => {
      const e = ParleyError.from(error);
      if (e.code !== 'aborted') this.options.fail('viewer', e);
      return { user: null };
    });
    const [thread, page, who] = await Promise.all([
      adapter.getThread(threadId, { signal }),
      adapter.listPosts(threadId, { limit: this.options.pageSize(), signal }),
      viewer,
    ]);
    signal.throwIfAborted();
    this.options.loaded({ thread, page, viewer: who.user });
    return thread;
  }
}
