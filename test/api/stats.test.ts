import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { campaignOwnerId } from '../helpers/test-app.ts';
import { bulkClickRow, writeClicks, type BulkClick } from '../helpers/bulk-clicks.ts';
import type { FraudType } from '../../src/detection/index.ts';

const JAN_15 = Date.UTC(2024, 0, 15, 12, 0, 0);
const clickIdOf = (response: Response) => new URL(response.headers.get('location')!).searchParams.get('cid')!;

/** `count` clicks spread over the hours after `start`. */
function spread(count: number, click: Omit<BulkClick, 'at'>, start = JAN_15): BulkClick[] {
  return Array.from({ length: count }, (_, i) => ({ ...click, at: start + (i % 48) * 3_600_000 + i }));
}

async function get(t: HttpTestApp, token: string, url: string) {
  const response = await t.request({ method: 'GET', url, token });
  return { status: response.statusCode, body: response.json() };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

forEachDialectOverHttp(
  'statistics and analytics',
  (ctx) => {
    test("the reference's campaign statistics come out of exactly that traffic", async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ cost_model: 'cpc', cost_value: 0.5 });
      const userId = await campaignOwnerId(t, campaign.id);
      const rows = [
        ...spread(7_500, {}),
        ...spread(2_500, { fraudTypes: ['duplicate'] }),
        ...spread(3_000, { fraudTypes: ['bot'] }),
        ...spread(2_000, { fraudTypes: ['datacenter'] }),
      ].map((click) => bulkClickRow(userId, campaign.id, click));
      await writeClicks(t.storage, rows);
      // 450 conversions at 45.00 by the postback URL, on real clicks.
      for (const row of rows.slice(0, 450)) {
        const response = await t.request({
          method: 'GET',
          url: `/api/v1/postback?clickid=${row.id}&payout=45&txid=t-${row.id}`,
        });
        assert.equal(response.statusCode, 201, response.body);
      }
      const { status, body } = await get(
        t,
        campaign.token,
        `/api/v1/campaigns/${campaign.id}/stats?from=2024-01-01&to=2024-01-31`,
      );
      assert.equal(status, 200);
      assert.deepEqual(body, {
        success: true,
        data: {
          clicks: 15_000,
          unique_clicks: 12_500,
          real_clicks: 10_000,
          bot_clicks: 3_000,
          vpn_clicks: 2_000,
          cloaked_clicks: 0,
          conversions: 450,
          revenue: 20_250,
          cost: 7_500,
          profit: 12_750,
          roi: 170,
          cr: 4.5,
          epc: 1.35,
          // Flows (SPEC section 8): no lander click-throughs in the reference's traffic.
          lp_clicks: 0,
          lp_ctr: 0,
          suspicious_conversions: 0,
        },
      });
      const overall = await get(t, campaign.token, '/api/v1/stats?from=2024-01-01&to=2024-01-31');
      assert.deepEqual(overall.body.data, body.data, 'the account has one campaign');
      const outside = await get(
        t,
        campaign.token,
        `/api/v1/campaigns/${campaign.id}/stats?from=2024-02-01&to=2024-02-28`,
      );
      assert.equal(outside.body.data.clicks, 0);
    });

    test("the reference's fraud statistics come out of exactly that traffic; verified crawlers are not fraud", async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ cost_model: 'cpc', cost_value: 0.5 });
      const userId = await campaignOwnerId(t, campaign.id);
      const fraud: [FraudType, number][] = [
        ['bot', 300],
        ['duplicate', 200],
        ['vpn', 150],
        ['datacenter', 100],
        ['rapid_fire', 50],
        ['click_farm', 50],
      ];
      const clicks: BulkClick[] = [
        ...fraud.flatMap(([type, count]) =>
          spread(count, {
            fraudTypes:
              type === 'vpn' ? ['vpn', 'datacenter'] : type === 'rapid_fire' ? ['rapid_fire', 'duplicate'] : [type],
          }),
        ),
        ...spread(10, { status: 'bot', verified: true }),
        ...spread(9_140, {}),
      ];
      await writeClicks(
        t.storage,
        clicks.map((click) => bulkClickRow(userId, campaign.id, click)),
      );
      const { status, body } = await get(
        t,
        campaign.token,
        `/api/v2/fraud/stats?campaign_id=${campaign.id}&from=2024-01-01&to=2024-01-31`,
      );
      assert.equal(status, 200);
      assert.deepEqual(body.data, {
        total_clicks: 10_000,
        fraudulent_clicks: 850,
        fraud_rate: 8.5,
        fraud_by_type: { bot: 300, duplicate: 200, vpn: 150, datacenter: 100, rapid_fire: 50, click_farm: 50 },
        estimated_savings: 425,
        suspicious_conversions: 0,
      });
    });

    test('real traffic through the tracker: totals, countries, devices, fraud, conversions by status, clicks_today', async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ cost_model: 'cpc', cost_value: 0.25, min_time_to_convert: 3_600 });
      const iphone =
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
      const german = clickIdOf(await t.visit(`/c/${campaign.uuid}`, { 'x-forwarded-for': '84.128.1.1' }));
      await t.visit(`/c/${campaign.uuid}`, { 'x-forwarded-for': '84.128.1.1' });
      const japanese = clickIdOf(
        await t.visit(`/c/${campaign.uuid}`, { 'x-forwarded-for': '126.0.0.1', 'user-agent': iphone }),
      );
      await t.visit(`/c/${campaign.uuid}`, { 'x-forwarded-for': '84.128.1.9', 'user-agent': 'curl/8.4.0' });
      // A quick burst: recognised at its third click, its first two are then counted as bots too.
      for (let i = 0; i < 3; i++) await t.visit(`/c/${campaign.uuid}?sub1=burst`, { 'x-forwarded-for': '84.128.7.7' });

      const postback = (query: string) => t.request({ method: 'GET', url: `/api/v1/postback?${query}` });
      assert.equal((await postback(`clickid=${german}&payout=10&txid=a`)).statusCode, 201);
      assert.equal((await postback(`clickid=${japanese}&payout=30&txid=b&status=rejected`)).statusCode, 201);

      const today = new Date().toISOString().slice(0, 10);
      const range = `from=${today}&to=${today}`;
      await eventually(async () => (await get(t, campaign.token, `/api/v1/stats?${range}`)).body.data.bot_clicks === 4);
      const stats = (await get(t, campaign.token, `/api/v1/stats?${range}`)).body.data;
      assert.deepEqual(
        stats,
        {
          clicks: 7,
          unique_clicks: 4,
          real_clicks: 3,
          bot_clicks: 4,
          vpn_clicks: 0,
          cloaked_clicks: 0,
          conversions: 1,
          revenue: 10,
          cost: 1.75,
          profit: 8.25,
          roi: 471.43,
          cr: 33.33,
          epc: 1.43,
          lp_clicks: 0,
          lp_ctr: 0,
          suspicious_conversions: 1,
        },
        'the rejected conversion counts nowhere',
      );

      // The rejection is reversed: the numbers move.
      assert.equal((await postback(`clickid=${japanese}&payout=30&txid=b&status=approved`)).statusCode, 200);
      const after = (await get(t, campaign.token, `/api/v1/stats?${range}`)).body.data;
      assert.equal(after.conversions, 2);
      assert.equal(after.revenue, 40);

      const countries = (
        await get(t, campaign.token, `/api/v2/analytics/countries?campaign_id=${campaign.id}&${range}`)
      ).body.data;
      assert.deepEqual(
        countries.map((row: { country: string; clicks: number }) => [row.country, row.clicks]),
        [
          ['DE', 6],
          ['JP', 1],
        ],
      );
      const japan = countries.find((row: { country: string }) => row.country === 'JP');
      assert.deepEqual(
        japan,
        {
          country: 'JP',
          clicks: 1,
          unique_clicks: 1,
          real_clicks: 1,
          bot_clicks: 0,
          vpn_clicks: 0,
          cloaked_clicks: 0,
          fraudulent_clicks: 0,
          conversions: 1,
          revenue: 30,
          cr: 100,
          fraud_rate: 0,
          lp_clicks: 0,
          lp_ctr: 0,
          suspicious_conversions: 1,
        },
        'a conversion counts where its click came from',
      );
      const devices = (await get(t, campaign.token, `/api/v2/analytics/devices?${range}`)).body.data;
      assert.deepEqual(
        devices.map((row: { device: string; clicks: number }) => [row.device, row.clicks]).sort(),
        [
          ['desktop', 5],
          ['mobile', 1],
          ['other', 1],
        ],
        'curl is no device',
      );
      const subs = (await get(t, campaign.token, `/api/v2/analytics/sub1?${range}&sort=bot_clicks`)).body.data;
      assert.deepEqual(subs[0], {
        value: 'burst',
        clicks: 3,
        unique_clicks: 1,
        real_clicks: 0,
        bot_clicks: 3,
        vpn_clicks: 0,
        cloaked_clicks: 0,
        fraudulent_clicks: 3,
        conversions: 0,
        revenue: 0,
        cr: 0,
        fraud_rate: 100,
        lp_clicks: 0,
        lp_ctr: 0,
        suspicious_conversions: 0,
      });
      assert.equal(subs[1].value, null, 'clicks without sub1');

      const fraud = (await get(t, campaign.token, `/api/v2/fraud/stats?${range}`)).body.data;
      assert.deepEqual(fraud, {
        total_clicks: 7,
        fraudulent_clicks: 5,
        fraud_rate: 71.43,
        fraud_by_type: { bot: 1, duplicate: 1, vpn: 0, datacenter: 0, rapid_fire: 3, click_farm: 0 },
        estimated_savings: 1.25,
        // Both conversions came sooner than the campaign's hour-long minimum: fake leads, still counted.
        suspicious_conversions: 2,
      });

      const listed = (await get(t, campaign.token, '/api/v1/campaigns')).body.data[0];
      assert.equal(listed.clicks_today, 7);
    });

    test('time zones move day boundaries; hour and day views', async () => {
      const t = ctx();
      const campaign = await t.createCampaign();
      const userId = await campaignOwnerId(t, campaign.id);
      const late = Date.UTC(2024, 2, 10, 23, 30);
      const early = Date.UTC(2024, 2, 11, 0, 30);
      await writeClicks(t.storage, [
        bulkClickRow(userId, campaign.id, { at: late }),
        bulkClickRow(userId, campaign.id, { at: early }),
      ]);
      const days = async (tz?: string) =>
        (
          await get(t, campaign.token, `/api/v2/analytics/day?from=2024-03-09&to=2024-03-12${tz ? `&tz=${tz}` : ''}`)
        ).body.data.map((row: { value: string; clicks: number }) => [row.value, row.clicks]);
      assert.deepEqual(await days(), [
        ['2024-03-10', 1],
        ['2024-03-11', 1],
      ]);
      assert.deepEqual(
        await days('America/New_York'),
        [['2024-03-10', 2]],
        'both in the New York evening (EDT since that morning)',
      );
      const hours = (await get(t, campaign.token, '/api/v2/analytics/hour?from=2024-03-09&to=2024-03-12&tz=Asia/Tokyo'))
        .body.data;
      assert.deepEqual(
        hours.map((row: { value: string }) => row.value),
        ['08', '09'],
      );
      const clicks = async (query: string) => (await get(t, campaign.token, `/api/v1/stats?${query}`)).body.data.clicks;
      assert.equal(await clicks('from=2024-03-11&to=2024-03-11'), 1);
      assert.equal(
        await clicks('from=2024-03-11&to=2024-03-11&tz=Asia/Tokyo'),
        2,
        "Tokyo's 11 March began at 15:00 UTC on the 10th",
      );
      assert.equal(await clicks('from=2024-03-11&to=2024-03-11&tz=America/New_York'), 0);
    });

    test('sorting and limits', async () => {
      const t = ctx();
      const campaign = await t.createCampaign();
      const userId = await campaignOwnerId(t, campaign.id);
      const rows = [
        ...spread(3, { country: 'FR' }),
        ...spread(5, { country: 'US', fraudTypes: ['bot'] }),
        ...spread(1, { country: null }),
      ].map((click) => bulkClickRow(userId, campaign.id, click));
      await writeClicks(t.storage, rows);
      const countries = async (query: string) =>
        (
          await get(t, campaign.token, `/api/v2/analytics/countries?from=2024-01-01&to=2024-01-31${query}`)
        ).body.data.map((row: { country: string | null }) => row.country);
      assert.deepEqual(await countries(''), ['US', 'FR', null]);
      assert.deepEqual(
        await countries('&sort=fraud_rate&order=asc'),
        [null, 'FR', 'US'],
        'ties in value order, unknown first',
      );
      assert.deepEqual(await countries('&sort=value'), [null, 'FR', 'US']);
      assert.deepEqual(await countries('&limit=1'), ['US']);
    });

    test('bad input is a 400 field by field; other tenants get 404; no token 401', async () => {
      const t = ctx();
      const campaign = await t.createCampaign();
      const other = await t.createCampaign();
      const cases: [string, string][] = [
        ['/api/v1/stats?from=2024-02-30', 'from'],
        ['/api/v1/stats?from=yesterday', 'from'],
        ['/api/v1/stats?from=2024-02-01&to=2024-01-01', 'from'],
        ['/api/v1/stats?from=2020-01-01&to=2024-01-01', 'from'],
        ['/api/v1/stats?tz=Mars/Olympus', 'tz'],
        ['/api/v1/stats?campaign_id=abc', 'campaign_id'],
        ['/api/v1/stats?bogus=1', 'bogus'],
        [`/api/v1/campaigns/${campaign.id}/stats?to=2024-13-01`, 'to'],
        ['/api/v2/analytics/countries?limit=0', 'limit'],
        ['/api/v2/analytics/countries?sort=price', 'sort'],
        ['/api/v2/analytics/planets', 'dimension'],
        ['/api/v2/fraud/stats?from=2024-01-05&to=2024-01-01', 'from'],
      ];
      for (const [url, field] of cases) {
        const { status, body } = await get(t, campaign.token, url);
        assert.equal(status, 400, url);
        assert.equal(body.error.code, 'VALIDATION_ERROR', url);
        assert.ok(field in body.error.details, `${url}: ${JSON.stringify(body.error.details)}`);
      }
      for (const url of [
        `/api/v1/campaigns/${other.id}/stats`,
        `/api/v1/stats?campaign_id=${other.id}`,
        `/api/v2/analytics/countries?campaign_id=${other.id}`,
        `/api/v2/analytics/os?campaign_id=${other.id}`,
        `/api/v2/fraud/stats?campaign_id=${other.id}`,
        '/api/v1/campaigns/999999/stats',
      ]) {
        const { status, body } = await get(t, campaign.token, url);
        assert.equal(status, 404, url);
        assert.equal(body.error.code, 'NOT_FOUND');
      }
      for (const url of [
        '/api/v1/stats',
        `/api/v1/campaigns/${campaign.id}/stats`,
        '/api/v2/analytics/countries',
        '/api/v2/analytics/hour',
        '/api/v2/fraud/stats',
      ]) {
        const response = await t.request({ method: 'GET', url });
        assert.equal(response.statusCode, 401, url);
      }
    });

    test("another tenant's traffic never shows in an account's numbers", async () => {
      const t = ctx();
      const mine = await t.createCampaign();
      const theirs = await t.createCampaign();
      await writeClicks(
        t.storage,
        spread(4, {})
          .map((click) => bulkClickRow(0, theirs.id, click))
          .map((row) => ({ ...row, user_id: 0 })),
      );
      const theirOwner = await campaignOwnerId(t, theirs.id);
      await writeClicks(
        t.storage,
        spread(6, {}).map((click) => bulkClickRow(theirOwner, theirs.id, click)),
      );
      const range = 'from=2024-01-01&to=2024-01-31';
      assert.equal((await get(t, mine.token, `/api/v1/stats?${range}`)).body.data.clicks, 0);
      assert.deepEqual((await get(t, mine.token, `/api/v2/analytics/countries?${range}`)).body.data, []);
      assert.equal((await get(t, mine.token, `/api/v2/fraud/stats?${range}`)).body.data.total_clicks, 0);
      assert.equal((await get(t, theirs.token, `/api/v1/stats?${range}`)).body.data.clicks, 6);
    });
  },
  { TRUST_PROXY: '127.0.0.1' },
);
