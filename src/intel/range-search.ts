// Sorted, non-overlapping ranges searched by their start: shared by the ASN index and the IP lists.

/** Index of the last range in [low, high] whose start is <= the key, or low - 1 when none is. */
export function findLastStartV4(starts: Uint32Array, key: number, low = 0, high = starts.length - 1): number {
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (starts[mid]! <= key) low = mid + 1;
    else high = mid - 1;
  }
  return high;
}

/** The same for IPv6 starts kept as high and low 64-bit halves; -1 when none is. */
export function findLastStartV6(startHi: BigUint64Array, startLo: BigUint64Array, hi: bigint, lo: bigint): number {
  let low = 0;
  let high = startHi.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const midHi = startHi[mid]!;
    if (midHi < hi || (midHi === hi && startLo[mid]! <= lo)) low = mid + 1;
    else high = mid - 1;
  }
  return high;
}
