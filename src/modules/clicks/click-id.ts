import { randomBase62 } from '../../random-base62.ts';

const PREFIX = 'clk_';
/** 22 base62 characters carry 22 × log2(62) ≈ 131 random bits: the id is the postback's credential. */
const RANDOM_LENGTH = 22;
const CLICK_ID = new RegExp(`^${PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH}}$`);

export function generateClickId(): string {
  return PREFIX + randomBase62(RANDOM_LENGTH);
}

/** Shape check only (ids minted here): cheap rejection of garbage before a database lookup. */
export function isClickId(value: string): boolean {
  return CLICK_ID.test(value);
}
