import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, authorizationError, notFound } from '../errors.ts';
import type { AccountService, Principal } from '../modules/accounts/account.service.ts';
import type { TokenSigner } from '../modules/accounts/token.ts';
import type { RateLimiter } from '../storage/counters/rate-limiter.ts';
import { inCampaignScope } from '../campaign-scope.ts';
import { authenticate } from './auth.ts';
import { applyRateLimit } from './rate-limit.ts';
import { runAsActor } from '../modules/audit/audit-context.ts';
import { policyOf, refusalOf } from './route-policy.ts';

export interface ApiGuardOptions {
  tokens: TokenSigner;
  accounts: AccountService;
  limiter: RateLimiter;
  now: () => number;
}

/** 403 unless the route's policy lets this member (and this key) in; see http/route-policy.ts. */
function authorize(request: FastifyRequest, principal: Principal): void {
  const policy = policyOf(request.method, request.routeOptions.url);
  if (!policy) throw authorizationError('No role may call this route');
  const refusal = refusalOf(principal, request.method, policy);
  if (refusal !== null) throw authorizationError(refusal);
}

/** Campaign ids a request names, wherever it names them: ?campaign_id, a body's campaign_id, /campaigns/:id. */
function namedCampaigns(request: FastifyRequest): number[] {
  const named: unknown[] = [
    (request.query as { campaign_id?: unknown } | undefined)?.campaign_id,
    (request.body as { campaign_id?: unknown } | undefined)?.campaign_id,
  ];
  if (request.routeOptions.url?.startsWith('/api/v1/campaigns/:id')) {
    named.push((request.params as { id?: unknown } | undefined)?.id);
  }
  return named.filter((id): id is number => typeof id === 'number');
}

/** Every /api request: who is calling, within which plan limits, allowed to do this or not. */
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
    if (principal && !isPublic) authorize(request, principal);
  });
  // Callback style on purpose: the handler runs inside done(), so the services' audit writer sees the actor.
  app.addHook('preHandler', (request, _reply, done) => {
    const actor = request.principal?.actor;
    if (actor) runAsActor(actor, done);
    else done();
  });
  // After validation, so the ids are numbers: a campaign outside the member's limit is as unknown as another workspace's.
  app.addHook('preHandler', async (request) => {
    const scope = request.principal?.campaignIds ?? null;
    if (scope === null || request.routeOptions.config.public === true) return;
    if (namedCampaigns(request).some((id) => !inCampaignScope(scope, id))) throw notFound('Campaign');
  });
});
