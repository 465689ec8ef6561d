import type { RateDecision, RateLimiter, RateWindow } from './rate-limiter.ts';
import type { RedisScripts } from './redis-scripts.ts';

/**
 * Fixed windows as the memory limiter counts them, atomically for every node: nothing is counted when
 * a window is full (a refused request does not eat the day's quota). KEYS: one bucket per window;
 * ARGV: per window its limit and time to live. Returns the refused window's index (0 when allowed),
 * then every bucket's count.
 */
export const CONSUME_SCRIPT = `
local n = #KEYS
local counts = {}
for i = 1, n do
  counts[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if counts[i] >= tonumber(ARGV[2 * i - 1]) then
    local refused = {i}
    for j = 1, n do refused[j + 1] = tonumber(redis.call('GET', KEYS[j]) or '0') end
    return refused
  end
end
local result = {0}
for i = 1, n do
  result[i + 1] = redis.call('INCR', KEYS[i])
  if result[i + 1] == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
end
return result
`;

/** The plan limits shared by every node: one script call per API request. */
export function createRedisRateLimiter(redis: RedisScripts, options: { readonly prefix: string }): RateLimiter {
  return {
    async consume(key: string, windows: readonly RateWindow[], now: number): Promise<RateDecision> {
      const current = windows.map((window) => {
        const start = Math.floor(now / window.windowMs) * window.windowMs;
        return {
          window,
          id: `${options.prefix}rl:${key}|${window.windowMs}|${start}`,
          resetAt: start + window.windowMs,
        };
      });
      // A little past the reset, so a node whose clock runs slightly behind still finds its bucket.
      const args = current.flatMap(({ window }) => [window.limit, window.windowMs + 60_000]);
      const [refused, ...counts] = await redis.consumeRate(current.length, ...current.map(({ id }) => id), ...args);
      if (refused! > 0) {
        const { window, resetAt } = current[refused! - 1]!;
        return { allowed: false, limit: window.limit, remaining: 0, resetAt };
      }
      let binding = 0;
      current.forEach(({ window }, i) => {
        if (window.limit - counts[i]! < current[binding]!.window.limit - counts[binding]!) binding = i;
      });
      const { window, resetAt } = current[binding]!;
      return { allowed: true, limit: window.limit, remaining: window.limit - counts[binding]!, resetAt };
    },
  };
}
