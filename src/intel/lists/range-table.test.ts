import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4ToUint32, parseIpv6ToBigInt } from '../ip-address.ts';
import { parseListEntry, type ListEntry } from './entries.ts';
import { buildRangeTable, splitV6 } from './range-table.ts';

const entry = (text: string): ListEntry => {
  const parsed = parseListEntry(text, true);
  assert.ok(parsed, text);
  return parsed;
};
const v4 = (ip: string): number => parseIpv4ToUint32(ip)!;
const v6 = (ip: string) => splitV6(parseIpv6ToBigInt(ip)!);

test('IPv4: boundaries, nesting (the outer range answers), duplicates across lists', () => {
  const table = buildRangeTable([
    { entry: entry('10.0.0.0/24'), match: 'a:10.0.0.0/24' },
    { entry: entry('10.0.0.7'), match: 'a:10.0.0.7' },
    { entry: entry('10.0.1.0/24'), match: 'b:10.0.1.0/24' },
    { entry: entry('10.0.1.0/24'), match: 'c:10.0.1.0/24' },
    { entry: entry('255.255.255.255'), match: 'a:255.255.255.255' },
    { entry: entry('0.0.0.0'), match: 'a:0.0.0.0' },
  ]);
  assert.equal(table.findV4(v4('9.255.255.255')), undefined);
  assert.equal(table.findV4(v4('10.0.0.0')), 'a:10.0.0.0/24');
  assert.equal(table.findV4(v4('10.0.0.7')), 'a:10.0.0.0/24');
  assert.equal(table.findV4(v4('10.0.0.255')), 'a:10.0.0.0/24');
  assert.equal(table.findV4(v4('10.0.1.0')), 'b:10.0.1.0/24', 'ties go to the earlier item');
  assert.equal(table.findV4(v4('10.0.2.0')), undefined);
  assert.equal(table.findV4(v4('255.255.255.255')), 'a:255.255.255.255');
  assert.equal(table.findV4(v4('255.255.255.254')), undefined);
  assert.equal(table.findV4(v4('0.0.0.0')), 'a:0.0.0.0');
  assert.equal(table.findV4(v4('0.0.0.1')), undefined);
  assert.equal(table.v4Ranges, 4);
});

test('a partial overlap is clipped so both ranges keep their own addresses', () => {
  const range = (start: number, end: number): ListEntry => ({
    family: 4,
    start,
    end,
    prefix: 0,
    text: `${start}-${end}`,
  });
  const table = buildRangeTable([
    { entry: range(10, 20), match: 'first' },
    { entry: range(15, 30), match: 'second' },
  ]);
  assert.deepEqual(
    [9, 10, 15, 20, 21, 30, 31].map((key) => table.findV4(key)),
    [undefined, 'first', 'first', 'first', 'second', 'second', undefined],
  );
});

test('IPv6: 128-bit ranges, including one that spans two values of the top 64 bits', () => {
  const table = buildRangeTable([
    { entry: entry('2001:db8::/63'), match: '/63' },
    { entry: entry('2001:db8:0:1::5'), match: 'inner' },
    { entry: entry('2001:4860:4801:10::/64'), match: 'google' },
    { entry: entry('::/128'), match: 'zero' },
    { entry: entry('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), match: 'top' },
  ]);
  const find = (ip: string) => {
    const { hi, lo } = v6(ip);
    return table.findV6(hi, lo);
  };
  assert.equal(find('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff'), undefined);
  assert.equal(find('2001:db8::'), '/63');
  assert.equal(find('2001:db8:0:0:ffff:ffff:ffff:ffff'), '/63');
  assert.equal(find('2001:db8:0:1::5'), '/63');
  assert.equal(find('2001:db8:0:1:ffff:ffff:ffff:ffff'), '/63');
  assert.equal(find('2001:db8:0:2::'), undefined);
  assert.equal(find('2001:4860:4801:10::1'), 'google');
  assert.equal(find('2001:4860:4801:11::1'), undefined);
  assert.equal(find('::'), 'zero');
  assert.equal(find('::1'), undefined);
  assert.equal(find('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), 'top');
  assert.equal(table.findV4(0), undefined, 'families are separate tables');
});

test('agrees with a linear scan on random CIDRs', () => {
  // mulberry32: a seeded generator, so a failure reproduces.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const entries: Extract<ListEntry, { family: 4 }>[] = [];
  for (let i = 0; i < 2000; i++) {
    const bits = 8 + Math.floor(random() * 25);
    const size = 2 ** (32 - bits);
    const start = Math.floor((random() * 2 ** 32) / size) * size;
    entries.push({ family: 4, start, end: start + size - 1, prefix: bits, text: `${i}` });
  }
  const table = buildRangeTable(entries.map((e) => ({ entry: e, match: e })));
  for (let i = 0; i < 20_000; i++) {
    const key = i % 2 === 0 ? Math.floor(random() * 2 ** 32) : entries[i % entries.length]!.start;
    const found = table.findV4(key);
    const any = entries.some((e) => e.start <= key && key <= e.end);
    assert.equal(found !== undefined, any, `key ${key}`);
    if (found !== undefined) assert.ok(found.start <= key && key <= found.end, `match contains ${key}`);
  }
});
