/**
 * How many clicks from one address on one campaign are stored as rows each second (security finding 7:
 * 2,500 clicks from one address in 1.9 s were all stored). Past the rate a click is still judged,
 * redirected or refused, and counted in the statistics, but not stored as a row of its own.
 *
 * Fixed one-second windows per node: the counts of the current second only, in one Map replaced when the
 * second turns, so the cost per click is one lookup and memory is bounded by `maxKeys` addresses a second.
 * A flood of T seconds stores at most `perSecond` × (the seconds it touches) rows per node.
 */
export interface RowGate {
  /** True when this click may be stored as a row; `key` names the campaign and the address. */
  admit(key: string, now: number): boolean;
}

export function createRowGate(perSecond: number, maxKeys = 250_000): RowGate {
  let second = -1;
  let counts = new Map<string, number>();
  return {
    admit(key, now) {
      const current = Math.floor(now / 1000);
      if (current !== second) {
        second = current;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      // Past maxKeys distinct addresses in one second, new ones are not tracked (and so stored): the
      // bound on memory wins over the bound on rows for that second.
      if (count > 1 || counts.size < maxKeys) counts.set(key, count);
      return count <= perSecond;
    },
  };
}
