import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../evaluate.ts';
import { DEFAULT_DETECTION_SETTINGS, resolveDetectionSettings, type DetectionSettings } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import type { IpInfo } from '../types.ts';
import { clickFarmRule, formatSubnet } from './click-farm.ts';

const COMCAST: Partial<IpInfo> = { asn: 7922, asOrg: 'Comcast Cable Communications, LLC' };
const JIO: Partial<IpInfo> = { asn: 55836, asOrg: 'Reliance Jio Infocomm Limited' };
const T_MOBILE: Partial<IpInfo> = { asn: 21928, asOrg: 'T-Mobile USA, Inc.' };

describe('formatSubnet', () => {
  const cases: [string, string | null][] = [
    ['203.0.113.77', '203.0.113.0/24'],
    ['10.0.0.1', '10.0.0.0/24'],
    ['::ffff:198.51.100.9', '198.51.100.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:db8::1', '2001:db8::/48'],
    ['2001:0:5:ffff::1', '2001:0:5::/48'],
    ['2607:fb90:1:2:3:4:5:6', '2607:fb90:1::/48'],
    ['::1', '::/48'],
    ['fe80::1%eth0', 'fe80::/48'],
    ['not an ip', null],
    ['', null],
  ];
  for (const [ip, expected] of cases)
    it(`${ip || '(empty)'} → ${expected}`, () => assert.equal(formatSubnet(ip), expected));
});

