import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { forEachDialect, type TestApp } from '../helpers/test-app.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';
import { startWithRoomInMinute } from '../helpers/minute-window.ts';

interface ConversionData {
  id: number;
  click_id: string;
  campaign_id: number;
  payout: number;
  transaction_id: string | null;
  status: string;
  event: string;
  suspicious: boolean;
  suspicious_reasons: string[];
  created_at: string;
  updated_at: string;
}

/** Campaigns that count every transaction id of a click (rebills): the tests that need many conversions per click. */
const REPEATS = { allow_repeat_conversions: true };

const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
/** Has the shape of a click id but was never minted. */
const UNKNOWN_CLICK = 'clk_0000000000000000000000';

async function createCampaign(
  t: TestApp,
  token: string,
  name = 'Offer',
  fields: Record<string, unknown> = {},
): Promise<{ id: number; uuid: string }> {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/campaigns',
    token,
    // These tests convert the instant after the click: the fake-lead timing rule is off here (fake-leads.test.ts tests it).
    payload: { name, destination_url: CLICK_DESTINATION, min_time_to_convert: 0, ...fields },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data;
}

function postback(
  t: TestApp,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.request({ method: 'GET', url: `/api/v1/postback?${new URLSearchParams(params).toString()}`, headers });
}

async function listConversions(
  t: TestApp,
  token: string,
  query = '',
): Promise<{ data: ConversionData[]; meta: { page: number; per_page: number; total: number } }> {
  const response = await t.request({ method: 'GET', url: `/api/v1/conversions${query}`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

async function conversionsToday(t: TestApp, token: string, campaignId: number): Promise<number> {
  return (await t.request({ method: 'GET', url: `/api/v1/campaigns/${campaignId}`, token })).json().data
    .conversions_today;
}

forEachDialect(
  'conversions',
  (ctx) => {
    test('the reference example: POST records a conversion of a tracked click', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid);
      assert.match(clickId, /^clk_[A-Za-z0-9]{22}$/);
      assert.equal(await conversionsToday(t, token, campaign.id), 0);

      const created = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: { click_id: clickId, payout: 45.0, transaction_id: 'txn_12345', status: 'approved' },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(Object.keys(created.json()), ['success', 'data']);
      const conversion: ConversionData = created.json().data;
      assert.deepEqual(Object.keys(conversion).sort(), [
        'campaign_id',
        'click_id',
        'created_at',
        'event',
        'id',
        'payout',
        'status',
        'suspicious',
        'suspicious_reasons',
        'transaction_id',
        'updated_at',
      ]);
      assert.equal(conversion.suspicious, false);
      assert.deepEqual(conversion.suspicious_reasons, []);
      assert.equal(conversion.event, 'conversion');
      assert.equal(conversion.click_id, clickId);
      assert.equal(conversion.campaign_id, campaign.id);
      assert.equal(conversion.payout, 45);
      assert.equal(conversion.transaction_id, 'txn_12345');
      assert.equal(conversion.status, 'approved');
      assert.match(conversion.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(await conversionsToday(t, token, campaign.id), 1);

      // Defaults: approved, payout 0, no transaction id.
      const other = await sendClick(t, campaign.uuid, {
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      });
      const bare = await t.request({ method: 'POST', url: '/api/v1/conversions', token, payload: { click_id: other } });
      assert.equal(bare.statusCode, 201, bare.body);
      assert.equal(bare.json().data.status, 'approved');
      assert.equal(bare.json().data.payout, 0);
      assert.equal(bare.json().data.transaction_id, null);
      assert.equal(await conversionsToday(t, token, campaign.id), 2);

      const click = await t.request({ method: 'GET', url: `/api/v1/clicks/${clickId}`, token });
      assert.equal(click.json().data.converted, true);
    });

    test('the postback URL records without a token and answers in the envelope', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid);
      const response = await postback(t, { clickid: clickId, payout: '12.50', txid: 'pb-1', status: 'pending' });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().success, true);
      assert.equal(response.json().data.payout, 12.5);
      assert.equal(response.json().data.status, 'pending');
      assert.equal(response.json().data.transaction_id, 'pb-1');
      assert.equal(response.headers['x-ratelimit-limit'], undefined);

      // Networks append macros of their own and leave unfilled ones empty: both are accepted.
      const other = await sendClick(t, campaign.uuid, { query: { sub1: 'a' } });
      const noisy = await postback(t, {
        clickid: other,
        payout: '',
        txid: '',
        status: '',
        offer_id: '77',
        aff_sub: 'x',
      });
      assert.equal(noisy.statusCode, 201, noisy.body);
      assert.equal(noisy.json().data.payout, 0);
      assert.equal(noisy.json().data.transaction_id, null);
      assert.equal(noisy.json().data.status, 'approved');
      assert.equal((await listConversions(t, token)).meta.total, 2);
    });

    test('list: newest first, filters, pagination and meta', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const first = await createCampaign(t, token, 'First', REPEATS);
      const second = await createCampaign(t, token, 'Second', REPEATS);
      const click = await sendClick(t, first.uuid);
      const otherClick = await sendClick(t, second.uuid);
      // Postbacks are not counted against the plan, so they build the data set.
      for (let i = 1; i <= 22; i++) {
        const status = i % 4 === 0 ? 'pending' : i % 5 === 0 ? 'rejected' : 'approved';
        const response = await postback(t, {
          clickid: i <= 15 ? click : otherClick,
          txid: `t${i}`,
          payout: String(i),
          status,
        });
        assert.equal(response.statusCode, 201, response.body);
      }

      const page1 = await listConversions(t, token);
      assert.deepEqual(page1.meta, { page: 1, per_page: 20, total: 22 });
      assert.equal(page1.data.length, 20);
      assert.deepEqual(
        page1.data.slice(0, 3).map((c) => c.transaction_id),
        ['t22', 't21', 't20'],
        'newest first',
      );
      const page2 = await listConversions(t, token, '?page=2');
      assert.deepEqual(
        page2.data.map((c) => c.transaction_id),
        ['t2', 't1'],
      );
      assert.deepEqual(page2.meta, { page: 2, per_page: 20, total: 22 });
      const small = await listConversions(t, token, '?per_page=5&page=3');
      assert.deepEqual(
        small.data.map((c) => c.transaction_id),
        ['t12', 't11', 't10', 't9', 't8'],
      );
      assert.deepEqual((await listConversions(t, token, '?page=99')).data, []);

      const bySecond = await listConversions(t, token, `?campaign_id=${second.id}`);
      assert.equal(bySecond.meta.total, 7);
      assert.ok(bySecond.data.every((c) => c.campaign_id === second.id && c.click_id === otherClick));
      const pending = await listConversions(t, token, '?status=pending');
      assert.deepEqual(
        pending.data.map((c) => c.transaction_id),
        ['t20', 't16', 't12', 't8', 't4'],
      );
      const rejectedFirst = await listConversions(t, token, `?status=rejected&campaign_id=${first.id}`);
      assert.deepEqual(
        rejectedFirst.data.map((c) => c.transaction_id),
        ['t15', 't10', 't5'],
      );

      assert.equal((await listConversions(t, token, `?from=${isoDay(0)}&to=${isoDay(0)}`)).meta.total, 22);
      assert.equal((await listConversions(t, token, `?from=${isoDay(-7)}`)).meta.total, 22);
      assert.equal((await listConversions(t, token, `?from=${isoDay(1)}&to=${isoDay(2)}`)).meta.total, 0);
      assert.equal((await listConversions(t, token, `?to=${isoDay(-1)}`)).meta.total, 0);

      // Counted = not rejected: t5, t10 and t15 (first campaign) are the only rejections (t20 is pending).
      assert.equal(await conversionsToday(t, token, first.id), 12);
      assert.equal(await conversionsToday(t, token, second.id), 7);
    });

    test('idempotency: one conversion per transaction id, updated in place; a bare repeat is a no-op', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid);

      const pending = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: { click_id: clickId, transaction_id: 'order-9', status: 'pending', payout: 10 },
      });
      assert.equal(pending.statusCode, 201);
      assert.equal(await conversionsToday(t, token, campaign.id), 1);
      const same = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: { click_id: clickId, transaction_id: 'order-9', status: 'pending', payout: 10 },
      });
      assert.equal(same.statusCode, 200);
      assert.equal(same.json().data.id, pending.json().data.id);

      const approved = await postback(t, { clickid: clickId, txid: 'order-9', status: 'approved', payout: '12.5' });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().data.id, pending.json().data.id);
      assert.equal(approved.json().data.status, 'approved');
      assert.equal(approved.json().data.payout, 12.5);
      assert.equal(approved.json().data.created_at, pending.json().data.created_at);

      // A repeat that names nothing to change leaves the conversion as it is.
      const repeat = await postback(t, { clickid: clickId, txid: 'order-9' });
      assert.equal(repeat.statusCode, 200);
      assert.equal(repeat.json().data.status, 'approved');
      assert.equal(repeat.json().data.payout, 12.5);
      assert.equal((await listConversions(t, token)).meta.total, 1);
      assert.equal(await conversionsToday(t, token, campaign.id), 1, 'never counted twice');

      // Without a transaction id, a click that already converted keeps its one conversion.
      const bare = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: { click_id: clickId, payout: 99 },
      });
      assert.equal(bare.statusCode, 200);
      assert.equal(bare.json().data.id, pending.json().data.id);
      assert.equal(bare.json().data.payout, 12.5, 'a no-op: nothing changed');

      const fresh = await sendClick(t, campaign.uuid, { query: { sub1: 'second' } });
      const firstBare = await postback(t, { clickid: fresh, payout: '3' });
      assert.equal(firstBare.statusCode, 201);
      const secondBare = await postback(t, { clickid: fresh, payout: '4', status: 'rejected' });
      assert.equal(secondBare.statusCode, 200);
      assert.deepEqual(secondBare.json().data, firstBare.json().data);
      assert.equal((await listConversions(t, token)).meta.total, 2);

      // By default a click converts once: a new transaction id for it is a repeat, answered with the one
      // conversion, unchanged (a forged postback gains nothing).
      const upsell = await postback(t, { clickid: clickId, txid: 'order-10', payout: '5' });
      assert.equal(upsell.statusCode, 200, upsell.body);
      assert.equal(upsell.json().data.id, pending.json().data.id);
      assert.equal(upsell.json().data.transaction_id, 'order-9');
      assert.equal(upsell.json().data.payout, 12.5);
      assert.equal(await conversionsToday(t, token, campaign.id), 2);

      // A campaign that allows repeats: a second sale on the same click carries its own transaction id and counts.
      const rebills = await createCampaign(t, token, 'Rebills', REPEATS);
      const rebilled = await sendClick(t, rebills.uuid, { query: { sub1: 'rebill' } });
      assert.equal((await postback(t, { clickid: rebilled, txid: 'order-11', payout: '5' })).statusCode, 201);
      assert.equal((await postback(t, { clickid: rebilled, txid: 'order-12', payout: '5' })).statusCode, 201);
      assert.equal(await conversionsToday(t, token, rebills.id), 2);

      // The same transaction id on a different click is a mistake, not an update.
      const clash = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: { click_id: fresh, transaction_id: 'order-9', status: 'rejected' },
      });
      assert.equal(clash.statusCode, 400, clash.body);
      assert.equal(clash.json().error.code, 'VALIDATION_ERROR');
      assert.ok(clash.json().error.details.transaction_id);
      assert.equal((await postback(t, { clickid: fresh, txid: 'order-9' })).statusCode, 400);
      const kept = (await listConversions(t, token)).data.find((c) => c.transaction_id === 'order-9');
      assert.equal(kept?.status, 'approved');
      assert.equal(kept?.click_id, clickId);
    });

    test('concurrency: racing identical postbacks make exactly one conversion', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const withTxid = await sendClick(t, campaign.uuid);
      const bare = await sendClick(t, campaign.uuid, { query: { sub1: 'bare' } });

      const racedTx = await Promise.all(
        Array.from({ length: 20 }, () => postback(t, { clickid: withTxid, txid: 'race-1', payout: '7.5' })),
      );
      assert.deepEqual(
        racedTx.filter((r) => r.statusCode !== 200 && r.statusCode !== 201).map((r) => r.body),
        [],
      );
      assert.equal(racedTx.filter((r) => r.statusCode === 201).length, 1, 'exactly one request created it');
      assert.equal(new Set(racedTx.map((r) => r.json().data.id)).size, 1);

      const racedBare = await Promise.all(Array.from({ length: 20 }, () => postback(t, { clickid: bare })));
      assert.deepEqual(
        racedBare.filter((r) => r.statusCode !== 200 && r.statusCode !== 201).map((r) => r.body),
        [],
      );
      assert.equal(racedBare.filter((r) => r.statusCode === 201).length, 1);
      assert.equal(new Set(racedBare.map((r) => r.json().data.id)).size, 1);

      const all = await listConversions(t, token);
      assert.equal(all.meta.total, 2);
      assert.deepEqual(all.data.map((c) => c.click_id).sort(), [withTxid, bare].sort());
      assert.equal(await conversionsToday(t, token, campaign.id), 2);
    });

    test('unknown clicks and other tenants’ clicks answer 404', async () => {
      const t = ctx();
      const owner = await t.signUp();
      const stranger = await t.signUp();
      const campaign = await createCampaign(t, owner.token);
      const clickId = await sendClick(t, campaign.uuid);
      await postback(t, { clickid: clickId, txid: 'mine' });

      for (const click_id of [UNKNOWN_CLICK, 'nope', 'clk_' + 'x'.repeat(40)]) {
        const response = await t.request({
          method: 'POST',
          url: '/api/v1/conversions',
          token: owner.token,
          payload: { click_id },
        });
        assert.equal(response.statusCode, 404, `${click_id}: ${response.body}`);
        assert.deepEqual(response.json().error, { code: 'NOT_FOUND', message: 'Click not found' });
        assert.equal((await postback(t, { clickid: click_id })).statusCode, 404);
      }

      const foreign = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: stranger.token,
        payload: { click_id: clickId, transaction_id: 'mine', status: 'rejected' },
      });
      assert.equal(foreign.statusCode, 404);
      assert.deepEqual(foreign.json().error, { code: 'NOT_FOUND', message: 'Click not found' });
      // A postback carrying another account's bearer token is held to that account's clicks.
      const foreignPostback = await postback(
        t,
        { clickid: clickId, txid: 'mine', status: 'rejected' },
        { authorization: `Bearer ${stranger.token}` },
      );
      assert.equal(foreignPostback.statusCode, 404);
      assert.equal(
        (await postback(t, { clickid: clickId, txid: 'mine' }, { authorization: `Bearer ${owner.token}` })).statusCode,
        200,
      );

      assert.equal((await listConversions(t, stranger.token)).meta.total, 0);
      const foreignFilter = await t.request({
        method: 'GET',
        url: `/api/v1/conversions?campaign_id=${campaign.id}`,
        token: stranger.token,
      });
      assert.equal(foreignFilter.statusCode, 404, "another account's campaign answers like a missing one");
      const mine = await listConversions(t, owner.token);
      assert.equal(mine.meta.total, 1);
      assert.equal(mine.data[0]?.status, 'approved', 'the stranger changed nothing');
    });

    test('rejected conversions are recorded but not counted', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid);
      const rejected = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: { click_id: clickId, transaction_id: 'chargeback', status: 'rejected', payout: 30 },
      });
      assert.equal(rejected.statusCode, 201);
      assert.equal(rejected.json().data.status, 'rejected');
      assert.equal((await listConversions(t, token, '?status=rejected')).meta.total, 1);
      assert.equal(await conversionsToday(t, token, campaign.id), 0);
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v1/clicks/${clickId}`, token })).json().data.converted,
        false,
      );

      const reinstated = await postback(t, { clickid: clickId, txid: 'chargeback', status: 'approved' });
      assert.equal(reinstated.statusCode, 200);
      assert.equal(await conversionsToday(t, token, campaign.id), 1);
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v1/campaigns`, token })).json().data[0].conversions_today,
        1,
      );
    });

    test('postback token: required once set, checked against the click’s account, and can be turned off', async () => {
      const t = ctx();
      const owner = await t.signUp();
      const other = await t.signUp();
      // Repeats allowed: every accepted postback below (each its own txid) is then a new conversion.
      const campaign = await createCampaign(t, owner.token, 'Offer', REPEATS);
      const clickId = await sendClick(t, campaign.uuid);

      const set = await t.request({ method: 'POST', url: '/api/v1/account/postback-token', token: owner.token });
      assert.equal(set.statusCode, 201, set.body);
      const secret: string = set.json().data.postback_token;
      assert.match(secret, /^[0-9A-Za-z]{32}$/);
      assert.equal(
        (await t.request({ method: 'GET', url: '/api/v1/account', token: owner.token })).json().data
          .postback_token_required,
        true,
      );
      const otherSecret: string = (
        await t.request({ method: 'POST', url: '/api/v1/account/postback-token', token: other.token })
      ).json().data.postback_token;

      const wrongTokens: Array<Record<string, string>> = [
        {},
        { token: 'wrong' },
        { token: '' },
        { token: otherSecret },
        { token: secret.slice(0, 31) },
        { token: `${secret}x` },
      ];
      for (const params of wrongTokens) {
        const refused = await postback(t, { clickid: clickId, txid: 'paid', ...params });
        assert.equal(refused.statusCode, 403, JSON.stringify(params));
        assert.equal(refused.json().error.code, 'AUTHORIZATION_ERROR');
      }
      // The owner's bearer token is no substitute for the postback token.
      assert.equal(
        (await postback(t, { clickid: clickId, txid: 'paid' }, { authorization: `Bearer ${owner.token}` })).statusCode,
        403,
      );
      assert.equal((await listConversions(t, owner.token)).meta.total, 0, 'nothing recorded');

      const accepted = await postback(t, { clickid: clickId, txid: 'paid', token: secret });
      assert.equal(accepted.statusCode, 201, accepted.body);
      // The API itself does not need the postback token.
      assert.equal(
        (
          await t.request({
            method: 'POST',
            url: '/api/v1/conversions',
            token: owner.token,
            payload: { click_id: clickId, transaction_id: 'api' },
          })
        ).statusCode,
        201,
      );

      // A new token replaces the old one.
      const rotated: string = (
        await t.request({ method: 'POST', url: '/api/v1/account/postback-token', token: owner.token })
      ).json().data.postback_token;
      assert.notEqual(rotated, secret);
      assert.equal((await postback(t, { clickid: clickId, txid: 'paid', token: secret })).statusCode, 403);
      assert.equal((await postback(t, { clickid: clickId, txid: 'paid', token: rotated })).statusCode, 200);

      const cleared = await t.request({ method: 'DELETE', url: '/api/v1/account/postback-token', token: owner.token });
      assert.deepEqual(cleared.json(), { success: true });
      assert.equal(
        (await t.request({ method: 'GET', url: '/api/v1/account', token: owner.token })).json().data
          .postback_token_required,
        false,
      );
      assert.equal((await postback(t, { clickid: clickId, txid: 'open-again' })).statusCode, 201);
      assert.equal(
        (await postback(t, { clickid: clickId, txid: 'stale', token: rotated })).statusCode,
        201,
        'a leftover token is ignored',
      );

      assert.equal((await t.request({ method: 'POST', url: '/api/v1/account/postback-token' })).statusCode, 401);
      assert.equal((await t.request({ method: 'DELETE', url: '/api/v1/account/postback-token' })).statusCode, 401);
    });

    test('bad input, field by field', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid);

      const bodies: Array<{ payload: unknown; field: string }> = [
        { payload: {}, field: 'click_id' },
        { payload: { payout: 5 }, field: 'click_id' },
        { payload: { click_id: 42 }, field: 'click_id' },
        { payload: { click_id: '' }, field: 'click_id' },
        { payload: { click_id: 'c'.repeat(65) }, field: 'click_id' },
        { payload: { click_id: clickId, payout: 'abc' }, field: 'payout' },
        { payload: { click_id: clickId, payout: '45.00' }, field: 'payout' },
        { payload: { click_id: clickId, payout: -1 }, field: 'payout' },
        { payload: { click_id: clickId, payout: 1_000_000_001 }, field: 'payout' },
        { payload: { click_id: clickId, status: 'paid' }, field: 'status' },
        { payload: { click_id: clickId, transaction_id: 't'.repeat(201) }, field: 'transaction_id' },
        { payload: { click_id: clickId, transaction_id: '' }, field: 'transaction_id' },
        { payload: { click_id: clickId, transaction_id: 'a\u0000b' }, field: 'transaction_id' },
        { payload: { click_id: clickId, transaction_id: 12345 }, field: 'transaction_id' },
        { payload: { click_id: clickId, campaign_id: 1 }, field: 'campaign_id' },
      ];
      for (const { payload, field } of bodies) {
        const response = await t.request({
          method: 'POST',
          url: '/api/v1/conversions',
          token,
          payload: payload as object,
        });
        assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
        assert.ok(response.json().error.details?.[field], `${field} in ${response.body}`);
      }
      const longest = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: { click_id: clickId, transaction_id: 't'.repeat(200), payout: 1_000_000_000 },
      });
      assert.equal(longest.statusCode, 201, 'the limits themselves are accepted');

      const postbacks: Array<{ params: Record<string, string>; field: string }> = [
        { params: {}, field: 'clickid' },
        { params: { payout: '5' }, field: 'clickid' },
        { params: { clickid: clickId, payout: 'abc' }, field: 'payout' },
        { params: { clickid: clickId, payout: '-5' }, field: 'payout' },
        { params: { clickid: clickId, payout: '1e3' }, field: 'payout' },
        { params: { clickid: clickId, payout: 'NaN' }, field: 'payout' },
        { params: { clickid: clickId, payout: 'Infinity' }, field: 'payout' },
        { params: { clickid: clickId, payout: '2000000000' }, field: 'payout' },
        { params: { clickid: clickId, payout: '{payout}' }, field: 'payout' },
        { params: { clickid: clickId, status: 'paid' }, field: 'status' },
        { params: { clickid: clickId, txid: 't'.repeat(201) }, field: 'txid' },
      ];
      for (const { params, field } of postbacks) {
        const response = await postback(t, params);
        assert.equal(response.statusCode, 400, `${JSON.stringify(params)} → ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
        assert.ok(response.json().error.details?.[field], `${field} in ${response.body}`);
      }
      const twice = await t.request({ method: 'GET', url: `/api/v1/postback?clickid=${clickId}&clickid=${clickId}` });
      assert.equal(twice.statusCode, 400);

      for (const query of [
        'from=2024-13-01',
        'from=yesterday',
        'to=2024-02-31',
        `from=${isoDay(0)}&to=${isoDay(-1)}`,
        'status=paid',
        'campaign_id=abc',
        'per_page=500',
        'page=0',
        'country=US',
      ]) {
        const response = await t.request({ method: 'GET', url: `/api/v1/conversions?${query}`, token });
        assert.equal(response.statusCode, 400, `${query} → ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
      }
      const backwards = await t.request({
        method: 'GET',
        url: `/api/v1/conversions?from=${isoDay(0)}&to=${isoDay(-1)}`,
        token,
      });
      assert.ok(backwards.json().error.details.from);
      const impossible = await t.request({ method: 'GET', url: '/api/v1/conversions?to=2024-02-31', token });
      assert.ok(impossible.json().error.details.to);

      assert.deepEqual(
        (await listConversions(t, token)).data.map((c) => c.transaction_id),
        ['t'.repeat(200)],
        'nothing else was stored',
      );
    });

    test('authentication: API routes need a token and write scope; the postback needs neither', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const clickId = await sendClick(t, campaign.uuid);

      const anonymousPost = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        payload: { click_id: clickId },
      });
      assert.equal(anonymousPost.statusCode, 401);
      assert.equal(anonymousPost.json().error.code, 'AUTHENTICATION_ERROR');
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/conversions' })).statusCode, 401);
      assert.equal(
        (await t.request({ method: 'GET', url: '/api/v1/conversions', token: 'not-a-jwt' })).statusCode,
        401,
      );

      const key = (
        await t.request({
          method: 'POST',
          url: '/api/v1/api-keys',
          token,
          payload: { name: 'reporting', scope: 'read' },
        })
      ).json().data;
      const readToken: string = (
        await t.request({
          method: 'POST',
          url: '/api/v1/auth/token',
          payload: { api_key: key.api_key, api_secret: key.api_secret },
        })
      ).json().token;
      const readOnly = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: readToken,
        payload: { click_id: clickId },
      });
      assert.equal(readOnly.statusCode, 403);
      assert.equal(readOnly.json().error.code, 'AUTHORIZATION_ERROR');
      assert.equal(
        (await t.request({ method: 'POST', url: '/api/v1/account/postback-token', token: readToken })).statusCode,
        403,
      );
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/conversions', token: readToken })).statusCode, 200);

      // A stale or broken bearer header does not stop a partner's postback.
      assert.equal((await postback(t, { clickid: clickId }, { authorization: 'Bearer expired' })).statusCode, 201);
      assert.equal((await listConversions(t, token)).meta.total, 1);
    });

    test('postbacks are partner traffic: never counted against the plan, no X-RateLimit headers', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      // The remaining count below assumes one minute window from the campaign to the list.
      await startWithRoomInMinute(20_000);
      const campaign = await createCampaign(t, token);
      // More than a plan's minute (60), spread over clicks as a network's conversions are (one click has its own limit),
      // from as many visitors (one address's clicks past CLICK_ROWS_PER_ADDRESS_PER_SECOND are counted, not stored).
      const clickIds: string[] = [];
      for (let i = 0; i < 61; i++) {
        clickIds.push(await sendClick(t, campaign.uuid, { ip: `198.51.100.${i + 1}`, query: { sub1: `c${i}` } }));
      }
      for (let i = 0; i < 61; i++) {
        const response = await postback(t, { clickid: clickIds[i]!, txid: `burst-${i}`, payout: '1' });
        assert.equal(response.statusCode, 201, `postback ${i}: ${response.body}`);
        assert.equal(response.headers['x-ratelimit-limit'], undefined);
        assert.equal(response.headers['x-ratelimit-remaining'], undefined);
      }
      // Refusals are not counted either.
      for (let i = 0; i < 3; i++) assert.equal((await postback(t, { clickid: UNKNOWN_CLICK })).statusCode, 404);
      const api = await t.request({ method: 'GET', url: '/api/v1/conversions', token });
      assert.equal(api.json().meta.total, 61);
      // Two API calls so far (the campaign, this list): 64 postbacks and refusals counted nothing.
      assert.equal(Number(api.headers['x-ratelimit-remaining']), 60 - 2);
      assert.equal(await conversionsToday(t, token, campaign.id), 61);
    });

    test('documented in the OpenAPI document', async () => {
      const t = ctx();
      const spec = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
      for (const path of ['/api/v1/conversions', '/api/v1/postback', '/api/v1/account/postback-token'])
        assert.ok(spec.paths[path], `${path} documented`);
      assert.deepEqual(spec.paths['/api/v1/postback'].get.security, []);
    });
  },
  // The clicks' X-Forwarded-For is believed, so a test can click as many visitors.
  { TRUST_PROXY: '127.0.0.1' },
);
