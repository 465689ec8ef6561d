import { LRUCache } from 'lru-cache';
import { createManualClock } from './lru-clock.ts';

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

/** One line of a subnet: its address-window key, when it last clicked and how many browsers it showed then. */
interface Line {
  readonly line: string;
  seen: number;
  browsers: number;
}

/**
 * One node's line window, in memory. Per key, an array of at most LINES_PER_KEY lines in recency order (oldest
 * first). Measured with 100,000 keys and `--expose-gc`, its key and line strings included: about 440 bytes per
 * subnet key with one line, 460 with two, 950 with the full eight (at most 95 MB at the 100,000-key cap).
 */
export function createMemoryLineWindow(
  retentionMs: number,
  maxKeys = DEFAULT_MAX_KEYS,
): LineWindow & { readonly size: number } {
  const clock = createManualClock();
  const keys = new LRUCache<string, Line[]>({
    max: maxKeys,
    ttl: retentionMs,
    ttlResolution: 0,
    ttlAutopurge: false,
    perf: clock,
  });
  const cutoffFor = (now: number, withinMs: number) => now - Math.min(withinMs, retentionMs);
  return {
    get size() {
      return keys.size;
    },
    record(key, line, browsers, now, withinMs) {
      clock.set(now);
      const lines = keys.get(key) ?? [];
      // Set again either way: it refreshes the key's time to live, the subnet is still clicking.
      keys.set(key, lines);
      const cutoff = cutoffFor(now, withinMs);
      let most = 0;
      let at = -1;
      for (let i = 0; i < lines.length; i++) {
        const other = lines[i]!;
        if (other.line === line) at = i;
        else if (other.seen > cutoff && other.browsers > most) most = other.browsers;
      }
      // Moved to the end (most recent), so the oldest line is the one dropped at the cap.
      const entry = at >= 0 ? lines.splice(at, 1)[0]! : { line, seen: now, browsers };
      if (at < 0 && lines.length >= LINES_PER_KEY) lines.shift();
      entry.seen = now;
      entry.browsers = browsers;
      lines.push(entry);
      return most;
    },
    lines(key, now, withinMs) {
      const cutoff = cutoffFor(now, withinMs);
      return (keys.peek(key) ?? [])
        .filter((entry) => entry.seen > cutoff && entry.browsers >= MIN_CLAIMED_BROWSERS)
        .map((entry) => entry.line);
    },
  };
}
