// The report cube (migration 028, src/modules/reports/report-cube*.ts): reports over the dimensions it keeps
// are read from it, and every metric equals what the statistics endpoints say and what the same report
// read from the raw clicks says, on both dialects, also after late verdicts, conversions and cost changes,
// and whatever the background folder (migration 029, report-cube-folder.ts) has moved: nothing, part, all.
import { ALL_CAMPAIGNS } from '../../src/modules/stats/periods.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import type { FraudType } from '../../src/detection/index.ts';
import { amendClicks } from '../../src/modules/clicks/late-findings.ts';
import { createStatsWriter } from '../../src/modules/stats/stats-writer.ts';
import { reportCube } from '../../src/storage/migrations/028-report-cube.ts';
import { reportCubeAllCampaigns } from '../../src/storage/migrations/031-report-cube-all-campaigns.ts';
import type { Kysely } from 'kysely';
import { foldCube } from '../../src/modules/reports/report-cube-fold.repository.ts';
import { createReportCubeFolder } from '../../src/modules/reports/report-cube-folder.ts';

type Row = Record<string, unknown>;

const JAN_10 = Date.UTC(2024, 0, 10);
// Whole UTC days, 26 of them: weeks read whole and days given back at both ends.
const RANGE = 'from=2024-01-09&to=2024-02-03';
/** Every metric a report row carries. */
const METRICS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraudulent_clicks',
  'fraud_rate',
  'lp_clicks',
  'lp_ctr',
  'conversions',
  'suspicious_conversions',
  'revenue',
  'cost',
  'profit',
  'roi',
  'cr',
  'epc',
  'cpc',
  'estimated_savings',
] as const;
const COUNTS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraudulent_clicks',
  'conversions',
  'suspicious_conversions',
  'lp_clicks',
] as const;
const MONEY = ['revenue', 'cost', 'estimated_savings'] as const;
/** The reports the cube answers, of one, two and three levels. */
const CUBE_REPORTS = [
  'language',
  'os,browser',
  'country,device',
  'offer,device',
  'campaign,country,device',
  'traffic_source,language',
  // A local day with one rolled-up dimension (day,country) is read from the rollups' day rows, fewer than the
  // cube's (reports-rollup-days.test.ts); with two dimensions it is the cube's.
  'day,country,device',
  'weekday,os,browser',
] as const;

interface Fixture {
  token: string;
  userId: number;
  campaigns: { cpc: number; cpm: number; cpa: number };
  rows: NewClickRow[];
}

async function get(t: HttpTestApp, token: string, url: string) {
  const response = await t.request({ method: 'GET', url, token });
  return { status: response.statusCode, body: response.json<Row>() };
}

async function report(t: HttpTestApp, token: string, query: string): Promise<{ rows: Row[]; meta: Row }> {
  const { status, body } = await get(t, token, `/api/v2/reports?${RANGE}&limit=1000&${query}`);
  assert.equal(status, 200, JSON.stringify(body));
  return { rows: body.data as Row[], meta: body.meta as Row };
}

