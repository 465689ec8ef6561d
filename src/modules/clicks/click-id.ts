import { randomBase62 } from '../../random-base62.ts';

const PREFIX = 'clk_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 22 base62 characters after the prefix: TIME_LENGTH of the click's time, then RANDOM_LENGTH random. */
const ID_LENGTH = 22;
const TIME_LENGTH = 5;
/**
 * 17 base62 characters carry 17 × log2(62) ≈ 101 random bits, over the 96 SPEC section 1 asks of the id
 * that is the postback's credential.
 */
const RANDOM_LENGTH = ID_LENGTH - TIME_LENGTH;
/** The time part counts hundredths of a second and wraps every 62^5 of them (about 106 days). */
const TIME_UNIT_MS = 10;
const TIME_WRAP = 62 ** TIME_LENGTH;
const CLICK_ID = new RegExp(`^${PREFIX}[0-9A-Za-z]{${ID_LENGTH}}$`);

/**
 * `clk_`, the time in hundredths of a second (5 base62 characters, wrapping), and 17 random characters.
 * The time part puts the ids of a click batch next to each other in the clicks' primary-key index: with
 * random ids every click of a commit dirtied a leaf page of its own, which the commit writes whole
 * (issue 24: one WAL page per click on SQLite; with millions of clicks those pages are also out of cache).
 * It says when the click was made, which whoever holds the id (the traffic source) knows already.
 * Ids minted before it (22 random characters) have the same shape and stay valid.
 */
export function generateClickId(now = Date.now()): string {
  let time = Math.floor(now / TIME_UNIT_MS) % TIME_WRAP;
  let head = '';
  for (let i = 0; i < TIME_LENGTH; i++) {
    head = ALPHABET.charAt(time % 62) + head;
    time = Math.floor(time / 62);
  }
  return PREFIX + head + randomBase62(RANDOM_LENGTH);
}

/** Shape check only (ids minted here): cheap rejection of garbage before a database lookup. */
export function isClickId(value: string): boolean {
  return CLICK_ID.test(value);
}
