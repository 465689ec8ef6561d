import { createHash } from 'node:crypto';
import { rateLimited } from '../../errors.ts';
import type { FailureLock, LockPolicy } from '../../storage/counters/failure-lock.ts';
import { createMemoryFailureLock } from '../../storage/counters/memory-failure-lock.ts';
import { createMemoryRateLimiter } from '../../storage/counters/memory-rate-limiter.ts';
import type { RateLimiter, RateWindow } from '../../storage/counters/rate-limiter.ts';

/** Sign-in attempts (email or API key) one client address may make, whoever it claims to be. */
export const SIGN_IN_PER_ADDRESS: RateWindow = { limit: 20, windowMs: 60_000 };

/**
 * Wrong passwords one account takes before it is locked: the 5th locks it for 30 s, each further one
 * doubles the lock up to 15 minutes. The cap is what keeps a real user from being locked out for good
 * by someone guessing: at worst they wait 15 minutes after the guessing stops.
 */
export const SIGN_IN_LOCK: LockPolicy = {
  lockAfterFailures: 5,
  baseLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 15 * 60_000,
};

export interface SignInThrottle {
  /** Counts an attempt against the address; throws 429 when the address or the account is over its limit. */
  admit(address: string, email: string | null): Promise<void>;
  /** Throws 429 while the account is locked (for checks of the current password, which have no address limit). */
  checkAccount(email: string): Promise<void>;
  failed(email: string): Promise<void>;
  succeeded(email: string): Promise<void>;
}

const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Limits sign-in per client address and per target account, never per bearer token: a request to
 * POST /api/v1/auth/token is counted the same whatever token it carries. Emails are kept hashed, so
 * Redis holds no address book; unknown emails are counted like known ones, so a lock tells nothing
 * about which accounts exist.
 */
export function createSignInThrottle(deps: {
  limiter?: RateLimiter;
  lock?: FailureLock;
  now: () => number;
}): SignInThrottle {
  const limiter = deps.limiter ?? createMemoryRateLimiter();
  const lock = deps.lock ?? createMemoryFailureLock();
  const accountKey = (email: string) => `signin:${createHash('sha256').update(email).digest('base64url')}`;
  const checkAccount = async (email: string) => {
    const lockedMs = await lock.lockedFor(accountKey(email), deps.now());
    if (lockedMs > 0) {
      throw rateLimited(
        `Too many failed sign-ins for this account; retry after ${secondsOf(lockedMs)} s`,
        secondsOf(lockedMs),
      );
    }
  };
  return {
    async admit(address, email) {
      const now = deps.now();
      const decision = await limiter.consume(`signin-ip:${address}`, [SIGN_IN_PER_ADDRESS], now);
      if (!decision.allowed) {
        throw rateLimited(
          `Too many sign-in attempts from this address; retry after ${secondsOf(decision.resetAt - now)} s`,
          secondsOf(decision.resetAt - now),
        );
      }
      if (email !== null) await checkAccount(email);
    },
    checkAccount,
    async failed(email) {
      await lock.fail(accountKey(email), SIGN_IN_LOCK, deps.now());
    },
    async succeeded(email) {
      await lock.clear(accountKey(email));
    },
  };
}
