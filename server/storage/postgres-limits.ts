/**
 * The write limits and the login throttle (`Limits`, server/rate-limit.ts) in the PostgreSQL
 * database every instance shares, so that N instances allow what one does, not N times as much.
 * Each bucket is a row of `rate_buckets`, refilled and read in one
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` that also locks it; a write's buckets are taken
 * together in one transaction (all or none), in key order so two writers cannot deadlock. Failed
 * logins are rows of `login_failures`, counted the same way. Times are the instance's clock
 * (`Date.now()`), as in memory.
 */
import type pg from 'pg';
import type { RateSpec } from '../config.js';
import {
  FIRST_LOCK_MS,
  FORGET_MS,
  FREE_LOGIN_FAILURES,
  MAX_LOCK_MS,
  type BucketKind,
  type Limits,
} from '../rate-limit.js';
import { domainError } from './postgres.js';

/** Buckets untouched this long are full whatever their spec (at most a day per refill), and are dropped. */
const BUCKET_FORGET_MS = 24 * 60 * 60_000;

export class PostgresLimits implements Limits {
  private readonly specs: Record<BucketKind, RateSpec | null>;

  constructor(
    private readonly pool: pg.Pool,
    user: RateSpec | null,
    address: RateSpec | null,
  ) {
    this.specs = { user, address };
  }

  private async query<R extends pg.QueryResultRow>(
    sql: string,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = this.pool,
  ): Promise<R[]> {
    try {
      return (await on.query<R>(sql, values)).rows;
    } catch (error) {
      throw domainError(error);
    }
  }

  async take(pairs: readonly [BucketKind, string][], now = Date.now()): Promise<number> {
    const buckets = pairs
      .filter(([kind]) => this.specs[kind] !== null)
      .map(([kind, key]) => ({ key: `${kind}:${key}`, spec: this.specs[kind]! }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (buckets.length === 0) return 0;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw domainError(error);
    }
    try {
      await this.query('BEGIN', [], client);
      let wait = 0;
      for (const { key, spec } of buckets) {
        // Refilled for the time passed (never for a clock that went back), capped, and locked.
        const [row] = await this.query<{ tokens: number }>(
          `INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET
             tokens = LEAST($2::double precision, rate_buckets.tokens + GREATEST(0, $3 - rate_buckets.updated_ms) / 1000.0 * $2 / $4),
             updated_ms = GREATEST(rate_buckets.updated_ms, $3)
           RETURNING tokens`,
          [key, spec.capacity, now, spec.perSeconds],
          client,
        );
        if (row.tokens < 1)
          wait = Math.max(
            wait,
            Math.max(1, Math.ceil(((1 - row.tokens) * spec.perSeconds) / spec.capacity)),
          );
      }
      if (wait === 0)
        await this.query(
          'UPDATE rate_buckets SET tokens = tokens - 1 WHERE key = ANY($1)',
          [buckets.map((b) => b.key)],
          client,
        );
      await this.query('COMMIT', [], client);
      return wait;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async loginWait(key: string, now = Date.now()): Promise<number> {
    const [row] = await this.query<{ locked_until: number; last_ms: number }>(
      'SELECT locked_until, last_ms FROM login_failures WHERE key = $1',
      [key],
    );
    if (!row || now - row.last_ms >= FORGET_MS || row.locked_until <= now) return 0;
    return Math.ceil((row.locked_until - now) / 1000);
  }

  async loginFailed(key: string, now = Date.now()): Promise<void> {
    // The count after this failure: 1 when the earlier ones are forgotten. Locked from the
    // FREE_LOGIN_FAILURES-th on, for FIRST_LOCK_MS doubling per further failure, at most MAX_LOCK_MS.
    const count = `CASE WHEN $2 - login_failures.last_ms >= $3 THEN 1 ELSE login_failures.count + 1 END`;
    const lock = (n: string) =>
      `CASE WHEN ${n} >= $4 THEN $2 + LEAST($6::bigint, ($5 * power(2, LEAST(30, ${n} - $4)))::bigint) ELSE 0 END`;
    await this.query(
      `INSERT INTO login_failures (key, count, last_ms, locked_until) VALUES ($1, 1, $2, ${lock('1')})
       ON CONFLICT (key) DO UPDATE SET count = ${count}, last_ms = $2, locked_until = ${lock(count)}`,
      [key, now, FORGET_MS, FREE_LOGIN_FAILURES, FIRST_LOCK_MS, MAX_LOCK_MS],
    );
  }

  async loginSucceeded(key: string): Promise<void> {
    await this.query('DELETE FROM login_failures WHERE key = $1', [key]);
  }

  async sweep(now = Date.now()): Promise<void> {
    await this.query('DELETE FROM rate_buckets WHERE updated_ms <= $1', [now - BUCKET_FORGET_MS]);
    await this.query('DELETE FROM login_failures WHERE last_ms <= $1', [now - FORGET_MS]);
  }

  async clear(): Promise<void> {
    await this.query('TRUNCATE rate_buckets, login_failures', []);
  }
}
