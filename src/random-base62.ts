import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/**
 * 256 is not a multiple of 62: mapping every byte with `% 62` would make the first 8 characters
 * 25% more likely than the rest. Bytes from 248 (= 4 × 62) up are thrown away instead.
 */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** One getrandom call per few hundred characters instead of one per id: click ids are minted on the hot path. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function nextRandomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

/** Uniformly random base62 text from the system CSPRNG: ids and secrets that must not be guessed. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = nextRandomByte();
    if (byte < UNBIASED_LIMIT) out += ALPHABET.charAt(byte % ALPHABET.length);
  }
  return out;
}
