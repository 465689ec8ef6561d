import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../evaluate.ts';
import { resolveDetectionSettings } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import type { IpReputation } from '../types.ts';

/**
 * Addresses inside rows of Apple's relay feed (https://mask-api.icloud.com/egress-ip-ranges.csv,
 * rows as quoted in public code that parses it) on the networks the relay egresses from: AS36183
 * Akamai (172.224.226.0/27, GB), AS13335 Cloudflare (104.28.30.0/26, JP), AS54113 Fastly
 * (2a04:4e41:275f:1700::/56, US).
 */
const RELAYS = [
  { ip: '172.224.226.9', asn: 36183, asOrg: 'Akamai Technologies, Inc.', entry: '172.224.226.0/27', country: 'GB' },
  { ip: '104.28.30.17', asn: 13335, asOrg: 'Cloudflare, Inc.', entry: '104.28.30.0/26', country: 'JP' },
  {
    ip: '2a04:4e41:275f:1700::2c',
    asn: 54113,
    asOrg: 'Fastly, Inc.',
    entry: '2a04:4e41:275f:1700::/56',
    country: 'US',
  },
] as const;

const NOT_LISTED: IpReputation = { tor: false, vpn: false, crawler: false, relay: false };

function judge(relay: (typeof RELAYS)[number], reputation: Partial<IpReputation>, overrides = {}) {
  const input = makeInput({
    visitor: { ip: relay.ip },
    ip: {
      asn: relay.asn,
      asOrg: relay.asOrg,
      country: relay.country,
      reputation: {
        ...NOT_LISTED,
        relay: { list: 'icloud-private-relay', entry: relay.entry, country: relay.country },
        ...reputation,
      },
    },
  });
  return evaluate(input, NOW, resolveDetectionSettings(overrides));
}

describe('privacy-relay rule', () => {
  for (const relay of RELAYS) {
    it(`${relay.ip} (${relay.asOrg}) is a real click with a privacy_relay reason, not datacenter`, () => {
      const verdict = judge(relay, {});
      assert.equal(verdict.status, 'real');
      assert.deepEqual(verdict.fraudTypes, []);
      assert.equal(verdict.fraudScore, 0);
      assert.deepEqual(verdict.reasons, [
        {
          type: 'privacy_relay',
          message: `${relay.ip} is an iCloud Private Relay egress in ${relay.country} (list icloud-private-relay, range ${relay.entry})`,
        },
      ]);
    });
  }
  it('without the relay list the same address is a CDN (what it was before): the list is what tells', () => {
    const verdict = judge(RELAYS[0], { relay: false });
    assert.deepEqual(verdict.fraudTypes, ['datacenter']);
    assert.equal(verdict.reasons[0]?.message, 'AS36183 Akamai Technologies, Inc. is a CDN and proxy network');
  });
  it('a relay range that a VPN list also holds is still the relay', () => {
    const verdict = judge(RELAYS[0], { vpn: { list: 'x4bnet-vpn', entry: '172.224.0.0/16' } });
    assert.equal(verdict.status, 'real');
    assert.deepEqual(
      verdict.reasons.map((reason) => reason.type),
      ['privacy_relay'],
    );
  });
  it('an account that counts relays as VPN gets vpn with its own score', () => {
    const verdict = judge(RELAYS[1], {}, { privacyRelayVpnScore: 60 });
    assert.equal(verdict.status, 'vpn');
    assert.deepEqual(verdict.fraudTypes, ['vpn']);
    assert.equal(verdict.fraudScore, 60);
    assert.match(
      verdict.reasons[0]?.message ?? '',
      /iCloud Private Relay egress in JP .*, counted as a VPN by this account$/,
    );
  });
  it('a bot behind the relay is still a bot: the relay only speaks for the network', () => {
    const input = makeInput({
      visitor: { ip: RELAYS[0].ip, userAgent: 'python-requests/2.31.0', headers: {} },
      ip: {
        reputation: { ...NOT_LISTED, relay: { list: 'icloud-private-relay', entry: RELAYS[0].entry, country: 'GB' } },
      },
    });
    const verdict = evaluate(input, NOW);
    assert.equal(verdict.status, 'bot');
    assert.ok(verdict.reasons.some((reason) => reason.type === 'privacy_relay'));
  });
});
