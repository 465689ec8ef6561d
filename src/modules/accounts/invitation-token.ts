import { createHash } from 'node:crypto';
import { randomBase62 } from '../../random-base62.ts';

/** How long an invitation link stays valid. */
export const INVITATION_LIFETIME_MS = 7 * 86_400_000;

/** ~238 random bits: a fast hash at rest is enough, nobody brute-forces it back (as postback tokens). */
export function generateInvitationToken(): string {
  return `inv_${randomBase62(40)}`;
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
