import { createContext } from '@lit/context';
import type { Post } from '../model/types.js';

/**
 * Finds a post by id, loaded or not: what a quote uses to show the post it quotes. Provided by
 * `<parley-thread>` to everything it renders; the same request is shared while it is under way.
 */
export type PostLookup = (postId: string, signal?: AbortSignal) => Promise<Post>;

/** The post lookup of the enclosing thread. */
export const postLookupContext = createContext<PostLookup | undefined>(
  Symbol('parley-post-lookup'),
);
