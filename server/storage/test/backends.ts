/**
 * The backends the storage suite runs against, each able to hand out a fresh, migrated, empty
 * `Storage` per test: SQLite in memory, and PostgreSQL on a throwaway cluster
 * (scripts/postgres.mjs), one database per test cloned from a migrated template.
 */
import pg from 'pg';
import { PostgresStorage, type PostgresOptions } from '../postgres.js';
import { SqliteStorage } from '../sqlite.js';
import type { Storage } from '../storage.js';

export { postgresScript, type PostgresCluster } from './postgres-script.js';
import { postgresScript, type PostgresCluster } from './postgres-script.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A reason to skip this backend, or false. */
  skip: string | false;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A new, empty, migrated storage; the caller closes it. */
  fresh(options?: PostgresOptions): Promise<Storage>;
}

export const sqlite: Backend = {
  name: 'sqlite',
  skip: false,
  setup: async () => {},
  teardown: async () => {},
  fresh: async () => SqliteStorage.open(':memory:'),
};

/** The PostgreSQL backend and what its own tests need: the cluster, and fresh databases by URL. */
export class PostgresBackend implements Backend {
  readonly name = 'postgres';
  readonly skip: string | false;
  cluster: PostgresCluster | null = null;
  /** How the template database was made (ICU en-US when the server has ICU, so ids must sort as bytes). */
  templateLocale = 'default';
  private admin: pg.Pool | null = null;
  private count = 0;

  constructor() {
    const required = process.env.PARLEY_REQUIRE_POSTGRES === '1';
    const missing = postgresScript.findPostgres() === null;
    if (missing && required)
      throw new Error(`PARLEY_REQUIRE_POSTGRES=1 but ${postgresScript.MISSING_MESSAGE}`);
    this.skip = missing ? postgresScript.MISSING_MESSAGE : false;
  }

  async setup(): Promise<void> {
    const started = performance.now();
    this.cluster = await postgresScript.startPostgres();
    this.admin = new pg.Pool({ connectionString: this.cluster.url, max: 2 });
    // A template whose default collation is NOT bytewise, so a missing COLLATE "C" shows up as
    // a wrong page order instead of passing by luck on a C-locale test cluster.
    try {
      await this.admin.query(
        "CREATE DATABASE parley_template TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
      );
      this.templateLocale = 'icu en-US';
    } catch {
      await this.admin.query('CREATE DATABASE parley_template');
    }
    const template = await PostgresStorage.open(this.url('parley_template'));
    await template.close();
    console.log(
      `# PostgreSQL cluster ready in ${this.cluster.ms} ms, template migrated in ${Math.round(performance.now() - started - this.cluster.ms)} ms (collation: ${this.templateLocale})`,
    );
  }

  async teardown(): Promise<void> {
    await this.admin?.end();
    this.admin = null;
    this.cluster?.stop();
    this.cluster = null;
  }

  url(database: string): string {
    return this.cluster!.url.replace(/\/parley$/, `/${database}`);
  }

  /** A new database cloned from the migrated template; resolves to its URL. */
  async database(): Promise<string> {
    const name = `parley_${++this.count}`;
    await this.admin!.query(`CREATE DATABASE ${name} TEMPLATE parley_template`);
    return this.url(name);
  }

  /** An empty database, not migrated. */
  async emptyDatabase(): Promise<string> {
    const name = `parley_empty_${++this.count}`;
    await this.admin!.query(`CREATE DATABASE ${name}`);
    return this.url(name);
  }

  async fresh(options: PostgresOptions = {}): Promise<PostgresStorage> {
    return PostgresStorage.open(await this.database(), { log: () => {}, ...options });
  }
}

export const postgres = new PostgresBackend();
export const BACKENDS: Backend[] = [sqlite, postgres];
