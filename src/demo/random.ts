/**
 * A seeded random source (mulberry32): the same seed gives the same traffic, so a benchmark run
 * can be repeated and a demo reproduced with `--seed`.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `items` with relative weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A fresh stream derived from this one, so one population's choices do not shift another's. */
  fork(label: string): Random;
}

function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (items) => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    fork: (label) => createRandom((seed ^ hashLabel(label)) + Math.floor(next() * 0xffff)),
  };
  return random;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64URL = `${BASE62}-_`;

export function randomString(random: Random, length: number, alphabet: 'base62' | 'base64url' = 'base62'): string {
  const chars = alphabet === 'base62' ? BASE62 : BASE64URL;
  let text = '';
  for (let i = 0; i < length; i++) text += chars[Math.floor(random.next() * chars.length)];
  return text;
}
