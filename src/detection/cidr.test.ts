import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findIpInList, parseIp, parseIpRange } from './cidr.ts';

describe('parseIp', () => {
  const hex = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('hex'));
  const cases: [string, string | null][] = [
    ['1.2.3.4', '00000000000000000000ffff01020304'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['2001:db8::8a2e:370:7334', '20010db80000000000008a2e03707334'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '20010db8000000000000ff0000428329'],
    ['fe80::1%eth0', 'fe800000000000000000000000000001'],
    ['64:ff9b::192.0.2.33', '0064ff9b0000000000000000c0000221'],
    ['1.2.3', null],
    ['256.1.1.1', null],
    ['2001:db8:::1', null],
    ['not an ip', null],
    ['', null],
  ];
  for (const [input, expected] of cases) it(`${input || '(empty)'}`, () => assert.equal(hex(parseIp(input)), expected));
});

describe('parseIpRange', () => {
  const cases: [string, number | null][] = [
    ['10.0.0.0/8', 104],
    ['10.0.0.1', 128],
    ['0.0.0.0/0', 96],
    ['2001:db8::/32', 32],
    ['2001:db8::1', 128],
    ['10.0.0.0/33', null],
    ['2001:db8::/129', null],
    ['10.0.0.0/', null],
    ['10.0.0.0/8/8', null],
    ['10.0.0.0/-1', null],
    ['10.0.0.0/ 8', null],
  ];
  for (const [input, prefix] of cases) it(`${input}`, () => assert.equal(parseIpRange(input)?.prefix ?? null, prefix));
});

describe('findIpInList', () => {
  const list = [
    '198.51.100.7',
    '10.0.0.0/8',
    '192.168.1.128/25',
    '2001:db8::/32',
    '2a03:2880:f000::1',
    'garbage',
    '172.16.0.0/12',
  ];
  const cases: [string, string | null][] = [
    ['198.51.100.7', '198.51.100.7'],
    ['198.51.100.8', null],
    ['10.200.3.4', '10.0.0.0/8'],
    ['11.0.0.1', null],
    ['192.168.1.128', '192.168.1.128/25'],
    ['192.168.1.255', '192.168.1.128/25'],
    ['192.168.1.127', null],
    ['172.31.255.255', '172.16.0.0/12'],
    ['172.32.0.0', null],
    ['::ffff:10.1.1.1', '10.0.0.0/8'],
    ['2001:db8:abcd::1', '2001:db8::/32'],
    ['2001:db9::1', null],
    ['2a03:2880:f000::1', '2a03:2880:f000::1'],
    ['2a03:2880:f000::2', null],
    ['not-an-ip', null],
  ];
  for (const [ip, expected] of cases)
    it(`${ip} → ${expected}`, () => assert.equal(findIpInList(ip, list)?.source ?? null, expected));

  it('an IPv4 range does not match unrelated IPv6 addresses', () => {
    assert.equal(findIpInList('::a01:101', ['10.0.0.0/8']), null);
  });
  it('an empty list matches nothing', () => assert.equal(findIpInList('1.2.3.4', []), null));
});
