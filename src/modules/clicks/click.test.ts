import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskIp } from './click.ts';

test('maskIp keeps the /16 of IPv4 and the /32 of IPv6', () => {
  const cases: Array<[string, string]> = [
    ['192.168.1.5', '192.168.x.x'],
    ['8.8.8.8', '8.8.x.x'],
    ['2003::1', '2003:0:x:x:x:x:x:x'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:x:x:x:x:x:x'],
    ['::1', '0:0:x:x:x:x:x:x'],
    ['2a03:2880:f10c:83:face:b00c:0:25de', '2a03:2880:x:x:x:x:x:x'],
  ];
  for (const [ip, masked] of cases) assert.equal(maskIp(ip), masked, ip);
});
