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

  it('defaults: more than 5 clicks in 60 s or 2 in 10 s, 2× on carriers', () => {
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireWindowMs, 60_000);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireMaxClicks, 5);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireShortWindowMs, 10_000);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireShortMaxClicks, 2);
    assert.equal(DEFAULT_DETECTION_SETTINGS.rapidFireCarrierMultiplier, 2);
  });

  describe('the short window', () => {
    const shortCases: [string, Partial<IpInfo>, { ip: number; device: number }, [string, number] | null][] = [
      ['a double-click', COMCAST, { ip: 1, device: 1 }, null],
      [
        '3 clicks in 10 s',
        COMCAST,
        { ip: 2, device: 2 },
        ['3 clicks from 203.0.113.5 on this campaign within 10 s (limit 2)', 70],
      ],
      [
        '3 clicks from three browsers',
        COMCAST,
        { ip: 2, device: 0 },
        ['3 clicks from 203.0.113.5 on this campaign within 10 s (limit 2)', 70],
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