async function create(t: HttpTestApp, token: string, url: string, payload: Row): Promise<number> {
  const response = await t.request({ method: 'POST', url, token, payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<{ data: { id: number } }>().data.id;
}

async function seed(t: HttpTestApp): Promise<Fixture> {
  const account = await t.signUp();
  await t.app.services.accounts.setPlan(account.email, 'enterprise');
  const { token } = account;
  const source = await create(t, token, '/api/v1/traffic-sources', { name: 'Native net', platform: 'other' });
  const offer = await create(t, token, '/api/v1/offers', { name: 'Offer A', url: 'https://o.example/?c={clickid}' });
  const cpc = (
    await t.createCampaign({ name: 'CPC', cost_model: 'cpc', cost_value: 0.5, traffic_source_id: source }, token)
  ).id;
  const cpm = (await t.createCampaign({ name: 'CPM', cost_model: 'cpm', cost_value: 2 }, token)).id;
  const cpa = (await t.createCampaign({ name: 'CPA', cost_model: 'cpa', cost_value: 3 }, token)).id;
  // Charged as the first: a report not per campaign reads the two as the all-campaigns rows less the others'.
  const cpc2 = (await t.createCampaign({ name: 'CPC 2', cost_model: 'cpc', cost_value: 0.5 }, token)).id;
  const owner = await t.storage.db.selectFrom('campaigns').select('user_id').where('id', '=', cpc).executeTakeFirst();
  const userId = Number(owner!.user_id);
  const ids = [cpc, cpm, cpa, cpc2];
  const rows: NewClickRow[] = [];
  // Clicks from before the range to after it (the range's ends cut weeks), over the cube's dimensions.
  for (let i = 0; i < 900; i++) {
    const campaignId = ids[i % 4]!;
    const fraudTypes: FraudType[] = i % 10 === 0 ? ['bot'] : i % 10 === 1 ? ['duplicate'] : i % 17 === 0 ? ['vpn'] : [];
    const verified = i % 23 === 0;
    rows.push(
      bulkClickRow(userId, campaignId, {
        at: JAN_10 - 3 * 86_400_000 + i * 47 * 60_000,
        fraudTypes: verified ? ['bot'] : fraudTypes,
        status: verified ? 'bot' : i % 31 === 0 ? 'cloaked' : undefined,
        verified,
        country: ['DE', 'US', 'FR', null][i % 4]!,
        device: ['desktop', 'mobile', 'tablet'][Math.floor(i / 3) % 3]!,
        fields: {
          os: ['Windows', 'Android', 'iOS', null][i % 4]!,
          browser: ['Chrome', 'Safari', 'Firefox'][(i >> 2) % 3]!,
          language: ['de', 'en', null][(i >> 1) % 3]!,
          ...(campaignId === cpc
            ? { offer_id: offer, ...(i % 2 === 0 ? { cost: 0.8, cost_source: 'param' as const } : {}) }
            : {}),
        },
      }),
    );
  }
  await writeClicks(t.storage, rows);
  for (const [index, row] of rows.entries()) {
    if (index % 7 !== 0) continue;
    const response = await t.request({
      method: 'GET',
      url: `/api/v1/postback?clickid=${row.id}&payout=${10 + (index % 4)}&txid=t-${row.id}`,
    });
    assert.equal(response.statusCode, 201, response.body);
  }
  await t.app.services.statsFolder.foldAll();
  return { token, userId, campaigns: { cpc, cpm, cpa }, rows };
}

const key = (value: unknown) => JSON.stringify(value ?? null);

/** The same report from the raw clicks: a filter the cube does not keep, listing every status, sends it there. */
const FROM_CLICKS = 'status=real,bot,vpn,cloaked';

/** Rows keyed by their grouped values. */
function byValues(rows: readonly Row[], groupBy: string): Map<string, Row> {
  const dimensions = groupBy.split(',');
  return new Map(rows.map((row) => [key(dimensions.map((dimension) => row[dimension])), row]));
}

/** Counts exactly; money to the cent, or a cent apart (the two readers add the same amounts in another order). */
function assertSameRow(actual: Row, expected: Row, label: string) {
  for (const metric of METRICS) {
    const [a, b] = [Number(actual[metric]), Number(expected[metric])];
    if ((COUNTS as readonly string[]).includes(metric)) assert.equal(a, b, `${label}: ${metric}`);
    else assert.ok(Math.abs(a - b) <= 0.011, `${label}: ${metric} ${a} vs ${b}`);
  }
}

/** Each cube report: read from the cube, row for row what the clicks say, and summing to the statistics endpoints. */
async function assertCubeAgrees(t: HttpTestApp, fixture: Fixture, label: string) {
  const { token } = fixture;
  const overall = (await get(t, token, `/api/v1/stats?${RANGE}`)).body.data as Row;
  const fraud = (await get(t, token, `/api/v2/fraud/stats?${RANGE}`)).body.data as Row;
  for (const groupBy of CUBE_REPORTS) {
    const cube = await report(t, token, `group_by=${groupBy}`);
    assert.equal(cube.meta.source, 'cube', `${label}: ${groupBy} is read from the cube`);
    const clicks = await report(t, token, `group_by=${groupBy}&${FROM_CLICKS}`);
    assert.equal(clicks.meta.source, 'clicks');
    assert.equal(cube.rows.length, clicks.rows.length, `${label}: ${groupBy} as many rows`);
    const expected = byValues(clicks.rows, groupBy);
    for (const [values, row] of byValues(cube.rows, groupBy)) {
      const match = expected.get(values);
      assert.ok(match, `${label}: ${groupBy} ${values} is also in the clicks`);
      assertSameRow(row, match, `${label}: ${groupBy} ${values}`);
    }
    // The totals line is the account's statistics (SPEC section 3), every metric.
    const totals = cube.meta.totals as Row;
    for (const [metric, value] of Object.entries(overall))
      assert.equal(totals[metric], value, `${label}: ${groupBy} totals ${metric}`);
    assert.equal(totals.fraudulent_clicks, fraud.fraudulent_clicks, `${label}: ${groupBy} fraudulent`);
    assert.equal(totals.estimated_savings, fraud.estimated_savings, `${label}: ${groupBy} savings`);
  }
  // One level against the analytics endpoint of the same dimension, row for row.
  const countries = (await get(t, token, `/api/v2/analytics/countries?${RANGE}&with_cost=true&limit=1000`)).body
    .data as Row[];
  const cube = byValues((await report(t, token, 'group_by=country')).rows, 'country');
  assert.equal(cube.size, countries.length);
  for (const row of countries) {
    const match = cube.get(key([row.country]));
    assert.ok(match, `${label}: country ${key(row.country)}`);
    for (const metric of ['clicks', 'real_clicks', 'fraudulent_clicks', 'conversions', 'revenue', 'cost', 'profit'])
      assert.equal(match[metric], row[metric], `${label}: country ${key(row.country)} ${metric}`);
  }
  // Per campaign, what each campaign's statistics say.
  const perCampaign = new Map<number, Row>();
  for (const row of (await report(t, token, 'group_by=campaign,device')).rows) {
    const id = Number(row.campaign);
    const sum = perCampaign.get(id) ?? {};
    for (const name of [...COUNTS, ...MONEY]) sum[name] = Number(sum[name] ?? 0) + Number(row[name]);
    sum.rows = Number(sum.rows ?? 0) + 1;
    perCampaign.set(id, sum);
  }
  for (const [id, sum] of perCampaign) {
    const stats = (await get(t, token, `/api/v1/campaigns/${id}/stats?${RANGE}`)).body.data as Row;
    for (const name of ['clicks', 'real_clicks', 'bot_clicks', 'conversions', 'lp_clicks'])
      assert.equal(sum[name], stats[name], `${label}: campaign ${id} ${name}`);
    for (const name of ['revenue', 'cost'])
      assert.ok(
        Math.abs(Number(sum[name]) - Number(stats[name])) <= 0.005 * Number(sum.rows) + 1e-9,
        `${label}: campaign ${id} ${name}`,
      );
  }
}

forEachDialectOverHttp(
  'report cube',
  (ctx) => {
    let fixture: Fixture | undefined;
    const seeded = async (t: HttpTestApp) => (fixture ??= await seed(t));

    test('reports over the dimensions it keeps are read from the cube and equal the clicks and the statistics', async () => {
      const t = ctx();
      await assertCubeAgrees(t, await seeded(t), 'as recorded');
    });

    test('filters, time zones and ranges the cube cannot answer exactly go elsewhere', async () => {
      const t = ctx();
      const { token } = await seeded(t);
      const filtered = await report(t, token, 'group_by=country,device&country=US,de&device=mobile');
      assert.equal(filtered.meta.source, 'cube');
      const all = await report(t, token, 'group_by=country,device');
      assert.deepEqual(
        filtered.rows,
        all.rows.filter((row) => ['US', 'DE'].includes(String(row.country)) && row.device === 'mobile'),
      );
      // A zone whose days do not start at midnight UTC: local days are read from the clicks' hours.
      assert.equal((await report(t, token, 'group_by=day,country&tz=America/New_York')).meta.source, 'clicks');
      // A zone off UTC, but no local day asked for: the range is its UTC days' hours, not whole days.
      assert.equal((await report(t, token, 'group_by=country,device&tz=Europe/Berlin')).meta.source, 'clicks');
      // Hours, placements, sub ids are not kept.
      assert.equal((await report(t, token, 'group_by=hour,country')).meta.source, 'clicks');
      assert.equal((await report(t, token, 'group_by=country,sub1')).meta.source, 'clicks');
    });

    test('late verdicts, conversion changes, set costs and a new cost model move the cube as they move the statistics', async () => {
      const t = ctx();
      const fixture = await seeded(t);
      const { token, campaigns, rows } = fixture;
      // A burst found later flags real clicks of two campaigns as rapid fire (the recorder's amendment path).
      const stats = createStatsWriter(t.storage.dialect);
      const late = rows.filter((_, index) => index % 5 === 2).slice(0, 60);
      const amended = await amendClicks(
        t.storage.db,
        [{ ids: late.map((row) => row.id), finding: { type: 'rapid_fire', score: 70, message: 'burst' } }],
        (trx, clicks) => stats.clicksAmended(trx, clicks),
      );
      assert.ok(amended.length > 20, 'clicks were amended');
      // A conversion rejected, one's payout raised, a new one recorded.
      const converted = rows.filter((_, index) => index % 7 === 0);
      for (const [n, payload] of [
        { click_id: converted[0]!.id, transaction_id: `t-${converted[0]!.id}`, status: 'rejected' },
        { click_id: converted[1]!.id, transaction_id: `t-${converted[1]!.id}`, payout: 99 },
        { click_id: rows[3]!.id, transaction_id: 'fresh-1', payout: 7 },
      ].entries()) {
        const response = await t.request({ method: 'POST', url: '/api/v1/conversions', token, payload });
        assert.ok(response.statusCode < 300, `conversion ${n}: ${response.body}`);
      }
      // A day whose cost was set, and a campaign charged another way from now on.
      const set = await t.request({
        method: 'POST',
        url: `/api/v1/campaigns/${campaigns.cpm}/costs`,
        token,
        payload: { from: '2024-01-15', to: '2024-01-16', amount: 40 },
      });
      assert.ok(set.statusCode < 300, set.body);
      const changed = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaigns.cpa}`,
        token,
        payload: { cost_model: 'cpc', cost_value: 0.3 },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      await t.app.services.statsFolder.foldAll();
      await assertCubeAgrees(t, fixture, 'after the changes');
      const { rows: byCampaign } = await report(t, token, 'group_by=campaign,country');
      assert.ok(
        byCampaign.some((row) => row.campaign === campaigns.cpa && Number(row.cost) > 0),
        'the new cost model prices the cube',
      );
    });

    test('migration 028 counts the stored clicks into the same cube the writer keeps', async () => {
      const t = ctx();
      await seeded(t);
      // Every row, summed over shards, keyed and with its counters to the micro-unit.
      const snapshot = async () =>
        (await t.storage.db.selectFrom('report_cube').selectAll().execute())
          .map(({ shard, ...row }) => {
            void shard;
            return JSON.stringify(
              Object.entries(row).map(([name, value]) => [name, Math.round(Number(value) * 1e6) || String(value)]),
            );
          })
          .sort();
      const written = await snapshot();
      assert.ok(written.length > 100);
      const db = t.storage.db as unknown as Kysely<unknown>;
      await db.schema.dropTable('report_cube').execute();
      await reportCube(t.storage.dialect).up(db);
      assert.deepEqual(await snapshot(), written);
    });

    test('folding moves the day rows into days and weeks at two grains, and every report stays exact before, during and after', async () => {
      const t = ctx();
      const fixture = await seeded(t);
      const { dialect, db } = t.storage;
      const count = async (table: 'report_cube' | 'report_cube_folded') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('user_id', '=', fixture.userId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const hotBefore = await count('report_cube');
      assert.ok(hotBefore > 100, 'the click path wrote day rows');
      assert.equal(await count('report_cube_folded'), 0, 'nothing folded yet (no background folder in this suite)');
      // Part of the days before Jan 20 only, in one bounded chunk: both tables hold some of the range.
      const moved = await db.transaction().execute((trx) => foldCube(trx, dialect, Date.UTC(2024, 0, 20), 150));
      assert.equal(moved, 150);
      assert.equal(await count('report_cube'), hotBefore - 150);
      const early = await db
        .selectFrom('report_cube_folded')
        .select((eb) => eb.fn.max('start').as('last'))
        .where('hours', '=', 24)
        .executeTakeFirstOrThrow();
      assert.ok(Number(early.last) < Date.UTC(2024, 0, 20), 'a cutoff keeps later days hot');
      await assertCubeAgrees(t, fixture, 'after a partial fold');
      // Two folders at once with small chunks (two processes: on PostgreSQL each skips the rows the other holds).
      const folders = [0, 1].map(() =>
        createReportCubeFolder({ db, dialect, log: console, intervalMs: 0, chunkRows: 40 }),
      );
      const [a, b] = await Promise.all(folders.map((folder) => folder.foldAll()));
      assert.equal(a! + b!, hotBefore - 150, 'every row moved exactly once');
      assert.equal(await count('report_cube'), 0);
      // Four copies (full and narrow grain, day and week) of fewer, merged rows.
      // Folded rows per grain and period length, of the campaigns' own rows or of the all-campaigns ones.
      const foldedCounts = (campaigns: '<>' | '=') =>
        db
          .selectFrom('report_cube_folded')
          .select(['grain', 'hours', (eb) => eb.fn.countAll<number>().as('n')])
          .where('user_id', '=', fixture.userId)
          .where('campaign_id', campaigns, ALL_CAMPAIGNS)
          .groupBy(['grain', 'hours'])
          .orderBy('grain')
          .orderBy('hours')
          .execute();
      const grains = await foldedCounts('<>');
      assert.deepEqual(
        grains.map((row) => [Number(row.grain), Number(row.hours)]),
        [
          [0, 24],
          [0, 168],
          [1, 24],
          [1, 168],
        ],
      );
      assert.equal(Number(grains[0]!.n), hotBefore, 'full-grain days: the same combinations');
      const [fullDays, fullWeeks, narrowDays, narrowWeeks] = grains.map((row) => Number(row.n));
      assert.ok(fullWeeks! < fullDays!, 'a week merges its days');
      assert.ok(narrowWeeks! < narrowDays!, 'a narrow week merges its days');
      assert.ok(narrowDays! <= fullDays! && narrowWeeks! <= fullWeeks!, 'the narrow grain merges systems and browsers');
      // And the narrow grain again over all the campaigns (migration 031): fewer rows than the campaigns' own.
      const all = await foldedCounts('=');
      assert.deepEqual(
        all.map((row) => [Number(row.grain), Number(row.hours)]),
        [
          [1, 24],
          [1, 168],
        ],
      );
      assert.ok(Number(all[0]!.n) <= narrowDays! && Number(all[1]!.n) <= narrowWeeks!, 'campaigns merged');
      await assertCubeAgrees(t, fixture, 'after a full fold');
      // A late verdict and a conversion on folded days: deltas land in report_cube, reads add them.
      const stats = createStatsWriter(dialect);
      const late = fixture.rows.filter((_, index) => index % 6 === 4 && index < 400);
      const amended = await amendClicks(
        db,
        [{ ids: late.map((row) => row.id), finding: { type: 'rapid_fire', score: 70, message: 'burst' } }],
        (trx, clicks) => stats.clicksAmended(trx, clicks),
      );
      assert.ok(amended.length > 10, 'clicks were amended');
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: fixture.token,
        payload: { click_id: fixture.rows[10]!.id, transaction_id: 'late-fold-1', payout: 12.5 },
      });
      assert.ok(response.statusCode < 300, response.body);
      await t.app.services.statsFolder.foldAll();
      assert.ok((await count('report_cube')) > 0, 'the late changes are hot rows');
      await assertCubeAgrees(t, fixture, 'after late changes on folded days');
      assert.ok((await t.app.services.reportCubeFolder.foldAll()) > 0);
      assert.equal(await count('report_cube'), 0);
      await assertCubeAgrees(t, fixture, 'after folding the late changes');
      // Click batches while two folders move rows (PostgreSQL: a batch upserting a row a folder holds waits
      // for its commit and inserts it afresh; a folder skips the rows a batch holds).
      const more = Array.from({ length: 240 }, (_, i) =>
        bulkClickRow(fixture.userId, [fixture.campaigns.cpc, fixture.campaigns.cpm][i % 2]!, {
          at: JAN_10 + i * 97 * 60_000,
          country: ['DE', 'US', 'FR'][i % 3]!,
          device: ['desktop', 'mobile'][i % 2]!,
          fields: { os: ['Windows', 'Android'][(i >> 1) % 2]!, language: 'de' },
        }),
      );
      const writing = (async () => {
        for (let i = 0; i < more.length; i += 20) await writeClicks(t.storage, more.slice(i, i + 20));
      })();
      const folding = async () => {
        let moved = 0;
        for (let pass = 0; pass < 6; pass++) moved += await folders[pass % 2]!.foldAll();
        return moved;
      };
      await Promise.all([writing, folding(), folding()]);
      await t.app.services.reportCubeFolder.foldAll();
      assert.equal(await count('report_cube'), 0);
      await assertCubeAgrees(t, fixture, 'after folding beside click batches');
      // The scheduled passes (ended days, and today's when due; PostgreSQL then vacuums the hot table).
      const scheduled = createReportCubeFolder({ db, dialect, log: console, intervalMs: 20, todayEveryMs: 0 });
      await writeClicks(t.storage, [
        bulkClickRow(fixture.userId, fixture.campaigns.cpc, { at: JAN_10 + 3_600_000, country: 'DE' }),
        bulkClickRow(fixture.userId, fixture.campaigns.cpc, { at: Date.now(), country: 'DE' }),
      ]);
      assert.equal(await count('report_cube'), 2);
      scheduled.start();
      const deadline = Date.now() + 20_000;
      while ((await count('report_cube')) > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      await scheduled.close();
      assert.equal(await count('report_cube'), 0, 'the passes folded the old day and today');
      await assertCubeAgrees(t, fixture, 'after the scheduled passes');
      // Migration 031 sums the all-campaigns rows from the campaigns' narrow rows: the same rows the folds wrote.
      const allRows = () =>
        db
          .selectFrom('report_cube_folded')
          .selectAll()
          .where('campaign_id', '=', ALL_CAMPAIGNS)
          .orderBy(['user_id', 'grain', 'hours', 'start', 'country', 'device', 'offer_id', 'lander_id', 'language'])
          .execute();
      const folded = await allRows();
      assert.ok(folded.length > 10);
      await db.deleteFrom('report_cube_folded').where('campaign_id', '=', ALL_CAMPAIGNS).execute();
      await reportCubeAllCampaigns().up(db as unknown as Kysely<unknown>);
      const migrated = await allRows();
      assert.equal(migrated.length, folded.length);
      for (const [index, row] of migrated.entries())
        for (const [name, value] of Object.entries(row)) {
          const expected = Number((folded[index] as Record<string, unknown>)[name]);
          if (typeof value === 'string') assert.equal(value, (folded[index] as Record<string, unknown>)[name], name);
          else assert.ok(Math.abs(Number(value) - expected) < 1e-6, `${name}: ${value} vs ${expected}`);
        }
      await assertCubeAgrees(t, fixture, 'after migration 031');
    });

    test('the retention deletes the cube with the clicks it counts, and the report stays right', async () => {
      const t = ctx();
      const { token, userId, campaigns } = await seeded(t);
      const now = Date.now();
      // Clicks now (in the cube's reach) and from long before the retention (Jan 2024 is within 3650 days).
      const old = bulkClickRow(userId, campaigns.cpc, { at: now - 4000 * 86_400_000, country: 'IT' });
      const fresh = bulkClickRow(userId, campaigns.cpc, { at: now, country: 'IT' });
      await writeClicks(t.storage, [old, fresh]);
      const cubeRows = async (before: boolean) =>
        (
          await t.storage.db
            .selectFrom('report_cube')
            .select('start')
            .where('user_id', '=', userId)
            .where('country', '=', 'IT')
            .where('start', before ? '<' : '>=', now - 3650 * 86_400_000)
            .execute()
        ).length;
      assert.equal(await cubeRows(true), 1, 'its day');
      const run = await t.app.services.retention.runOnce();
      assert.equal(run.cubeRowsDeleted, 1);
      assert.equal(await cubeRows(true), 0, 'the old periods are gone');
      assert.equal(await cubeRows(false), 1, 'the recent one stays');
      assert.equal((await report(t, token, 'group_by=country,device')).meta.source, 'cube');
      // Folded periods too: an old click's day and week at both grains go, the fresh click's stay.
      await writeClicks(t.storage, [
        bulkClickRow(userId, campaigns.cpc, { at: now - 4000 * 86_400_000, country: 'IT' }),
      ]);
      await t.app.services.reportCubeFolder.foldAll();
      const foldedRows = async (before: boolean) =>
        (
          await t.storage.db
            .selectFrom('report_cube_folded')
            .select('start')
            .where('user_id', '=', userId)
            .where('country', '=', 'IT')
            .where('start', before ? '<' : '>=', now - 3650 * 86_400_000)
            .execute()
        ).length;
      // Full and narrow grain, day and week, and the narrow ones again for all the campaigns (migration 031).
      assert.equal(await foldedRows(true), 6, 'full and narrow grain, day and week, and all campaigns');
      assert.equal(await foldedRows(false), 6);
      const again = await t.app.services.retention.runOnce();
      assert.equal(again.cubeRowsDeleted, 6);
      assert.equal(await foldedRows(true), 0, 'the old folded periods are gone');
      assert.equal(await foldedRows(false), 6, 'the recent ones stay');
    });
  },
  // The fixture's January 2024 lies inside the retention, so the cube may answer it.
  { CLICK_RETENTION_DAYS: '3650' },
  // No background fold: each test decides what is folded (the folding test folds by hand).
  { reportCubeFolder: { intervalMs: 0 } },
);
