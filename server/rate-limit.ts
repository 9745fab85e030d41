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
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * this.spec.perSeconds) / this.spec.capacity));
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
    for (const key of [...this.buckets.keys()]) if (this.level(key, now).tokens >= this.spec.capacity) this.buckets.delete(key);
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
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
/** Failures are forgotten after a day without one. */
const FORGET_MS = 24 * 60 * 60_000;
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
    if (entry.count >= FREE_LOGIN_FAILURES) entry.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(30, entry.count - FREE_LOGIN_FAILURES));
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
