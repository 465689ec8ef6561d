/**
 * The windows' keys without their strings: each key is kept as a 64-bit fingerprint in typed arrays, with
 * the least-recently-used order and time to live of lru-cache (which the windows used before: about 180
 * bytes a key for its map, its arrays and the key's string; this table takes about 40).
 *
 * Two keys with the same fingerprint would share one history. With a 64-bit fingerprint the chance that
 * any two of n keys held at once collide is about n² / 2⁶⁵: 3 × 10⁻⁸ for a million keys
 * (BENCHMARKS.md, "Detection window memory").
 */

const EMPTY = -1;
const FIRST_CAPACITY = 1024;

/** Two independent 32-bit hashes of a string's UTF-16 code units (FNV-1a and a murmur-style mix). */
export function fingerprint(text: string, into: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final avalanche, so nearby keys ("1:1.2.3.4", "1:1.2.3.5") land far apart in the index.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= b >>> 13;
  b = Math.imul(b, 0x5bd1e995);
  b ^= b >>> 15;
  into[0] = a >>> 0;
  into[1] = b >>> 0;
}

/**
 * Keys → small integer slots, at most `maxKeys`, least recently used evicted first when a new key needs
 * room. A slot's time to live runs from its last `touch`, on the clock of `advance` (the click's time,
 * never going back), exactly as lru-cache with `ttl` and a manual clock: a key older than `ttlMs` is
 * absent to `find` and `peek`, and `find` frees it.
 */
export interface KeyTable {
  readonly size: number;
  /** The clock of the time to live: the latest click time seen. */
  advance(now: number): void;
  /** The key's live slot, moved to most recently used; -1 when absent (a stale slot is freed). */
  find(key: string): number;
  /** The key's live slot without changing its recency; -1 when absent or stale. */
  peek(key: string): number;
  /**
   * The slot of the key `find` last looked up, created if absent (evicting the least recently used at the
   * limit, after `onFree`), made most recent and its time to live restarted.
   */
  touchLast(): number;
  /**
   * Frees the least recently used key unless it is `keep` (the key a hit is adding to): the owner's entry
   * limit makes room this way. False when there is nothing else to free.
   */
  dropOldest(keep: number): boolean;
}

/** A power of two at least twice the slots, so probes stay short and `& mask` wraps. */
function indexLength(slots: number): number {
  let length = 2;
  while (length < slots * 2) length *= 2;
  return length;
}

export function createKeyTable(maxKeys: number, ttlMs: number, onFree: (slot: number) => void): KeyTable {
  const fp = new Uint32Array(2);
  let clock = 0;
  let capacity = Math.min(FIRST_CAPACITY, maxKeys);
  let hashHi = new Uint32Array(capacity);
  let hashLo = new Uint32Array(capacity);
  let prev = new Int32Array(capacity);
  let next = new Int32Array(capacity);
  // lru-cache's start of the time to live; 0 never expires (its `!!start`).
  let startedAt = new Float64Array(capacity);
  // Open addressing with linear probing over slot + 1 (0 is empty), at most half full.
  let index = new Int32Array(indexLength(capacity));
  let mask = index.length - 1;
  let size = 0;
  let used = 0;
  const freeSlots: number[] = [];
  let oldest = EMPTY;
  let newest = EMPTY;
  // The live slot `find` last returned, or EMPTY when the key it looked up is absent.
  let lastSlot = EMPTY;

  function locate(): number {
    let position = fp[0]! & mask;
    for (;;) {
      const entry = index[position]!;
      if (entry === 0) return ~position;
      const slot = entry - 1;
      if (hashHi[slot] === fp[0] && hashLo[slot] === fp[1]) return slot;
      position = (position + 1) & mask;
    }
  }

  function stale(slot: number): boolean {
    const start = startedAt[slot]!;
    return start !== 0 && clock - start > ttlMs;
  }

  function unlink(slot: number): void {
    const before = prev[slot]!;
    const after = next[slot]!;
    if (before === EMPTY) oldest = after;
    else next[before] = after;
    if (after === EMPTY) newest = before;
    else prev[after] = before;
  }

  function linkNewest(slot: number): void {
    prev[slot] = newest;
    next[slot] = EMPTY;
    if (newest === EMPTY) oldest = slot;
    else next[newest] = slot;
    newest = slot;
  }

  /** Removes the slot from the index (backward-shift deletion keeps every probe sequence whole). */
  function unindex(slot: number): void {
    let hole = hashHi[slot]! & mask;
    while (index[hole] !== slot + 1) hole = (hole + 1) & mask;
    let position = hole;
    for (;;) {
      position = (position + 1) & mask;
      const entry = index[position]!;
      if (entry === 0) break;
      const home = hashHi[entry - 1]! & mask;
      // The entry may move back into the hole only if the hole lies on its probe path.
      if (
        (position > hole && (home <= hole || home > position)) ||
        (position < hole && home <= hole && home > position)
      ) {
        index[hole] = entry;
        hole = position;
      }
    }
    index[hole] = 0;
  }

  function free(slot: number): void {
    onFree(slot);
    unlink(slot);
    unindex(slot);
    freeSlots.push(slot);
    size -= 1;
  }

  function grow(): void {
    const nextCapacity = Math.min(capacity * 2, maxKeys);
    const widen = <T extends Uint32Array | Int32Array | Float64Array>(array: T, make: (n: number) => T): T => {
      const wider = make(nextCapacity);
      wider.set(array);
      return wider;
    };
    hashHi = widen(hashHi, (n) => new Uint32Array(n));
    hashLo = widen(hashLo, (n) => new Uint32Array(n));
    prev = widen(prev, (n) => new Int32Array(n));
    next = widen(next, (n) => new Int32Array(n));
    startedAt = widen(startedAt, (n) => new Float64Array(n));
    capacity = nextCapacity;
    index = new Int32Array(indexLength(capacity));
    mask = index.length - 1;
    for (let slot = oldest; slot !== EMPTY; slot = next[slot]!) {
      let position = hashHi[slot]! & mask;
      while (index[position] !== 0) position = (position + 1) & mask;
      index[position] = slot + 1;
    }
  }

  return {
    get size() {
      return size;
    },
    advance(now) {
      if (now > clock) clock = now;
    },
    find(key) {
      fingerprint(key, fp);
      const found = locate();
      lastSlot = EMPTY;
      if (found < 0) return EMPTY;
      if (stale(found)) {
        free(found);
        return EMPTY;
      }
      lastSlot = found;
      unlink(found);
      linkNewest(found);
      return found;
    },
    peek(key) {
      fingerprint(key, fp);
      const found = locate();
      return found < 0 || stale(found) ? EMPTY : found;
    },
    dropOldest(keep) {
      if (oldest === EMPTY || oldest === keep) return false;
      free(oldest);
      return true;
    },
    touchLast() {
      if (lastSlot !== EMPTY) {
        // `find` found it and made it the most recent already.
        startedAt[lastSlot] = clock;
        return lastSlot;
      }
      if (size >= maxKeys) free(oldest);
      let slot: number;
      if (freeSlots.length > 0) slot = freeSlots.pop()!;
      else {
        if (used === capacity) grow();
        slot = used++;
      }
      // Freeing or growing moved entries of the index: the key's position is looked up again.
      const position = ~locate();
      index[position] = slot + 1;
      hashHi[slot] = fp[0]!;
      hashLo[slot] = fp[1]!;
      startedAt[slot] = clock;
      linkNewest(slot);
      size += 1;
      lastSlot = slot;
      return slot;
    },
  };
}
