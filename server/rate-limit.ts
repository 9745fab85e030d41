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
