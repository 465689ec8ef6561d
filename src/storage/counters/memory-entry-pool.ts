/**
 * The windows' remembered clicks (time, click id, claim marks) in typed arrays instead of one object each
 * (about 120 bytes with its id string; here 38). Entries are chained into lists by `next`; the owner
 * keeps each list's head. A click id minted by the tracker (`clk_` + 22 base62 characters) is kept as its
 * 22 character codes; any other id (tests, imported clicks) is kept as a string beside.
 */

export const NONE = -1;
const FIRST_CAPACITY = 1024;
const MINTED_ID = /^clk_[0-9A-Za-z]{22}$/;
const MINTED_PREFIX = 'clk_';
const MINTED_LENGTH = 22;

// What an entry's id is: none, a minted id in `ids`, another string in `otherIds`.
const NO_ID = 0;
const MINTED = 1;
const OTHER = 2;

export interface EntryPool {
  /** Entries held now (added and not removed): what the window's entry limit counts. */
  readonly live: number;
  /** A new entry (its `next` is NONE). */
  add(at: number, id: string | undefined): number;
  remove(entry: number): void;
  at(entry: number): number;
  next(entry: number): number;
  setNext(entry: number, following: number): void;
  /** As `claimEntries`: the entry's id if it is after `cutoff`, has an id and lacks `mark`, which it now carries. */
  claim(entry: number, cutoff: number, mark: number): string | undefined;
}

/**
 * `maxEntries`: the most the owner keeps at once (it makes room before adding past it), so the arrays stop
 * growing there instead of doubling past it (up to twice the memory the limit was sized for).
 */
export function createEntryPool(maxEntries = Number.POSITIVE_INFINITY): EntryPool {
  let capacity = Math.min(FIRST_CAPACITY, maxEntries);
  let times = new Float64Array(capacity);
  let marks = new Uint32Array(capacity);
  let links = new Int32Array(capacity);
  let kinds = new Uint8Array(capacity);
  let ids = new Uint8Array(capacity * MINTED_LENGTH);
  const otherIds = new Map<number, string>();
  // Removed entries, chained through `links`.
  let freeHead = NONE;
  let used = 0;
  let live = 0;

  function grow(): void {
    // Past the limit only if the owner failed to make room: a bug, but not one to lose a click over.
    capacity = Math.max(Math.min(capacity * 2, maxEntries), capacity + 1);
    const widen = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(array: T, wider: T): T => {
      wider.set(array);
      return wider;
    };
    times = widen(times, new Float64Array(capacity));
    marks = widen(marks, new Uint32Array(capacity));
    links = widen(links, new Int32Array(capacity));
    kinds = widen(kinds, new Uint8Array(capacity));
    ids = widen(ids, new Uint8Array(capacity * MINTED_LENGTH));
  }

  return {
    get live() {
      return live;
    },
    add(at, id) {
      live += 1;
      let entry: number;
      if (freeHead !== NONE) {
        entry = freeHead;
        freeHead = links[entry]!;
      } else {
        if (used === capacity) grow();
        entry = used++;
      }
      times[entry] = at;
      marks[entry] = 0;
      links[entry] = NONE;
      if (id === undefined) kinds[entry] = NO_ID;
      else if (MINTED_ID.test(id)) {
        kinds[entry] = MINTED;
        const base = entry * MINTED_LENGTH;
        for (let i = 0; i < MINTED_LENGTH; i++) ids[base + i] = id.charCodeAt(MINTED_PREFIX.length + i);
      } else {
        kinds[entry] = OTHER;
        otherIds.set(entry, id);
      }
      return entry;
    },
    remove(entry) {
      live -= 1;
      if (kinds[entry] === OTHER) otherIds.delete(entry);
      kinds[entry] = NO_ID;
      links[entry] = freeHead;
      freeHead = entry;
    },
    at: (entry) => times[entry]!,
    next: (entry) => links[entry]!,
    setNext(entry, following) {
      links[entry] = following;
    },
    claim(entry, cutoff, mark) {
      const kind = kinds[entry]!;
      if (times[entry]! <= cutoff || kind === NO_ID || (marks[entry]! & mark) !== 0) return undefined;
      marks[entry] = marks[entry]! | mark;
      if (kind === OTHER) return otherIds.get(entry);
      const base = entry * MINTED_LENGTH;
      return MINTED_PREFIX + String.fromCharCode(...ids.subarray(base, base + MINTED_LENGTH));
    },
  };
}
