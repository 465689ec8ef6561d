// Issue 18, placements: a traffic source's zones over every campaign it feeds, read from the rollups,
// and the blacklist of the zones that send fraud, in the network's one-per-line form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { STORED_LIMITS } from '../../src/modules/clicks/click-row.ts';

const CURL = 'curl/8.4.0';
/** A DigitalOcean address: a browser there is a datacenter click. */
const CLOUD_IP = '159.89.0.1';

let nextAddress = 0;
/** A fresh residential address per click, each in its own /24: no duplicates, no farms. */
const address = () => {
  nextAddress += 1;
  return `84.${128 + Math.floor(nextAddress / 250)}.${nextAddress % 250}.10`;
};

/** One real HTTP click (node:http); the tracker commits before it answers. Returns the click id when redirected. */
async function click(
  t: HttpTestApp,
  uuid: string,
  query: Record<string, string>,
  options: { ip?: string; userAgent?: string } = {},
): Promise<string | null> {
  const search = new URLSearchParams(query).toString();
  const response = await t.visit(`/c/${uuid}${search ? `?${search}` : ''}`, {
    'x-forwarded-for': options.ip ?? address(),
    ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
  });
  if (response.status !== 302) return null;
  return new URL(response.headers.get('location')!).searchParams.get('cid');
}

async function clicks(
  t: HttpTestApp,
  uuid: string,
  count: number,
  query: Record<string, string>,
  options: { ip?: string; userAgent?: string } = {},
): Promise<Array<string | null>> {
  const ids: Array<string | null> = [];
  for (let i = 0; i < count; i++) ids.push(await click(t, uuid, query, options));
  return ids;
}

async function get(t: HttpTestApp, token: string, url: string) {
  const response = await t.request({ method: 'GET', url, token });
  return response;
}

