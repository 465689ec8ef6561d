// scrypt is memory-hard and ships with Node, so no native dependency is needed for hashing.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// 32 MiB per hash (N=2^15, r=8): the cost is stored in every hash so it can be raised later.
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * What a sign-in for an unknown email or API key is checked against, so it costs the one scrypt a
 * known one costs and the answer's timing does not tell which exist. Built from today's COST (a cost
 * raised later raises this too); salt and hash are those of a random secret thrown away at once.
 */
export const DUMMY_HASH = [
  'scrypt',
  COST.N,
  COST.r,
  COST.p,
  'N8dB1T3nfmxwvtI1MpOASQ',
  'JP5DhjGC4O1629-70uiCxT7n0qE1w2DeTZMjLlvELjQ',
].join('$');

/** `scrypt$N$r$p$salt$hash`, base64url parts. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
