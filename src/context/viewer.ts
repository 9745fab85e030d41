import { createContext } from '@lit/context';
import type { AdapterCapabilities } from '../adapters/adapter.js';
import type { Author } from '../model/types.js';

/** Who is reading, and what the adapter lets them do. */
export interface ViewerInfo {
  /** The signed-in reader, or `null`. */
  readonly user: Author | null;
  /** What the adapter can do: the elements offer nothing else. */
  readonly capabilities: AdapterCapabilities;
  /** Whether Parley owns the reader's session and so offers Sign out. */
  readonly canSignOut: boolean;
}

/** The reader of the enclosing thread; a new object whenever any of it changes. */
export const viewerContext = createContext<ViewerInfo | undefined>(Symbol('parley-viewer'));
