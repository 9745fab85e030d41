/**
 * Picks the backend from the settings: PostgreSQL when `PARLEY_DATABASE_URL` is set (any number
 * of instances may share it), otherwise the SQLite file at `PARLEY_DB` (one instance).
 */
import { PostgresStorage, type PostgresOptions } from './postgres.js';
import { SqliteStorage } from './sqlite.js';
import type { Storage } from './storage.js';

export interface StorageSettings {
  /** `postgres://…` (PARLEY_DATABASE_URL), or null/empty for SQLite. */
  databaseUrl?: string | null;
  /** The SQLite file (PARLEY_DB), used when there is no database URL. */
  sqlitePath: string;
  postgres?: PostgresOptions;
}

export async function openStorage(settings: StorageSettings): Promise<Storage> {
  const url = settings.databaseUrl?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new Error(
        'PARLEY_DATABASE_URL must be a postgres:// (or postgresql://) connection string.',
      );
    return PostgresStorage.open(url, settings.postgres);
  }
  return SqliteStorage.open(settings.sqlitePath);
}
