/**
 * What a seed (`POST /v1/_seed`, tests and demos) sets besides the data, the moderators and the
 * allowed origins, kept in the PostgreSQL database so every instance on it applies the same: the
 * one row of `seed_settings` (migration 5), and `NOTIFY parley_seed` in the transaction that
 * changes it, which each instance hears on a connection of its own and answers by reading the row
 * again. An instance started later reads the row at start-up. Opened only when seeding is on
 * (PARLEY_ALLOW_SEED); with SQLite there is one instance, which keeps them in memory.
 */
import type pg from 'pg';
import { ChannelListener } from './channel.js';
import { domainError } from './postgres.js';

/** A seed's `moderators` and `origins`; `null`: the configured ones (PARLEY_MODERATORS, PARLEY_ORIGINS). */
export interface SeedSettings {
  moderators: string[] | null;
  origins: string[] | null;
}

export const SEED_CHANNEL = 'parley_seed';

const parseList = (text: string | null): string[] | null =>
  text === null ? null : (JSON.parse(text) as string[]);

export class PostgresSeedSettings {
  /** Hears every instance's seeds; after a reconnect, reads what changed meanwhile. */
  private readonly channel: ChannelListener;
  /** Whether the listener has connected once (the first read is `open`'s). */
  private listened = false;
  private closed = false;
  private reloading = false;
  private reloadAgain = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly apply: (settings: SeedSettings) => void,
    private readonly log: (message: string) => void,
  ) {
    const { connectionString, host, port, user, password, database } = pool.options;
    this.channel = new ChannelListener({
      client: { connectionString, host, port, user, password, database },
      channel: SEED_CHANNEL,
      name: 'seed listener',
      applicationName: 'parley-seed-listen',
      notified: () => void this.reload(),
      connected: () => {
        if (this.listened) void this.reload();
        this.listened = true;
      },
      log,
    });
  }

  /** Listens for changes, then applies the stored settings; resolves once both are done. */
  static async open(
    pool: pg.Pool,
    apply: (settings: SeedSettings) => void,
    log: (message: string) => void,
  ): Promise<PostgresSeedSettings> {
    const settings = new PostgresSeedSettings(pool, apply, log);
    try {
      await settings.channel.start();
      apply(await settings.read());
    } catch (error) {
      settings.close();
      throw domainError(error);
    }
    return settings;
  }

  /** Stores a seed's settings and tells every instance (this one hears it too). */
  async save(settings: SeedSettings): Promise<void> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw domainError(error);
    });
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO seed_settings (id, moderators, origins) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET moderators = EXCLUDED.moderators, origins = EXCLUDED.origins`,
        [
          settings.moderators && JSON.stringify(settings.moderators),
          settings.origins && JSON.stringify(settings.origins),
        ],
      );
      await client.query('SELECT pg_notify($1, $2)', [SEED_CHANNEL, '']);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw domainError(error);
    } finally {
      client.release();
    }
  }

  /** Stops listening (before the pool closes). */
  close(): void {
    this.closed = true;
    void this.channel.close();
  }

  private async read(): Promise<SeedSettings> {
    const { rows } = await this.pool.query<{ moderators: string | null; origins: string | null }>(
      'SELECT moderators, origins FROM seed_settings WHERE id = 1',
    );
    const row = rows[0];
    return {
      moderators: parseList(row?.moderators ?? null),
      origins: parseList(row?.origins ?? null),
    };
  }

  /** Reads the row again after every notification; the last read follows the last change. */
  private async reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = true;
    try {
      do {
        this.reloadAgain = false;
        const settings = await this.read();
        if (!this.closed) this.apply(settings);
      } while (this.reloadAgain && !this.closed);
    } catch (error) {
      if (!this.closed) {
        this.log(`[parley] reading the seed settings failed: ${(error as Error).message}`);
        setTimeout(() => void this.reload(), 1000).unref();
      }
    } finally {
      this.reloading = false;
    }
  }
}
