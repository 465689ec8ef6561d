import type { VisitorWindow } from './visitor-window.ts';

/** More repeats than this are all "duplicate" anyway; the cap bounds memory per key. */
const MAX_TIMES_PER_KEY = 16;
const SWEEP_INTERVAL = 50_000;

/**
 * One node's window, in memory: per key the times of its latest clicks. Keys whose newest click left
 * the window are swept out every SWEEP_INTERVAL hits, so memory follows the visitors of the last
 * window (about 120 bytes each: a million distinct visitors a day is about 120 MB).
 */
export function createMemoryVisitorWindow(windowMs: number): VisitorWindow & { readonly size: number } {
  const times = new Map<string, number[]>();
  let hits = 0;

  const sweep = (now: number) => {
    for (const [key, list] of times) if (list[list.length - 1]! <= now - windowMs) times.delete(key);
  };

  return {
    get size() {
      return times.size;
    },
    hit(key, now) {
      if (++hits % SWEEP_INTERVAL === 0) sweep(now);
      const cutoff = now - windowMs;
      const list = (times.get(key) ?? []).filter((time) => time > cutoff);
      const earlier = list.length;
      list.push(now);
      if (list.length > MAX_TIMES_PER_KEY) list.shift();
      times.set(key, list);
      return earlier;
    },
  };
}
