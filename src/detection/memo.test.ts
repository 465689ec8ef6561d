import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentCache, memoize } from './memo.ts';

describe('RecentCache', () => {
  test('holds at most two generations and keeps what was used since the last turnover', () => {
    const cache = new RecentCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    // Young is full: it becomes the old generation.
    cache.set('c', 3);
    assert.equal(cache.get('a'), 1); // read from the old generation, carried into the young one
    cache.set('d', 4); // young ({c, a}) is full again: {a, b} is dropped, b with it
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
    assert.equal(cache.get('d'), 4);
  });

  test('never holds more than twice its half, however many keys pass', () => {
    const cache = new RecentCache<number>(10);
    for (let i = 0; i < 1_000; i++) cache.set(`k${i}`, i);
    let held = 0;
    for (let i = 0; i < 1_000; i++) if (cache.get(`k${i}`) !== undefined) held++;
    assert.ok(held <= 20, `${held} entries held`);
    assert.equal(cache.get('k999'), 999);
  });

  test('clear forgets everything, and a generation must hold something', () => {
    const cache = new RecentCache<string>(4);
    cache.set('a', 'x');
    cache.clear();
    assert.equal(cache.get('a'), undefined);
    assert.throws(() => new RecentCache(0), RangeError);
  });
});

describe('memoize', () => {
  test('computes each key once, remembers null answers, and computes over-long keys every time', () => {
    const calls: string[] = [];
    const lookup = memoize(
      (key: string) => {
        calls.push(key);
        return key.startsWith('x') ? null : { key };
      },
      { entries: 100, maxKeyLength: 8 },
    );
    const first = lookup('abc');
    assert.equal(lookup('abc'), first);
    assert.equal(lookup('xyz'), null);
    assert.equal(lookup('xyz'), null);
    assert.notEqual(lookup('long-key-1'), lookup('long-key-1'));
    assert.deepEqual(calls, ['abc', 'xyz', 'long-key-1', 'long-key-1']);
  });
});
