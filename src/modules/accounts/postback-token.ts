import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBase62 } from '../../random-base62.ts';

const TOKEN_LENGTH = 32;

/**
 * A fast hash is enough here (unlike passwords): 32 random base62 characters carry ~190 bits, so
 * nobody can brute-force the token from its hash, and postbacks must stay cheap to verify.
 */
export function hashPostbackToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generatePostbackToken(): string {
  return randomBase62(TOKEN_LENGTH);
}

export function isPostbackTokenValid(token: string | undefined, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  // Hashing first makes both sides the same length, whatever the partner sent.
  const actual = Buffer.from(hashPostbackToken(token ?? ''), 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
