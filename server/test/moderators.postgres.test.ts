/** moderators.test.ts again, on PostgreSQL (a throwaway cluster; skipped with a message when PostgreSQL is not installed). */
import { onPostgres } from './helpers.js';

await onPostgres('moderators.test.ts', () => import('./moderators.test.js'));