describe('click-farm rule', () => {
  const cases: [string, string, number, Partial<IpInfo>, Partial<DetectionSettings>, [string, number] | null][] = [
    ['one device', '203.0.113.5', 1, COMCAST, {}, null],
    ['8 devices: at the limit', '203.0.113.5', 8, COMCAST, {}, null],
    [
      '9 devices on a residential /24',
      '203.0.113.5',
      9,
      COMCAST,
      {},
      ['9 different devices from 203.0.113.0/24 clicked this campaign within 10 min (limit 8)', 75],
    ],
    [
      '12 devices',
      '203.0.113.5',
      12,
      COMCAST,
      {},
      ['12 different devices from 203.0.113.0/24 clicked this campaign within 10 min (limit 8)', 75],
    ],
    [
      '17 devices: more than twice the limit',
      '203.0.113.5',
      17,
      COMCAST,
      {},
      ['17 different devices from 203.0.113.0/24 clicked this campaign within 10 min (limit 8)', 90],
    ],
    [
      'IPv6 /48',
      '2001:db8:abcd:12::1',
      12,
      COMCAST,
      {},
      ['12 different devices from 2001:db8:abcd::/48 clicked this campaign within 10 min (limit 8)', 75],
    ],
    [
      'unparseable address',
      'unknown',
      12,
      COMCAST,
      {},
      ['12 different devices from the network of unknown clicked this campaign within 10 min (limit 8)', 75],
    ],
    // Carriers: the same counts are ordinary traffic.
    ['carrier, 9 devices', '203.0.113.5', 9, T_MOBILE, {}, null],
    ['carrier, 12 devices', '203.0.113.5', 12, JIO, {}, null],
    ['carrier, 100 devices: at the limit', '2607:fb90:1:2::1', 100, T_MOBILE, {}, null],
    [
      'carrier, 101 devices',
      '2607:fb90:1:2::1',
      101,
      T_MOBILE,
      {},
      [
        "101 different devices from 2607:fb90:1::/48 clicked this campaign within 10 min (limit 100 for a mobile carrier's network)",
        75,
      ],
    ],
    ['carrier by name', '203.0.113.5', 40, { asn: 64500, asOrg: 'Example Wireless Inc.' }, {}, null],
    // Settings.
    [
      'stricter account',
      '203.0.113.5',
      4,
      COMCAST,
      { clickFarmMaxDevices: 3, clickFarmWindowMs: 3_600_000 },
      ['4 different devices from 203.0.113.0/24 clicked this campaign within 1 h (limit 3)', 75],
    ],
    [
      'carrier limit below the general one is raised to it',
      '203.0.113.5',
      8,
      T_MOBILE,
      { clickFarmCarrierMaxDevices: 2 },
      null,
    ],
    [
      'carrier limit of its own',
      '203.0.113.5',
      31,
      T_MOBILE,
      { clickFarmCarrierMaxDevices: 30 },
      [
        "31 different devices from 203.0.113.0/24 clicked this campaign within 10 min (limit 30 for a mobile carrier's network)",
        75,
      ],
    ],
    ['a count that is not a number flags nothing', '203.0.113.5', Number.NaN, COMCAST, {}, null],
  ];
  for (const [name, address, devices, ip, overrides, expected] of cases) {
    it(name, () => {
      const input = makeInput({ visitor: { ip: address }, ip, history: { subnetRecentDevices: devices } });
      const signals = clickFarmRule.evaluate(input, { now: NOW, settings: resolveDetectionSettings(overrides) });
      assert.deepEqual(
        signals.map((s) => [s.message, s.score]),
        expected === null ? [] : [expected],
      );
      for (const signal of signals) assert.equal(signal.type, 'click_farm');
    });
  }

  it('defaults: more than 8 devices in 10 min, 100 on carriers; behind one address more than 10 clicks from 3 browsers, 16 when shared', () => {
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmWindowMs, 600_000);
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmMaxDevices, 8);
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmCarrierMaxDevices, 100);
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmAddressMaxClicks, 10);
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmAddressMinDevices, 3);
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmSharedAddressMaxClicks, 16);
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmHistoryWindowMs, 3_600_000);
    assert.equal(DEFAULT_DETECTION_SETTINGS.clickFarmLinesMaxDevices, 6);
  });

  describe("a subnet's past hour", () => {
    const cases: [string, Partial<IpInfo>, { recent: number; hour: number }, [string, number] | null][] = [
      ['a block busy all along: 9 devices now, 12 more earlier in the hour', COMCAST, { recent: 9, hour: 21 }, null],
      [
        'the same block, a surge beyond its own past',
        COMCAST,
        { recent: 22, hour: 30 },
        [
          '22 different devices from 203.0.113.0/24 clicked this campaign within 10 min (limit 16, 8 more for the devices seen there within 1 h)',
          75,
        ],
      ],
      [
        'a carrier keeps its own limit, raised the same way',
        T_MOBILE,
        { recent: 103, hour: 105 },
        [
          "103 different devices from 203.0.113.0/24 clicked this campaign within 10 min (limit 102 for a mobile carrier's network, 2 more for the devices seen there within 1 h)",
          75,
        ],
      ],
      ['an hour that is not a number adds nothing', COMCAST, { recent: 8, hour: Number.NaN }, null],
    ];
    for (const [name, ip, { recent, hour }, expected] of cases) {
      it(name, () => {
        const input = makeInput({
          visitor: { ip: '203.0.113.5' },
          ip,
          history: { subnetRecentDevices: recent, subnetHistoryDevices: hour },
        });
        const signals = clickFarmRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
        assert.deepEqual(
          signals.map((s) => [s.message, s.score]),
          expected === null ? [] : [expected],
        );
      });
    }
  });

  describe('over several lines of one subnet', () => {
    const TELKOMSEL: Partial<IpInfo> = { asn: 23693, asOrg: 'PT. Telekomunikasi Selular' };
    const ORANGE_BUSINESS: Partial<IpInfo> = { asn: 12807, asOrg: 'Orange Business Services SA' };
    type Counts = { devices: number; here: number; other: number; hour?: number; clicks?: number };
    const cases: [string, Partial<IpInfo>, Counts, [string, number] | null][] = [
      [
        "a farm on two lines of a carrier's /24: 5 and 4 browsers",
        TELKOMSEL,
        { devices: 9, here: 5, other: 4 },
        [
          '9 different devices from 203.0.113.0/24 clicked this campaign within 10 min, 5 browsers behind 203.0.113.5 and 4 behind another line of it (limit 6 when two lines show 3 or more)',
          75,
        ],
      ],
      [
        'three lines of a broadband /24, 3 browsers each',
        COMCAST,
        { devices: 7, here: 3, other: 3 },
        [
          '7 different devices from 203.0.113.0/24 clicked this campaign within 10 min, 3 browsers behind 203.0.113.5 and 3 behind another line of it (limit 6 when two lines show 3 or more)',
          75,
        ],
      ],
      [
        'more than twice the limit',
        TELKOMSEL,
        { devices: 13, here: 7, other: 6 },
        [
          '13 different devices from 203.0.113.0/24 clicked this campaign within 10 min, 7 browsers behind 203.0.113.5 and 6 behind another line of it (limit 6 when two lines show 3 or more)',
          90,
        ],
      ],
      ['6 devices: at the limit', TELKOMSEL, { devices: 6, here: 3, other: 3 }, null],
      ['an office and its neighbours, one browser each', COMCAST, { devices: 9, here: 7, other: 1 }, null],
      ['a neighbour of an office: the office counts as one line', COMCAST, { devices: 9, here: 1, other: 7 }, null],
      [
        'a neighbour of an office, and 8 more neighbours',
        COMCAST,
        { devices: 17, here: 1, other: 8 },
        [
          '17 different devices from 203.0.113.0/24 clicked this campaign within 10 min, 10 counting the 8 behind another line of it as one (limit 8)',
          75,
        ],
      ],
      ['another line with two browsers is a household', TELKOMSEL, { devices: 9, here: 6, other: 2 }, null],
      [
        'two offices of one business block that have clicked all morning',
        ORANGE_BUSINESS,
        { devices: 11, here: 6, other: 5, hour: 25 },
        null,
      ],
      [
        'the same block, more than its past hour explains',
        ORANGE_BUSINESS,
        { devices: 11, here: 6, other: 5, hour: 14 },
        [
          '11 different devices from 203.0.113.0/24 clicked this campaign within 10 min, 6 browsers behind 203.0.113.5 and 5 behind another line of it (limit 9 when two lines show 3 or more, 3 more for the devices seen there within 1 h)',
          75,
        ],
      ],
      ['counts that are not numbers flag nothing', TELKOMSEL, { devices: 9, here: 5, other: Number.NaN }, null],
    ];
    for (const [name, ip, { devices, here, other, hour }, expected] of cases) {
      it(name, () => {
        const input = makeInput({
          visitor: { ip: '203.0.113.5' },
          ip,
          history: {
            subnetRecentDevices: devices,
            subnetHistoryDevices: hour ?? devices,
            subnetOtherLineDevices: other,
            addressRecentDevices: here,
            addressHistoryDevices: here,
            addressFarmClicks: here,
          },
        });
        const signals = clickFarmRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
        assert.deepEqual(
          signals.map((s) => [s.message, s.score]),
          expected === null ? [] : [expected],
        );
        // The farm's lines are looked back on whole, through their own address windows; the neighbourhood's
        // finding on the subnet.
        for (const signal of signals)
          assert.deepEqual(signal.lookBack, {
            group: signal.message.includes('browsers behind') ? 'lines' : 'subnet',
            withinMs: 600_000,
          });
      });
    }

    it("an account's own limit", () => {
      const input = makeInput({
        ip: TELKOMSEL,
        history: {
          subnetRecentDevices: 5,
          subnetHistoryDevices: 5,
          subnetOtherLineDevices: 2,
          addressRecentDevices: 3,
        },
      });
      const strict = resolveDetectionSettings({ clickFarmLinesMaxDevices: 4, clickFarmAddressMinDevices: 2 });
      assert.deepEqual(
        clickFarmRule.evaluate(input, { now: NOW, settings: strict }).map((s) => s.message),
        [
          '5 different devices from 203.0.113.0/24 clicked this campaign within 10 min, 3 browsers behind 203.0.113.7 and 2 behind another line of it (limit 4 when two lines show 2 or more)',
        ],
      );
    });

    it("a line's own farm finding reaches the other busy lines too", () => {
      const input = makeInput({
        ip: COMCAST,
        history: {
          addressFarmClicks: 12,
          addressRecentDevices: 3,
          addressHistoryDevices: 3,
          subnetRecentDevices: 5,
          subnetHistoryDevices: 5,
          subnetOtherLineDevices: 3,
        },
      });
      const [signal] = clickFarmRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
      assert.match(signal!.message, /^12 clicks from 3 different browsers behind 203\.0\.113\.7/);
      assert.deepEqual(signal!.lookBack, { group: 'lines', withinMs: 600_000 });
    });
  });

  describe('behind one address', () => {
    // Networks as the bundled ASN data names them.
    const RUTGERS: Partial<IpInfo> = { asn: 46, asOrg: 'Rutgers, The State University' };
    const ORANGE_BUSINESS: Partial<IpInfo> = { asn: 12807, asOrg: 'Orange Business Services SA' };
    const HETZNER: Partial<IpInfo> = { asn: 24940, asOrg: 'Hetzner Online GmbH' };
    // 64501 is a documentation ASN: a host whose name also says "University".
    const HOST_NAMED_SCHOOL: Partial<IpInfo> = {
      asn: 64501,
      asOrg: 'University Hosting Services Ltd',
    };
    type Counts = { clicks: number; agents: number; history?: number };
    const addressCases: [string, Partial<IpInfo>, Counts, [string, number] | null][] = [
      ['a family of three, a click each', COMCAST, { clicks: 3, agents: 3 }, null],
      ['office on a broadband line: 7 colleagues in 10 min', COMCAST, { clicks: 7, agents: 7 }, null],
      ['office: 10 clicks from 9 browsers, at the limit', COMCAST, { clicks: 10, agents: 9 }, null],
      ['one person re-clicking is not a farm', COMCAST, { clicks: 12, agents: 1 }, null],
      ['two browsers are not a farm', T_MOBILE, { clicks: 12, agents: 2 }, null],
      [
        'a farm arriving on a home line: 11 clicks from 9 browsers',
        COMCAST,
        { clicks: 11, agents: 9 },
        [
          '11 clicks from 9 different browsers behind 203.0.113.5 on this campaign within 10 min (limit 10 from 3 or more)',
          75,
        ],
      ],
      [
        'office that has clicked all morning: 14 in 10 min after 8 others this hour',
        COMCAST,
        { clicks: 14, agents: 12, history: 20 },
        null,
      ],
      [
        'the same office, a surge beyond its own past',
        COMCAST,
        { clicks: 19, agents: 17, history: 25 },
        [
          '19 clicks from 17 different browsers behind 203.0.113.5 on this campaign within 10 min (limit 18 from 3 or more, 8 more for the browsers seen there within 1 h)',
          75,
        ],
      ],
      ['carrier NAT: 16 phones in 10 min', T_MOBILE, { clicks: 16, agents: 15 }, null],
      [
        "carrier NAT: 17 clicks is more than a carrier's address shares",
        JIO,
        { clicks: 17, agents: 15 },
        [
          "17 clicks from 15 different browsers behind 203.0.113.5 on this campaign within 10 min (limit 16 from 3 or more, for a mobile carrier's shared address)",
          75,
        ],
      ],
      ['campus: 16 students in 10 min', RUTGERS, { clicks: 16, agents: 16 }, null],
      ['business line: 16 colleagues', ORANGE_BUSINESS, { clicks: 16, agents: 15 }, null],
      [
        'campus: 60 browsers at once, with a quiet hour before',
        RUTGERS,
        { clicks: 60, agents: 55, history: 57 },
        [
          '60 clicks from 55 different browsers behind 203.0.113.5 on this campaign within 10 min (limit 18 from 3 or more, for a campus or business network, 2 more for the browsers seen there within 1 h)',
          90,
        ],
      ],
      [
        'a host gets no crowd allowance',
        HETZNER,
        { clicks: 11, agents: 11 },
        [
          '11 clicks from 11 different browsers behind 203.0.113.5 on this campaign within 10 min (limit 10 from 3 or more)',
          75,
        ],
      ],
      [
        'a host named like a university neither',
        HOST_NAMED_SCHOOL,
        { clicks: 11, agents: 11 },
        [
          '11 clicks from 11 different browsers behind 203.0.113.5 on this campaign within 10 min (limit 10 from 3 or more)',
          75,
        ],
      ],
      [
        '21 clicks: more than twice the limit',
        COMCAST,
        { clicks: 21, agents: 4 },
        [
          '21 clicks from 4 different browsers behind 203.0.113.5 on this campaign within 10 min (limit 10 from 3 or more)',
          90,
        ],
      ],
      ['counts that are not numbers flag nothing', COMCAST, { clicks: Number.NaN, agents: 5 }, null],
      ['a history that is not a number adds nothing', COMCAST, { clicks: 10, agents: 5, history: Number.NaN }, null],
    ];
    for (const [name, ip, { clicks, agents, history }, expected] of addressCases) {
      it(name, () => {
        const input = makeInput({
          visitor: { ip: '203.0.113.5' },
          ip,
          history: {
            addressFarmClicks: clicks,
            addressRecentDevices: agents,
            addressHistoryDevices: history ?? agents,
            subnetRecentDevices: Math.min(agents, 8),
          },
        });
        const signals = clickFarmRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
        assert.deepEqual(
          signals.map((s) => [s.message, s.score]),
          expected === null ? [] : [expected],
        );
        for (const signal of signals) assert.deepEqual(signal.lookBack, { group: 'ip', withinMs: 600_000 });
      });
    }

    it("an account's own limits: stricter for private lines, the shared one never below it", () => {
      const strict = resolveDetectionSettings({ clickFarmAddressMaxClicks: 6, clickFarmSharedAddressMaxClicks: 2 });
      const office = makeInput({ ip: RUTGERS, history: { addressFarmClicks: 7, addressRecentDevices: 3 } });
      assert.deepEqual(
        clickFarmRule.evaluate(office, { now: NOW, settings: strict }).map((s) => s.message),
        [
          '7 clicks from 3 different browsers behind 203.0.113.7 on this campaign within 10 min (limit 6 from 3 or more, for a campus or business network)',
        ],
      );
    });

    it('a crowd behind one address is one line of its /24: the address rules judge its browsers', () => {
      const campus = makeInput({
        visitor: { ip: '128.6.36.10' },
        ip: { asn: 46, asOrg: 'Rutgers, The State University' },
        history: {
          subnetRecentDevices: 14,
          addressRecentDevices: 12,
          addressFarmClicks: 13,
          addressHistoryDevices: 30,
        },
      });
      assert.deepEqual(clickFarmRule.evaluate(campus, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS }), []);
      const farm = makeInput({
        visitor: { ip: '203.0.113.5' },
        ip: COMCAST,
        history: {
          subnetRecentDevices: 30,
          addressRecentDevices: 10,
          addressFarmClicks: 10,
          addressHistoryDevices: 10,
        },
      });
      assert.deepEqual(
        clickFarmRule
          .evaluate(farm, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS })
          .map((s) => [s.message, s.score]),
        [
          [
            '30 different devices from 203.0.113.0/24 clicked this campaign within 10 min, 21 counting the 10 behind 203.0.113.5 as one (limit 8)',
            90,
          ],
        ],
      );
    });

    it('a subnet finding asks for the whole subnet to be looked back on', () => {
      const [signal] = clickFarmRule.evaluate(makeInput({ ip: COMCAST, history: { subnetRecentDevices: 9 } }), {
        now: NOW,
        settings: DEFAULT_DETECTION_SETTINGS,
      });
      assert.deepEqual(signal?.lookBack, { group: 'subnet', withinMs: 600_000 });
    });
  });

  it('makes the click a bot in the verdict', () => {
    const verdict = evaluate(makeInput({ history: { subnetRecentDevices: 20 } }), NOW);
    assert.equal(verdict.status, 'bot');
    assert.deepEqual(verdict.fraudTypes, ['click_farm']);
  });
});
