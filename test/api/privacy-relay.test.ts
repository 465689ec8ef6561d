import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp } from '../helpers/http-app.ts';

/**
 * iCloud Private Relay through the real tracker, with nothing but the package's shipped data (no
 * `intel update` has run in a test's data directory). 172.224.226.9 is inside 172.224.226.0/27,
 * London, GB, and 2a04:4e41:275f:1700::2c inside 2a04:4e41:275f:1700::/56, Seattle, US: rows of
 * Apple's feed (https://mask-api.icloud.com/egress-ip-ranges.csv) shipped in the snapshot.
 */
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

forEachDialectOverHttp(
  'iCloud Private Relay through the tracker',
  (ctx) => {
    const click = async (uuid: string, ip: string, token: string) => {
      const response = await ctx().visit(`/c/${uuid}`, { 'x-forwarded-for': ip, 'user-agent': SAFARI_IPHONE });
      assert.equal(response.status, 302);
      const id = new URL(response.headers.get('location')!).searchParams.get('cid');
      const detail = await ctx().request({ method: 'GET', url: `/api/v1/clicks/${id}`, token });
      assert.equal(detail.statusCode, 200);
      return detail.json().data;
    };

    test('a relay user is a real click with the relay country and a privacy_relay reason', async () => {
      const { uuid, token } = await ctx().createCampaign();
      const v4 = await click(uuid, '172.224.226.9', token);
      assert.equal(v4.status, 'real');
      assert.equal(v4.is_vpn, false);
      assert.equal(v4.country, 'GB');
      assert.deepEqual(v4.fraud_types, []);
      assert.deepEqual(
        v4.reasons.map((reason: { type: string }) => reason.type),
        ['privacy_relay'],
      );
      assert.match(v4.reasons[0].message, /iCloud Private Relay egress in GB/);
      const v6 = await click(uuid, '2a04:4e41:275f:1700::2c', token);
      assert.equal(v6.status, 'real');
      assert.equal(v6.country, 'US');
    });

    test('an account that counts the relay as VPN gets vpn clicks', async () => {
      const { uuid, token } = await ctx().createCampaign();
      const put = await ctx().request({
        method: 'PUT',
        url: '/api/v1/detection-settings',
        token,
        payload: { thresholds: { privacy_relay_vpn_score: 60 } },
      });
      assert.equal(put.statusCode, 200, put.body);
      const relay = await click(uuid, '172.224.226.9', token);
      assert.equal(relay.status, 'vpn');
      assert.equal(relay.is_vpn, true);
      assert.deepEqual(relay.fraud_types, ['vpn']);
      assert.equal(relay.country, 'GB');
    });
  },
  // The test client is the proxy that names the visitor's address.
  { TRUST_PROXY: '127.0.0.1' },
);
