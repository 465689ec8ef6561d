import { NONE } from './memory-entry-pool.ts';
import type { Chain } from './memory-slot-lists.ts';

/**
 * The members of the distinct windows (a user agent on an address, a device on a subnet) as a 64-bit
 * fingerprint and a last-seen time in typed arrays, chained per key by index. Two members of one key
 * sharing a fingerprint would count once: with at most 128 members a key, about 128² / 2⁶⁵ (4 × 10⁻¹⁶).
 */
export interface MemberPool extends Chain {
  add(hi: number, lo: number, seen: number): number;
  is(member: number, hi: number, lo: number): boolean;
  setSeen(member: number, seen: number): void;
}

export function createMemberPool(onRemove: (member: number) => void): MemberPool {
  let capacity = 1024;
  let his = new Uint32Array(capacity);
  let los = new Uint32Array(capacity);
  let seens = new Float64Array(capacity);
  let links = new Int32Array(capacity);
  let freeHead = NONE;
  let used = 0;

  function grow(): void {
    capacity *= 2;
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
    add(hi, lo, seen) {
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
      onRemove(member);
      links[member] = freeHead;
      freeHead = member;
    },
  };
}
