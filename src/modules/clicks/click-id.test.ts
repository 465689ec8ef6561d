import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateClickId, isClickId } from './click-id.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('generateClickId', () => {
  const ids = Array.from({ length: 100_000 }, generateClickId);

  it('is clk_ followed by 22 base62 characters', () => {
    for (const id of ids.slice(0, 1000)) {
      assert.match(id, /^clk_[0-9A-Za-z]{22}$/);
      assert.equal(id.length, 26);
    }
  });

  it('never repeats over 100k ids', () => {
    assert.equal(new Set(ids).size, ids.length);
  });

  it('uses every character of its random part about equally (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (const id of ids) for (const char of id.slice(9)) counts.set(char, (counts.get(char) ?? 0) + 1);
    assert.equal(counts.size, 62);
    const expected = (ids.length * 17) / 62;
    // ±5% is about 9 standard deviations here, yet a plain `byte % 62` would put '0'-'7' at +25%.
    for (const char of BASE62) {
      const count = counts.get(char) ?? 0;
      assert.ok(Math.abs(count - expected) / expected < 0.05, `${char}: ${count} vs ${expected.toFixed(0)}`);
    }
  });
});

describe('generateClickId: the time part', () => {
  const at = Date.UTC(2026, 11, 5, 18, 0, 0);

  it('gives the clicks of one hundredth of a second one prefix, and later ones a greater one', () => {
    const now = generateClickId(at);
    assert.equal(generateClickId(at + 9).slice(0, 9), now.slice(0, 9));
    for (const later of [at + 10, at + 1_000, at + 3_600_000, at + 86_400_000])
      assert.ok(generateClickId(later).slice(0, 9) > now.slice(0, 9), `${later - at} ms later sorts after`);
  });

  it('still leaves 17 random characters (over the 96 random bits SPEC section 1 asks)', () => {
    const same = Array.from({ length: 1_000 }, () => generateClickId(at));
    assert.equal(new Set(same.map((id) => id.slice(9))).size, same.length);
    assert.ok(17 * Math.log2(62) > 96);
  });
});

describe('isClickId', () => {
  const cases: [string, boolean][] = [
    [generateClickId(), true],
    ['clk_0123456789abcdefghijkl', true],
    ['clk_0123456789abcdefghijk', false],
    ['clk_0123456789abcdefghijklm', false],
    ['CLK_0123456789abcdefghijkl', false],
    ['clk_0123456789abcdefghij-l', false],
    ['clk_abc123', false],
    ['', false],
    ['clk_0123456789abcdefghijkl\n', false],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(isClickId(value), expected));
  }
});
