import { SignJWT, jwtVerify, errors } from 'jose';
import type { ApiKeyScope } from './api-key.table.ts';

export const TOKEN_LIFETIME_SECONDS = 86_400;

export interface TokenClaims {
  readonly userId: number;
  readonly scope: ApiKeyScope;
  /** The API key the token was minted from; revoking the key ends the token. */
  readonly apiKeyId: number | null;
}

export interface TokenSigner {
  sign(claims: TokenClaims): Promise<string>;
  /** Undefined for anything but a valid, unexpired HS256 token of ours. */
  verify(token: string): Promise<TokenClaims | undefined>;
}

export function createTokenSigner(secret: string): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (claims) =>
      new SignJWT({ scope: claims.scope, ...(claims.apiKeyId !== null ? { akid: claims.apiKeyId } : {}) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(claims.userId))
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
        .sign(key),
    verify: async (token) => {
      try {
        // Pinning the algorithm rejects `alg: none` and key-confusion tokens.
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        const userId = Number(payload.sub);
        const scope = payload.scope;
        const apiKeyId = payload.akid;
        if (!Number.isSafeInteger(userId) || (scope !== 'read' && scope !== 'write')) return undefined;
        if (apiKeyId !== undefined && typeof apiKeyId !== 'number') return undefined;
        return { userId, scope, apiKeyId: apiKeyId ?? null };
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
