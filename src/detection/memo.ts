/**
 * A bounded memo for the click path's pure per-string work (user-agent parsing, header parsing, address
 * enrichment). Traffic repeats: a few thousand browser builds make up most clicks, and a visitor's
 * address comes back on its next click. An LRU's bookkeeping (a linked list updated on every hit) cost
 * more than some of the work it saved, so this keeps two generations of plain Maps instead: a hit is one
 * or two Map reads, and when the young generation is full the old one is dropped whole. Entries used
 * since the last turnover survive it, which is what an LRU would keep, give or take the recent half.
 * At most `2 × half` entries are held.
 */
export class RecentCache<V> {
  #young = new Map<string, V>();
  #old = new Map<string, V>();

  constructor(private readonly half: number) {
    if (!(half >= 1)) throw new RangeError(`A RecentCache holds at least one entry per generation, not ${half}`);
  }

  /** The remembered value, or undefined when the key was never set or has been dropped. */
  get(key: string): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    // Still in use: carried into the young generation so the next turnover keeps it.
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    if (this.#young.size >= this.half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
  }
}

/**
 * `compute` remembered per key for keys up to `maxKeyLength` characters (longer ones, rare and possibly
 * hostile, are computed each time rather than filling the memo with big strings). `compute` must be pure
 * and its result treated as read-only by every caller: one result is shared by every click that asks.
 */
export function memoize<V>(
  compute: (key: string) => V,
  options: { readonly entries: number; readonly maxKeyLength: number },
): (key: string) => V {
  const cache = new RecentCache<{ readonly value: V }>(Math.max(1, Math.ceil(options.entries / 2)));
  return (key) => {
    if (key.length > options.maxKeyLength) return compute(key);
    let hit = cache.get(key);
    if (hit === undefined) {
      // Boxed, so that a computed undefined or null is remembered like any other answer.
      hit = { value: compute(key) };
      cache.set(key, hit);
    }
    return hit.value;
  };
}
