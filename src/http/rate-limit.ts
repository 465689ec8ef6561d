import type { FastifyReply } from 'fastify';
import { AppError } from '../errors.ts';
import { PLAN_LIMITS } from '../modules/accounts/account.ts';
import type { Plan } from '../modules/accounts/user.table.ts';
import type { RateLimiter, RateWindow } from '../storage/counters/rate-limiter.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

function windowsFor(plan: Plan): RateWindow[] {
  const limits = PLAN_LIMITS[plan];
  const windows: RateWindow[] = [{ limit: limits.perMinute, windowMs: MINUTE }];
  if (limits.perDay !== null) windows.push({ limit: limits.perDay, windowMs: DAY });
  return windows;
}

/**
 * Counts one API request against the caller's plan (or, before sign-in, against the client address at
 * starter rates) and sets the X-RateLimit-* headers, which therefore ride on errors too.
 * @fastify/rate-limit takes one window per route, and plans need a minute and a day window together.
 */
export async function applyRateLimit(
  limiter: RateLimiter,
  reply: FastifyReply,
  key: string,
  plan: Plan,
  now: number,
): Promise<void> {
  const decision = await limiter.consume(key, windowsFor(plan), now);
  const resetSeconds = Math.ceil(decision.resetAt / 1000);
  reply.header('X-RateLimit-Limit', decision.limit);
  reply.header('X-RateLimit-Remaining', decision.remaining);
  reply.header('X-RateLimit-Reset', resetSeconds);
  if (!decision.allowed) {
    reply.header('Retry-After', Math.max(1, resetSeconds - Math.floor(now / 1000)));
    throw new AppError(
      'RATE_LIMIT_EXCEEDED',
      `Rate limit of ${decision.limit} requests exceeded; retry after the reset time`,
    );
  }
}
