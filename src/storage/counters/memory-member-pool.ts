import { NONE } from './memory-entry-pool.ts';
import type { Chain } from './memory-slot-lists.ts';

/**
 * The members of the distinct windows (a user agent on an address, a device on a subnet) as a 64-bit
 * fingerprint and a last-seen time in typed arrays, chained per key by index. Two members of one key
 * sharing a fingerprint would count once: with at most 128 members a key, about 128² / 2⁶⁵ (4 × 10⁻¹⁶).
 */
export interface MemberPool extends Chain {
  /** Members held now: what the window's member limit counts. */
  readonly live: number;
  add(hi: number, lo: number, seen: number): number;
  is(member: number, hi: number, lo: number): boolean;
  setSeen(member: number, seen: number): void;
}

/** `maxMembers`: the most the owner keeps at once, where the arrays stop growing (as createEntryPool's limit). */
export function createMemberPool(
  onRemove: (member: number) => void,
  maxMembers = Number.POSITIVE_INFINITY,
): MemberPool {
  let capacity = Math.min(1024, maxMembers);
  let his = new Uint32Array(capacity);
  let los = new Uint32Array(capacity);
  let seens = new Float64Array(capacity);
  let links = new Int32Array(capacity);
  let freeHead = NONE;
  let used = 0;
  let live = 0;

  function grow(): void {
    capacity = Math.max(Math.min(capacity * 2, maxMembers), capacity + 1);
    const widen = <T extends Uint32Array | Int32Array | Float64Array>(array: T, wider: T): T => {
      wider.set(array);
      return wider;
    };
    his = widen(his, new Uint32Array(capacity));
    los = widen(los, new Uint32Array(capacity));
    seens = widen(seens, new Float64Array(capacity));
    links = widen(links, new Int32Array(capacity));
  }

  return {
    get live() {
      return live;
    },
    add(hi, lo, seen) {
      live += 1;
      let member: number;
      if (freeHead !== NONE) {
        member = freeHead;
        freeHead = links[member]!;
      } else {
        if (used === capacity) grow();
        member = used++;
      }
      his[member] = hi;
      los[member] = lo;
      seens[member] = seen;
      links[member] = NONE;
      return member;
    },
    is: (member, hi, lo) => his[member] === hi && los[member] === lo,
    setSeen(member, seen) {
      seens[member] = seen;
    },
    at: (member) => seens[member]!,
    next: (member) => links[member]!,
    setNext(member, following) {
      links[member] = following;
    },
    remove(member) {
      live -= 1;
      onRemove(member);
      links[member] = freeHead;
      freeHead = member;
    },
  };
}
