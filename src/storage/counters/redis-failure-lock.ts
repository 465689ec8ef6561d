import type { FailureLock, LockPolicy } from './failure-lock.ts';
import type { RedisScripts } from './redis-scripts.ts';

/**
 * One failure, atomically for every node, as lockMsAfter counts it. KEYS: the failure count, the lock.
 * ARGV: failures that lock, base lock ms, max lock ms, forget-after ms. Returns the lock set (0: none).
 */
export const FAIL_SCRIPT = `
local failures = redis.call('INCR', KEYS[1])
local first = tonumber(ARGV[1])
local lock = 0
if failures >= first then
  lock = math.floor(math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ math.min(failures - first, 31)))
  redis.call('SET', KEYS[2], '1', 'PX', lock)
end
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[4]), lock))
return lock
`;

/** What this needs of the connection: its failLock script (defined by redis-client.ts) and two plain commands. */
type LockRedis = Pick<RedisScripts, 'failLock'> & {
  pttl(key: string): Promise<number>;
  del(...keys: string[]): Promise<number>;
};

/**
 * Sign-in locks shared by every node. The locks run on Redis's clock (key expiry), not the caller's
 * `now`: every node then agrees on when a lock ends.
 */
export function createRedisFailureLock(redis: LockRedis, options: { readonly prefix: string }): FailureLock {
  const keys = (key: string) => [`${options.prefix}fl:${key}|failures`, `${options.prefix}fl:${key}|lock`] as const;
  return {
    async lockedFor(key) {
      // -2: no lock; -1 cannot happen (every lock is set with an expiry).
      return Math.max(0, await redis.pttl(keys(key)[1]));
    },
    async fail(key, policy: LockPolicy) {
      const [failures, lock] = keys(key);
      return redis.failLock(
        failures,
        lock,
        policy.lockAfterFailures,
        policy.baseLockMs,
        policy.maxLockMs,
        policy.forgetAfterMs,
      );
    },
    async clear(key) {
      await redis.del(...keys(key));
    },
  };
}
