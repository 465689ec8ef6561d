import { createEntryPool, NONE } from './memory-entry-pool.ts';
import { createKeyTable, fingerprint } from './memory-key-table.ts';
import { createMemberPool } from './memory-member-pool.ts';
import { createSlotLists, type SlotLists } from './memory-slot-lists.ts';
import type { DistinctWindow } from './visitor-window.ts';

/** A click farm shows itself long before this many devices; the cap bounds memory per subnet. */
export const MAX_MEMBERS_PER_KEY = 128;
/** A device tapping more often than this is rapid fire's business; its latest clicks are enough. */
const MAX_CLICKS_PER_MEMBER = 4;
export const DEFAULT_MAX_KEYS = 100_000;

/**
 * One node's distinct counter, in memory: per key (a subnet on a campaign) the last time each member
 * (a user-agent hash) was seen, and its latest clicks. Keys are evicted least recently seen first at
 * any of the three limits (`maxKeys` keys, `maxMembers` members and `maxEntries` clicks over all keys); members are kept in recency order, so the oldest go first when they expire or the
 * per-key cap is reached. Keys and members are 64-bit fingerprints in typed arrays (memory-key-table.ts,
 * memory-member-pool.ts).
 */
export function createMemoryDistinctWindow(
  windowMs: number,
  maxKeys = DEFAULT_MAX_KEYS,
  maxMembers = maxKeys * MAX_MEMBERS_PER_KEY,
  maxEntries = maxMembers * MAX_CLICKS_PER_MEMBER,
): DistinctWindow & { readonly size: number; readonly members: number; readonly entries: number } {
  const entries = createEntryPool(maxEntries);
  // Per member: its latest clicks, oldest first.
  const clicks = createSlotLists(entries, maxMembers);
  const pool = createMemberPool((member) => clicks.clear(member), maxMembers);
  // Per key slot: its members, least recently seen first.
  const members: SlotLists = createSlotLists(pool, maxKeys);
  const keys = createKeyTable(maxKeys, windowMs, (slot) => members.clear(slot));
  const memberPrint = new Uint32Array(2);
  const cutoffFor = (now: number, within: number) => now - Math.min(within, windowMs);

  function countSeen(slot: number, cutoff: number): number {
    let distinct = 0;
    for (let member = members.head(slot); member !== NONE; member = pool.next(member))
      if (pool.at(member) > cutoff) distinct += 1;
    return distinct;
  }

  /** The member's entry under the key, taken out of the key's order, or a new one. */
  function takeMember(slot: number, now: number): number {
    let before = NONE;
    for (let member = members.head(slot); member !== NONE; member = pool.next(member)) {
      if (pool.is(member, memberPrint[0]!, memberPrint[1]!)) {
        members.detach(slot, member, before);
        return member;
      }
      before = member;
    }
    // Room at the member limit: other keys go, least recently seen first, with their members and clicks.
    while (pool.live >= maxMembers) if (!keys.dropOldest(slot)) break;
    const member = pool.add(memberPrint[0]!, memberPrint[1]!, now);
    clicks.reset(member);
    return member;
  }

  return {
    get size() {
      return keys.size;
    },
    get members() {
      return pool.live;
    },
    get entries() {
      return entries.live;
    },
    hit(key, memberKey, now, countWithinMs = windowMs, clickId) {
      keys.advance(now);
      const cutoff = now - windowMs;
      const found = keys.find(key);
      const slot = keys.touchLast();
      if (found === NONE) members.reset(slot);
      fingerprint(memberKey, memberPrint);
      const member = takeMember(slot, now);
      pool.setSeen(member, now);
      // The member's own oldest click first, then other keys (as for members) until one more fits.
      if (clicks.length(member) >= MAX_CLICKS_PER_MEMBER) clicks.dropFirst(member);
      while (entries.live >= maxEntries) if (!keys.dropOldest(slot)) break;
      clicks.append(member, entries.add(now, clickId));
      // Re-appended so the key's members stay in recency order.
      members.append(slot, member);
      for (let oldest = members.head(slot); oldest !== NONE; oldest = members.head(slot)) {
        if (pool.at(oldest) > cutoff && members.length(slot) <= MAX_MEMBERS_PER_KEY) break;
        members.dropFirst(slot);
      }
      return countSeen(slot, cutoffFor(now, countWithinMs));
    },
    count(key, now, countWithinMs) {
      const slot = keys.peek(key);
      return slot === NONE ? 0 : countSeen(slot, cutoffFor(now, countWithinMs));
    },
    claim(key, now, claimWithinMs, mark) {
      const slot = keys.peek(key);
      const ids: string[] = [];
      if (slot === NONE) return ids;
      const cutoff = cutoffFor(now, claimWithinMs);
      for (let member = members.head(slot); member !== NONE; member = pool.next(member)) {
        if (pool.at(member) <= cutoff) continue;
        for (let entry = clicks.head(member); entry !== NONE; entry = entries.next(entry)) {
          const id = entries.claim(entry, cutoff, mark);
          if (id !== undefined) ids.push(id);
        }
      }
      return ids;
    },
  };
}
