import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryDistinctWindow } from './memory-distinct-window.ts';

const MINUTE = 60_000;

test('counts distinct members of a key within the window, this one included', () => {
  const window = createMemoryDistinctWindow(10 * MINUTE);
  assert.equal(window.hit('net', 'ua1', 0), 1);
  assert.equal(window.hit('net', 'ua1', 1), 1, 'the same member again');
  assert.equal(window.hit('net', 'ua2', 2), 2);
  assert.equal(window.hit('other', 'ua3', 3), 1);
  assert.equal(window.hit('net', 'ua3', 4), 3);
  assert.equal(window.hit('net', 'ua4', 10 * MINUTE + 3), 2, 'ua1 and ua2 left the window, ua3 and ua4 remain');
  assert.equal(window.hit('net', 'ua5', 10 * MINUTE + 5, MINUTE), 2, 'a shorter counting window');
});

test('bounded: members per key and keys overall', () => {
  const window = createMemoryDistinctWindow(10 * MINUTE, 2);
  for (let i = 0; i < 1000; i++) window.hit('net', `ua${i}`, i);
  assert.equal(window.hit('net', 'last', 1000), 128);
  window.hit('b', 'x', 1001);
  window.hit('c', 'x', 1002);
  assert.equal(window.size, 2);
});

test("claims every member's recent click ids once per mark", () => {
  const window = createMemoryDistinctWindow(10 * MINUTE);
  window.hit('net', 'phone1', 0, undefined, 'a1');
  window.hit('net', 'phone2', 1_000, undefined, 'b1');
  window.hit('net', 'phone1', 2_000, undefined, 'a2');
  window.hit('net', 'phone3', 3_000);
  assert.deepEqual(window.claim('net', 3_000, 10 * MINUTE, 2).sort(), ['a1', 'a2', 'b1']);
  assert.deepEqual(window.claim('net', 3_000, 10 * MINUTE, 2), []);
  window.hit('net', 'phone4', 4_000, undefined, 'd1');
  assert.deepEqual(window.claim('net', 4_000, 10 * MINUTE, 2), ['d1']);
  assert.deepEqual(window.claim('net', 4_000, 1_500, 1), ['d1'], 'only clicks within the span');
});

test('counts distinct members within a span without recording one', () => {
  const window = createMemoryDistinctWindow(10 * MINUTE);
  window.hit('line', 'ua1', 0);
  window.hit('line', 'ua2', 5 * MINUTE);
  window.hit('line', 'ua1', 9 * MINUTE);
  assert.equal(window.count('line', 9 * MINUTE, MINUTE), 1, 'only ua1 within the last minute');
  assert.equal(window.count('line', 9 * MINUTE, 10 * MINUTE), 2);
  assert.equal(window.count('line', 9 * MINUTE, 10 * MINUTE), 2, 'counting records nothing');
  assert.equal(window.count('unknown', 9 * MINUTE, MINUTE), 0);
});

test('the member and click limits over all keys evict the least recently seen keys', () => {
  const byMembers = createMemoryDistinctWindow(10 * MINUTE, 1_000, 10);
  for (let i = 0; i < 6; i++) byMembers.hit('a', `ua${i}`, i);
  for (let i = 0; i < 6; i++) byMembers.hit('b', `ua${i}`, 10 + i);
  assert.equal(byMembers.count('a', 20, MINUTE), 0, 'a made room for the members of b');
  assert.equal(byMembers.count('b', 20, MINUTE), 6);
  assert.ok(byMembers.members <= 10);

  const byClicks = createMemoryDistinctWindow(10 * MINUTE, 1_000, 1_000, 10);
  for (let i = 0; i < 4; i++) byClicks.hit('a', 'x', i, MINUTE, `ax${i}`);
  for (let i = 0; i < 4; i++) byClicks.hit('a', 'y', 4 + i, MINUTE, `ay${i}`);
  for (let i = 0; i < 3; i++) byClicks.hit('b', 'z', 10 + i, MINUTE, `bz${i}`);
  assert.equal(byClicks.count('a', 20, MINUTE), 0, 'a made room for the third click of b');
  assert.deepEqual(byClicks.claim('b', 20, MINUTE, 1), ['bz0', 'bz1', 'bz2']);
  assert.equal(byClicks.entries, 3);
});
