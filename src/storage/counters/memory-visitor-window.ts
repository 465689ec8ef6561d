import { LRUCache } from 'lru-cache';
import { createManualClock } from './lru-clock.ts';
import { claimEntries, type VisitorWindow, type WindowEntry } from './visitor-window.ts';

/** More repeats than this are all "duplicate" anyway; the cap bounds memory per key. */
const DEFAULT_TIMES_PER_KEY = 16;
/**
 * Per address the window must count past every rapid-fire and farm limit an account may set (a
 * carrier's limit is a multiple of the base one), and hand out a whole burst's clicks.
 */
export const BURST_TIMES_PER_KEY = 128;
/** Its memory at the cap is measured by `npm run bench:detection-cost` (BENCHMARKS.md, "Detection cost"). */
export const DEFAULT_MAX_KEYS = 1_000_000;

/**
 * One node's window, in memory: per key its latest clicks. lru-cache evicts the least recently
 * seen key in O(1) at the size limit, so memory and the cost of a click stay flat however many
 * distinct visitors arrive. Keys whose window has passed count as absent and make room lazily:
 * a sweep would be an O(keys) pause on the hot path.
 */
export function createMemoryVisitorWindow(
  windowMs: number,
  maxKeys = DEFAULT_MAX_KEYS,
  timesPerKey = DEFAULT_TIMES_PER_KEY,
): VisitorWindow & { readonly size: number } {
  const clock = createManualClock();
  const clicks = new LRUCache<string, WindowEntry[]>({
    max: maxKeys,
    ttl: windowMs,
    ttlResolution: 0,
    ttlAutopurge: false,
    perf: clock,
  });
  const cutoffFor = (now: number, within: number) => now - Math.min(within, windowMs);

  return {
    get size() {
      return clicks.size;
    },
    count(key, now, countWithinMs) {
      const cutoff = cutoffFor(now, countWithinMs);
      let count = 0;
      for (const entry of clicks.peek(key) ?? []) if (entry.at > cutoff) count += 1;
      return count;
    },
    hit(key, now, countWithinMs = windowMs, clickId) {
      clock.set(now);
      const cutoff = now - windowMs;
      const list = (clicks.get(key) ?? []).filter((entry) => entry.at > cutoff);
      const countCutoff = cutoffFor(now, countWithinMs);
      let earlier = 0;
      for (const entry of list) if (entry.at > countCutoff) earlier += 1;
      list.push({ at: now, id: clickId, marks: 0 });
      if (list.length > timesPerKey) list.shift();
      clicks.set(key, list);
      return earlier;
    },
    claim(key, now, claimWithinMs, mark) {
      return claimEntries(clicks.peek(key) ?? [], cutoffFor(now, claimWithinMs), mark);
    },
  };
}
