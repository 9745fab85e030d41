/** service.test.ts again, on PostgreSQL (a throwaway cluster; skipped with a message when PostgreSQL is not installed). */
import { onPostgres } from './helpers.js';

await onPostgres('service.test.ts', () => import('./service.test.js'));
