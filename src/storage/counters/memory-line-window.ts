import { NONE } from './memory-entry-pool.ts';
import { createKeyTable, fingerprint } from './memory-key-table.ts';
import { createMemberPool } from './memory-member-pool.ts';
import { createSlotLists } from './memory-slot-lists.ts';

/**
 * The lines (addresses) of one subnet on one campaign, and how many browsers each showed at its latest
 * click: a farm spreads its phones over a few lines of one /24, each with several browsers, while an
 * office or a campus is one line and neighbours are one browser each.
 */
export interface LineWindow {
  /**
   * Records that `line` of subnet `key` showed `browsers` browsers now, and returns the most any OTHER
   * line of the key showed at its latest click within `withinMs` (0 when none clicked in that span).
   */
  record(key: string, line: string, browsers: number, now: number, withinMs: number): number;
  /**
   * The lines of `key` that clicked within `withinMs` showing more than one browser: a farm's lines,
   * not the neighbours' homes (one browser each).
   */
  lines(key: string, now: number, withinMs: number): string[];
}

/** A line with one browser is a home: a farm's finding does not reach it. */
export const MIN_CLAIMED_BROWSERS = 2;

/**
 * Lines kept per subnet, the most recent first to stay: a farm's lines click all through its session, so
 * they are among the latest; a /24 busier than this is judged by its devices and history instead.
 */
export const LINES_PER_KEY = 8;
export const DEFAULT_MAX_KEYS = 100_000;

/**
 * Characters of a line kept in place: a campaign id of up to 8 digits, ':' and an IPv6 address (39 at most).
 * A longer line, or one with a character above U+00FF (only tests build such keys), is kept as a string beside.
 */
const LINE_TEXT_BYTES = 48;
/** What `browsers` can hold; the address devices window counts at most 128 (MAX_MEMBERS_PER_KEY). */
const MAX_BROWSERS = 0xffff;

/**
 * One node's line window, in memory. Per key (a subnet on a campaign, in the key table of the other windows:
 * memory-key-table.ts) at most LINES_PER_KEY lines in recency order, oldest first, each a line of the member
 * pool (memory-member-pool.ts: the line's 64-bit fingerprint, when it last clicked) plus how many browsers it
 * showed then and its text, which `lines` hands back. `maxLines` bounds the lines over all keys: at it, the
 * least recently seen subnets go first, as at `maxKeys`. About 50 bytes a key plus 71 a line
 * (`npm run bench:windows-memory`); it was 440 bytes a subnet with one line as strings in Maps.
 */
export function createMemoryLineWindow(
  retentionMs: number,
  maxKeys = DEFAULT_MAX_KEYS,
  maxLines = maxKeys * LINES_PER_KEY,
): LineWindow & { readonly size: number; readonly entries: number } {
  let capacity = Math.min(1024, maxLines);
  let browsersOf = new Uint16Array(capacity);
  let textLengths = new Uint8Array(capacity);
  let texts = new Uint8Array(capacity * LINE_TEXT_BYTES);
  const otherTexts = new Map<number, string>();
  const pool = createMemberPool((line) => otherTexts.delete(line), maxLines);
  // Per key slot: its lines, least recently seen first.
  const lists = createSlotLists(pool, maxKeys);
  const keys = createKeyTable(maxKeys, retentionMs, (slot) => lists.clear(slot));
  const print = new Uint32Array(2);
  const cutoffFor = (now: number, withinMs: number) => now - Math.min(withinMs, retentionMs);

  /** Grows the per-line arrays with the pool, which hands out lines numbered below `maxLines`. */
  function ensure(line: number): void {
    if (line < capacity) return;
    capacity = Math.max(Math.min(capacity * 2, maxLines), line + 1);
    const wider = <T extends Uint8Array | Uint16Array>(array: T, make: (n: number) => T, per = 1): T => {
      const next = make(capacity * per);
      next.set(array);
      return next;
    };
    browsersOf = wider(browsersOf, (n) => new Uint16Array(n));
    textLengths = wider(textLengths, (n) => new Uint8Array(n));
    texts = wider(texts, (n) => new Uint8Array(n), LINE_TEXT_BYTES);
  }

  function setText(line: number, text: string): void {
    const base = line * LINE_TEXT_BYTES;
    let fits = text.length <= LINE_TEXT_BYTES;
    for (let i = 0; fits && i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0xff) fits = false;
      else texts[base + i] = code;
    }
    if (fits) textLengths[line] = text.length;
    else otherTexts.set(line, text);
  }

  function textOf(line: number): string {
    const other = otherTexts.get(line);
    if (other !== undefined) return other;
    const base = line * LINE_TEXT_BYTES;
    return String.fromCharCode(...texts.subarray(base, base + textLengths[line]!));
  }

  return {
    get size() {
      return keys.size;
    },
    get entries() {
      return pool.live;
    },
    record(key, line, browsers, now, withinMs) {
      keys.advance(now);
      const found = keys.find(key);
      // Touched either way: it refreshes the key's time to live, the subnet is still clicking.
      const slot = keys.touchLast();
      if (found === NONE) lists.reset(slot);
      fingerprint(line, print);
      const cutoff = cutoffFor(now, withinMs);
      let most = 0;
      let at = NONE;
      let before = NONE;
      for (let other = lists.head(slot); other !== NONE; other = pool.next(other)) {
        if (at === NONE && pool.is(other, print[0]!, print[1]!)) {
          at = other;
          lists.detach(slot, other, before);
          break;
        }
        before = other;
      }
      for (let other = lists.head(slot); other !== NONE; other = pool.next(other))
        if (pool.at(other) > cutoff && browsersOf[other]! > most) most = browsersOf[other]!;
      if (at === NONE) {
        // The key's oldest line goes at its cap, other subnets' (least recently seen first) at the window's.
        if (lists.length(slot) >= LINES_PER_KEY) lists.dropFirst(slot);
        while (pool.live >= maxLines) if (!keys.dropOldest(slot)) break;
        at = pool.add(print[0]!, print[1]!, now);
        ensure(at);
        setText(at, line);
      }
      pool.setSeen(at, now);
      browsersOf[at] = Math.min(browsers, MAX_BROWSERS);
      // Appended (most recent), so the oldest line is the one dropped at the cap.
      lists.append(slot, at);
      return most;
    },
    lines(key, now, withinMs) {
      const slot = keys.peek(key);
      const found: string[] = [];
      if (slot === NONE) return found;
      const cutoff = cutoffFor(now, withinMs);
      for (let line = lists.head(slot); line !== NONE; line = pool.next(line))
        if (pool.at(line) > cutoff && browsersOf[line]! >= MIN_CLAIMED_BROWSERS) found.push(textOf(line));
      return found;
    },
  };
}
