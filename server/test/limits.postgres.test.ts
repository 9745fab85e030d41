/** limits.test.ts again, on PostgreSQL, where the write limits live in the shared database (skipped with a message when PostgreSQL is not installed). */
import { onPostgres } from './helpers.js';

await onPostgres('limits.test.ts', () => import('./limits.test.js'));
