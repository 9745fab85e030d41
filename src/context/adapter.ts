import { createContext } from '@lit/context';
import type { CommentAdapter } from '../adapters/adapter.js';

/**
 * The backend of the enclosing `<parley-thread>`, for the elements it renders (the sign-in form
 * signs in through it). An explicit `.adapter` on a nested element overrides it.
 */
export const adapterContext = createContext<CommentAdapter | null>(Symbol('parley-adapter'));
