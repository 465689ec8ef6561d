import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.ts';
import { DIALECTS, POSTGRES_SKIP_REASON, openTestStorage } from '../helpers/dialects.ts';
import { campaignOwnerId, testConfig, testIntel } from '../helpers/test-app.ts';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { bulkClickRow, writeClicks, type BulkClick } from '../helpers/bulk-clicks.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import type { FraudType } from '../../src/detection/index.ts';
import { createClickChangeNotes } from '../../src/modules/report-columns/click-changes.ts';

type Row = Record<string, unknown>;

const JAN_10 = Date.UTC(2024, 0, 10, 0, 0, 0);
const RANGE = 'from=2024-01-01&to=2024-02-15';

/** The metrics the analytics endpoints show, which a report row must match exactly. */
const ANALYTICS_METRICS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraudulent_clicks',
  'conversions',
  'revenue',
  'cost',
  'profit',
  'roi',
  'cr',
  'fraud_rate',
  'lp_clicks',
  'lp_ctr',
] as const;
/** What sums across rows: counts exactly, money to the cent per row summed. */
const COUNTS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraudulent_clicks',
  'conversions',
  'lp_clicks',
] as const;
const MONEY = ['revenue', 'cost', 'estimated_savings'] as const;

async function get(t: HttpTestApp, token: string, url: string): Promise<{ status: number; body: Row }> {
  const response = await t.request({ method: 'GET', url, token });
  return { status: response.statusCode, body: response.json<Row>() };
}

async function report(t: HttpTestApp, token: string, query: string): Promise<{ rows: Row[]; meta: Row }> {
  const { status, body } = await get(t, token, `/api/v2/reports?${RANGE}&limit=1000&${query}`);
  assert.equal(status, 200, JSON.stringify(body));
  return { rows: body.data as Row[], meta: body.meta as Row };
}

async function enterpriseAccount(t: HttpTestApp) {
  const account = await t.signUp();
  await t.app.services.accounts.setPlan(account.email, 'enterprise');
  return account;
}

