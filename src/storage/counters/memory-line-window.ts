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

/**
 * One node's line window, in memory. Per key, parallel arrays in recency order (oldest first) of at most
 * LINES_PER_KEY lines: about 80 bytes of arrays plus the line strings, which are the tracker's own
 * address-window keys (shared, not copied). `npm run bench:detection-cost` measures the bytes per key.
 */
export function createMemoryLineWindow(
  retentionMs: number,
  maxKeys = DEFAULT_MAX_KEYS,
): LineWindow & { readonly size: number } {
  interface Lines {
    lines: string[];
    seen: number[];
    browsers: number[];
  }
  const clock = createManualClock();
  const keys = new LRUCache<string, Lines>({
    max: maxKeys,
    ttl: retentionMs,
    ttlResolution: 0,
    ttlAutopurge: false,
    perf: clock,
  });
  return {
    get size() {
      return keys.size;
    },
    record(key, line, browsers, now, withinMs) {
      clock.set(now);
      let entry = keys.get(key);
      if (entry === undefined) {
        entry = { lines: [], seen: [], browsers: [] };
        keys.set(key, entry);
      } else {
        // Refreshes the key's time to live: the subnet is still clicking.
        keys.set(key, entry);
      }
      const { lines, seen } = entry;
      const cutoff = now - Math.min(withinMs, retentionMs);
      let most = 0;
      let at = -1;
      for (let i = 0; i < lines.length; i++) {
        if (lines[i] === line) at = i;
        else if (seen[i]! > cutoff && entry.browsers[i]! > most) most = entry.browsers[i]!;
      }
      // Moved to the end (most recent), so the oldest line is the one dropped at the cap.
      if (at >= 0) {
        lines.splice(at, 1);
        seen.splice(at, 1);
        entry.browsers.splice(at, 1);
      } else if (lines.length >= LINES_PER_KEY) {
        lines.shift();
        seen.shift();
        entry.browsers.shift();
      }
      lines.push(line);
      seen.push(now);
      entry.browsers.push(browsers);
      return most;
    },
    lines(key, now, withinMs) {
      const entry = keys.peek(key);
      if (entry === undefined) return [];
      const cutoff = now - Math.min(withinMs, retentionMs);
      return entry.lines.filter((_, i) => entry.seen[i]! > cutoff && entry.browsers[i]! >= MIN_CLAIMED_BROWSERS);
    },
  };
}
