/**
 * The storage layer speaks in domain errors (server/storage/errors.ts), never in HTTP problems:
 * server/problem.ts alone turns one into the other. This reads the storage's sources and fails
 * when one of them imports server/problem.ts or names its `ApiError`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The project root (this file runs from server/storage/dist/server/storage/test/). */
const root = fileURLToPath(new URL('../../../../../../', import.meta.url));
const problem = join(root, 'server/problem.ts');

/** The storage's sources: both backends, what they share, and the SQLite Store. */
const sources = [
  'server/store.ts',
  'server/records.ts',
  ...readdirSync(join(root, 'server/storage'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `server/storage/${name}`),
];

/** The relative module specifiers a source imports (static and dynamic), resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"](\.[^'"]+)['"]/g)];
  return specifiers.map((m) => resolve(dirname(join(root, file)), m[1]).replace(/\.js$/, '.ts'));
}

describe('the storage layer', () => {
  it('has its sources where this check looks', () => {
    assert.ok(sources.includes('server/storage/postgres.ts'), sources.join(', '));
    assert.ok(
      importsOf('server/storage/postgres.ts').includes(join(root, 'server/storage/errors.ts')),
    );
  });

  it('never imports server/problem.ts nor names ApiError (errors.ts is its one error type)', () => {
    for (const file of sources) {
      assert.ok(!importsOf(file).includes(problem), `${file} imports server/problem.ts`);
      const text = readFileSync(join(root, file), 'utf8');
      assert.ok(!/\bApiError\b/.test(text), `${file} names ApiError`);
    }
  });
});
