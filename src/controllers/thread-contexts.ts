import { ContextProvider } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { capabilitiesOf, type CommentAdapter } from '../adapters/adapter.js';
import { parseImagePolicy, type ImagePolicy } from '../content/markdown.js';
import { adapterContext } from '../context/adapter.js';
import { formattingContext } from '../context/formatting.js';
import { postLookupContext } from '../context/post-lookup.js';
import { threadContext, type Participants } from '../context/thread.js';
import { viewerContext, type ViewerInfo } from '../context/viewer.js';
import { readingMessages as messages } from '../i18n/messages.js';
import { ParleyError } from '../model/errors.js';
import type { ParleyOperation } from '../events/events.js';
import type { Author, Post, Thread } from '../model/types.js';

export interface ThreadContextsOptions {
  adapter(): CommentAdapter | null;
  viewer(): Author | null;
  canSignOut(): boolean;
  thread(): Thread | null;
  maxLength(): number;
  /** The `image-proxy` setting: absent, `off`, or a URL template with `{url}`. */
  imageProxy(): string | undefined;
  participants(): Participants;
  locale(): string | undefined;
  timeZone(): string | undefined;
  /** A post of the loaded stream, if it is loaded. */
  loaded(postId: string): Post | undefined;
  /** The signal of the current load: lookups end with it. */
  signal(): AbortSignal | undefined;
  fail(operation: ParleyOperation, error: ParleyError): void;
}

/**
 * What a thread gives the elements it renders (contexts down; their requests come up as
 * events): the adapter, the viewer with the adapter's capabilities, the thread's shared
 * settings, formatting, and the post lookup quotes use. Each context gets a new value only
 * when what it carries changed, since every post and composer reading it then re-renders.
 */
export class ThreadContextsController implements ReactiveController {
  private readonly adapter: ContextProvider<typeof adapterContext>;
  private readonly viewer: ContextProvider<typeof viewerContext>;
  private readonly thread: ContextProvider<typeof threadContext>;
  private readonly formatting: ContextProvider<typeof formattingContext>;
  /** Posts asked for that are not loaded, while they are being fetched (one request each). */
  private readonly fetched = new Map<string, Promise<Post>>();
  /** The image policy, and the `image-proxy` setting it was read from. */
  private images: ImagePolicy = { mode: 'load' };
  private imageProxy: string | undefined;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    private readonly options: ThreadContextsOptions,
  ) {
    this.adapter = new ContextProvider(host, { context: adapterContext, initialValue: null });
    this.viewer = new ContextProvider(host, { context: viewerContext });
    this.thread = new ContextProvider(host, { context: threadContext });
    this.formatting = new ContextProvider(host, { context: formattingContext });
    new ContextProvider(host, {
      context: postLookupContext,
      initialValue: (postId: string) => this.lookUp(postId),
    });
    host.addController(this);
  }

  /** Runs before every render of the thread, after it laid its posts out. */
  hostUpdate(): void {
    const o = this.options;
    const adapter = o.adapter();
    if (this.adapter.value !== adapter) this.adapter.setValue(adapter);
    const viewer: ViewerInfo = {
      user: o.viewer(),
      capabilities: capabilitiesOf(adapter),
      canSignOut: o.canSignOut(),
    };
    const was = this.viewer.value;
    if (
      !was ||
      was.user !== viewer.user ||
      was.canSignOut !== viewer.canSignOut ||
      JSON.stringify(was.capabilities) !== JSON.stringify(viewer.capabilities)
    )
      this.viewer.setValue(viewer);
    const images = this.imagePolicy();
    const thread = this.thread.value;
    if (
      !thread ||
      thread.thread !== o.thread() ||
      thread.maxLength !== o.maxLength() ||
      thread.images !== images ||
      thread.participants !== o.participants()
    )
      this.thread.setValue({
        thread: o.thread(),
        locked: !!o.thread()?.locked,
        maxLength: o.maxLength(),
        images,
        participants: o.participants(),
      });
    const format = this.formatting.value;
    if (!format || format.locale !== o.locale() || format.timeZone !== o.timeZone())
      this.formatting.setValue({ locale: o.locale(), timeZone: o.timeZone() });
  }

  /** The policy `image-proxy` names, read again when it changed. */
  private imagePolicy(): ImagePolicy {
    const setting = this.options.imageProxy();
    if (setting === this.imageProxy) return this.images;
    this.imageProxy = setting;
    try {
      this.images = parseImagePolicy(setting);
    } catch (error) {
      // A setting the site got wrong must not load what it meant to keep out: no remote images.
      this.images = { mode: 'off' };
      const e = ParleyError.from(error);
      console.warn(`[parley] ${e.message}`);
      this.options.fail('load', e);
    }
    return this.images;
  }

  /** Forgets posts fetched for an earlier load. */
  clear(): void {
    this.fetched.clear();
  }

  /** A post by id: the loaded one at once, else from the adapter (one request per post). */
  private lookUp(postId: string): Promise<Post> {
    const loaded = this.options.loaded(postId);
    if (loaded) return Promise.resolve(loaded);
    const adapter = this.options.adapter();
    if (!adapter) return Promise.reject(new ParleyError('unavailable', messages().jumpFailed));
    let pending = this.fetched.get(postId);
    if (!pending) {
      pending = adapter.getPost(postId, { signal: this.options.signal() });
      this.fetched.set(postId, pending);
      pending.catch(() => this.fetched.delete(postId));
    }
    return pending;
  }
}
