import { lockMsAfter, type FailureLock, type LockPolicy } from './failure-lock.ts';

interface Entry {
  failures: number;
  lockedUntil: number;
  forgetAt: number;
}

const SWEEP_EVERY = 10_000;

export function createMemoryFailureLock(): FailureLock {
  const entries = new Map<string, Entry>();
  let calls = 0;

  // Forgotten entries are dropped now and then, so memory follows the keys failing now, not all keys ever seen.
  const sweep = (now: number) => {
    for (const [key, entry] of entries) if (entry.forgetAt <= now) entries.delete(key);
  };
  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.forgetAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    async lockedFor(key, now) {
      const entry = live(key, now);
      return entry ? Math.max(0, entry.lockedUntil - now) : 0;
    },
    async fail(key, policy: LockPolicy, now) {
      if (++calls % SWEEP_EVERY === 0) sweep(now);
      const failures = (live(key, now)?.failures ?? 0) + 1;
      const lockMs = lockMsAfter(failures, policy);
      entries.set(key, {
        failures,
        lockedUntil: now + lockMs,
        forgetAt: now + Math.max(policy.forgetAfterMs, lockMs),
      });
      return lockMs;
    },
    async clear(key) {
      entries.delete(key);
    },
  };
}
