import type { FastifyRequest } from 'fastify';
import { AppError, authenticationError, authorizationError } from '../errors.ts';
import type { AccountService, Principal } from '../modules/accounts/account.service.ts';
import type { TokenSigner } from '../modules/accounts/token.ts';
import { readOnlyRefusal } from './route-policy.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a token (sign-in, registration, postbacks, the OpenAPI document). */
    public?: boolean;
    /** Partner and visitor traffic (postbacks) is not counted against the plan. */
    skipRateLimit?: boolean;
  }
}

/** Resolves the bearer token to a principal, or says why it cannot (the caller decides when to throw). */
export async function authenticate(
  request: FastifyRequest,
  tokens: TokenSigner,
  accounts: AccountService,
): Promise<Principal | AppError> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) return authenticationError('Missing bearer token: send Authorization: Bearer <token>');
  const claims = await tokens.verify(match[1]);
  if (!claims) return authenticationError();
  try {
    const principal = await accounts.resolvePrincipal(claims);
    const refusal = readOnlyRefusal(principal.scope, request.method);
    return refusal === null ? principal : authorizationError(refusal);
  } catch (error) {
    // A refused principal is an answer; anything else (the database away) is the error handler's (a 503).
    if (error instanceof AppError) return error;
    throw error;
  }
}

/** For handlers: the principal the guard has already established. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw authenticationError();
  return request.principal;
}
