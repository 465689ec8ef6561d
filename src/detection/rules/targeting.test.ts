import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput, type InputOverrides } from '../test-input.ts';
import { targetingRule } from './targeting.ts';

describe('targeting rule', () => {
  const cases: [string, InputOverrides, string[]][] = [
    ['no filters', {}, []],
    ['allowed country', { targeting: { allowedCountries: ['US', 'CA'] } }, []],
    ['allowed country, lower-case list', { targeting: { allowedCountries: ['us'] } }, []],
    [
      'country outside the allow-list',
      { ip: { country: 'DE' }, targeting: { allowedCountries: ['US', 'CA'] } },
      ["Country DE is not among the campaign's allowed countries"],
    ],
    [
      'unknown country with an allow-list',
      { ip: { country: null }, targeting: { allowedCountries: ['US'] } },
      ['Country is unknown and the campaign accepts only its allowed countries'],
    ],
    ['unknown country, block-list only', { ip: { country: null }, targeting: { blockedCountries: ['RU'] } }, []],
    [
      'blocked country',
      { ip: { country: 'RU' }, targeting: { blockedCountries: ['RU', 'CN'] } },
      ['Country RU is blocked by the campaign'],
    ],
    [
      'UK in the list means GB',
      { ip: { country: 'GB' }, targeting: { blockedCountries: ['UK'] } },
      ['Country GB is blocked by the campaign'],
    ],
    ['allowed device', { device: { device: 'mobile' }, targeting: { allowedDevices: ['mobile', 'tablet'] } }, []],
    [
      'device outside the allow-list',
      { device: { device: 'desktop' }, targeting: { allowedDevices: ['mobile'] } },
      ["Device type desktop is not among the campaign's allowed devices"],
    ],
    [
      'exact IPv4 on the blocklist',
      { visitor: { ip: '198.51.100.7' }, targeting: { ipBlocklist: ['198.51.100.7'] } },
      ["IP 198.51.100.7 is on the campaign's IP blocklist"],
    ],
    [
      'IPv4 inside a blocked CIDR',
      { visitor: { ip: '10.20.30.40' }, targeting: { ipBlocklist: ['10.0.0.0/8'] } },
      ["IP 10.20.30.40 is on the campaign's IP blocklist (10.0.0.0/8)"],
    ],
    ['IPv4 outside the CIDR', { visitor: { ip: '11.20.30.40' }, targeting: { ipBlocklist: ['10.0.0.0/8'] } }, []],
    [
      'IPv6 inside a blocked CIDR',
      { visitor: { ip: '2001:db8:1::5' }, targeting: { ipBlocklist: ['2001:db8::/32'] } },
      ["IP 2001:db8:1::5 is on the campaign's IP blocklist (2001:db8::/32)"],
    ],
    ['IPv6 outside the CIDR', { visitor: { ip: '2001:db9::5' }, targeting: { ipBlocklist: ['2001:db8::/32'] } }, []],
    [
      'IPv6 /128 entry',
      { visitor: { ip: '2a03:2880:f000::1' }, targeting: { ipBlocklist: ['2a03:2880:f000::1/128'] } },
      ["IP 2a03:2880:f000::1 is on the campaign's IP blocklist (2a03:2880:f000::1/128)"],
    ],
    [
      'every failed filter is listed',
      {
        ip: { country: 'RU' },
        device: { device: 'tablet' },
        visitor: { ip: '192.0.2.1' },
        targeting: {
          allowedCountries: ['US'],
          blockedCountries: ['RU'],
          allowedDevices: ['mobile'],
          ipBlocklist: ['192.0.2.0/24'],
        },
      },
      [
        "Country RU is not among the campaign's allowed countries",
        'Country RU is blocked by the campaign',
        "Device type tablet is not among the campaign's allowed devices",
        "IP 192.0.2.1 is on the campaign's IP blocklist (192.0.2.0/24)",
      ],
    ],
  ];
  for (const [name, overrides, expected] of cases) {
    it(name, () => {
      const signals = targetingRule.evaluate(makeInput(overrides), { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
      assert.deepEqual(
        signals.map((s) => s.message),
        expected,
      );
      for (const signal of signals) assert.deepEqual([signal.type, signal.score], ['targeting', 0]);
    });
  }
});
