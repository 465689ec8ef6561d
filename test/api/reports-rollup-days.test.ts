// Reports read from the rollups' UTC day rows (report-rollups.ts `daily`): local days and weekdays, alone, per
// campaign, and beside one stored dimension (placement × day, sub id × day), where the zone's days are UTC
// days; and reports over all campaigns whose biggest set of campaigns charged alike is read as the
// all-campaigns rows less the others' (stats.service.ts splitByTerms). Each is compared, row by row and metric by metric, with the same report read from the raw clicks
// (a filter on every click status sends a report there), on a fixture of campaigns charged three ways, a
// source that prices some clicks itself, conversions of two events, a day whose cost was set, and clicks
// left unfolded in the rollup journal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { campaignOwnerId } from '../helpers/test-app.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import type { FraudType } from '../../src/detection/index.ts';
import { CLICK_STATUSES } from '../../src/detection/types.ts';
import { REPORT_DIMENSIONS } from '../../src/modules/reports/report.enums.ts';

type Row = Record<string, unknown>;

const JAN_10 = Date.UTC(2024, 0, 10, 0, 0, 0);
const RANGE = 'from=2024-01-01&to=2024-02-15';
/** Sends a report to the raw clicks (status is not rolled up) without leaving any click out. */
const FROM_CLICKS = `status=${CLICK_STATUSES.join(',')}`;
const COUNTS = new Set([
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraudulent_clicks',
  'lp_clicks',
  'conversions',
  'suspicious_conversions',
]);

async function report(t: HttpTestApp, token: string, query: string): Promise<{ rows: Row[]; meta: Row }> {
  const response = await t.request({ method: 'GET', url: `/api/v2/reports?${RANGE}&limit=1000&${query}`, token });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json<{ data: Row[]; meta: Row }>();
  return { rows: body.data, meta: body.meta };
}

async function seed(t: HttpTestApp): Promise<string> {
  const account = await t.signUp();
  await t.app.services.accounts.setPlan(account.email, 'enterprise');
  const { token } = account;
  const source = await t.request({
    method: 'POST',
    url: '/api/v1/traffic-sources',
    token,
    payload: { name: 'Native net', platform: 'other' },
  });
  const sourceId = source.json<{ data: { id: number } }>().data.id;
  const cpc = (
    await t.createCampaign({ name: 'CPC', cost_model: 'cpc', cost_value: 0.5, traffic_source_id: sourceId }, token)
  ).id;
  const cpm = (await t.createCampaign({ name: 'CPM', cost_model: 'cpm', cost_value: 2 }, token)).id;
  const cpa = (await t.createCampaign({ name: 'CPA', cost_model: 'cpa', cost_value: 3 }, token)).id;
  // Charged as the first: the two are read as the all-campaigns rows less the others' (splitByTerms).
  const cpc2 = (await t.createCampaign({ name: 'CPC 2', cost_model: 'cpc', cost_value: 0.5 }, token)).id;
  const userId = await campaignOwnerId(t, cpc);
  const ids = [cpc, cpm, cpa, cpc2];
  const rows: NewClickRow[] = [];
  for (let i = 0; i < 1_300; i++) {
    const campaignId = ids[i % 4]!;
    const fraudTypes: FraudType[] = i % 10 === 0 ? ['bot'] : i % 13 === 0 ? ['datacenter', 'vpn'] : [];
    rows.push(
      bulkClickRow(userId, campaignId, {
        // 37 minutes apart: clicks on every hour of the day, over ~33 days.
        at: JAN_10 + i * 37 * 60_000,
        fraudTypes,
        status: i % 29 === 0 ? 'cloaked' : undefined,
        country: ['DE', 'US', 'FR', null][Math.floor(i / 4) % 4]!,
        device: ['desktop', 'mobile'][i % 2]!,
        fields: {
          sub3: i % 6 === 0 ? null : `kw-${i % 5}`,
          placement: campaignId === cpa ? null : `zone-${i % 4}`,
          ...(campaignId === cpc && i % 2 === 0 ? { cost: 0.8, cost_source: 'param' as const } : {}),
        },
      }),
    );
  }
  // The last clicks stay in the rollup journal (a server between two passes of its folder).
  await writeClicks(t.storage, rows.slice(0, 1_200));
  for (const [index, row] of rows.slice(0, 1_200).entries()) {
    if (index % 11 !== 0) continue;
    const event = index % 2 === 0 ? 'sale' : 'lead';
    const response = await t.request({
      method: 'GET',
      url: `/api/v1/postback?clickid=${row.id}&payout=${10 + (index % 4)}&txid=t-${row.id}&event=${event}`,
    });
    assert.equal(response.statusCode, 201, response.body);
  }
  const set = await t.request({
    method: 'POST',
    url: `/api/v1/campaigns/${cpm}/costs`,
    token,
    payload: { from: '2024-01-20', to: '2024-01-21', amount: 50 },
  });
  assert.ok(set.statusCode < 300, set.body);
  await t.app.services.statsFolder.foldAll();
  await writeClicks(t.storage, rows.slice(1_200), 5_000, { fold: false });
  return token;
}

