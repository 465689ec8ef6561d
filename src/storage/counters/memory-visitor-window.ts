import { createEntryPool, NONE } from './memory-entry-pool.ts';
import { createKeyTable } from './memory-key-table.ts';
import { createSlotLists } from './memory-slot-lists.ts';
import type { VisitorWindow } from './visitor-window.ts';

/** More repeats than this are all "duplicate" anyway; the cap bounds memory per key. */
const DEFAULT_TIMES_PER_KEY = 16;
/**
 * Per address the window must count past every rapid-fire and farm limit an account may set (a
 * carrier's limit is a multiple of the base one), and hand out a whole burst's clicks.
 */
export const BURST_TIMES_PER_KEY = 128;
/** Its memory at the cap is measured by `npm run bench:windows-memory` (BENCHMARKS.md, "Detection window memory"). */
export const DEFAULT_MAX_KEYS = 1_000_000;

/**
 * One node's window, in memory: per key its latest clicks. The least recently seen key is evicted in
 * O(1) at either limit, `maxKeys` keys or `maxEntries` clicks over all keys (a busy address keeps up to
 * `timesPerKey`), so memory and the cost of a click stay flat however many visitors and clicks arrive. Keys whose window has passed count as absent and make room lazily: a sweep would be an
 * O(keys) pause on the hot path. Keys are 64-bit fingerprints and clicks live in typed arrays
 * (memory-key-table.ts, memory-entry-pool.ts): about 80 bytes a visitor instead of 460.
 */
export function createMemoryVisitorWindow(
  windowMs: number,
  maxKeys = DEFAULT_MAX_KEYS,
  timesPerKey = DEFAULT_TIMES_PER_KEY,
  maxEntries = maxKeys * timesPerKey,
): VisitorWindow & { readonly size: number; readonly entries: number } {
  const entries = createEntryPool(maxEntries);
  // Per key slot: its clicks, oldest first.
  const lists = createSlotLists(entries, maxKeys);
  const keys = createKeyTable(maxKeys, windowMs, (slot) => lists.clear(slot));
  const cutoffFor = (now: number, within: number) => now - Math.min(within, windowMs);

  return {
    get size() {
      return keys.size;
    },
    get entries() {
      return entries.live;
    },
    count(key, now, countWithinMs) {
      const slot = keys.peek(key);
      if (slot === NONE) return 0;
      const cutoff = cutoffFor(now, countWithinMs);
      let count = 0;
      for (let entry = lists.head(slot); entry !== NONE; entry = entries.next(entry))
        if (entries.at(entry) > cutoff) count += 1;
      return count;
    },
    hit(key, now, countWithinMs = windowMs, clickId) {
      keys.advance(now);
      const found = keys.find(key);
      let earlier = 0;
      if (found !== NONE) {
        lists.dropAtOrBefore(found, now - windowMs);
        const countCutoff = cutoffFor(now, countWithinMs);
        for (let entry = lists.head(found); entry !== NONE; entry = entries.next(entry))
          if (entries.at(entry) > countCutoff) earlier += 1;
      }
      const slot = keys.touchLast();
      if (found === NONE) lists.reset(slot);
      // The key's own oldest click first, then other keys, least recently seen first, until one more fits.
      if (lists.length(slot) >= timesPerKey) lists.dropFirst(slot);
      while (entries.live >= maxEntries) if (!keys.dropOldest(slot)) break;
      lists.append(slot, entries.add(now, clickId));
      return earlier;
    },
    claim(key, now, claimWithinMs, mark) {
      const slot = keys.peek(key);
      const ids: string[] = [];
      if (slot === NONE) return ids;
      const cutoff = cutoffFor(now, claimWithinMs);
      for (let entry = lists.head(slot); entry !== NONE; entry = entries.next(entry)) {
        const id = entries.claim(entry, cutoff, mark);
        if (id !== undefined) ids.push(id);
      }
      return ids;
    },
  };
}
