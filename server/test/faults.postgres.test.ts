/** faults.test.ts again, on PostgreSQL (a throwaway cluster; skipped with a message when PostgreSQL is not installed). */
import { onPostgres } from './helpers.js';

await onPostgres('faults.test.ts', () => import('./faults.test.js'));
