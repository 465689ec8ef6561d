import { randomFillSync } from 'node:crypto';

const PREFIX = 'clk_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 22 base62 characters carry 22 × log2(62) ≈ 131 random bits: the id is the postback's credential. */
const RANDOM_LENGTH = 22;
/**
 * 256 is not a multiple of 62: mapping every byte with `% 62` would make the first 8 characters
 * 25% more likely than the rest. Bytes from 248 (= 4 × 62) up are thrown away instead.
 */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

const CLICK_ID = new RegExp(`^${PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH}}$`);

/** One syscall per ~180 ids instead of one per id: ids are minted on the hot path. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function nextRandomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool.readUInt8(poolOffset++);
}

export function generateClickId(): string {
  let id = PREFIX;
  while (id.length < PREFIX.length + RANDOM_LENGTH) {
    const byte = nextRandomByte();
    if (byte < UNBIASED_LIMIT) id += ALPHABET.charAt(byte % ALPHABET.length);
  }
  return id;
}

/** Shape check only (ids minted here): cheap rejection of garbage before a database lookup. */
export function isClickId(value: string): boolean {
  return CLICK_ID.test(value);
}
