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
