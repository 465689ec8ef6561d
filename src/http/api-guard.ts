import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { AccountService } from '../modules/accounts/account.service.ts';
import type { TokenSigner } from '../modules/accounts/token.ts';
import type { RateLimiter } from '../storage/counters/rate-limiter.ts';
import { authenticate } from './auth.ts';
import { applyRateLimit } from './rate-limit.ts';

export interface ApiGuardOptions {
  tokens: TokenSigner;
  accounts: AccountService;
  limiter: RateLimiter;
  now: () => number;
}

/** Every /api request: who is calling, within which plan limits, allowed to write or not. */
export const apiGuard = fp(async (app: FastifyInstance, options: ApiGuardOptions) => {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const isPublic = config.public === true || request.is404;
    const bearer =
      isPublic && !request.headers.authorization ? null : await authenticate(request, options.tokens, options.accounts);
    const principal = bearer instanceof AppError ? null : bearer;
    if (!config.skipRateLimit) {
      const key = principal ? `user:${principal.userId}` : `ip:${request.ip}`;
      await applyRateLimit(options.limiter, reply, key, principal?.plan ?? 'starter', options.now());
    }
    // Public routes ignore a bad token rather than refusing a sign-in because of a stale header.
    if (bearer instanceof AppError && !isPublic) throw bearer;
    request.principal = principal;
  });
});
