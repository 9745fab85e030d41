import { createContext } from '@lit/context';
import type { ImagePolicy } from '../content/markdown.js';
import type { Author, Thread } from '../model/types.js';

/** The people of a thread, in the one shape every element uses. */
export interface Participants {
  /** Lower-cased handles: only these `@mentions` are styled as mentions. */
  readonly handles: ReadonlySet<string>;
  /** Everyone who posted, in order of first post: the @mention suggestions. */
  readonly people: readonly Author[];
}

/** What every post and composer of a thread shares. */
export interface ThreadInfo {
  readonly thread: Thread | null;
  /** No new posts and no edits (deleting one's own post stays possible). */
  readonly locked: boolean;
  /** Longest post accepted, in characters. */
  readonly maxLength: number;
  readonly participants: Participants;
  /** What happens to images from other sites in posts (the thread's `image-proxy`). */
  readonly images: ImagePolicy;
}

/** The enclosing thread; a new object whenever any of it changes. */
export const threadContext = createContext<ThreadInfo | undefined>(Symbol('parley-thread'));

/** No participants. */
export const NO_PARTICIPANTS: Participants = { handles: new Set(), people: [] };

/** Images from other sites load (lazily, without a referrer): the default policy. */
export const LOAD_IMAGES: ImagePolicy = { mode: 'load' };
