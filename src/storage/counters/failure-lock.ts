/** How failures of one key turn into a lock: growing with every further failure, but capped. */
export interface LockPolicy {
  /** The failure that locks the key first (earlier ones only count). */
  readonly lockAfterFailures: number;
  /** The first lock; each further failure doubles it. */
  readonly baseLockMs: number;
  /** No lock is longer: whoever the key belongs to gets in again this long after the last failure. */
  readonly maxLockMs: number;
  /** Failures are forgotten this long after the last one. */
  readonly forgetAfterMs: number;
}

/**
 * Counts failures per key (sign-in attempts per account) and locks the key for a while once they pile
 * up; the memory implementation serves one node, Redis several.
 */
export interface FailureLock {
  /** Milliseconds until the key may try again; 0 when it is not locked. */
  lockedFor(key: string, now: number): Promise<number>;
  /** Counts one failure; resolves to how long the key is now locked (0: not yet). */
  fail(key: string, policy: LockPolicy, now: number): Promise<number>;
  /** A success: the failures so far are forgotten. */
  clear(key: string): Promise<void>;
}

/** The lock after `failures` failures: 0 before lockAfterFailures, then base, 2 × base, 4 × base… up to the cap. */
export function lockMsAfter(failures: number, policy: LockPolicy): number {
  if (failures < policy.lockAfterFailures) return 0;
  // 2^31 × base is past any cap: a long run of failures must not overflow to Infinity or NaN.
  const doublings = Math.min(failures - policy.lockAfterFailures, 31);
  return Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** doublings);
}
