import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { forEachDialect, type TestApp } from '../helpers/test-app.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';

/** Forged postbacks (SECURITY.md): what someone who saw a click id can and cannot do with it. */

const ENV = { TRUST_PROXY: '127.0.0.1' };

async function createCampaign(
  t: TestApp,
  token: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: number; uuid: string; allow_repeat_conversions: boolean }> {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/campaigns',
    token,
    // These tests convert the instant after the click: the fake-lead timing rule is off here (fake-leads.test.ts tests it).
    payload: { name: 'Offer', destination_url: CLICK_DESTINATION, min_time_to_convert: 0, ...fields },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data;
}

function postback(t: TestApp, params: Record<string, string>, from = '198.51.100.7'): Promise<LightMyRequestResponse> {
  return t.request({
    method: 'GET',
    url: `/api/v1/postback?${new URLSearchParams(params).toString()}`,
    headers: { 'x-forwarded-for': from },
  });
}

async function conversionsOf(t: TestApp, token: string, campaignId: number) {
  const response = await t.request({
    method: 'GET',
    url: `/api/v1/conversions?campaign_id=${campaignId}&per_page=100`,
    token,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as {
    data: Array<{
      id: number;
      payout: number;
      transaction_id: string | null;
      suspicious: boolean;
      suspicious_reasons: string[];
    }>;
    meta: { total: number };
  };
}

async function campaignStats(t: TestApp, token: string, campaignId: number) {
  const response = await t.request({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/stats`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data as { conversions: number; revenue: number };
}

forEachDialect(
  'postback forgery',
  (ctx) => {
    test('a click converts once by default: 40 postbacks with fresh txids make one conversion, the rest change nothing', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      assert.equal(campaign.allow_repeat_conversions, false, 'off by default');
      const clickId = await sendClick(t, campaign.uuid, { ip: '203.0.113.10' });

      const answers: number[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await postback(t, { clickid: clickId, txid: `forged-${i}`, payout: String(100 + i) });
        answers.push(response.statusCode);
        if (response.statusCode === 200) {
          assert.equal(response.json().data.transaction_id, 'forged-0', 'the one conversion is answered');
          assert.equal(response.json().data.payout, 100, 'and left unchanged');
        }
      }
      assert.equal(answers[0], 201);
      assert.deepEqual(
        answers.filter((code) => code !== 200 && code !== 429),
        [201],
        'one created, every other one a repeat or over the per-click limit',
      );
      const { data, meta } = await conversionsOf(t, token, campaign.id);
      assert.equal(meta.total, 1);
      assert.equal(data[0]!.payout, 100);
      const stats = await campaignStats(t, token, campaign.id);
      assert.equal(stats.conversions, 1);
      assert.equal(stats.revenue, 100);
    });

    test('the same txid still updates its conversion (pending → approved), never a second one', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid, { ip: '203.0.113.11' });
      const pending = await postback(t, { clickid: clickId, txid: 'sale-1', payout: '20', status: 'pending' });
      assert.equal(pending.statusCode, 201, pending.body);
      const approved = await postback(t, { clickid: clickId, txid: 'sale-1', status: 'approved' });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().data.id, pending.json().data.id);
      assert.equal(approved.json().data.status, 'approved');
      assert.equal((await conversionsOf(t, token, campaign.id)).meta.total, 1);
    });

    test('racing postbacks with different txids for one click still make exactly one conversion', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid, { ip: '203.0.113.12' });
      const raced = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postback(t, { clickid: clickId, txid: `race-${i}`, payout: '5' })),
      );
      assert.deepEqual(
        raced.filter((r) => r.statusCode !== 200 && r.statusCode !== 201).map((r) => r.body),
        [],
      );
      assert.equal(raced.filter((r) => r.statusCode === 201).length, 1);
      assert.equal(new Set(raced.map((r) => r.json().data.id)).size, 1);
      assert.equal((await conversionsOf(t, token, campaign.id)).meta.total, 1);
    });

    test('allow_repeat_conversions: set on the campaign, each txid of a click then counts', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const updated = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaign.id}`,
        token,
        payload: { allow_repeat_conversions: true },
      });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.equal(updated.json().data.allow_repeat_conversions, true);
      const clickId = await sendClick(t, campaign.uuid, { ip: '203.0.113.13' });
      for (const txid of ['rebill-1', 'rebill-2', 'rebill-3']) {
        assert.equal((await postback(t, { clickid: clickId, txid, payout: '10' })).statusCode, 201);
      }
      assert.equal((await campaignStats(t, token, campaign.id)).conversions, 3);
      const bad = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaign.id}`,
        token,
        payload: { allow_repeat_conversions: 'yes' },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VALIDATION_ERROR');
      const spec = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
      assert.ok(JSON.stringify(spec).includes('allow_repeat_conversions'), 'documented in the OpenAPI document');
    });

    test('a payout far above the campaign’s typical one is stored suspicious, with its reason; it still counts', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      // Five ordinary sales make the campaign's typical payout (median 10).
      for (let i = 0; i < 5; i++) {
        const clickId = await sendClick(t, campaign.uuid, { ip: `203.0.114.${i + 1}` });
        const response = await postback(t, { clickid: clickId, txid: `ok-${i}`, payout: String(9 + (i % 3)) });
        assert.equal(response.statusCode, 201);
        assert.equal(response.json().data.suspicious, false);
      }
      const atTheLimit = await postback(t, {
        clickid: await sendClick(t, campaign.uuid, { ip: '203.0.114.20' }),
        txid: 'limit',
        payout: '100',
      });
      assert.equal(atTheLimit.json().data.suspicious, false, '10× is still plausible');
      const inflated = await postback(t, {
        clickid: await sendClick(t, campaign.uuid, { ip: '203.0.114.21' }),
        txid: 'inflated',
        payout: '100000',
      });
      assert.equal(inflated.statusCode, 201, inflated.body);
      assert.equal(inflated.json().data.suspicious, true);
      assert.equal(inflated.json().data.status, 'approved', 'the reference statuses are untouched');
      assert.match(
        inflated.json().data.suspicious_reasons[0],
        /100000 is more than 10× the campaign's typical payout 10/,
      );

      // A known txid replayed with an inflated payout is judged again.
      const replayed = await postback(t, {
        clickid: atTheLimit.json().data.click_id,
        txid: 'limit',
        payout: '5000',
      });
      assert.equal(replayed.statusCode, 200);
      assert.equal(replayed.json().data.suspicious, true);
      const listed = (await conversionsOf(t, token, campaign.id)).data.filter((c) => c.suspicious);
      assert.deepEqual(listed.map((c) => c.transaction_id).sort(), ['inflated', 'limit']);
    });

    test('a CPA campaign without history judges the payout against 10× its cost_value', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token, { cost_model: 'cpa', cost_value: 20 });
      const fair = await postback(t, {
        clickid: await sendClick(t, campaign.uuid, { ip: '203.0.115.1' }),
        payout: '200',
      });
      assert.equal(fair.json().data.suspicious, false);
      const inflated = await postback(t, {
        clickid: await sendClick(t, campaign.uuid, { ip: '203.0.115.2' }),
        payout: '200.01',
      });
      assert.equal(inflated.json().data.suspicious, true);
      assert.match(inflated.json().data.suspicious_reasons[0], /its CPA cost_value/);
    });

    test('postback_allowed_ips: postbacks only from the listed addresses; bad entries are 400', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid, { ip: '203.0.113.30' });

      const bad = await t.request({
        method: 'PUT',
        url: '/api/v1/account',
        token,
        payload: { postback_allowed_ips: ['192.0.2.0/24', 'not-an-ip'] },
      });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json().error.code, 'VALIDATION_ERROR');
      assert.deepEqual(bad.json().error.details.postback_allowed_ips, [
        '"not-an-ip" is not an IP address or CIDR range',
      ]);

      const set = await t.request({
        method: 'PUT',
        url: '/api/v1/account',
        token,
        payload: { postback_allowed_ips: ['192.0.2.0/24', '2001:db8::1'] },
      });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual(set.json().data.postback_allowed_ips, ['192.0.2.0/24', '2001:db8::1']);

      const refused = await postback(t, { clickid: clickId, txid: 'a' }, '198.51.100.1');
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().error.code, 'AUTHORIZATION_ERROR');
      assert.equal((await conversionsOf(t, token, campaign.id)).meta.total, 0, 'nothing recorded');
      assert.equal((await postback(t, { clickid: clickId, txid: 'a' }, '192.0.2.77')).statusCode, 201);

      const cleared = await t.request({
        method: 'PUT',
        url: '/api/v1/account',
        token,
        payload: { postback_allowed_ips: [] },
      });
      assert.deepEqual(cleared.json().data.postback_allowed_ips, []);
      assert.equal((await postback(t, { clickid: clickId, txid: 'a' }, '198.51.100.1')).statusCode, 200);
    });
  },
  ENV,
);

forEachDialect(
  'postback rate limits',
  (ctx) => {
    test('per click and per sending address: 429 in the error format with Retry-After; other clicks and addresses go on', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid, { ip: '203.0.116.1' });
      for (let i = 0; i < 3; i++) {
        assert.notEqual((await postback(t, { clickid: clickId, txid: `t${i}` }, `192.0.2.${i + 1}`)).statusCode, 429);
      }
      // The fourth for this click, from yet another address: over the click's limit.
      const overClick = await postback(t, { clickid: clickId, txid: 't3' }, '192.0.2.9');
      assert.equal(overClick.statusCode, 429, overClick.body);
      assert.deepEqual(Object.keys(overClick.json()), ['success', 'error']);
      assert.equal(overClick.json().error.code, 'RATE_LIMIT_EXCEEDED');
      assert.ok(Number(overClick.headers['retry-after']) >= 1);

      // One address, many clicks (and guesses of unknown ones): over the address's limit.
      const from = '192.0.2.200';
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const other = await sendClick(t, campaign.uuid, { ip: `203.0.116.${i + 10}` });
        codes.push((await postback(t, { clickid: other }, from)).statusCode);
      }
      assert.deepEqual(codes, [201, 201, 201, 201, 201, 429]);
      const guess = await postback(t, { clickid: 'clk_0000000000000000000000' }, from);
      assert.equal(guess.statusCode, 429, 'guessing is paced as well');
      const elsewhere = await postback(
        t,
        { clickid: await sendClick(t, campaign.uuid, { ip: '203.0.116.50' }) },
        '192.0.2.201',
      );
      assert.equal(elsewhere.statusCode, 201);
    });
  },
  ENV,
  {
    postbackLimits: {
      perAddress: [{ limit: 5, windowMs: 60_000 }],
      perClick: [{ limit: 3, windowMs: 60_000 }],
    },
  },
);
