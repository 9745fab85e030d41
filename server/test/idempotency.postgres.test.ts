/** idempotency.test.ts again, on PostgreSQL (skipped with a message when PostgreSQL is not installed). */
import { onPostgres } from './helpers.js';

await onPostgres('idempotency.test.ts', () => import('./idempotency.test.js'));
