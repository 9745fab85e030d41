/**
 * The entry of `dist/parley.js`, the file a site loads with a script tag. It exports what the
 * package's main module (`index.ts`) exports, with the same names and behaviour, but loads less
 * before the first comment paints: the elements and the read path at once; `MemoryAdapter`, the
 * composer, the sign-in form and the markdown parser (`later.ts`), which a thread fed by an
 * `endpoint` does not need, after the threads in the page's markup that open on their own (an
 * `endpoint`, or inline data) have shown their first posts. An embedded thread loads the
 * backend and the parser it needs itself; the composer and the sign-in form wait.
 *
 * Importing this module therefore resolves once `later.ts` is in, so every export works the
 * moment an importer can see it (`renderMarkdown` included). A thread that needs them sooner
 * (an embedded one, posts without server-rendered `html`) loads them itself.
 */
import './start.js';
import './components/quote/quote.js';
import './components/post/post.js';
import { ParleyThread } from './components/thread/thread.component.js';
import { define } from './internal/define.js';
import { firstViewsShown } from './internal/first-views.js';

export * from './exports.js';

// `<parley-thread>` registers in a task of its own: upgrading the page's threads (each renders
// its skeleton) then does not lengthen the task that ran the modules, and the formatters that
// start.ts warms up in the task between are ready for their first posts.
await new Promise((resolve) => setTimeout(resolve));
define('parley-thread', ParleyThread);

await firstViewsShown();
const later = await import('./later.js');

// What later.ts exports: the embedded backend and its seed check, `<parley-sign-in>` and
// `<parley-composer>` (registered by later.ts, or sooner where a thread shows them), and the
// events of writing and signing in.
export const {
  MemoryAdapter,
  validateSeed,
  ParleySignIn,
  ParleyCount,
  ParleyComposer,
  ParleyPostCreatedEvent,
  ParleyPostUpdatedEvent,
  ParleyPostDeletedEvent,
  ParleyLogoutRequestEvent,
  ParleySignedInEvent,
  ParleySignInCancelEvent,
} = later;