/** A row's grouped values, as one key. */
const groupKey = (row: Row) =>
  JSON.stringify(REPORT_DIMENSIONS.filter((dimension) => dimension in row).map((dimension) => row[dimension]));

/** The same rows, every metric: counts exactly, money and ratios to the cent (each side rounds its own sums). */
function assertSameRows(actual: readonly Row[], expected: readonly Row[], label: string) {
  const byKey = new Map(expected.map((row) => [groupKey(row), row]));
  assert.deepEqual(actual.map(groupKey).sort(), [...byKey.keys()].sort(), `${label}: the same groups`);
  for (const row of actual) {
    const want = byKey.get(groupKey(row))!;
    for (const [metric, value] of Object.entries(want)) {
      if (typeof value !== 'number') assert.equal(row[metric], value, `${label} ${groupKey(row)}: ${metric}`);
      else if (COUNTS.has(metric)) assert.equal(row[metric], value, `${label} ${groupKey(row)}: ${metric}`);
      else
        assert.ok(
          Math.abs(Number(row[metric]) - value) <= 0.011,
          `${label} ${groupKey(row)}: ${metric} ${String(row[metric])} vs ${value}`,
        );
    }
  }
}

forEachDialectOverHttp('reports from the rollups per UTC day (GET /api/v2/reports)', (ctx) => {
  let token: string | undefined;
  const seeded = async (t: HttpTestApp) => (token ??= await seed(t));

  for (const groupBy of [
    'country',
    'sub3',
    'placement',
    'event',
    'day',
    'weekday',
    'campaign,day',
    'traffic_source,weekday',
    'placement,day',
    'campaign,placement,day',
    'sub3,day',
    'day,country',
    'weekday,device',
    'event,day',
  ])
    test(`${groupBy}: from the rollups, every metric as the raw clicks have it`, async () => {
      const t = ctx();
      const owner = await seeded(t);
      const rollups = await report(t, owner, `group_by=${groupBy}`);
      assert.equal(rollups.meta.source, 'rollups', groupBy);
      assert.ok(rollups.rows.length >= 2, `${groupBy}: ${rollups.rows.length} rows`);
      const clicks = await report(t, owner, `group_by=${groupBy}&${FROM_CLICKS}`);
      assert.equal(clicks.meta.source, 'clicks', groupBy);
      assertSameRows(rollups.rows, clicks.rows, groupBy);
      const totals = rollups.meta.totals as Row;
      assertSameRows([totals], [clicks.meta.totals as Row], `${groupBy} totals`);
      // The journal's clicks are in: 1,300 clicks whichever way they are read.
      if (!groupBy.startsWith('event')) assert.equal(totals.clicks, 1_300, groupBy);
    });

  test('a filter on the grouped values, and a zone whose days are UTC days, still read the days', async () => {
    const t = ctx();
    const owner = await seeded(t);
    for (const query of [
      'group_by=placement,day&placement=zone-1,zone-2',
      'group_by=sub3,weekday&weekday=mon,sat',
      'group_by=day&tz=Africa/Abidjan',
    ]) {
      const rollups = await report(t, owner, query);
      assert.equal(rollups.meta.source, 'rollups', query);
      const clicks = await report(t, owner, `${query}&${FROM_CLICKS}`);
      assertSameRows(rollups.rows, clicks.rows, query);
    }
  });

  test('in a zone whose days are not UTC days, a value per day reads the clicks and a day the hours', async () => {
    const t = ctx();
    const owner = await seeded(t);
    const placementDays = await report(t, owner, 'group_by=placement,day&tz=Asia/Kolkata');
    assert.equal(placementDays.meta.source, 'clicks');
    // All campaigns as one, by local day from the hours (split by terms as above).
    const localDays = await report(t, owner, 'group_by=day&tz=Asia/Kolkata');
    assert.equal(localDays.meta.source, 'rollups');
    assertSameRows(
      localDays.rows,
      (await report(t, owner, `group_by=day&tz=Asia/Kolkata&${FROM_CLICKS}`)).rows,
      'day in Asia/Kolkata',
    );
    const days = await report(t, owner, 'group_by=campaign,day&tz=Asia/Kolkata');
    assert.equal(days.meta.source, 'rollups');
    const clicks = await report(t, owner, `group_by=campaign,day&tz=Asia/Kolkata&${FROM_CLICKS}`);
    assertSameRows(days.rows, clicks.rows, 'campaign,day in Asia/Kolkata');
    // A value per hour is never rolled up.
    assert.equal((await report(t, owner, 'group_by=placement,hour')).meta.source, 'clicks');
  });
});
