export interface RetryPolicy {
  /** Delay before the first retry; each further retry doubles it. */
  readonly baseDelayMs: number;
  /** No single wait is longer than this. */
  readonly maxDelayMs: number;
  /** A delivery is given up (failed) once its next attempt would fall later than this after the event. */
  readonly maxAgeMs: number;
  /** ± this fraction of random spread, so endpoints that failed together do not retry together. */
  readonly jitter: number;
}

const HOUR = 3_600_000;

/** 30 s, 1 min, 2 min … capped at 6 h, for 24 h: about 12 attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 6 * HOUR,
  maxAgeMs: 24 * HOUR,
  jitter: 0.2,
};

/** When to try again after `attempts` failed attempts, or null to give up. */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  createdAt: number,
  now: number,
  random: () => number = Math.random,
): number | null {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const delay = exponential * (1 + policy.jitter * (2 * random() - 1));
  const at = now + Math.round(delay);
  return at > createdAt + policy.maxAgeMs ? null : at;
}
