import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryLineWindow, LINES_PER_KEY } from './memory-line-window.ts';

const MINUTE = 60_000;

test('returns the most browsers another line of the subnet showed at its latest click within the span', () => {
  const window = createMemoryLineWindow(60 * MINUTE);
  assert.equal(window.record('net', 'a', 3, 0, 10 * MINUTE), 0, 'no other line yet');
  assert.equal(window.record('net', 'a', 5, 1_000, 10 * MINUTE), 0, 'its own line does not count');
  assert.equal(window.record('net', 'b', 1, 2_000, 10 * MINUTE), 5, "a's latest count, not its first");
  assert.equal(window.record('other', 'c', 1, 3_000, 10 * MINUTE), 0, 'subnets are apart');
  assert.equal(window.record('net', 'b', 2, 11 * MINUTE, 10 * MINUTE), 0, 'a left the span');
  assert.equal(window.record('net', 'c', 1, 11 * MINUTE + 1, 20 * MINUTE), 5, 'a longer span still sees a');
});

test('lists the lines with more than one browser within the span: the ones a farm finding reaches', () => {
  const window = createMemoryLineWindow(60 * MINUTE);
  window.record('net', 'farm1', 4, 0, 10 * MINUTE);
  window.record('net', 'home', 1, 1_000, 10 * MINUTE);
  window.record('net', 'farm2', 2, 2_000, 10 * MINUTE);
  assert.deepEqual(window.lines('net', 3_000, 10 * MINUTE), ['farm1', 'farm2']);
  assert.deepEqual(window.lines('net', 10 * MINUTE + 500, 10 * MINUTE), ['farm2']);
  assert.deepEqual(window.lines('none', 0, 10 * MINUTE), []);
});

test('bounded: lines per subnet (the oldest dropped first) and subnets overall', () => {
  const window = createMemoryLineWindow(60 * MINUTE, 2);
  window.record('net', 'busy', 9, 0, 10 * MINUTE);
  for (let i = 0; i < LINES_PER_KEY; i++) window.record('net', `line${i}`, 2, 1 + i, 10 * MINUTE);
  assert.equal(window.record('net', 'late', 1, 100, 10 * MINUTE), 2, 'the oldest line, with 9 browsers, was dropped');
  assert.equal(window.lines('net', 100, 10 * MINUTE).length, LINES_PER_KEY - 1, 'the last line has one browser');
  window.record('b', 'x', 1, 101, 10 * MINUTE);
  window.record('c', 'x', 1, 102, 10 * MINUTE);
  assert.equal(window.size, 2);
});

test('the line limit over all subnets evicts the least recently seen subnets', () => {
  const window = createMemoryLineWindow(60 * MINUTE, 1_000, 10);
  for (let i = 0; i < LINES_PER_KEY; i++) window.record('net1', `line${i}`, 2, i, 10 * MINUTE);
  for (let i = 0; i < 3; i++) window.record('net2', `other${i}`, 3, 10 + i, 10 * MINUTE);
  assert.deepEqual(window.lines('net1', 20, 10 * MINUTE), [], 'net1 made room for the third line of net2');
  assert.deepEqual(window.lines('net2', 20, 10 * MINUTE), ['other0', 'other1', 'other2']);
  assert.equal(window.size, 1);
  assert.equal(window.entries, 3);
});

test('hands back every line as recorded: IPv6, long and non-Latin-1 ones included', () => {
  const window = createMemoryLineWindow(60 * MINUTE);
  const lines = ['12345678:2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', `1:${'x'.repeat(60)}`, '1:Łódź', '1:203.0.113.7'];
  for (const [i, line] of lines.entries()) window.record('net', line, 2, i, 10 * MINUTE);
  assert.deepEqual(window.lines('net', 10, 10 * MINUTE), lines);
});
