import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, shorten } from './text.ts';

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [86_400_000, '24 h'],
    [2 * 86_400_000, '48 h'],
    [7 * 86_400_000, '7 d'],
    [3_600_000, '1 h'],
    [90 * 60_000, '90 min'],
    [45_000, '45 s'],
    [1_500, '1500 ms'],
  ];
  for (const [ms, expected] of cases) it(`${ms} → ${expected}`, () => assert.equal(formatDuration(ms), expected));
});

describe('shorten', () => {
  const cases: [string, number, string][] = [
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['a bit too long', 10, 'a bit too…'],
    ['abcdefgh🎯xyz', 10, 'abcdefgh…'],
  ];
  for (const [text, max, expected] of cases)
    it(`${text} → ${expected}`, () => assert.equal(shorten(text, max), expected));
});
