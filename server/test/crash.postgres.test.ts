/** crash.test.ts again, on PostgreSQL (a throwaway cluster; skipped with a message when PostgreSQL is not installed). */
import { onPostgres } from './helpers.js';

await onPostgres('crash.test.ts', () => import('./crash.test.js'));
