import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../evaluate.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import { UNKNOWN_REPUTATION, type IpInfo, type IpReputation } from '../types.ts';
import { vpnRule } from './vpn.ts';

const IP = '203.0.113.5';
const NOT_LISTED: IpReputation = { tor: false, vpn: false, crawler: false, relay: false };
const TOR = { list: 'tor-exit-nodes', entry: IP };
const VPN_RANGE = { list: 'x4bnet-vpn', entry: '203.0.113.0/24' };

describe('vpn rule', () => {
  const cases: [string, string, Partial<IpInfo>, [string, number] | null][] = [
    ['no lists loaded: unknown, so nothing', IP, { reputation: UNKNOWN_REPUTATION }, null],
    ['lists loaded, not on them', IP, { reputation: NOT_LISTED }, null],
    [
      'Tor exit',
      IP,
      { reputation: { ...NOT_LISTED, tor: TOR } },
      ['203.0.113.5 is a Tor exit node (list tor-exit-nodes)', 95],
    ],
    [
      'Tor exit, other lists not loaded',
      IP,
      { reputation: { tor: TOR, vpn: null, crawler: null, relay: null } },
      ['203.0.113.5 is a Tor exit node (list tor-exit-nodes)', 95],
    ],
    [
      'Tor exit listed by range',
      '203.0.113.9',
      { reputation: { ...NOT_LISTED, tor: { list: 'tor-exit-nodes', entry: '203.0.113.0/28' } } },
      ['203.0.113.9 is a Tor exit node (list tor-exit-nodes, range 203.0.113.0/28)', 95],
    ],
    [
      'VPN exit in a listed range',
      IP,
      { reputation: { ...NOT_LISTED, vpn: VPN_RANGE } },
      ['203.0.113.5 is a VPN or proxy exit (list x4bnet-vpn, range 203.0.113.0/24)', 80],
    ],
    [
      'VPN exit listed by address',
      IP,
      { reputation: { ...NOT_LISTED, vpn: { list: 'vpn-exits', entry: IP } } },
      ['203.0.113.5 is a VPN or proxy exit (list vpn-exits)', 80],
    ],
    [
      'IPv6 VPN exit',
      '2001:db8::7',
      { reputation: { ...NOT_LISTED, vpn: { list: 'vpn-exits', entry: '2001:db8::/32' } } },
      ['2001:db8::7 is a VPN or proxy exit (list vpn-exits, range 2001:db8::/32)', 80],
    ],
    [
      'on both lists: the Tor reason only',
      IP,
      { reputation: { ...NOT_LISTED, tor: TOR, vpn: VPN_RANGE } },
      ['203.0.113.5 is a Tor exit node (list tor-exit-nodes)', 95],
    ],
    [
      'a VPN company network, no lists loaded',
      IP,
      { asn: 216025, asOrg: 'Mullvad VPN AB', reputation: UNKNOWN_REPUTATION },
      ["AS216025 Mullvad VPN AB is a VPN provider's network", 80],
    ],
    [
      'a VPN company network without a name',
      IP,
      { asn: 397540, asOrg: null },
      ["AS397540 Windscribe is a VPN provider's network", 80],
    ],
    [
      'a VPN company network on a list: the list reason',
      IP,
      { asn: 216025, asOrg: 'Mullvad VPN AB', reputation: { ...NOT_LISTED, vpn: VPN_RANGE } },
      ['203.0.113.5 is a VPN or proxy exit (list x4bnet-vpn, range 203.0.113.0/24)', 80],
    ],
    ["a hosting network is the datacenter rule's", IP, { asn: 14061, asOrg: 'DigitalOcean, LLC' }, null],
    [
      'a crawler-range match is not a VPN',
      IP,
      {
        reputation: {
          tor: false,
          vpn: false,
          crawler: { list: 'google', entry: '203.0.113.0/24', company: 'Google' },
          relay: false,
        },
      },
      null,
    ],
  ];
  for (const [name, address, ip, expected] of cases) {
    it(name, () => {
      const signals = vpnRule.evaluate(makeInput({ visitor: { ip: address }, ip }), {
        now: NOW,
        settings: DEFAULT_DETECTION_SETTINGS,
      });
      assert.deepEqual(
        signals.map((s) => [s.message, s.score]),
        expected === null ? [] : [expected],
      );
      for (const signal of signals) assert.equal(signal.type, 'vpn');
    });
  }

  it('a Tor exit is status vpn in the verdict', () => {
    const verdict = evaluate(makeInput({ visitor: { ip: IP }, ip: { reputation: { ...NOT_LISTED, tor: TOR } } }), NOW);
    assert.equal(verdict.status, 'vpn');
    assert.deepEqual(verdict.fraudTypes, ['vpn']);
    assert.equal(verdict.fraudScore, 95);
  });

  it('a VPN exit on a cloud is both datacenter and vpn', () => {
    const verdict = evaluate(
      makeInput({
        visitor: { ip: IP },
        ip: { asn: 9009, asOrg: 'M247 Europe SRL', reputation: { ...NOT_LISTED, vpn: VPN_RANGE } },
      }),
      NOW,
    );
    assert.equal(verdict.status, 'vpn');
    assert.deepEqual(verdict.fraudTypes, ['datacenter', 'vpn']);
  });
});
