import { LRUCache } from 'lru-cache';
import { createManualClock } from './lru-clock.ts';
import { claimEntries, type DistinctWindow, type WindowEntry } from './visitor-window.ts';

/** A click farm shows itself long before this many devices; the cap bounds memory per subnet. */
export const MAX_MEMBERS_PER_KEY = 128;
/** A device tapping more often than this is rapid fire's business; its latest clicks are enough. */
const MAX_CLICKS_PER_MEMBER = 4;
export const DEFAULT_MAX_KEYS = 100_000;

interface Member {
  seen: number;
  clicks: WindowEntry[];
}

function countSeen(members: ReadonlyMap<string, Member>, cutoff: number): number {
  let distinct = 0;
  for (const { seen } of members.values()) if (seen > cutoff) distinct += 1;
  return distinct;
}

/**
 * One node's distinct counter, in memory: per key (a subnet on a campaign) the last time each member
 * (a user-agent hash) was seen, and its latest clicks. Keys live in an LRU (O(1) eviction at the size
 * limit); members are kept in recency order, so the oldest go first when they expire or the per-key
 * cap is reached.
 */
export function createMemoryDistinctWindow(
  windowMs: number,
  maxKeys = DEFAULT_MAX_KEYS,
): DistinctWindow & { readonly size: number } {
  const clock = createManualClock();
  const keys = new LRUCache<string, Map<string, Member>>({
    max: maxKeys,
    ttl: windowMs,
    ttlResolution: 0,
    ttlAutopurge: false,
    perf: clock,
  });
  const cutoffFor = (now: number, within: number) => now - Math.min(within, windowMs);

  return {
    get size() {
      return keys.size;
    },
    hit(key, memberKey, now, countWithinMs = windowMs, clickId) {
      clock.set(now);
      const cutoff = now - windowMs;
      const members = keys.get(key) ?? new Map<string, Member>();
      const member = members.get(memberKey) ?? { seen: now, clicks: [] };
      // Re-inserted so the map stays in recency order.
      members.delete(memberKey);
      member.seen = now;
      member.clicks.push({ at: now, id: clickId, marks: 0 });
      if (member.clicks.length > MAX_CLICKS_PER_MEMBER) member.clicks.shift();
      members.set(memberKey, member);
      for (const [oldest, { seen }] of members) {
        if (seen > cutoff && members.size <= MAX_MEMBERS_PER_KEY) break;
        members.delete(oldest);
      }
      keys.set(key, members);
      return countSeen(members, cutoffFor(now, countWithinMs));
    },
    count(key, now, countWithinMs) {
      const members = keys.peek(key);
      return members ? countSeen(members, cutoffFor(now, countWithinMs)) : 0;
    },
    claim(key, now, claimWithinMs, mark) {
      const cutoff = cutoffFor(now, claimWithinMs);
      const ids: string[] = [];
      for (const member of keys.peek(key)?.values() ?? [])
        if (member.seen > cutoff) claimEntries(member.clicks, cutoff, mark, ids);
      return ids;
    },
  };
}
