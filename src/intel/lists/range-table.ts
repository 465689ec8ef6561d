// Sorted, disjoint address ranges with a payload each: one binary search per lookup. IPv4 keys are
// uint32 numbers in typed arrays; IPv6 keeps all 128 bits as (hi, lo) pairs of uint64, so a lookup
// does no BigInt arithmetic beyond splitting the address once.
import type { ListEntry } from './entries.ts';
import { findLastStartV4, findLastStartV6 } from '../range-search.ts';

export interface RangeTable<M> {
  findV4(key: number): M | undefined;
  /** The address as its top and bottom 64 bits. */
  findV6(hi: bigint, lo: bigint): M | undefined;
  readonly v4Ranges: number;
  readonly v6Ranges: number;
}

export interface RangeItem<M> {
  readonly entry: ListEntry;
  readonly match: M;
}

const LOW_64 = (1n << 64n) - 1n;

/**
 * Builds the table from entries of any number of lists. Overlaps are resolved so that every
 * address keeps exactly one answer: a range inside another (a /32 inside a /24, the same /24 on
 * two lists) is absorbed by the outer one, which is the one reported, and a partial overlap (only
 * possible between ranges that are not CIDRs) is clipped. Ties go to the earlier item.
 */
export function buildRangeTable<M>(items: readonly RangeItem<M>[]): RangeTable<M> {
  const v4: { start: number; end: number; ref: number }[] = [];
  const v6: { start: bigint; end: bigint; ref: number }[] = [];
  items.forEach(({ entry }, ref) => {
    if (entry.family === 4) v4.push({ start: entry.start, end: entry.end, ref });
    else v6.push({ start: entry.start, end: entry.end, ref });
  });
  v4.sort((a, b) => a.start - b.start || b.end - a.end || a.ref - b.ref);
  v6.sort((a, b) =>
    a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.end !== b.end ? (a.end > b.end ? -1 : 1) : a.ref - b.ref,
  );

  const v4Start: number[] = [];
  const v4End: number[] = [];
  const v4Ref: number[] = [];
  let lastEnd = -1;
  for (const { start, end, ref } of v4) {
    if (end <= lastEnd) continue;
    v4Start.push(Math.max(start, lastEnd + 1));
    v4End.push(end);
    v4Ref.push(ref);
    lastEnd = end;
  }
  const v6Kept: { start: bigint; end: bigint; ref: number }[] = [];
  let lastEnd6 = -1n;
  for (const { start, end, ref } of v6) {
    if (end <= lastEnd6) continue;
    v6Kept.push({ start: start > lastEnd6 ? start : lastEnd6 + 1n, end, ref });
    lastEnd6 = end;
  }

  const starts4 = Uint32Array.from(v4Start);
  const ends4 = Uint32Array.from(v4End);
  const refs4 = Uint32Array.from(v4Ref);
  const startHi = BigUint64Array.from(v6Kept, (r) => r.start >> 64n);
  const startLo = BigUint64Array.from(v6Kept, (r) => r.start & LOW_64);
  const endHi = BigUint64Array.from(v6Kept, (r) => r.end >> 64n);
  const endLo = BigUint64Array.from(v6Kept, (r) => r.end & LOW_64);
  const refs6 = Uint32Array.from(v6Kept, (r) => r.ref);
  const matches = items.map((item) => item.match);

  return {
    v4Ranges: starts4.length,
    v6Ranges: startHi.length,
    findV4(key) {
      // The last range starting at or before the key; it holds the key when it also ends after it.
      const i = findLastStartV4(starts4, key);
      return i >= 0 && key <= ends4[i]! ? matches[refs4[i]!] : undefined;
    },
    findV6(hi, lo) {
      const i = findLastStartV6(startHi, startLo, hi, lo);
      if (i < 0) return undefined;
      const eHi = endHi[i]!;
      return hi < eHi || (hi === eHi && lo <= endLo[i]!) ? matches[refs6[i]!] : undefined;
    },
  };
}

/** Splits a 128-bit address for `findV6`. */
export function splitV6(value: bigint): { hi: bigint; lo: bigint } {
  return { hi: value >> 64n, lo: value & LOW_64 };
}