async function create(t: HttpTestApp, token: string, url: string, payload: Row): Promise<number> {
  const response = await t.request({ method: 'POST', url, token, payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<{ data: { id: number } }>().data.id;
}

interface Fixture {
  token: string;
  campaigns: { cpc: number; cpm: number; cpa: number };
  source: number;
  offer: number;
}

/**
 * Three campaigns charged three ways (one through a traffic source that prices some clicks itself), a
 * month of clicks over countries, devices, sub ids, placements and an offer, every kind of verdict,
 * conversions of two events, and a day whose cost was set.
 */
async function seed(t: HttpTestApp): Promise<Fixture> {
  const { token } = await enterpriseAccount(t);
  const source = await create(t, token, '/api/v1/traffic-sources', { name: 'Native net', platform: 'other' });
  const offer = await create(t, token, '/api/v1/offers', { name: 'Offer A', url: 'https://o.example/?c={clickid}' });
  const cpc = (
    await t.createCampaign({ name: 'CPC', cost_model: 'cpc', cost_value: 0.5, traffic_source_id: source }, token)
  ).id;
  const cpm = (await t.createCampaign({ name: 'CPM', cost_model: 'cpm', cost_value: 2 }, token)).id;
  const cpa = (await t.createCampaign({ name: 'CPA', cost_model: 'cpa', cost_value: 3 }, token)).id;
  const userId = await campaignOwnerId(t, cpc);
  const ids = [cpc, cpm, cpa];
  const rows: NewClickRow[] = [];
  for (let i = 0; i < 1_500; i++) {
    const campaignId = ids[i % 3]!;
    const fraudTypes: FraudType[] =
      i % 10 === 0 ? ['bot'] : i % 10 === 1 ? ['duplicate'] : i % 17 === 0 ? ['datacenter', 'vpn'] : [];
    const verified = i % 23 === 0;
    const click: BulkClick = {
      at: JAN_10 + i * 29 * 60_000,
      fraudTypes: verified ? ['bot'] : fraudTypes,
      status: verified ? 'bot' : i % 31 === 0 ? 'cloaked' : undefined,
      verified,
      country: ['DE', 'US', 'FR', null][i % 4]!,
      device: ['desktop', 'mobile', 'tablet'][Math.floor(i / 3) % 3]!,
      fields: {
        os: ['Windows', 'Android', 'iOS'][(i % 5) % 3]!,
        region: ['Berlin', 'Texas'][i % 2]!,
        sub1: i % 5 === 0 ? null : `s${i % 7}`,
        sub7: i % 2 === 0 ? `kw-${i % 3}` : null,
        language: ['de', 'en', null][i % 3]!,
        ...(campaignId === cpc
          ? {
              placement: `zone-${i % 4}`,
              offer_id: offer,
              ...(i % 2 === 0 ? { cost: 0.8, cost_source: 'param' as const } : {}),
            }
          : {}),
      },
    };
    rows.push(bulkClickRow(userId, campaignId, click));
  }
  await writeClicks(t.storage, rows);
  // Conversions by postback, two events, on every ninth click.
  for (const [index, row] of rows.entries()) {
    if (index % 9 !== 0) continue;
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
  return { token, campaigns: { cpc, cpm, cpa }, source, offer };
}

const key = (value: unknown) => JSON.stringify(value ?? null);

/** Sums rows per the values of `by`: counts exactly, money as the rows show it. */
function sumBy(rows: readonly Row[], by: string): Map<string, Row> {
  const sums = new Map<string, Row>();
  for (const row of rows) {
    const k = key(row[by]);
    const sum = sums.get(k) ?? { rows: 0 };
    sum.rows = Number(sum.rows) + 1;
    for (const name of [...COUNTS, ...MONEY]) sum[name] = Number(sum[name] ?? 0) + Number(row[name]);
    sums.set(k, sum);
  }
  return sums;
}

/** Summed rows against whole ones: counts exact, money within a cent per summed row (each row is rounded). */
function assertSums(sum: Row, whole: Row, label: string) {
  for (const name of COUNTS) if (name in whole) assert.equal(sum[name], whole[name], `${label}: ${name}`);
  for (const name of MONEY)
    if (name in whole)
      assert.ok(
        Math.abs(Number(sum[name]) - Number(whole[name])) <= 0.005 * Number(sum.rows) + 1e-9,
        `${label}: ${name} ${String(sum[name])} vs ${String(whole[name])}`,
      );
}

/**
 * The suite runs twice: reading the clicks from the database, and from the columnar copy of the clicks
 * (REPORT_COLUMNS), synced once the fixture is written. The copy holds the clicks without conversions; the
 * ones that converted were noted as changed less than the copy's lag ago, so those read from the database:
 * both halves of a copy's answer are in every report below.
 */
const reportSuite = (copy: boolean) => (ctx: () => HttpTestApp) => {
  let fixture: Fixture | undefined;
  const seedOnce = async (t: HttpTestApp): Promise<Fixture> => {
    const written = await seed(t);
    if (copy) {
      const columns = t.app.services.reportColumns!;
      await columns.sync();
      assert.equal(await columns.rows(), 1_500, 'the copy holds every click');
    }
    return written;
  };
  const seeded = async (t: HttpTestApp) => (fixture ??= await seedOnce(t));

  test('one-level rows carry exactly what the analytics endpoints say, every metric, for each dimension', async () => {
    const t = ctx();
    const { token } = await seeded(t);
    const dimensions = ['country', 'device', 'os', 'sub1', 'sub7', 'placement', 'offer', 'event', 'asn', 'day', 'hour'];
    for (const dimension of dimensions) {
      const { rows, meta } = await report(t, token, `group_by=${dimension}`);
      assert.equal(meta.source, 'rollups', dimension);
      const path = dimension === 'country' ? 'countries' : dimension === 'device' ? 'devices' : dimension;
      const analytics = await get(t, token, `/api/v2/analytics/${path}?${RANGE}&with_cost=true&limit=1000`);
      assert.equal(analytics.status, 200);
      const expected = analytics.body.data as Row[];
      const valueKey = dimension === 'country' || dimension === 'device' ? dimension : 'value';
      assert.equal(rows.length, expected.length, `${dimension}: as many rows`);
      const byValue = new Map(
        expected.map((row) => {
          const value = row[valueKey];
          const normal = value === null ? null : dimension === 'hour' || dimension === 'offer' ? Number(value) : value;
          return [key(normal), row];
        }),
      );
      for (const row of rows) {
        const match = byValue.get(key(row[dimension]));
        assert.ok(match, `${dimension} ${key(row[dimension])} is in the analytics`);
        for (const metric of ANALYTICS_METRICS)
          assert.equal(row[metric], match[metric], `${dimension} ${key(row[dimension])}: ${metric}`);
        const clicks = Number(row.clicks);
        assert.equal(row.epc, clicks === 0 ? 0 : Math.round((Number(match.revenue) / clicks) * 100) / 100);
      }
    }
  });

  test('per campaign and per traffic source, rows carry what the campaign stats and fraud stats say', async () => {
    const t = ctx();
    const { token, campaigns, source } = await seeded(t);
    const { rows } = await report(t, token, 'group_by=campaign');
    assert.equal(rows.length, 3);
    for (const row of rows) {
      const id = Number(row.campaign);
      const stats = (await get(t, token, `/api/v1/campaigns/${id}/stats?${RANGE}`)).body.data as Row;
      const fraud = (await get(t, token, `/api/v2/fraud/stats?${RANGE}&campaign_id=${id}`)).body.data as Row;
      for (const [metric, value] of Object.entries(stats))
        assert.equal(row[metric], value, `campaign ${id}: ${metric}`);
      assert.equal(row.fraudulent_clicks, fraud.fraudulent_clicks);
      assert.equal(row.fraud_rate, fraud.fraud_rate);
      assert.equal(row.estimated_savings, fraud.estimated_savings);
      assert.equal(
        row.cpc,
        Number(row.clicks) === 0 ? 0 : Math.round((Number(stats.cost) / Number(row.clicks)) * 100) / 100,
      );
    }
    assert.deepEqual(
      rows.map((row) => row.campaign_name).sort(),
      ['CPA', 'CPC', 'CPM'],
      'campaigns are named beside their ids',
    );
    const bySource = await report(t, token, 'group_by=traffic_source');
    const sourced = bySource.rows.find((row) => row.traffic_source === source)!;
    assert.equal(sourced.traffic_source_name, 'Native net');
    const cpcRow = rows.find((row) => row.campaign === campaigns.cpc)!;
    for (const metric of [...ANALYTICS_METRICS, 'epc', 'cpc', 'estimated_savings'])
      assert.equal(sourced[metric], cpcRow[metric], `the source's one campaign: ${metric}`);
    const unsourced = bySource.rows.find((row) => row.traffic_source === null)!;
    assert.equal(Number(unsourced.clicks) + Number(sourced.clicks), 1_500);
  });

  test('multi-level rows (from the clicks) sum to the one-level rows and the totals to the account stats', async () => {
    const t = ctx();
    const { token } = await seeded(t);
    const countries = (await get(t, token, `/api/v2/analytics/countries?${RANGE}&with_cost=true&limit=1000`)).body
      .data as Row[];
    const countryDevice = await report(t, token, 'group_by=country,device');
    assert.equal(countryDevice.meta.source, 'clicks');
    const summed = sumBy(countryDevice.rows, 'country');
    for (const row of countries) assertSums(summed.get(key(row.country))!, row, `country ${key(row.country)}`);

    const threeLevels = await report(t, token, 'group_by=campaign,status,fraud_type');
    const perCampaign = sumBy(threeLevels.rows, 'campaign');
    for (const [id, sum] of perCampaign) {
      const stats = (await get(t, token, `/api/v1/campaigns/${id}/stats?${RANGE}`)).body.data as Row;
      const fraud = (await get(t, token, `/api/v2/fraud/stats?${RANGE}&campaign_id=${id}`)).body.data as Row;
      assertSums(
        sum,
        { ...stats, fraudulent_clicks: fraud.fraudulent_clicks, estimated_savings: fraud.estimated_savings },
        `campaign ${id}`,
      );
    }
    // Fraud types: each fraudulent click once, under its primary type; verified crawlers are not fraud.
    const fraudStats = (await get(t, token, `/api/v2/fraud/stats?${RANGE}`)).body.data as Row;
    const byType = sumBy(threeLevels.rows, 'fraud_type');
    for (const [type, count] of Object.entries(fraudStats.fraud_by_type as Record<string, number>))
      assert.equal(byType.get(key(type))?.clicks ?? 0, count, `fraud type ${type}`);

    const overall = (await get(t, token, `/api/v1/stats?${RANGE}`)).body.data as Row;
    for (const result of [countryDevice, threeLevels, await report(t, token, 'group_by=country')]) {
      const totals = result.meta.totals as Row;
      for (const [metric, value] of Object.entries(overall)) assert.equal(totals[metric], value, `totals: ${metric}`);
      assert.equal(totals.fraudulent_clicks, fraudStats.fraudulent_clicks);
      assert.equal(totals.estimated_savings, fraudStats.estimated_savings);
    }
  });

  test('filters on any dimension narrow the rows; region, language and sub ids group from the clicks', async () => {
    const t = ctx();
    const { token, campaigns, source, offer } = await seeded(t);
    const all = await report(t, token, 'group_by=country,device');
    const filtered = await report(t, token, 'group_by=country,device&country=US,de&device=mobile');
    assert.deepEqual(
      filtered.rows,
      all.rows.filter((row) => ['US', 'DE'].includes(String(row.country)) && row.device === 'mobile'),
    );
    const bySource = await report(t, token, `group_by=country&traffic_source_id=${source}`);
    const byCampaign = await report(t, token, `group_by=country&campaign_id=${campaigns.cpc}`);
    assert.deepEqual(bySource.rows, byCampaign.rows, 'the source feeds that one campaign');
    const offerRows = await report(t, token, `group_by=offer,placement&offer=${offer}`);
    assert.equal(offerRows.rows.length, 4);
    assert.ok(offerRows.rows.every((row) => row.offer === offer && row.offer_name === 'Offer A'));

    const languages = await report(t, token, 'group_by=language,region');
    assert.deepEqual([...new Set(languages.rows.map((row) => row.language))].sort(), ['de', 'en', null].sort());
    assert.equal(
      languages.rows.reduce((sum, row) => sum + Number(row.clicks), 0),
      1_500,
    );
    const kw = await report(t, token, 'group_by=sub7,weekday&sub7=kw-1&weekday=mon,tue');
    assert.ok(kw.rows.length > 0);
    assert.ok(kw.rows.every((row) => row.sub7 === 'kw-1' && ['mon', 'tue'].includes(String(row.weekday))));
    const events = await report(t, token, 'group_by=campaign,event&event=sale');
    assert.ok(events.rows.every((row) => row.event === 'sale' && row.clicks === 0));
    const sales = (await report(t, token, 'group_by=event')).rows.find((row) => row.event === 'sale')!;
    assert.equal(
      events.rows.reduce((sum, row) => sum + Number(row.conversions), 0),
      sales.conversions,
    );
  });

  test('campaigns charged alike are read as one group: every metric equals the per-campaign rows summed', async () => {
    const t = ctx();
    const { token } = await enterpriseAccount(t);
    const alikeA = (await t.createCampaign({ name: 'A', cost_model: 'cpc', cost_value: 0.7 }, token)).id;
    const alikeB = (await t.createCampaign({ name: 'B', cost_model: 'cpc', cost_value: 0.7 }, token)).id;
    const other = (await t.createCampaign({ name: 'C', cost_model: 'cpm', cost_value: 4 }, token)).id;
    const userId = await campaignOwnerId(t, alikeA);
    const rows = Array.from({ length: 300 }, (_, i) =>
      bulkClickRow(userId, [alikeA, alikeB, other][i % 3]!, {
        at: JAN_10 + i * 41 * 60_000,
        fraudTypes: i % 7 === 0 ? ['bot'] : [],
        country: ['DE', 'US'][i % 2]!,
        fields: { sub1: `s${i % 4}`, ...(i % 5 === 0 ? { cost: 1.1, cost_source: 'param' as const } : {}) },
      }),
    );
    await writeClicks(t.storage, rows);
    for (const row of rows.filter((_, i) => i % 6 === 0)) {
      const response = await t.request({ method: 'GET', url: `/api/v1/postback?clickid=${row.id}&payout=9` });
      assert.equal(response.statusCode, 201, response.body);
    }
    if (copy) {
      // Written behind the copy's back with old times: noted, as every writer of old clicks notes them.
      await createClickChangeNotes({ lagMs: 0, now: Date.now }).changed(t.storage.db, rows);
      await t.app.services.reportColumns!.sync();
    }
    const merged = await report(t, token, 'group_by=sub1,country');
    assert.equal(merged.meta.source, 'clicks');
    const perCampaign = await report(t, token, 'group_by=campaign,sub1,country');
    const summed = new Map<string, Row>();
    for (const row of perCampaign.rows) {
      const k = key([row.sub1, row.country]);
      const sum = summed.get(k) ?? {};
      for (const metric of ['clicks', 'fraudulent_clicks', 'conversions', 'revenue', 'cost', 'estimated_savings'])
        sum[metric] = Math.round((Number(sum[metric] ?? 0) + Number(row[metric])) * 100) / 100;
      summed.set(k, sum);
    }
    assert.equal(merged.rows.length, summed.size);
    for (const row of merged.rows)
      for (const [metric, value] of Object.entries(summed.get(key([row.sub1, row.country]))!))
        assert.ok(Math.abs(Number(row[metric]) - Number(value)) < 0.015, `${key([row.sub1, row.country])} ${metric}`);
    assert.equal((merged.meta.totals as Row).cost, (perCampaign.meta.totals as Row).cost);
  });

  test('sort by any metric or grouped dimension, pages, and only the metrics asked for', async () => {
    const t = ctx();
    const { token } = await seeded(t);
    const { rows } = await report(t, token, 'group_by=sub1,device&sort=revenue&order=asc');
    const revenues = rows.map((row) => Number(row.revenue));
    assert.deepEqual(
      revenues,
      [...revenues].sort((a, b) => a - b),
    );
    const page2 = await get(
      t,
      token,
      `/api/v2/reports?${RANGE}&group_by=sub1,device&sort=revenue&order=asc&limit=5&page=2`,
    );
    assert.deepEqual(page2.body.data, rows.slice(5, 10));
    assert.equal((page2.body.meta as Row).total, rows.length);
    const days = await report(t, token, 'group_by=day&metrics=clicks,roi');
    assert.deepEqual(Object.keys(days.rows[0]!).sort(), ['clicks', 'day', 'roi']);
    const sorted = days.rows.map((row) => String(row.day));
    assert.deepEqual(sorted, [...sorted].sort(), 'a time grouping sorts by time by default');
  });

  test('in a time zone, days and hours are local and agree with the analytics in that zone', async () => {
    const t = ctx();
    const { token } = await seeded(t);
    const zone = 'America/New_York';
    for (const dimension of ['day', 'hour']) {
      const expected = (
        await get(t, token, `/api/v2/analytics/${dimension}?${RANGE}&tz=${zone}&with_cost=true&limit=1000`)
      ).body.data as Row[];
      const { rows, meta } = await report(t, token, `group_by=${dimension}&tz=${zone}`);
      assert.equal(meta.tz, zone);
      const normal = (value: unknown) => (dimension === 'hour' ? Number(value) : value);
      assert.deepEqual(
        rows.map((row) => [row[dimension], ...ANALYTICS_METRICS.map((metric) => row[metric])]),
        expected
          .map((row) => [normal(row.value), ...ANALYTICS_METRICS.map((metric) => row[metric])])
          .sort((a, b) => (String(a[0]).padStart(2, '0') < String(b[0]).padStart(2, '0') ? -1 : 1)),
        `${dimension} in ${zone}`,
      );
      // The same days from the clicks (two levels), summed back.
      if (dimension === 'day') {
        const twoLevels = await report(t, token, `group_by=day,country&tz=${zone}`);
        assert.equal(twoLevels.meta.source, 'clicks');
        const summed = sumBy(twoLevels.rows, 'day');
        for (const row of expected) assertSums(summed.get(key(row.value))!, row, `day ${String(row.value)}`);
      }
    }
  });

  test('a page holds those rows of the whole report and its totals, whatever it is sorted by', async () => {
    const t = ctx();
    const { token } = await seeded(t);
    // By a count, a rate of counts, a value (all ranked first from a columnar copy), and a price (read whole).
    for (const sort of ['clicks', 'fraud_rate&order=asc', 'cr', 'real_clicks&order=asc', 'sub1&order=desc', 'cost']) {
      const query = `${RANGE}&group_by=sub1,country&sort=${sort}`;
      const csv = await t.request({ method: 'GET', url: `/api/v2/reports?${query}&format=csv`, token });
      assert.equal(csv.statusCode, 200);
      const whole = parse(csv.body, { columns: true }) as Record<string, string>[];
      assert.ok(whole.length > 14, `${sort}: ${whole.length} rows, enough for three pages`);
      const first = await get(t, token, `/api/v2/reports?${query}&limit=1000`);
      for (const page of [1, 2, 3]) {
        const { status, body } = await get(t, token, `/api/v2/reports?${query}&limit=7&page=${page}`);
        assert.equal(status, 200, JSON.stringify(body));
        const meta = body.meta as Row;
        assert.equal(meta.total, whole.length, `${sort}: every row counted`);
        assert.deepEqual(meta.totals, (first.body.meta as Row).totals, `${sort}: the same totals on every page`);
        const rows = body.data as Row[];
        const expected = whole.slice((page - 1) * 7, page * 7);
        assert.equal(rows.length, expected.length, `${sort}: page ${page}`);
        rows.forEach((row, index) => {
          for (const [column, value] of Object.entries(expected[index]!))
            assert.equal(String(row[column] ?? ''), value, `${sort}, page ${page}, row ${index}: ${column}`);
        });
      }
    }
  });

  test('format=csv streams the same rows, names beside ids, formulas neutralised', async () => {
    const t = ctx();
    const { token, campaigns } = await seeded(t);
    const userId = await campaignOwnerId(t, campaigns.cpc);
    await writeClicks(t.storage, [
      bulkClickRow(userId, campaigns.cpc, { at: JAN_10, fields: { sub2: '=HYPERLINK("http://evil")' } }),
    ]);
    const { rows } = await report(t, token, 'group_by=campaign,sub2');
    const response = await t.request({
      method: 'GET',
      url: `/api/v2/reports?${RANGE}&group_by=campaign,sub2&format=csv`,
      token,
    });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.match(String(response.headers['content-disposition']), /attachment; filename="report.csv"/);
    const lines = response.body.trim().split('\r\n');
    assert.equal(lines[0], ['campaign', 'campaign_name', 'sub2', ...Object.keys(rows[0]!).slice(3)].join(','));
    assert.equal(lines.length, rows.length + 1);
    assert.ok(
      lines.some((line) => line.includes(`"'=HYPERLINK(""http://evil"")"`)),
      'the formula is neutralised',
    );
  });

  test('bad input is a 400 naming the parameter, and changes nothing', async () => {
    const t = ctx();
    const { token } = await seeded(t);
    const before = (await get(t, token, `/api/v1/stats?${RANGE}`)).body;
    const cases: Array<[string, string]> = [
      ['group_by=nope', 'group_by'],
      ['group_by=country,device,os,browser', 'group_by'],
      ['group_by=country,country', 'group_by'],
      ['group_by=', 'group_by'],
      ['sort=nope', 'sort'],
      ['group_by=country&sort=device', 'sort'],
      ['metrics=clicks,nope', 'metrics'],
      ['country=USA', 'country'],
      ['campaign=abc', 'campaign'],
      ['offer=0', 'offer'],
      ['hour=24', 'hour'],
      ['weekday=funday', 'weekday'],
      ['day=2024-13-45', 'day'],
      ['status=human', 'status'],
      ['fraud_type=evil', 'fraud_type'],
      ['asn=Google', 'asn'],
      ['event=Big%20Sale', 'event'],
      ['path=nohash', 'path'],
      ['limit=5000', 'limit'],
      ['limit=0', 'limit'],
      ['tz=Mars/Olympus', 'tz'],
      ['from=2024-02-01&to=2024-01-01', 'from'],
      ['from=yesterday', 'from'],
      ['format=xlsx', 'format'],
      ['unknown_param=1', 'unknown_param'],
    ];
    for (const [query, field] of cases) {
      const response = await t.request({ method: 'GET', url: `/api/v2/reports?${query}`, token });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      const { error } = response.json<{ error: { code: string; details?: Record<string, string[]> } }>();
      assert.equal(error.code, 'VALIDATION_ERROR', query);
      assert.ok(error.details && field in error.details, `${query} names ${field}: ${JSON.stringify(error.details)}`);
    }
    assert.deepEqual((await get(t, token, `/api/v1/stats?${RANGE}`)).body, before, 'nothing stored changed');
  });

  test("another account's campaign or source is a 404, and its report holds none of ours", async () => {
    const t = ctx();
    const { campaigns, source } = await seeded(t);
    const other = await enterpriseAccount(t);
    for (const query of [
      `campaign_id=${campaigns.cpc}`,
      `traffic_source_id=${source}`,
      `campaign=${campaigns.cpm}`,
      `traffic_source=${source}`,
      `campaign_id=999999`,
    ]) {
      const response = await t.request({ method: 'GET', url: `/api/v2/reports?${query}`, token: other.token });
      assert.equal(response.statusCode, 404, query);
      assert.equal(response.json<{ error: { code: string } }>().error.code, 'NOT_FOUND');
    }
    for (const groupBy of ['campaign', 'country', 'country,device']) {
      const { rows, meta } = await report(t, other.token, `group_by=${groupBy}`);
      assert.deepEqual(rows, [], groupBy);
      assert.equal((meta.totals as Row).clicks, 0);
    }
    const unauthenticated = await t.request({ method: 'GET', url: '/api/v2/reports' });
    assert.equal(unauthenticated.statusCode, 401);
  });
};

forEachDialectOverHttp('reports (GET /api/v2/reports)', reportSuite(false));
forEachDialectOverHttp('reports from the columnar copy', reportSuite(true), { REPORT_COLUMNS: 'on' });

/** The app's log lines, parsed: the hang-up test reads what the server said about the cut download. */
function logCollector() {
  const lines: Row[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Row);
      done();
    },
  });
  return { lines, stream };
}

