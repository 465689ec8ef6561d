import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_IP_EXCLUSIONS, buildIpExclusions } from './ip-exclusions.ts';

/** Clicks per address, every click at the campaign's one price (no per-click cost). */
const build = (pairs: ReadonlyArray<readonly [string, number]>, perClick: number) =>
  buildIpExclusions(pairs.map(([ip, clicks]) => [ip, { clicks, cost: clicks * perClick }] as const));

test('most costly first; neighbours in one /24 become one Google Ads wildcard range', () => {
  const list = build(
    [
      ['203.0.113.7', 1],
      ['203.0.113.8', 2],
      ['203.0.113.9', 1],
      ['198.51.100.4', 3],
      ['198.51.100.5', 1],
      ['2001:DB8::1', 2],
    ],
    0.5,
  );
  assert.deepEqual(list, {
    entries: [
      { value: '203.0.113.*', clicks: 4, cost: 2 },
      { value: '198.51.100.4', clicks: 3, cost: 1.5 },
      { value: '2001:db8::1', clicks: 2, cost: 1 },
      { value: '198.51.100.5', clicks: 1, cost: 0.5 },
    ],
    truncated: false,
  });
});

test('two addresses of a /24 stay addresses: a range would shut out 256 households on that evidence', () => {
  const list = build(
    [
      ['192.0.2.1', 1],
      ['192.0.2.2', 1],
    ],
    1,
  );
  assert.deepEqual(
    list.entries.map((e) => e.value),
    ['192.0.2.1', '192.0.2.2'],
  );
});

test('ties are ordered by value, so the same data always gives the same list', () => {
  const input: Array<[string, number]> = [
    ['10.0.3.1', 1],
    ['10.0.1.1', 1],
    ['10.0.2.1', 1],
  ];
  assert.deepEqual(
    build(input, 1).entries.map((e) => e.value),
    ['10.0.1.1', '10.0.2.1', '10.0.3.1'],
  );
  assert.deepEqual(build(input.reverse(), 1), build(input, 1));
});

test('cpm cost per click is a fraction of a cent; cpa costs nothing but the list is still ranked by clicks', () => {
  const cpm = build([['192.0.2.1', 3]], 2.5 / 1000);
  assert.equal(cpm.entries[0]!.cost, 0.01);
  const cpa = build(
    [
      ['192.0.2.1', 1],
      ['192.0.2.200', 1],
      ['198.51.100.1', 5],
    ],
    0,
  );
  assert.deepEqual(
    cpa.entries.map((e) => [e.value, e.cost]),
    [
      ['198.51.100.1', 0],
      ['192.0.2.1', 0],
      ['192.0.2.200', 0],
    ],
  );
});

test('thousands of addresses: cut at 500, the costliest kept, in order, every value in a form Google Ads accepts', () => {
  const input: Array<[string, number]> = [];
  // 4,000 lone addresses in distinct /24s, 1 to 40 clicks each.
  for (let i = 0; i < 4_000; i++)
    input.push([`${10 + (i % 200)}.${Math.floor(i / 200)}.${i % 7}.${1 + (i % 250)}`, 1 + ((i * 7919) % 40)]);
  // A farm: 60 addresses of one /24 with one click each, which only as a range outranks everything else.
  for (let i = 1; i <= 60; i++) input.push([`100.64.1.${i}`, 1]);
  // IPv6 addresses are listed one by one.
  for (let i = 0; i < 50; i++) input.push([`2001:db8::${(i + 1).toString(16)}`, 39]);

  const list = build(input, 0.25);
  assert.equal(list.entries.length, MAX_IP_EXCLUSIONS);
  assert.equal(list.truncated, true);
  assert.deepEqual(list.entries[0], { value: '100.64.1.*', clicks: 60, cost: 15 });
  for (let i = 1; i < list.entries.length; i++)
    assert.ok(list.entries[i - 1]!.clicks >= list.entries[i]!.clicks, `ordered at ${i}`);
  // Everything kept costs at least as much as anything cut.
  const kept = new Set(list.entries.map((e) => e.value));
  const cutMax = Math.max(
    ...input.filter(([ip]) => !kept.has(ip) && !ip.startsWith('100.64.1.')).map(([, clicks]) => clicks),
  );
  assert.ok(list.entries.at(-1)!.clicks >= cutMax);
  assert.equal(list.entries.filter((e) => e.value.includes(':')).length, 50, 'the 39-click IPv6 addresses are all in');
  for (const { value } of list.entries) assert.match(value, /^(\d{1,3}\.){3}(\d{1,3}|\*)$|^[0-9a-f:]+$/);
  assert.equal(new Set(list.entries.map((e) => e.value)).size, list.entries.length, 'no duplicates');
});

test('exactly 500 is not truncated; nothing in, nothing out', () => {
  const input: Array<[string, number]> = Array.from({ length: 500 }, (_, i) => [
    `10.${i % 250}.${Math.floor(i / 250)}.1`,
    1,
  ]);
  assert.equal(build(input, 1).truncated, false);
  assert.equal(build(input, 1).entries.length, 500);
  assert.deepEqual(build([], 1), { entries: [], truncated: false });
});

test('clicks with their own price (a traffic source with cost_param) rank by what they cost, not by how many', () => {
  const list = buildIpExclusions([
    ['192.0.2.1', { clicks: 5, cost: 0.05 }],
    ['198.51.100.9', { clicks: 1, cost: 0.9 }],
    ['203.0.113.1', { clicks: 2, cost: 0.2 }],
    ['203.0.113.2', { clicks: 1, cost: 0.004 }],
    ['203.0.113.3', { clicks: 1, cost: 0.0061 }],
  ]);
  assert.deepEqual(list.entries, [
    { value: '198.51.100.9', clicks: 1, cost: 0.9 },
    { value: '203.0.113.*', clicks: 4, cost: 0.21 },
    { value: '192.0.2.1', clicks: 5, cost: 0.05 },
  ]);
});
