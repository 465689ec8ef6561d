import { LRUCache } from 'lru-cache';
import { createManualClock } from './lru-clock.ts';
import type { DistinctWindow } from './visitor-window.ts';

/** A click farm shows itself long before this many devices; the cap bounds memory per subnet. */
export const MAX_MEMBERS_PER_KEY = 128;
export const DEFAULT_MAX_KEYS = 100_000;

/**
 * One node's distinct counter, in memory: per key (a subnet on a campaign) the last time each member
 * (a user-agent hash) was seen. Keys live in an LRU (O(1) eviction at the size limit); members are
 * kept in recency order, so the oldest go first when they expire or the per-key cap is reached.
 */
export function createMemoryDistinctWindow(windowMs: number, maxKeys = DEFAULT_MAX_KEYS): DistinctWindow & { readonly size: number } {
  const clock = createManualClock();
  const keys = new LRUCache<string, Map<string, number>>({ max: maxKeys, ttl: windowMs, ttlResolution: 0, ttlAutopurge: false, perf: clock });

  return {
    get size() {
      return keys.size;
    },
    hit(key, member, now, countWithinMs = windowMs) {
      clock.set(now);
      const cutoff = now - windowMs;
      const members = keys.get(key) ?? new Map<string, number>();
      members.delete(member);
      members.set(member, now);
      for (const [oldest, seen] of members) {
        if (seen > cutoff && members.size <= MAX_MEMBERS_PER_KEY) break;
        members.delete(oldest);
      }
      keys.set(key, members);
      const countCutoff = now - Math.min(countWithinMs, windowMs);
      let distinct = 0;
      for (const seen of members.values()) if (seen > countCutoff) distinct += 1;
      return distinct;
    },
  };
}
