import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import {
  formatIpv4,
  formatIpv6,
  ipv4FromMapped,
  isValidIp,
  normalizeIp,
  parseIp,
  parseIpv4ToUint32,
  parseIpv6ToBigInt,
  subnetOf,
  hostKeyOf,
} from './ip-address.ts';
import { formatSubnet } from '../detection/rules/click-farm.ts';

test('parseIpv4ToUint32 reads dotted quads as unsigned 32-bit numbers', () => {
  assert.equal(parseIpv4ToUint32('0.0.0.0'), 0);
  assert.equal(parseIpv4ToUint32('1.0.0.0'), 16777216);
  assert.equal(parseIpv4ToUint32('8.8.8.8'), 0x08080808);
  assert.equal(parseIpv4ToUint32('255.255.255.255'), 0xffffffff);
  assert.equal(parseIpv4ToUint32('128.0.0.1'), 2147483649);
});

test('parseIpv4ToUint32 agrees with net.isIPv4 on malformed text', () => {
  const cases = [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.04',
    '1..2.3',
    '.1.2.3',
    '1.2.3.',
    ' 1.2.3.4',
    '1.2.3.4 ',
    'a.b.c.d',
    '::1',
    '1.2.3.-4',
    '1.2.3.4/8',
  ];
  for (const text of cases) {
    assert.equal(parseIpv4ToUint32(text) !== undefined, isIP(text) === 4, text);
  }
});

test('parseIpv6ToBigInt expands every spelling of an address to the same value', () => {
  const expected = 0x20014860486000000000000000008888n;
  assert.equal(parseIpv6ToBigInt('2001:4860:4860::8888'), expected);
  assert.equal(parseIpv6ToBigInt('2001:4860:4860:0:0:0:0:8888'), expected);
  assert.equal(parseIpv6ToBigInt('2001:4860:4860:0000:0000:0000:0000:8888'), expected);
  assert.equal(parseIpv6ToBigInt('2001:4860:4860::8888%eth0'), expected);
  assert.equal(parseIpv6ToBigInt('::'), 0n);
  assert.equal(parseIpv6ToBigInt('::1'), 1n);
  assert.equal(parseIpv6ToBigInt('1::'), 1n << 112n);
  assert.equal(parseIpv6ToBigInt('::ffff:1.2.3.4'), 0xffff01020304n);
  assert.equal(parseIpv6ToBigInt('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), (1n << 128n) - 1n);
});

test('parseIpv6ToBigInt rejects what is not IPv6', () => {
  for (const text of ['', '1.2.3.4', 'not-an-ip', '1:2:3:4:5:6:7:8:9', '2001:::1', 'g::1', '::ffff:1.2.3.256']) {
    assert.equal(parseIpv6ToBigInt(text), undefined, text);
  }
});

test('ipv4FromMapped only unwraps ::ffff:0:0/96', () => {
  assert.equal(ipv4FromMapped(0xffff08080808n), 0x08080808);
  assert.equal(ipv4FromMapped(0x08080808n), undefined); // deprecated IPv4-compatible form is not mapped
  assert.equal(ipv4FromMapped(0x20014860486000000000000000008888n), undefined);
});

test('formatIpv6 writes RFC 5952 text', () => {
  assert.equal(formatIpv6(0n), '::');
  assert.equal(formatIpv6(1n), '::1');
  assert.equal(formatIpv6(0x20010db8000000000001000000000001n), '2001:db8::1:0:0:1');
  assert.equal(formatIpv6(0x20010db8000000010001000100010001n), '2001:db8:0:1:1:1:1:1');
  assert.equal(formatIpv6(0x20010db8000000000000000000000000n), '2001:db8::');
  assert.equal(formatIpv4(0xffffffff), '255.255.255.255');
});

test('normalizeIp gives one canonical text per address', () => {
  assert.equal(normalizeIp('8.8.8.8'), '8.8.8.8');
  assert.equal(normalizeIp('::ffff:8.8.8.8'), '8.8.8.8');
  assert.equal(normalizeIp('::FFFF:0808:0808'), '8.8.8.8');
  assert.equal(normalizeIp('2001:4860:4860:0:0:0:0:8888'), '2001:4860:4860::8888');
  assert.equal(normalizeIp('2A03:2880:F10C:83:FACE:B00C:0:25DE'), '2a03:2880:f10c:83:face:b00c:0:25de');
  assert.equal(normalizeIp('fe80::1%eth0'), 'fe80::1');
  assert.equal(normalizeIp('not-an-ip'), undefined);
  assert.equal(normalizeIp(''), undefined);
});

test('parseIp reports mapped IPv6 as family 4', () => {
  assert.deepEqual(parseIp('::ffff:1.2.3.4'), { family: 4, value: 0x01020304 });
  assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
  assert.equal(parseIp('1.2.3'), undefined);
  assert.equal(isValidIp('::1'), true);
  assert.equal(isValidIp('1.2.3'), false);
});

test('subnetOf: the /24 of IPv4, the /48 of IPv6', () => {
  assert.equal(subnetOf('203.0.113.77'), '203.0.113.0/24');
  assert.equal(subnetOf('::ffff:203.0.113.77'), '203.0.113.0/24');
  assert.equal(subnetOf('2001:db8:abcd:12::1'), '2001:db8:abcd::/48');
  assert.equal(subnetOf('nope'), undefined);
});

test('hostKeyOf: IPv4 itself, IPv6 by its /64', () => {
  assert.equal(hostKeyOf('203.0.113.77'), '203.0.113.77');
  assert.equal(hostKeyOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(hostKeyOf('2001:db8:1:2:bbbb::9'), '2001:db8:1:2::/64');
});

// The recorder counts devices per subnetOf(); the click-farm rule names the subnet in its reason with
// its own pure formatSubnet (detection imports nothing from intel). They must name the same subnet.
test('subnetOf names the subnet the click-farm rule reports', () => {
  for (const ip of [
    '203.0.113.77',
    '1.2.3.4',
    '2001:db8:abcd:12::1',
    '2001:db8::1',
    '2001:0:5:ffff::1',
    '2a03:2880:f000::1',
    '::1',
  ]) {
    assert.equal(formatSubnet(ip), subnetOf(ip) ?? null, ip);
  }
});
