import type { RateDecision, RateLimiter, RateWindow } from './rate-limiter.ts';

interface Bucket {
  count: number;
  resetAt: number;
}

const SWEEP_EVERY = 10_000;

export function createMemoryRateLimiter(): RateLimiter {
  const buckets = new Map<string, Bucket>();
  let calls = 0;

  // Expired buckets are dropped now and then so memory follows the active keys, not all keys ever seen.
  const sweep = (now: number) => {
    for (const [key, bucket] of buckets) if (bucket.resetAt <= now) buckets.delete(key);
  };

  return {
    async consume(key: string, windows: readonly RateWindow[], now: number): Promise<RateDecision> {
      if (++calls % SWEEP_EVERY === 0) sweep(now);
      const current = windows.map((window) => {
        const start = Math.floor(now / window.windowMs) * window.windowMs;
        const id = `${key}|${window.windowMs}|${start}`;
        const bucket = buckets.get(id) ?? { count: 0, resetAt: start + window.windowMs };
        return { id, window, bucket };
      });
      const refused = current.find(({ window, bucket }) => bucket.count >= window.limit);
      if (refused) {
        return { allowed: false, limit: refused.window.limit, remaining: 0, resetAt: refused.bucket.resetAt };
      }
      // A refused request is not counted, so a burst over the minute limit does not eat the day's quota.
      for (const { id, bucket } of current) {
        bucket.count += 1;
        buckets.set(id, bucket);
      }
      const binding = current.reduce((a, b) =>
        b.window.limit - b.bucket.count < a.window.limit - a.bucket.count ? b : a,
      );
      return {
        allowed: true,
        limit: binding.window.limit,
        remaining: binding.window.limit - binding.bucket.count,
        resetAt: binding.bucket.resetAt,
      };
    },
  };
}
