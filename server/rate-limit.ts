/**
 * Token buckets for writes: one per signed-in user and one per client address. A bucket holds
 * `capacity` tokens and refills at `capacity` per `perSeconds`; each write takes one.
 */
import type { RateSpec } from './config.js';

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly spec: RateSpec | null) {}

  /** Tokens in `key`'s bucket now (refilled for the time passed). */
  private level(key: string, now: number): Bucket {
    const spec = this.spec!;
    const bucket = this.buckets.get(key) ?? { tokens: spec.capacity, updated: now };
    const refill = ((now - bucket.updated) / 1000) * (spec.capacity / spec.perSeconds);
    bucket.tokens = Math.min(spec.capacity, bucket.tokens + refill);
    bucket.updated = now;
    return bucket;
  }

  /** Seconds until `key` may write again (0: now). */
  wait(key: string, now = Date.now()): number {
    if (!this.spec) return 0;
    const bucket = this.level(key, now);
    if (bucket.tokens >= 1) return 0;
    return Math.max(
      1,
      Math.ceil(((1 - bucket.tokens) * this.spec.perSeconds) / this.spec.capacity),
    );
  }

  take(key: string, now = Date.now()): void {
    if (!this.spec) return;
    const bucket = this.level(key, now);
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
  }

  /** Drops buckets that have refilled completely, so memory stays bounded by recent writers. */
  sweep(now = Date.now()): void {
    if (!this.spec) return;
    for (const key of [...this.buckets.keys()])
      if (this.level(key, now).tokens >= this.spec.capacity) this.buckets.delete(key);
  }

  clear(): void {
    this.buckets.clear();
  }
}

/**
 * Takes one token from each `[limiter, key]` pair, or none when any of them is empty.
 * Returns the seconds to wait (0 when the write may go ahead).
 */
export function takeAll(pairs: readonly [RateLimiter, string][], now = Date.now()): number {
  const wait = Math.max(0, ...pairs.map(([limiter, key]) => limiter.wait(key, now)));
  if (wait === 0) for (const [limiter, key] of pairs) limiter.take(key, now);
  return wait;
}

/** Failed logins a handle gets before it is locked. */
export const FREE_LOGIN_FAILURES = 5;
/** The first lock; each further failure doubles it, up to `MAX_LOCK_MS`. */
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** Failures are forgotten after a day without one. */
export const FORGET_MS = 24 * 60 * 60_000;
/** Handles remembered at most (the oldest go first), so guessing random handles cannot fill memory. */
const MAX_HANDLES = 100_000;

interface Failures {
  count: number;
  last: number;
  lockedUntil: number;
}

/**
 * Failed password logins per handle, whether or not an account has it (so the answers do not
 * tell which handles exist): `FREE_LOGIN_FAILURES` free, then each failure locks the handle for
 * 30 s, 60 s, 120 s, … up to 15 minutes. A successful login clears it. On top of the per-address
 * limit, it bounds guessing one account's password from many addresses.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  private entry(key: string, now: number): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry && now - entry.last >= FORGET_MS) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Seconds until `key` may try again (0: now). */
  wait(key: string, now = Date.now()): number {
    const entry = this.entry(key, now);
    return entry && entry.lockedUntil > now ? Math.ceil((entry.lockedUntil - now) / 1000) : 0;
  }

  /** Records a failed login. */
  fail(key: string, now = Date.now()): void {
    const entry = this.entry(key, now) ?? { count: 0, last: now, lockedUntil: 0 };
    entry.count += 1;
    entry.last = now;
    if (entry.count >= FREE_LOGIN_FAILURES)
      entry.lockedUntil =
        now +
        Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(30, entry.count - FREE_LOGIN_FAILURES));
    this.failures.delete(key);
    this.failures.set(key, entry);
    if (this.failures.size > MAX_HANDLES) this.failures.delete(this.failures.keys().next().value!);
  }

  /** A successful login: the handle starts afresh. */
  succeed(key: string): void {
    this.failures.delete(key);
  }

  /** Drops handles whose failures are forgotten. */
  sweep(now = Date.now()): void {
    for (const key of [...this.failures.keys()]) this.entry(key, now);
  }

  get size(): number {
    return this.failures.size;
  }

  clear(): void {
    this.failures.clear();
  }
}

/** Which bucket a write takes a token from: the signed-in user's, or the client address's. */
export type BucketKind = 'user' | 'address';

/**
 * The write limits and the login throttle of a server, wherever they are kept: in this process
 * (`MemoryLimits`, one instance) or in the database every instance shares (`PostgresLimits`,
 * server/storage/postgres-limits.ts), so N instances do not allow N times as much.
 */
export interface Limits {
  /** Takes one token from each `[kind, key]` bucket, or none when any is empty; resolves to the seconds to wait (0: go ahead). */
  take(pairs: readonly [BucketKind, string][], now?: number): Promise<number>;
  /** Seconds until the login `key` (a folded handle) may try again (0: now). */
  loginWait(key: string, now?: number): Promise<number>;
  /** Records a failed login. */
  loginFailed(key: string, now?: number): Promise<void>;
  /** A successful login: the handle starts afresh. */
  loginSucceeded(key: string): Promise<void>;
  /** Forgets full buckets and forgotten failures. */
  sweep(now?: number): Promise<void>;
  /** Forgets everything (a seed replaced the data). */
  clear(): Promise<void>;
}

/** `Limits` in this process's memory: right for one instance, N times too loose for N. */
export class MemoryLimits implements Limits {
  private readonly buckets: Record<BucketKind, RateLimiter>;
  private readonly logins = new LoginThrottle();

  constructor(user: RateSpec | null, address: RateSpec | null) {
    this.buckets = { user: new RateLimiter(user), address: new RateLimiter(address) };
  }

  take(pairs: readonly [BucketKind, string][], now = Date.now()): Promise<number> {
    return Promise.resolve(
      takeAll(
        pairs.map(([kind, key]) => [this.buckets[kind], key]),
        now,
      ),
    );
  }

  loginWait(key: string, now = Date.now()): Promise<number> {
    return Promise.resolve(this.logins.wait(key, now));
  }

  loginFailed(key: string, now = Date.now()): Promise<void> {
    this.logins.fail(key, now);
    return Promise.resolve();
  }

  loginSucceeded(key: string): Promise<void> {
    this.logins.succeed(key);
    return Promise.resolve();
  }

  sweep(now = Date.now()): Promise<void> {
    this.buckets.user.sweep(now);
    this.buckets.address.sweep(now);
    this.logins.sweep(now);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.buckets.user.clear();
    this.buckets.address.clear();
    this.logins.clear();
    return Promise.resolve();
  }
}
