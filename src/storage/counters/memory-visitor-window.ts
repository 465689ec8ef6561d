import type { VisitorWindow } from './visitor-window.ts';

/** More repeats than this are all "duplicate" anyway; the cap bounds memory per key. */
const MAX_TIMES_PER_KEY = 16;
/** Every EVICTION_PERIOD hits, up to EVICTIONS_PER_ROUND expired keys go: cleanup spread over the traffic, never a pause. */
const EVICTION_PERIOD = 16;
const EVICTIONS_PER_ROUND = 64;
/** About 150 MB. Past it the least recently seen visitor is forgotten first, so memory stays flat. */
export const DEFAULT_MAX_KEYS = 1_000_000;

/**
 * One node's window, in memory: per key the times of its latest clicks. Every hit moves its key to
 * the end of the Map, so the Map runs from least to most recently seen and expired keys are always at
 * its front: each hit drops a few of them, and memory follows the visitors of the last window (about
 * 150 bytes each: a million distinct visitors a day is about 150 MB).
 */
export function createMemoryVisitorWindow(windowMs: number, maxKeys = DEFAULT_MAX_KEYS): VisitorWindow & { readonly size: number } {
  const times = new Map<string, number[]>();
  let hits = 0;

  const evictExpired = (cutoff: number) => {
    let evicted = 0;
    for (const [key, list] of times) {
      if (evicted === EVICTIONS_PER_ROUND || list[list.length - 1]! > cutoff) return;
      times.delete(key);
      evicted += 1;
    }
  };

  return {
    get size() {
      return times.size;
    },
    hit(key, now, countWithinMs = windowMs) {
      const cutoff = now - windowMs;
      if (++hits % EVICTION_PERIOD === 0) evictExpired(cutoff);
      const previous = times.get(key);
      const list = previous ? previous.filter((time) => time > cutoff) : [];
      const countCutoff = now - Math.min(countWithinMs, windowMs);
      let earlier = 0;
      for (const time of list) if (time > countCutoff) earlier += 1;
      list.push(now);
      if (list.length > MAX_TIMES_PER_KEY) list.shift();
      if (previous) times.delete(key);
      else if (times.size >= maxKeys) times.delete(times.keys().next().value!);
      times.set(key, list);
      return earlier;
    },
  };
}
