import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../evaluate.ts';
import { DEFAULT_DETECTION_SETTINGS, resolveDetectionSettings, type DetectionSettings } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import type { IpInfo } from '../types.ts';
import { rapidFireRule } from './rapid-fire.ts';

const COMCAST: Partial<IpInfo> = { asn: 7922, asOrg: 'Comcast Cable Communications, LLC' };
const T_MOBILE: Partial<IpInfo> = { asn: 21928, asOrg: 'T-Mobile USA, Inc.' };
// Verizon Wireless, named "Verizon Business" by the ASN database: known by number.
const VERIZON_WIRELESS: Partial<IpInfo> = { asn: 6167, asOrg: 'Verizon Business' };
// Not on the carrier list, but named like a carrier (64500 is a documentation ASN).
const NAMED_CARRIER: Partial<IpInfo> = { asn: 64500, asOrg: 'Example Mobile Telecom' };
// Named like a carrier but a listed host: no leniency.
const HOST_NAMED_MOBILE: Partial<IpInfo> = { asn: 14061, asOrg: 'DigitalOcean Mobility Lab' };
const IP = '203.0.113.5';

describe('rapid-fire rule', () => {
  const cases: [string, number, Partial<IpInfo>, Partial<DetectionSettings>, [string, number] | null][] = [
    ['first click', 0, COMCAST, {}, null],
    ['5 clicks: at the limit', 4, COMCAST, {}, null],
    [
      '6 clicks: over the limit',
      5,
      COMCAST,
      {},
      ['6 clicks from 203.0.113.5 on this campaign within 1 min (limit 5)', 80],
    ],
    [
      '10 clicks: twice the limit',
      9,
      COMCAST,
      {},
      ['10 clicks from 203.0.113.5 on this campaign within 1 min (limit 5)', 80],
    ],
    [
      '11 clicks: more than twice the limit',
      10,
      COMCAST,
      {},
      ['11 clicks from 203.0.113.5 on this campaign within 1 min (limit 5)', 95],
    ],
    [
      'unknown network counts as private',
      5,
      { asn: null, asOrg: null },
      {},
      ['6 clicks from 203.0.113.5 on this campaign within 1 min (limit 5)', 80],
    ],
    [
      'a host named like a carrier gets no leniency',
      5,
      HOST_NAMED_MOBILE,
      {},
      ['6 clicks from 203.0.113.5 on this campaign within 1 min (limit 5)', 80],
    ],
    // Carriers: 2 × 5 = 10.
    ['carrier, 6 clicks', 5, T_MOBILE, {}, null],
    ['carrier, 10 clicks: at the limit', 9, T_MOBILE, {}, null],
    [
      'carrier, 11 clicks',
      10,
      T_MOBILE,
      {},
      ["11 clicks from 203.0.113.5 on this campaign within 1 min (limit 10 for a mobile carrier's shared address)", 80],
    ],
    [
      'carrier, 21 clicks',
      20,
      T_MOBILE,
      {},
      ["21 clicks from 203.0.113.5 on this campaign within 1 min (limit 10 for a mobile carrier's shared address)", 95],
    ],
    ['carrier known by number only', 9, VERIZON_WIRELESS, {}, null],
    ['carrier known by name only', 9, NAMED_CARRIER, {}, null],
    [
      'carrier known by name only, over',
      10,
      NAMED_CARRIER,
      {},
      ["11 clicks from 203.0.113.5 on this campaign within 1 min (limit 10 for a mobile carrier's shared address)", 80],
    ],
    // Settings.
    [
      'stricter account',
      2,
      COMCAST,
      { rapidFireMaxClicks: 2, rapidFireWindowMs: 30_000 },
      ['3 clicks from 203.0.113.5 on this campaign within 30 s (limit 2)', 80],
    ],
    [
      'multiplier 1: carriers like everyone',
      5,
      T_MOBILE,
      { rapidFireCarrierMultiplier: 1 },
      ["6 clicks from 203.0.113.5 on this campaign within 1 min (limit 5 for a mobile carrier's shared address)", 80],
    ],
    [
      'multiplier 2.5 rounds down',
      12,
      T_MOBILE,
      { rapidFireCarrierMultiplier: 2.5 },
      ["13 clicks from 203.0.113.5 on this campaign within 1 min (limit 12 for a mobile carrier's shared address)", 80],
    ],
    ['multiplier below 1 never makes carriers stricter', 4, T_MOBILE, { rapidFireCarrierMultiplier: 0.5 }, null],
    ['a count that is not a number flags nothing', Number.NaN, COMCAST, {}, null],
  ];
  for (const [name, previous, ip, overrides, expected] of cases) {
    it(name, () => {
      const input = makeInput({ visitor: { ip: IP }, ip, history: { sameIpRecentClicks: previous } });
      const signals = rapidFireRule.evaluate(input, { now: NOW, settings: resolveDetectionSettings(overrides) });
      assert.deepEqual(
        signals.map((s) => [s.message, s.score]),
        expected === null ? [] : [expected],
      );
      for (const signal of signals) assert.equal(signal.type, 'rapid_fire');
    });
  }

  it('behind a carrier address, one device still has the private limit', () => {
    const input = makeInput({
      visitor: { ip: IP },
      ip: T_MOBILE,
      history: { sameIpRecentClicks: 5, sameVisitorBurstClicks: 5 },
    });
    const signals = rapidFireRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
    assert.deepEqual(
      signals.map((s) => [s.message, s.score]),
      [['6 clicks from one device (203.0.113.5, same user agent) on this campaign within 1 min (limit 5)', 80]],
    );
    const manyPhones = makeInput({
      visitor: { ip: IP },
      ip: T_MOBILE,
      history: { sameIpRecentClicks: 9, sameVisitorBurstClicks: 1 },
    });
    assert.deepEqual(rapidFireRule.evaluate(manyPhones, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS }), []);
  });

  it('names an IPv6 address as it is', () => {
    const input = makeInput({ visitor: { ip: '2001:db8::42' }, history: { sameIpRecentClicks: 6 } });
    const [signal] = rapidFireRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
    assert.equal(signal?.message, '7 clicks from 2001:db8::42 on this campaign within 1 min (limit 5)');
  });

  it('defaults: more than 5 clicks in 60 s or 2 in 10 s per visitor, 15 and 5 per address, 2× on carriers', () => {
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireAddressMaxClicks, 15);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireAddressShortMaxClicks, 5);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireWindowMs, 60_000);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireMaxClicks, 5);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireShortWindowMs, 10_000);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireShortMaxClicks, 2);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireCarrierMultiplier, 2);
  });

  describe('the short window', () => {
    const shortCases: [
      string,
      Partial<IpInfo>,
      { ip: number; device: number; browsers?: number },
      [string, number] | null,
    ][] = [
      ['a double-click', COMCAST, { ip: 1, device: 1 }, null],
      [
        '3 clicks in 10 s',
        COMCAST,
        { ip: 2, device: 2 },
        ['3 clicks from 203.0.113.5 on this campaign within 10 s (limit 2)', 70],
      ],
      // Three colleagues behind one office address: three visitors, not one repeating (issue 21).
      ['3 clicks from three browsers', COMCAST, { ip: 2, device: 0, browsers: 3 }, null],
      [
        '3 clicks from three browsers, one of them twice within 10 s',
        COMCAST,
        { ip: 3, device: 2, browsers: 3 },
        ['3 clicks from one device (203.0.113.5, same user agent) on this campaign within 10 s (limit 2)', 70],
      ],
      [
        '5 clicks: more than twice the limit',
        COMCAST,
        { ip: 4, device: 4 },
        ['5 clicks from 203.0.113.5 on this campaign within 10 s (limit 2)', 95],
      ],
      ['carrier: 3 people in 10 s', T_MOBILE, { ip: 2, device: 0 }, null],
      [
        'carrier: 3 clicks from one device',
        T_MOBILE,
        { ip: 2, device: 2 },
        ['3 clicks from one device (203.0.113.5, same user agent) on this campaign within 10 s (limit 2)', 70],
      ],
      [
        'carrier: 5 clicks from many devices',
        T_MOBILE,
        { ip: 4, device: 0 },
        ["5 clicks from 203.0.113.5 on this campaign within 10 s (limit 4 for a mobile carrier's shared address)", 70],
      ],
    ];
    for (const [name, ip, earlier, expected] of shortCases) {
      it(name, () => {
        const input = makeInput({
          visitor: { ip: IP },
          ip,
          history: {
            sameIpShortClicks: earlier.ip,
            sameVisitorShortClicks: earlier.device,
            sameIpRecentClicks: earlier.ip,
            sameVisitorBurstClicks: earlier.device,
            addressShortDevices: earlier.browsers ?? 1,
            addressBurstDevices: earlier.browsers ?? 1,
          },
        });
        const signals = rapidFireRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
        assert.deepEqual(
          signals.map((s) => [s.message, s.score]),
          expected === null ? [] : [expected],
        );
      });
    }
  });

  describe('per visitor first: many people behind one address are not one visitor repeating', () => {
    // Addresses and networks as the bundled ASN data names them; user agents from real browsers.
    const COMCAST_BUSINESS_OFFICE = '50.206.17.34';
    const RUTGERS: Partial<IpInfo> = { asn: 46, asOrg: 'Rutgers, The State University' };
    const DIGITALOCEAN: Partial<IpInfo> = { asn: 14061, asOrg: 'DigitalOcean, LLC' };
    type Counts = {
      long: { ip: number; device: number; browsers: number };
      short: { ip: number; device: number; browsers: number };
    };
    const quiet = { ip: 0, device: 0, browsers: 1 };
    const cases: [string, string, Partial<IpInfo>, Counts, [string, number] | null][] = [
      [
        'office: the 3rd colleague within 10 s',
        COMCAST_BUSINESS_OFFICE,
        COMCAST,
        { long: { ip: 2, device: 0, browsers: 3 }, short: { ip: 2, device: 0, browsers: 3 } },
        null,
      ],
      [
        'office: the 6th colleague within a minute',
        COMCAST_BUSINESS_OFFICE,
        COMCAST,
        { long: { ip: 5, device: 0, browsers: 6 }, short: quiet },
        null,
      ],
      [
        'office: two on the same Chrome build, each clicking twice',
        COMCAST_BUSINESS_OFFICE,
        COMCAST,
        { long: { ip: 5, device: 3, browsers: 3 }, short: quiet },
        null,
      ],
      [
        'campus: 15 students in a minute',
        '128.6.36.10',
        RUTGERS,
        { long: { ip: 14, device: 0, browsers: 12 }, short: { ip: 2, device: 0, browsers: 3 } },
        null,
      ],
      [
        'a script rotating 3 user agents: 12 clicks in a minute',
        '73.15.20.7',
        COMCAST,
        { long: { ip: 11, device: 3, browsers: 3 }, short: quiet },
        ['12 clicks from 73.15.20.7 on this campaign within 1 min, from only 3 browsers: 9 repeats (limit 4)', 80],
      ],
      [
        'a script rotating 20 user agents from a droplet: the 6th click within 10 s',
        '167.99.12.40',
        DIGITALOCEAN,
        { long: { ip: 5, device: 0, browsers: 6 }, short: { ip: 5, device: 0, browsers: 6 } },
        ['6 clicks from 167.99.12.40 on this campaign within 10 s, from 6 browsers (limit 5 from one address)', 70],
      ],
      [
        'a script rotating 20 user agents, slower: the 16th click within a minute',
        '73.15.20.7',
        COMCAST,
        { long: { ip: 15, device: 0, browsers: 16 }, short: { ip: 1, device: 0, browsers: 2 } },
        ['16 clicks from 73.15.20.7 on this campaign within 1 min, from 16 browsers (limit 15 from one address)', 80],
      ],
      [
        'carrier NAT: 20 phones in a minute is twice what an address shares',
        '172.56.33.9',
        T_MOBILE,
        { long: { ip: 19, device: 0, browsers: 20 }, short: quiet },
        null,
      ],
      [
        'carrier NAT: 31 clicks in a minute',
        '172.56.33.9',
        T_MOBILE,
        { long: { ip: 30, device: 0, browsers: 31 }, short: quiet },
        [
          "31 clicks from 172.56.33.9 on this campaign within 1 min, from 31 browsers (limit 30 for a mobile carrier's shared address)",
          80,
        ],
      ],
    ];
    for (const [name, address, ip, { long, short }, expected] of cases) {
      it(name, () => {
        const input = makeInput({
          visitor: { ip: address },
          ip,
          history: {
            sameIpRecentClicks: long.ip,
            sameVisitorBurstClicks: long.device,
            addressBurstDevices: long.browsers,
            sameIpShortClicks: short.ip,
            sameVisitorShortClicks: short.device,
            addressShortDevices: short.browsers,
          },
        });
        const signals = rapidFireRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
        assert.deepEqual(
          signals.map((s) => [s.message, s.score]),
          expected === null ? [] : [expected],
        );
        for (const signal of signals) assert.equal(signal.lookBack?.group, 'ip');
      });
    }

    it('a stricter account can lower the address limits, never below the visitor limits', () => {
      const input = makeInput({ history: { sameIpShortClicks: 3, addressShortDevices: 4 } });
      const strict = resolveDetectionSettings({ rapidFireAddressShortMaxClicks: 3 });
      assert.deepEqual(
        rapidFireRule.evaluate(input, { now: NOW, settings: strict }).map((s) => s.message),
        ['4 clicks from 203.0.113.7 on this campaign within 10 s, from 4 browsers (limit 3 from one address)'],
      );
      const belowVisitor = resolveDetectionSettings({ rapidFireAddressShortMaxClicks: 1 });
      const two = makeInput({ history: { sameIpShortClicks: 1, addressShortDevices: 2 } });
      assert.deepEqual(rapidFireRule.evaluate(two, { now: NOW, settings: belowVisitor }), []);
    });
  });

  it('asks for the earlier clicks of the burst to be flagged too: the address, or the device behind a carrier', () => {
    const burst = rapidFireRule.evaluate(makeInput({ visitor: { ip: IP }, history: { sameIpRecentClicks: 5 } }), {
      now: NOW,
      settings: DEFAULT_DETECTION_SETTINGS,
    });
    assert.deepEqual(burst[0]?.lookBack, { group: 'ip', withinMs: 60_000 });
    const quick = rapidFireRule.evaluate(makeInput({ visitor: { ip: IP }, history: { sameIpShortClicks: 2 } }), {
      now: NOW,
      settings: DEFAULT_DETECTION_SETTINGS,
    });
    assert.deepEqual(quick[0]?.lookBack, { group: 'ip', withinMs: 10_000 });
    const device = rapidFireRule.evaluate(
      makeInput({ visitor: { ip: IP }, ip: T_MOBILE, history: { sameIpRecentClicks: 5, sameVisitorBurstClicks: 5 } }),
      { now: NOW, settings: DEFAULT_DETECTION_SETTINGS },
    );
    assert.deepEqual(device[0]?.lookBack, { group: 'device', withinMs: 60_000 });
  });

  it('makes the click a bot in the verdict', () => {
    const verdict = evaluate(makeInput({ history: { sameIpRecentClicks: 9 } }), NOW);
    assert.equal(verdict.status, 'bot');
    assert.deepEqual(verdict.fraudTypes, ['rapid_fire']);
  });
});
