/**
 * Imported first by `index.ts`, so it runs before the rest of Parley is evaluated: the threads
 * already in the page start their first requests now (see `adapters/early.ts`).
 */
import { startEarlyRequests } from './adapters/early.js';

startEarlyRequests();
