import { SignJWT, jwtVerify, errors } from 'jose';
import { LRUCache } from 'lru-cache';
import type { ApiKeyScope } from './api-key.table.ts';

export const TOKEN_LIFETIME_SECONDS = 86_400;

export interface TokenClaims {
  readonly userId: number;
  readonly scope: ApiKeyScope;
  /** The API key the token was minted from; revoking the key ends the token. */
  readonly apiKeyId: number | null;
  /** The account's credentials_version when the token was minted (claim `cv`; absent counts as 0). */
  readonly credentialsVersion?: number;
  /** The invited member who signed in (claim `mid`); absent for the registrant and for API keys (whose key names it). */
  readonly memberId?: number;
}

export interface TokenSigner {
  sign(claims: TokenClaims): Promise<string>;
  /** Undefined for anything but a valid, unexpired HS256 token of ours. */
  verify(token: string): Promise<TokenClaims | undefined>;
}

/** Tokens whose signature was checked, kept by their exact text (about 300 bytes each). */
const VERIFIED_TOKENS = 10_000;

/**
 * HS256 through jose, whose WebCrypto HMAC runs on the thread pool: every verification costs a turn
 * of the event loop, and under full tracker load that turn waits behind every click in flight
 * (bench:load). A token's text never verifies differently, so a verified one is remembered until its
 * own expiry and the next request skips the trip. Only successes are kept; whether the account and
 * the API key still exist is not a property of the text and is checked on every request
 * (accounts.resolvePrincipal), so revoking a key still ends its tokens at once.
 */
export function createTokenSigner(secret: string, now: () => number = Date.now): TokenSigner {
  const key = new TextEncoder().encode(secret);
  const verified = new LRUCache<string, { claims: TokenClaims; expiresAt: number }>({ max: VERIFIED_TOKENS });
  return {
    sign: (claims) => {
      // The signer's clock, not the system's: a token signed and checked through one `now` expires when it says.
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT({
        scope: claims.scope,
        ...(claims.apiKeyId !== null ? { akid: claims.apiKeyId } : {}),
        ...(claims.credentialsVersion !== undefined ? { cv: claims.credentialsVersion } : {}),
        ...(claims.memberId !== undefined ? { mid: claims.memberId } : {}),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(claims.userId))
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + TOKEN_LIFETIME_SECONDS)
        .sign(key);
    },
    verify: async (token) => {
      const known = verified.get(token);
      if (known) {
        if (now() < known.expiresAt) return known.claims;
        verified.delete(token);
        return undefined;
      }
      try {
        // Pinning the algorithm rejects `alg: none` and key-confusion tokens; a token without exp would
        // never expire, so it is refused (ours always carry one).
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          requiredClaims: ['exp'],
          currentDate: new Date(now()),
        });
        const userId = Number(payload.sub);
        const scope = payload.scope;
        const apiKeyId = payload.akid;
        const credentialsVersion = payload.cv;
        const memberId = payload.mid;
        if (!Number.isSafeInteger(userId) || (scope !== 'read' && scope !== 'write')) return undefined;
        if (apiKeyId !== undefined && typeof apiKeyId !== 'number') return undefined;
        if (credentialsVersion !== undefined && !Number.isSafeInteger(credentialsVersion)) return undefined;
        if (memberId !== undefined && !Number.isSafeInteger(memberId)) return undefined;
        const claims: TokenClaims = {
          userId,
          scope,
          apiKeyId: apiKeyId ?? null,
          ...(credentialsVersion !== undefined ? { credentialsVersion: credentialsVersion as number } : {}),
          ...(memberId !== undefined ? { memberId: memberId as number } : {}),
        };
        verified.set(token, { claims, expiresAt: payload.exp! * 1000 });
        return claims;
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
