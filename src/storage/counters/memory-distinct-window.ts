import type { DistinctWindow } from './visitor-window.ts';

/** A click farm shows itself long before this many devices; the cap bounds memory per subnet. */
export const MAX_MEMBERS_PER_KEY = 128;
const EVICTION_PERIOD = 16;
const EVICTIONS_PER_ROUND = 64;
export const DEFAULT_MAX_KEYS = 100_000;

/**
 * One node's distinct counter, in memory: per key (a subnet on a campaign) the last time each
 * member (a user-agent hash) was seen. Keys are kept in recency order, as in the visitor window, so
 * expired ones are dropped a few at a time from the front and memory follows the active subnets.
 */
export function createMemoryDistinctWindow(windowMs: number, maxKeys = DEFAULT_MAX_KEYS): DistinctWindow & { readonly size: number } {
  const keys = new Map<string, { lastSeen: number; members: Map<string, number> }>();
  let hits = 0;

  const evictExpired = (cutoff: number) => {
    let evicted = 0;
    for (const [key, entry] of keys) {
      if (evicted === EVICTIONS_PER_ROUND || entry.lastSeen > cutoff) return;
      keys.delete(key);
      evicted += 1;
    }
  };

  return {
    get size() {
      return keys.size;
    },
    hit(key, member, now, countWithinMs = windowMs) {
      const cutoff = now - windowMs;
      if (++hits % EVICTION_PERIOD === 0) evictExpired(cutoff);
      let entry = keys.get(key);
      if (entry) keys.delete(key);
      else {
        if (keys.size >= maxKeys) keys.delete(keys.keys().next().value!);
        entry = { lastSeen: now, members: new Map() };
      }
      entry.lastSeen = now;
      const { members } = entry;
      members.delete(member);
      members.set(member, now);
      // Members are in recency order too: the oldest go first when they expire or the cap is reached.
      for (const [oldest, seen] of members) {
        if (seen > cutoff && members.size <= MAX_MEMBERS_PER_KEY) break;
        members.delete(oldest);
      }
      keys.set(key, entry);
      const countCutoff = now - Math.min(countWithinMs, windowMs);
      let distinct = 0;
      for (const seen of members.values()) if (seen > countCutoff) distinct += 1;
      return distinct;
    },
  };
}
