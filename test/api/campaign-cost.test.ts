import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';

/** The app's clock: clicks land at chosen hours of chosen days. */
let clock = Date.UTC(2026, 2, 10, 10, 0, 0);

/** One real HTTP click (node:http); the tracker commits before it redirects, so the click is readable at once. */
async function click(t: HttpTestApp, uuid: string, ip: string, query: Record<string, string> = {}): Promise<string> {
  clock += 1_000;
  const search = new URLSearchParams(query).toString();
  const response = await t.visit(`/c/${uuid}${search ? `?${search}` : ''}`, { 'x-forwarded-for': ip });
  assert.equal(response.status, 302);
  return new URL(response.headers.get('location')!).searchParams.get('cid')!;
}

async function get(t: HttpTestApp, token: string, url: string) {
  const response = await t.request({ method: 'GET', url, token });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json().data;
}

const statsOf = (t: HttpTestApp, token: string, query: string) => get(t, token, `/api/v1/stats?${query}`);
const fraudOf = (t: HttpTestApp, token: string, query: string) => get(t, token, `/api/v2/fraud/stats?${query}`);
const costOf = async (t: HttpTestApp, token: string, query: string) => (await statsOf(t, token, query)).cost;
/** The analytics rows' costs summed (each row rounded to the cent). */
const rowCosts = (rows: Array<{ cost: number }>) =>
  Math.round(rows.reduce((sum, row) => sum + row.cost, 0) * 100) / 100;

/** An account on the enterprise plan: these tests make more API calls in one minute of their clock than a starter's limit. */
async function signUp(t: HttpTestApp) {
  const account = await t.signUp();
  await t.app.services.accounts.setPlan(account.email, 'enterprise');
  return account;
}

