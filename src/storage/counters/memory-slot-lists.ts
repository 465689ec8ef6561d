import { NONE } from './memory-entry-pool.ts';

/** Items chained by index (clicks of the entry pool, members of a distinct window). */
export interface Chain {
  at(item: number): number;
  next(item: number): number;
  setNext(item: number, following: number): void;
  remove(item: number): void;
}

/**
 * One list per owner (a key's slot, a member), oldest item first, as head, tail and length in typed
 * arrays that grow with the highest owner seen.
 */
export interface SlotLists {
  head(owner: number): number;
  length(owner: number): number;
  /** Makes a new owner's list empty (a slot's arrays may hold a former owner's values). */
  reset(owner: number): void;
  append(owner: number, item: number): void;
  /** Removes the oldest item. */
  dropFirst(owner: number): void;
  /** Removes every item whose time is at or before `cutoff`, wherever it is (late clicks are out of order). */
  dropAtOrBefore(owner: number, cutoff: number): void;
  /** Unlinks `item` (which follows `before`, or is the head when `before` is NONE) without removing it from the chain. */
  detach(owner: number, item: number, before: number): void;
  /** Removes every item. */
  clear(owner: number): void;
}

/** `maxOwners`: owners are numbered below it (a table's slots, a pool's members), so the arrays stop there. */
export function createSlotLists(chain: Chain, maxOwners = Number.POSITIVE_INFINITY): SlotLists {
  const first = Math.min(1024, maxOwners);
  let heads = new Int32Array(first).fill(NONE);
  let tails = new Int32Array(first).fill(NONE);
  let lengths = new Uint16Array(first);

  function ensure(owner: number): void {
    if (owner < heads.length) return;
    let size = heads.length;
    while (size <= owner) size *= 2;
    size = Math.max(Math.min(size, maxOwners), owner + 1);
    const wider = (array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const next = new Int32Array(size).fill(NONE);
      next.set(array);
      return next;
    };
    heads = wider(heads);
    tails = wider(tails);
    const longer = new Uint16Array(size);
    longer.set(lengths);
    lengths = longer;
  }

  function detach(owner: number, item: number, before: number): void {
    const after = chain.next(item);
    if (before === NONE) heads[owner] = after;
    else chain.setNext(before, after);
    if (tails[owner] === item) tails[owner] = before;
    lengths[owner] = lengths[owner]! - 1;
    chain.setNext(item, NONE);
  }

  return {
    head: (owner) => (owner < heads.length ? heads[owner]! : NONE),
    length: (owner) => (owner < lengths.length ? lengths[owner]! : 0),
    reset(owner) {
      ensure(owner);
      heads[owner] = NONE;
      tails[owner] = NONE;
      lengths[owner] = 0;
    },
    append(owner, item) {
      ensure(owner);
      const tail = tails[owner]!;
      if (tail === NONE) heads[owner] = item;
      else chain.setNext(tail, item);
      tails[owner] = item;
      lengths[owner] = lengths[owner]! + 1;
    },
    dropFirst(owner) {
      const first = heads[owner]!;
      detach(owner, first, NONE);
      chain.remove(first);
    },
    dropAtOrBefore(owner, cutoff) {
      let before = NONE;
      let item = heads[owner]!;
      while (item !== NONE) {
        const after = chain.next(item);
        if (chain.at(item) <= cutoff) {
          detach(owner, item, before);
          chain.remove(item);
        } else before = item;
        item = after;
      }
    },
    detach,
    clear(owner) {
      if (owner >= heads.length) return;
      let item = heads[owner]!;
      while (item !== NONE) {
        const after = chain.next(item);
        chain.remove(item);
        item = after;
      }
      heads[owner] = NONE;
      tails[owner] = NONE;
      lengths[owner] = 0;
    },
  };
}
