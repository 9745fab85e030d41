import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStorage } from '../open.js';

// With PARLEY_DATABASE_URL set it opens PostgreSQL: tested in postgres.test.ts, on its cluster.

describe('openStorage', () => {
  it('opens the SQLite file when there is no database URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-open-'));
    try {
      for (const databaseUrl of [undefined, null, '', '  ']) {
        const storage = await openStorage({ databaseUrl, sqlitePath: join(dir, 'parley.sqlite') });
        assert.equal(storage.backend, 'sqlite');
        await storage.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database URL that is not PostgreSQL', async () => {
    await assert.rejects(
      openStorage({ databaseUrl: 'mysql://x@y/z', sqlitePath: ':memory:' }),
      /postgres:\/\//,
    );
  });
});