function setCost(t: HttpTestApp, token: string, campaignId: number, payload: Record<string, unknown>) {
  return t.request({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/costs`, token, payload });
}

forEachDialectOverHttp(
  'per-click cost and cost ranges',
  (ctx) => {
    test('a click carries its own cost from the source, a bad one falls back to the model and says so', async () => {
      const t = ctx();
      clock = Date.UTC(2026, 2, 10, 10, 0, 0);
      const { token } = await signUp(t);
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/traffic-sources',
        token,
        payload: { name: 'Push network', platform: 'other', click_id_param: 'visitor_id', cost_param: 'cost' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const source = created.json().data;
      const priced = await t.createCampaign(
        { traffic_source_id: source.id, cost_model: 'cpc', cost_value: 0.5 },
        token,
      );
      const unpriced = await t.createCampaign({ cost_model: 'cpc', cost_value: 2 }, token);
      const perAction = await t.createCampaign(
        { traffic_source_id: source.id, cost_model: 'cpa', cost_value: 5 },
        token,
      );

      const cases: Array<[string, Record<string, string>, number | null, string | null]> = [
        ['84.128.1.1', { cost: '0.37' }, 0.37, 'param'],
        ['84.128.1.2', { cost: 'abc' }, 0.5, 'invalid_param'],
        ['84.128.1.3', { cost: '5000' }, 0.5, 'invalid_param'],
        ['84.128.1.4', {}, 0.5, 'model'],
        ['84.128.1.5', { cost: '1e2' }, 0.5, 'invalid_param'],
        ['84.128.1.6', { cost: '-1' }, 0.5, 'invalid_param'],
        ['84.128.1.8', { cost: '1000' }, 1000, 'param'],
      ];
      for (const [ip, query, cost, source] of cases) {
        const detail = await get(t, token, `/api/v1/clicks/${await click(t, priced.uuid, ip, query)}`);
        assert.equal(detail.cost, cost, `${ip} ${JSON.stringify(query)}`);
        assert.equal(detail.cost_source, source, `${ip} ${JSON.stringify(query)}`);
      }
      // The same visitor again: a duplicate, fraudulent, charged its own price.
      const repeat = await get(
        t,
        token,
        `/api/v1/clicks/${await click(t, priced.uuid, '84.128.1.1', { cost: '0.37' })}`,
      );
      assert.ok(repeat.fraud_types.includes('duplicate'));
      assert.equal(repeat.cost, 0.37);
      // A campaign without a source prices nothing per click: its model applies at report time.
      const plain = await get(
        t,
        token,
        `/api/v1/clicks/${await click(t, unpriced.uuid, '84.128.1.7', { cost: '0.37' })}`,
      );
      assert.equal(plain.cost, null);
      assert.equal(plain.cost_source, null);
      // CPA: the click keeps the network's price, the campaign's cost stays per conversion.
      const cpaClick = await get(
        t,
        token,
        `/api/v1/clicks/${await click(t, perAction.uuid, '84.128.1.9', { cost: '0.37' })}`,
      );
      assert.deepEqual([cpaClick.cost, cpaClick.cost_source], [0.37, 'param']);
      const cpaModel = await get(t, token, `/api/v1/clicks/${await click(t, perAction.uuid, '84.128.1.10')}`);
      assert.deepEqual([cpaModel.cost, cpaModel.cost_source], [null, 'model']);
      const listed = await get(t, token, `/api/v1/clicks?campaign_id=${priced.id}`);
      assert.ok(listed.some((row: { cost_source: string }) => row.cost_source === 'invalid_param'));

      const day = 'from=2026-03-10&to=2026-03-10';
      // 0.37 × 2 + 1000 + 0.50 × 5.
      const pricedCost = 0.74 + 1000 + 2.5;
      const campaignStats = await get(t, token, `/api/v1/campaigns/${priced.id}/stats?${day}`);
      assert.equal(campaignStats.clicks, 8);
      assert.equal(campaignStats.cost, pricedCost);
      assert.equal(
        await costOf(t, token, `${day}&campaign_id=${perAction.id}`),
        0,
        'CPA without conversions costs nothing',
      );
      assert.equal(await costOf(t, token, day), pricedCost + 2);
      const fraud = await fraudOf(t, token, `${day}&campaign_id=${priced.id}`);
      assert.equal(fraud.fraudulent_clicks, 1);
      assert.equal(fraud.estimated_savings, 0.37, 'the duplicate as it was charged, not at the model');
      assert.equal((await fraudOf(t, token, day)).estimated_savings, 0.37);

      // Analytics: each campaign charged under its own model, per dimension value and per hour.
      const devices = await get(t, token, `/api/v2/analytics/devices?${day}&with_cost=true`);
      assert.equal(rowCosts(devices), pricedCost + 2);
      const hours = await get(t, token, `/api/v2/analytics/hour?${day}&with_cost=true`);
      assert.equal(rowCosts(hours), pricedCost + 2);
      const countries = await get(t, token, `/api/v2/analytics/countries?${day}&campaign_id=${priced.id}&sort=cost`);
      assert.equal(rowCosts(countries), pricedCost);
      assert.equal(countries[0].profit, -countries[0].cost);
      const without = await get(t, token, `/api/v2/analytics/devices?${day}`);
      assert.equal(without[0].cost, undefined, 'cost only when asked for');

      // A new model value re-prices the clicks that carried no price; priced ones keep theirs.
      const updated = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${priced.id}`,
        token,
        payload: { cost_value: 1 },
      });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.equal(await costOf(t, token, `${day}&campaign_id=${priced.id}`), 0.74 + 1000 + 5);
    });

    test('a cost range replaces the cost of exactly its days, in stats, fraud savings and analytics', async () => {
      const t = ctx();
      // 2026-03-20: four clicks at 10:00 UTC (one a duplicate), one at 20:00; the other campaign one at 10:00.
      clock = Date.UTC(2026, 2, 20, 10, 0, 0);
      const { token } = await signUp(t);
      const campaign = await t.createCampaign({ cost_model: 'cpc', cost_value: 0.5 }, token);
      const other = await t.createCampaign({ cost_model: 'cpc', cost_value: 1 }, token);
      for (const ip of ['84.128.2.1', '84.128.2.2', '84.128.2.3', '84.128.2.1']) await click(t, campaign.uuid, ip);
      await click(t, other.uuid, '84.128.2.9');
      clock = Date.UTC(2026, 2, 20, 20, 0, 0);
      await click(t, campaign.uuid, '84.128.2.4');

      const day = `from=2026-03-20&to=2026-03-20&campaign_id=${campaign.id}`;
      const twoDays = `from=2026-03-19&to=2026-03-20&campaign_id=${campaign.id}`;
      assert.equal(await costOf(t, token, day), 2.5);

      // A day before the clicks: today's cost does not move; the day itself costs its amount.
      const before = await setCost(t, token, campaign.id, { from: '2026-03-19', to: '2026-03-19', amount: 7 });
      assert.equal(before.statusCode, 200, before.body);
      assert.deepEqual(
        { ...before.json().data, set_at: undefined },
        {
          from: '2026-03-19',
          to: '2026-03-19',
          amount: 7,
          days: 1,
          set_as: { from: '2026-03-19', to: '2026-03-19', amount: 7 },
          set_at: undefined,
        },
      );
      assert.equal(await costOf(t, token, day), 2.5);
      assert.equal(await costOf(t, token, `from=2026-03-19&to=2026-03-19&campaign_id=${campaign.id}`), 7);
      assert.equal(await costOf(t, token, twoDays), 9.5);

      assert.equal(
        (await setCost(t, token, campaign.id, { from: '2026-03-20', to: '2026-03-20', amount: 10 })).statusCode,
        200,
      );
      const stats = await statsOf(t, token, day);
      assert.deepEqual([stats.cost, stats.profit, stats.roi, stats.clicks], [10, -10, -100, 5]);
      assert.equal(
        (await get(t, token, `/api/v1/campaigns/${campaign.id}/stats?from=2026-03-20&to=2026-03-20`)).cost,
        10,
      );
      assert.equal(await costOf(t, token, twoDays), 17);
      assert.equal(await costOf(t, token, 'from=2026-03-20&to=2026-03-20'), 11, 'the other campaign keeps its model');
      assert.equal(await costOf(t, token, 'from=2026-03-21&to=2026-03-21'), 0, 'nothing outside the range');
      // The duplicate is one click of five: a fifth of the day's amount.
      assert.equal((await fraudOf(t, token, day)).estimated_savings, 2);
      assert.equal((await fraudOf(t, token, 'from=2026-03-20&to=2026-03-20')).estimated_savings, 2);
      // Tokyo's 2026-03-20 is 15:00 UTC the day before to 15:00 UTC: 4 of the day's 5 clicks (8), and
      // 9 of the 19th's 24 hours, which had no clicks to share its 7 by (2.625).
      assert.equal(await costOf(t, token, `${day}&tz=Asia/Tokyo`), 10.63);

      // Analytics share a day's amount out by clicks: per hour, per value, all campaigns each under its own terms.
      const hours = await get(t, token, `/api/v2/analytics/hour?${day}&with_cost=true`);
      assert.deepEqual(
        hours.map((row: { value: string; cost: number }) => [row.value, row.cost]),
        [
          ['10', 8],
          ['20', 2],
        ],
      );
      const devices = await get(t, token, `/api/v2/analytics/devices?${day}&with_cost=true`);
      assert.equal(rowCosts(devices), 10);
      const everyCampaign = await get(
        t,
        token,
        '/api/v2/analytics/countries?from=2026-03-20&to=2026-03-20&with_cost=true',
      );
      assert.equal(rowCosts(everyCampaign), 11);
      const byDay = await get(t, token, `/api/v2/analytics/day?${twoDays}&with_cost=true`);
      assert.deepEqual(
        byDay.map((row: { value: string; cost: number }) => [row.value, row.cost]),
        [['2026-03-20', 10]],
        'a day without clicks has no row',
      );

      // A later overlapping range replaces the overlap; the earlier one keeps the rest of its days.
      assert.equal(
        (await setCost(t, token, campaign.id, { from: '2026-03-18', to: '2026-03-20', amount: 30 })).statusCode,
        200,
      );
      assert.equal(await costOf(t, token, day), 10);
      assert.equal(
        (await setCost(t, token, campaign.id, { from: '2026-03-20', to: '2026-03-20', amount: 4 })).statusCode,
        200,
      );
      assert.equal(await costOf(t, token, day), 4);
      assert.equal(await costOf(t, token, `from=2026-03-18&to=2026-03-20&campaign_id=${campaign.id}`), 24);
      const listed = await get(t, token, `/api/v1/campaigns/${campaign.id}/costs`);
      assert.deepEqual(
        listed.map((range: Record<string, unknown>) => ({ ...range, set_at: undefined })),
        [
          {
            from: '2026-03-18',
            to: '2026-03-19',
            amount: 20,
            days: 2,
            set_as: { from: '2026-03-18', to: '2026-03-20', amount: 30 },
            set_at: undefined,
          },
          {
            from: '2026-03-20',
            to: '2026-03-20',
            amount: 4,
            days: 1,
            set_as: { from: '2026-03-20', to: '2026-03-20', amount: 4 },
            set_at: undefined,
          },
        ],
      );
      assert.equal(
        (await setCost(t, token, campaign.id, { from: '2026-03-17', to: '2026-03-17', amount: 0 })).statusCode,
        200,
      );

      // Bad input: 400 naming the field, nothing changed.
      const bad: Array<[Record<string, unknown>, string]> = [
        [{ from: '2026-03-21', to: '2026-03-20', amount: 5 }, 'from'],
        [{ from: '2026-03-20', to: '2026-03-20', amount: -1 }, 'amount'],
        [{ from: '2026-03-20', to: '2026-03-20', amount: 10_000_001 }, 'amount'],
        [{ from: '2026-03-20', to: '2026-03-20' }, 'amount'],
        [{ from: '2026-02-31', to: '2026-03-20', amount: 5 }, 'from'],
        [{ from: '20260320', to: '2026-03-20', amount: 5 }, 'from'],
        [{ from: '2025-01-01', to: '2026-03-20', amount: 5 }, 'to'],
        [{ from: '2026-03-20', to: '2026-03-20', amount: '5' }, 'amount'],
      ];
      for (const [payload, field] of bad) {
        const response = await setCost(t, token, campaign.id, payload);
        assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
        const body = response.json();
        assert.equal(body.error.code, 'VALIDATION_ERROR');
        assert.ok(field in (body.error.details ?? {}), `${JSON.stringify(payload)}: ${JSON.stringify(body.error)}`);
      }
      assert.equal(await costOf(t, token, day), 4);
      assert.equal((await get(t, token, `/api/v1/campaigns/${campaign.id}/costs`)).length, 3);

      // Another account's campaign answers as one that does not exist, and stays as it was.
      const stranger = await signUp(t);
      for (const id of [campaign.id, 999_999]) {
        const posted = await setCost(t, stranger.token, id, { from: '2026-03-20', to: '2026-03-20', amount: 1 });
        assert.equal(posted.statusCode, 404, posted.body);
        const read = await t.request({ method: 'GET', url: `/api/v1/campaigns/${id}/costs`, token: stranger.token });
        assert.equal(read.statusCode, 404, read.body);
      }
      assert.equal(await costOf(t, token, day), 4);
      assert.equal(await costOf(t, stranger.token, 'from=2026-03-20&to=2026-03-20'), 0);
    });

    test('a fraud report charges each fraudulent click as it was charged: its own price, else the model', async () => {
      const t = ctx();
      clock = Date.UTC(2026, 2, 30, 9, 0, 0);
      const { token } = await signUp(t);
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/traffic-sources',
        token,
        payload: { name: 'Pop network', platform: 'other', cost_param: 'cost' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const campaign = await t.createCampaign(
        { traffic_source_id: created.json().data.id, cost_model: 'cpc', cost_value: 0.5 },
        token,
      );
      const script = async (ip: string, query: Record<string, string>) => {
        clock += 1_000;
        const search = new URLSearchParams(query).toString();
        const response = await t.visit(`/c/${campaign.uuid}${search ? `?${search}` : ''}`, {
          'x-forwarded-for': ip,
          'user-agent': 'python-requests/2.31.0',
        });
        assert.equal(response.status, 302);
      };
      await script('84.128.20.1', { cost: '0.37' });
      await script('84.128.20.1', { cost: '0.37' });
      await script('84.128.21.1', {});
      await script('84.128.22.1', { cost: 'abc' });
      await click(t, campaign.uuid, '84.128.23.1', { cost: '0.2' });

      const posted = await t.request({
        method: 'POST',
        url: '/api/v2/fraud/report',
        token,
        payload: { campaign_id: campaign.id, from: '2026-03-30', to: '2026-03-30', platform: 'google' },
      });
      assert.ok([200, 201, 202].includes(posted.statusCode), posted.body);
      const id: number = posted.json().data.id;
      let report: { status: string; summary: { fraudulent_clicks: number; estimated_savings: number } | null };
      for (let polls = 0; ; polls++) {
        report = await get(t, token, `/api/v2/fraud/report/${id}`);
        if (report.status !== 'processing') break;
        assert.ok(polls < 200, 'report still processing');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(report.status, 'ready', JSON.stringify(report));
      // 0.37 × 2 carried by the clicks, 0.50 × 2 by the model (no price, and a price that was no number).
      assert.equal(report.summary!.fraudulent_clicks, 4);
      assert.equal(report.summary!.estimated_savings, 1.74);
      assert.equal(
        (await fraudOf(t, token, `from=2026-03-30&to=2026-03-30&campaign_id=${campaign.id}`)).estimated_savings,
        1.74,
      );
      const csv = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${id}/csv`, token });
      assert.equal(csv.statusCode, 200, csv.body);
      const costs = csv.body
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',').at(-1));
      assert.deepEqual(costs, ['0.37', '0.37', '0.50', '0.50']);
      const exclusions = await get(t, token, `/api/v2/fraud/report/${id}/ip-exclusions`);
      assert.deepEqual(exclusions.entries, [
        { value: '84.128.20.1', clicks: 2, cost: 0.74 },
        { value: '84.128.21.1', clicks: 1, cost: 0.5 },
        { value: '84.128.22.1', clicks: 1, cost: 0.5 },
      ]);
    });
  },
  { TRUST_PROXY: '127.0.0.1' },
  { now: () => clock },
);
