import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryVisitorWindow } from './memory-visitor-window.ts';

const HOUR = 3_600_000;

test('counts earlier hits of a key within the window', () => {
  const window = createMemoryVisitorWindow(24 * HOUR);
  assert.equal(window.hit('a', 0), 0);
  assert.equal(window.hit('a', HOUR), 1);
  assert.equal(window.hit('b', HOUR), 0);
  assert.equal(window.hit('a', 2 * HOUR), 2);
  assert.equal(window.hit('a', 25 * HOUR + 1), 1, 'the hits at 0 h and 1 h left the window');
  assert.equal(window.hit('a', 100 * HOUR), 0);
});

test('memory stays at the key limit however many visitors pass, and stale keys count as new', () => {
  const window = createMemoryVisitorWindow(HOUR, 5_000);
  for (let i = 0; i < 10_000; i++) window.hit(`old-${i}`, i);
  assert.equal(window.size, 5_000);
  assert.equal(window.hit('old-9999', 2 * HOUR), 0, 'its window has passed');
  for (let i = 0; i < 20_000; i++) window.hit(`new-${i}`, 2 * HOUR + i);
  assert.equal(window.size, 5_000);
});

test('a repeated key is kept while it stays active', () => {
  const window = createMemoryVisitorWindow(HOUR);
  window.hit('busy', 0);
  window.hit('idle', 1);
  window.hit('busy', HOUR - 1);
  window.hit('other', HOUR + 10);
  assert.equal(window.hit('busy', HOUR + 20), 1);
  assert.equal(window.hit('idle', HOUR + 30), 0);
});

test('past its key limit the window forgets the least recently seen visitor', () => {
  const window = createMemoryVisitorWindow(HOUR, 3);
  window.hit('a', 0);
  window.hit('b', 1);
  window.hit('c', 2);
  window.hit('a', 3);
  window.hit('d', 4);
  assert.equal(window.size, 3);
  assert.equal(window.hit('a', 5), 2, 'a was seen recently and kept');
  assert.equal(window.hit('b', 6), 0, 'b was the least recent and forgotten');
});

test('claims the ids of a key within a span once per mark', () => {
  const window = createMemoryVisitorWindow(HOUR, 100, 128);
  window.hit('ip', 0, undefined, 'c1');
  window.hit('ip', 1_000, undefined, 'c2');
  window.hit('ip', 2_000);
  window.hit('other', 2_500, undefined, 'x');
  window.hit('ip', 30_000, undefined, 'c3');
  assert.deepEqual(
    window.claim('ip', 30_000, 29_500, 1),
    ['c2', 'c3'],
    'c1 is outside the span; a hit without id has nothing to hand out',
  );
  assert.deepEqual(
    window.claim('ip', 30_000, HOUR, 1),
    ['c1'],
    'claimed ids are not handed out again for the same mark',
  );
  assert.deepEqual(window.claim('ip', 30_000, HOUR, 2), ['c1', 'c2', 'c3'], 'another mark claims them afresh');
  assert.deepEqual(window.claim('missing', 30_000, HOUR, 1), []);
});

test('keeps as many clicks per key as asked, for counts past every limit', () => {
  const window = createMemoryVisitorWindow(HOUR, 100, 128);
  for (let i = 0; i < 200; i++) window.hit('ip', i, undefined, `c${i}`);
  assert.equal(window.count('ip', 200, HOUR), 128);
  assert.equal(window.claim('ip', 200, HOUR, 1).length, 128);
  const small = createMemoryVisitorWindow(HOUR);
  for (let i = 0; i < 200; i++) small.hit('ip', i);
  assert.equal(small.count('ip', 200, HOUR), 16, 'the default stays small for the million-key visitor window');
});

test('the click limit over all keys evicts the least recently seen keys, never the key being hit', () => {
  const window = createMemoryVisitorWindow(HOUR, 1_000, 128, 300);
  for (let i = 0; i < 128; i++) window.hit('a', i, HOUR, `a${i}`);
  for (let i = 0; i < 128; i++) window.hit('b', 200 + i, HOUR, `b${i}`);
  assert.equal(window.entries, 256);
  for (let i = 0; i < 128; i++) window.hit('c', 400 + i, HOUR, `c${i}`);
  assert.equal(window.count('a', 600, HOUR), 0, 'a, the least recently seen, made room for c');
  assert.equal(window.count('b', 600, HOUR), 128, 'b kept every click');
  assert.equal(window.count('c', 600, HOUR), 128);
  assert.equal(window.entries, 256);
  assert.equal(window.size, 2);
  assert.deepEqual(window.claim('b', 600, HOUR, 1).length, 128, "b's clicks can still be claimed");
  // One key alone past its per-key cap drops its own oldest click, not itself.
  for (let i = 0; i < 400; i++) window.hit('d', 1_000 + i);
  assert.equal(window.count('d', 1_400, HOUR), 128);
  assert.ok(window.entries <= 300);
});
