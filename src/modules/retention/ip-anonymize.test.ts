import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymizeIp } from './ip-anonymize.ts';

test('an address keeps its /24 (IPv4) or /48 (IPv6) network, nothing of the host', () => {
  const cases: [string, string][] = [
    ['203.0.113.7', '203.0.113.0'],
    ['203.0.113.0', '203.0.113.0'],
    ['8.8.8.255', '8.8.8.0'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::'],
    ['2001:0db8:abcd:ffff:ffff:ffff:ffff:ffff', '2001:db8:abcd::'],
    ['2001:db8::1', '2001:db8::'],
    ['::ffff:198.51.100.23', '198.51.100.0'],
    ['not an address', '0.0.0.0'],
    ['', '0.0.0.0'],
  ];
  for (const [ip, expected] of cases) assert.equal(anonymizeIp(ip), expected, ip);
});

test('anonymising twice changes nothing more', () => {
  for (const ip of ['203.0.113.7', '2001:db8:abcd:12::1']) assert.equal(anonymizeIp(anonymizeIp(ip)), anonymizeIp(ip));
});
