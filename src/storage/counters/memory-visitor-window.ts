import { LRUCache } from 'lru-cache';
import { createManualClock } from './lru-clock.ts';
import type { VisitorWindow } from './visitor-window.ts';

/** More repeats than this are all "duplicate" or "rapid fire" anyway; the cap bounds memory per key. */
const MAX_TIMES_PER_KEY = 16;
/** About 370 MB at ~370 bytes a key (measured by bench/detection/cost.ts). */
export const DEFAULT_MAX_KEYS = 1_000_000;

/**
 * One node's window, in memory: per key the times of its latest clicks. lru-cache evicts the least
 * recently seen key in O(1) at the size limit, so memory and the cost of a click stay flat however
 * many distinct visitors arrive. Keys whose window has passed count as absent and make room lazily:
 * a sweep would be an O(keys) pause on the hot path.
 */
export function createMemoryVisitorWindow(windowMs: number, maxKeys = DEFAULT_MAX_KEYS): VisitorWindow & { readonly size: number } {
  const clock = createManualClock();
  const times = new LRUCache<string, number[]>({ max: maxKeys, ttl: windowMs, ttlResolution: 0, ttlAutopurge: false, perf: clock });

  return {
    get size() {
      return times.size;
    },
    count(key, now, countWithinMs) {
      const cutoff = now - Math.min(countWithinMs, windowMs);
      let clicks = 0;
      for (const time of times.peek(key) ?? []) if (time > cutoff) clicks += 1;
      return clicks;
    },
    hit(key, now, countWithinMs = windowMs) {
      clock.set(now);
      const cutoff = now - windowMs;
      const list = (times.get(key) ?? []).filter((time) => time > cutoff);
      const countCutoff = now - Math.min(countWithinMs, windowMs);
      let earlier = 0;
      for (const time of list) if (time > countCutoff) earlier += 1;
      list.push(now);
      if (list.length > MAX_TIMES_PER_KEY) list.shift();
      times.set(key, list);
      return earlier;
    },
  };
}
