/**
 * scripts/postgres.mjs (plain JavaScript, loaded at run time) for the server's and the storage
 * layer's tests: the throwaway PostgreSQL clusters both suites start, and the project root.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What scripts/postgres.mjs exports (it is plain JavaScript, loaded at run time). */
export interface PostgresCluster {
  url: string;
  port: number;
  dir: string;
  ms: number;
  createDatabase(name: string): string;
  stop(): void;
}

interface PostgresScript {
  findPostgres(): string | null;
  startPostgres(): Promise<PostgresCluster>;
  MISSING_MESSAGE: string;
}

/** The project root: the nearest folder above this file with package.json and scripts/postgres.mjs. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (
    !existsSync(join(dir, 'package.json')) ||
    !existsSync(join(dir, 'scripts', 'postgres.mjs'))
  ) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(
        'tests: cannot find the project root (package.json with scripts/postgres.mjs).',
      );
    dir = parent;
  }
  return dir;
}

const scriptUrl = pathToFileURL(join(projectRoot(), 'scripts', 'postgres.mjs')).href;
export const postgresScript = (await import(scriptUrl)) as PostgresScript;