const STOPPED = 'CSV export stopped: the client went away';

for (const dialect of DIALECTS)
  test(`a client that hangs up mid-report stops the CSV and leaves the server healthy [${dialect.name}]`, async () => {
    const log = logCollector();
    const storage = openTestStorage(dialect);
    const app = await buildApp({
      config: testConfig(),
      storage,
      logger: { level: 'debug', stream: log.stream },
      intel: await testIntel(),
      retention: { intervalMs: 0 },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const register = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: `report-abort-${Date.now()}@example.com`, password: 'correct horse battery' },
      });
      const token = register.json<{ token: string }>().token;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/campaigns',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'Export', destination_url: 'https://shop.example/?cid={clickid}' },
      });
      const campaignId = created.json<{ data: { id: number } }>().data.id;
      const userId = await storage.db
        .selectFrom('campaigns')
        .select('user_id')
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      // 100,000 sub ids: 100,000 report rows, about 7 MB of CSV. Loopback lets a sender buffer up to 4 MB
      // (tcp_wmem) beside the reader's window, so a smaller export can be written whole before the hang-up lands.
      await writeClicks(
        storage,
        Array.from({ length: 100_000 }, (_, i) =>
          bulkClickRow(Number(userId.user_id), campaignId, { at: JAN_10 + i * 100, fields: { sub3: `kw-${i}` } }),
        ),
      );
      const url = `${baseUrl}/api/v2/reports?${RANGE}&group_by=sub3,day&format=csv`;
      const received = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
          assert.equal(res.statusCode, 200);
          res.once('data', (chunk: Buffer) => {
            req.destroy();
            resolve(chunk.length);
          });
          res.on('error', () => undefined);
        });
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
        req.end();
      });
      assert.ok(received > 0);
      const deadline = Date.now() + 10_000;
      while (!log.lines.some((line) => line.msg === STOPPED) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      assert.ok(
        log.lines.some((line) => line.msg === STOPPED),
        'the export heard the hang-up',
      );
      assert.deepEqual(
        log.lines.filter((line) => Number(line.level) >= 50),
        [],
        'nothing logged as an error',
      );
      const whole = await app.inject({
        method: 'GET',
        url: `/api/v2/reports?${RANGE}&group_by=sub3,day&format=csv`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(whole.statusCode, 200);
      assert.equal(whole.body.trim().split('\r\n').length, 100_001, 'a whole download right after is whole');
    } finally {
      await app.close();
      await storage.dispose();
    }
  });
if (POSTGRES_SKIP_REASON)
  test('a client that hangs up mid-report [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