async function createSource(t: HttpTestApp, token: string, payload: Record<string, unknown>): Promise<number> {
  const response = await t.request({ method: 'POST', url: '/api/v1/traffic-sources', token, payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data.id;
}

const today = () => new Date().toISOString().slice(0, 10);

forEachDialectOverHttp(
  'traffic source placements and the exclusion list',
  (ctx) => {
    test('the placements table, analytics by placement, and the exclusion list with its thresholds', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const source = await createSource(t, token, {
        name: 'Propeller',
        template: 'propellerads',
        placement_param: 'zoneid',
      });
      const other = await createSource(t, token, {
        name: 'Other network',
        platform: 'other',
        placement_param: 'zoneid',
      });
      const a = await t.createCampaign(
        { traffic_source_id: source, cost_model: 'cpc', cost_value: 0.1, fraud_action: 'monitor' },
        token,
      );
      const b = await t.createCampaign(
        { traffic_source_id: source, cost_model: 'cpm', cost_value: 2, fraud_action: 'monitor' },
        token,
      );
      const unrelated = await t.createCampaign({ traffic_source_id: other, fraud_action: 'monitor' }, token);
      const bare = await t.createCampaign({ fraud_action: 'monitor' }, token);

      // Zone 111 on A: 20 people and 10 scripts. Zone 222: 3 people on A, 2 people and a cloud browser on B.
      // Zone 333 on B: 1 person, 3 scripts. Zone "44\r\n4" on B: 2 scripts. No zone on A: 2 people.
      const people111 = await clicks(t, a.uuid, 20, { zoneid: '111', visitor_id: 'v' });
      await clicks(t, a.uuid, 10, { zoneid: '111' }, { userAgent: CURL });
      const people222 = await clicks(t, a.uuid, 3, { zoneid: '222' });
      await clicks(t, b.uuid, 2, { zoneid: '222' });
      await click(t, b.uuid, { zoneid: '222' }, { ip: CLOUD_IP });
      await click(t, b.uuid, { zoneid: '333' });
      await clicks(t, b.uuid, 3, { zoneid: '333' }, { userAgent: CURL });
      await clicks(t, b.uuid, 2, { zoneid: '44\r\n4' }, { userAgent: CURL });
      const unzoned = await clicks(t, a.uuid, 2, {});
      // Other campaigns' zone 111 is not this source's.
      await clicks(t, unrelated.uuid, 3, { zoneid: '111' }, { userAgent: CURL });
      await clicks(t, bare.uuid, 3, { zoneid: '111' }, { userAgent: CURL });
      assert.ok(people111.every((id) => id !== null) && people222.every((id) => id !== null));

      // Conversions through the postback, counted at their click's placement.
      const postback = (query: string) => t.request({ method: 'GET', url: `/api/v1/postback?${query}` });
      const first = await postback(`clickid=${people111[0]}&payout=5&txid=z1`);
      assert.equal(first.statusCode, 201, `${people111[0]} ${first.body}`);
      const second = await postback(`clickid=${people222[0]}&payout=3&txid=z2`);
      assert.equal(second.statusCode, 201, `${people222[0]} ${second.body}`);
      assert.equal((await postback(`clickid=${unzoned[0]}&payout=1&txid=z3`)).statusCode, 201);
      // A rejected one counts nowhere.
      assert.equal((await postback(`clickid=${people111[1]}&payout=50&txid=z4&status=rejected`)).statusCode, 201);

      const range = `from=${today()}&to=${today()}`;
      const report = await get(t, token, `/api/v1/traffic-sources/${source}/placements?${range}`);
      assert.equal(report.statusCode, 200, report.body);
      assert.deepEqual(report.json().meta, { page: 1, per_page: 20, total: 5 });
      const rows: Array<Record<string, unknown>> = report.json().data;
      assert.deepEqual(
        rows.map((row) => row.placement),
        ['111', '222', '333', '44\r\n4', null],
        'most clicks first; ties by name; no placement last',
      );
      const byPlacement = new Map(rows.map((row) => [row.placement, row]));
      // 30 clicks at 0.10: cost 3, revenue 5.
      assert.deepEqual(byPlacement.get('111'), {
        placement: '111',
        clicks: 30,
        fraudulent_clicks: 10,
        fraud_rate: 33.33,
        conversions: 1,
        cr: 5,
        revenue: 5,
        cost: 3,
        profit: 2,
        roi: 66.67,
      });
      // Two campaigns, two cost models: 3 clicks at 0.10 plus 3 at 2 per thousand = 0.306.
      const zone222 = byPlacement.get('222')!;
      assert.equal(zone222.clicks, 6);
      assert.equal(zone222.fraudulent_clicks, 1, 'the cloud browser');
      assert.equal(zone222.fraud_rate, 16.67);
      assert.equal(zone222.conversions, 1);
      assert.equal(zone222.revenue, 3);
      assert.equal(zone222.cost, 0.31);
      assert.equal(zone222.profit, 2.69);
      assert.equal(zone222.roi, 880.39);
      assert.deepEqual(
        [byPlacement.get('333')!.clicks, byPlacement.get('333')!.fraudulent_clicks, byPlacement.get('333')!.fraud_rate],
        [4, 3, 75],
      );
      assert.equal(byPlacement.get('333')!.cost, 0.01);
      assert.equal(byPlacement.get('333')!.roi, -100);
      assert.deepEqual(byPlacement.get(null), {
        placement: null,
        clicks: 2,
        fraudulent_clicks: 0,
        fraud_rate: 0,
        conversions: 1,
        cr: 50,
        revenue: 1,
        cost: 0.2,
        profit: 0.8,
        roi: 400,
      });
      // The placements add up to the source's campaigns' totals.
      const totals = (id: number) => get(t, token, `/api/v1/campaigns/${id}/stats?${range}`);
      const [statsA, statsB] = [(await totals(a.id)).json().data, (await totals(b.id)).json().data];
      assert.equal(
        rows.reduce((sum, row) => sum + (row.clicks as number), 0),
        statsA.clicks + statsB.clicks,
      );

      // Sorting and paging.
      const byRate = await get(t, token, `/api/v1/traffic-sources/${source}/placements?${range}&sort=fraud_rate`);
      assert.deepEqual(
        byRate.json().data.map((row: { placement: string | null }) => row.placement),
        ['44\r\n4', '333', '111', '222', null],
      );
      const byName = await get(
        t,
        token,
        `/api/v1/traffic-sources/${source}/placements?${range}&sort=placement&per_page=2&page=2`,
      );
      assert.deepEqual(
        byName.json().data.map((row: { placement: string | null }) => row.placement),
        ['333', '44\r\n4'],
      );
      assert.deepEqual(byName.json().meta, { page: 2, per_page: 2, total: 5 });

      // The same dimension in analytics, per campaign.
      const analytics = await get(t, token, `/api/v2/analytics/placement?campaign_id=${b.id}&${range}&sort=value`);
      assert.equal(analytics.statusCode, 200, analytics.body);
      assert.deepEqual(
        analytics.json().data.map((row: { value: string | null; clicks: number }) => [row.value, row.clicks]),
        [
          ['222', 3],
          ['333', 4],
          ['44\r\n4', 2],
        ],
      );

      // The exclusion list: defaults (20 clicks, above 30 %) leave only zone 111.
      const exclusions = (query: string) =>
        get(t, token, `/api/v1/traffic-sources/${source}/placement-exclusions?${range}${query}`);
      const defaults = await exclusions('&format=text');
      assert.equal(defaults.statusCode, 200, defaults.body);
      assert.match(String(defaults.headers['content-type']), /^text\/plain; charset=utf-8/);
      assert.equal(defaults.body, '111\n');
      // Lower thresholds: worst first, the line break inside a zone taken out so it stays one line.
      assert.equal((await exclusions('&format=text&min_clicks=2&max_fraud_rate=30')).body, '111\n333\n444\n');
      assert.equal((await exclusions('&format=text&min_clicks=3')).body, '111\n333\n', 'zone 444 has only 2 clicks');
      // Above the rate, not at it: 10 of 30 is 33.33…%, 3 of 4 is exactly 75 %.
      assert.equal((await exclusions('&format=text&max_fraud_rate=33.33')).body, '111\n');
      assert.equal((await exclusions('&format=text&max_fraud_rate=33.34')).body, '');
      assert.equal((await exclusions('&format=text&min_clicks=2&max_fraud_rate=75')).body, '444\n');
      assert.equal((await exclusions('&format=text&min_clicks=1&max_fraud_rate=0')).body, '111\n333\n444\n222\n');
      const json = await exclusions('&min_clicks=2');
      assert.equal(json.statusCode, 200, json.body);
      assert.deepEqual(
        json
          .json()
          .data.map((row: { placement: string; clicks: number; fraud_rate: number }) => [
            row.placement,
            row.clicks,
            row.fraud_rate,
          ]),
        [
          ['111', 30, 33.33],
          ['333', 4, 75],
          ['444', 2, 100],
        ],
      );
      assert.deepEqual(json.json().data[0], byPlacement.get('111'), 'the same figures as the table');
      assert.equal((await exclusions('&format=json')).json().data.length, 1);

      // A deleted campaign's clicks still came from the source.
      assert.equal((await t.request({ method: 'DELETE', url: `/api/v1/campaigns/${b.id}`, token })).statusCode, 200);
      const afterDelete = await get(t, token, `/api/v1/traffic-sources/${source}/placements?${range}`);
      assert.equal(afterDelete.json().meta.total, 5);

      // A day without clicks, and a source without campaigns: empty, not an error.
      const empty = await get(t, token, `/api/v1/traffic-sources/${source}/placements?from=2020-01-01&to=2020-01-02`);
      assert.deepEqual(empty.json(), { success: true, data: [], meta: { page: 1, per_page: 20, total: 0 } });
      const idle = await createSource(t, token, { name: 'Idle', platform: 'other' });
      const idleList = await get(t, token, `/api/v1/traffic-sources/${idle}/placement-exclusions?format=text`);
      assert.equal(idleList.statusCode, 200);
      assert.equal(idleList.body, '');
    });

    test('bad input names the parameter; another tenant gets 404', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const source = await createSource(t, token, { name: 'Propeller', template: 'propellerads' });
      const cases: Array<{ path: string; query: string; field: string }> = [
        { path: 'placements', query: 'from=2026-02-10&to=2026-02-01', field: 'from' },
        { path: 'placements', query: 'from=2026-02-30', field: 'from' },
        { path: 'placements', query: 'to=yesterday', field: 'to' },
        { path: 'placements', query: 'from=2024-01-01&to=2026-01-01', field: 'from' },
        { path: 'placements', query: 'sort=zone', field: 'sort' },
        { path: 'placements', query: 'order=up', field: 'order' },
        { path: 'placements', query: 'per_page=1000', field: 'per_page' },
        { path: 'placements', query: 'format=text', field: 'format' },
        { path: 'placement-exclusions', query: 'from=2026-02-10&to=2026-02-01', field: 'from' },
        { path: 'placement-exclusions', query: 'max_fraud_rate=-1', field: 'max_fraud_rate' },
        { path: 'placement-exclusions', query: 'max_fraud_rate=100.5', field: 'max_fraud_rate' },
        { path: 'placement-exclusions', query: 'max_fraud_rate=high', field: 'max_fraud_rate' },
        { path: 'placement-exclusions', query: 'min_clicks=2.5', field: 'min_clicks' },
        { path: 'placement-exclusions', query: 'min_clicks=0', field: 'min_clicks' },
        { path: 'placement-exclusions', query: 'min_clicks=-3', field: 'min_clicks' },
        { path: 'placement-exclusions', query: 'format=csv', field: 'format' },
        { path: 'placement-exclusions', query: 'limit=5', field: 'limit' },
      ];
      for (const { path, query, field } of cases) {
        const response = await get(t, token, `/api/v1/traffic-sources/${source}/${path}?${query}`);
        assert.equal(response.statusCode, 400, `${path}?${query}: ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
        assert.ok(response.json().error.details?.[field], `${field} in ${response.body}`);
      }
      for (const path of ['placements', 'placement-exclusions']) {
        const other = await t.signUp();
        const foreign = await get(t, other.token, `/api/v1/traffic-sources/${source}/${path}`);
        assert.equal(foreign.statusCode, 404, foreign.body);
        assert.equal(foreign.json().error.code, 'NOT_FOUND');
        assert.equal((await get(t, token, `/api/v1/traffic-sources/999999/${path}`)).statusCode, 404);
        assert.equal(
          (await t.request({ method: 'GET', url: `/api/v1/traffic-sources/${source}/${path}` })).statusCode,
          401,
        );
      }
      const spec = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
      assert.ok(spec.paths['/api/v1/traffic-sources/{id}/placements']?.get);
      assert.ok(spec.paths['/api/v1/traffic-sources/{id}/placement-exclusions']?.get);
    });

    test('a network click id or placement cut to the stored bound marks the click as cut', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const source = await createSource(t, token, { name: 'Propeller', template: 'propellerads' });
      const campaign = await t.createCampaign({ traffic_source_id: source }, token);
      const limit = STORED_LIMITS.valueChars;
      const row = async (id: string | null) =>
        t.storage.db
          .selectFrom('clicks')
          .select(['external_id', 'placement', 'truncated'])
          .where('id', '=', id!)
          .executeTakeFirstOrThrow();
      const fits = await row(await click(t, campaign.uuid, { visitor_id: 'v'.repeat(limit), zone: 'z'.repeat(limit) }));
      assert.deepEqual(fits, { external_id: 'v'.repeat(limit), placement: 'z'.repeat(limit), truncated: 0 });
      const longId = await row(await click(t, campaign.uuid, { visitor_id: 'v'.repeat(limit + 1), zone: '7' }));
      assert.deepEqual(longId, { external_id: 'v'.repeat(limit), placement: '7', truncated: 1 });
      const longZone = await row(await click(t, campaign.uuid, { zone: 'z'.repeat(limit + 1) }));
      assert.deepEqual(longZone, { external_id: null, placement: 'z'.repeat(limit), truncated: 1 });
      // The rollups hold the placement as stored, so the exclusion list names it exactly.
      const listed = await get(
        t,
        token,
        `/api/v1/traffic-sources/${source}/placements?from=${today()}&to=${today()}&sort=placement`,
      );
      assert.deepEqual(
        listed
          .json()
          .data.map((entry: { placement: string | null; clicks: number }) => [entry.placement, entry.clicks]),
        [
          ['7', 1],
          ['z'.repeat(limit), 2],
        ],
      );
    });
  },
  { TRUST_PROXY: '127.0.0.1' },
);
