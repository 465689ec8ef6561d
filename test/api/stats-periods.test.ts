// Reports read whole weeks, edge days, and the all-campaigns copies of the rollups (modules/stats/periods.ts):
// these tests check that whichever periods a range is cut into, the numbers are the clicks' own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import type { ClickRow } from '../../src/modules/clicks/click.table.ts';
import { dimensionValues } from '../../src/modules/stats/dimensions.ts';
import { createStatsWriter } from '../../src/modules/stats/stats-writer.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';

const DAY = 86_400_000;
/** A Monday: six whole weeks of traffic from here. */
const MONDAY = Date.UTC(2024, 0, 1);
const COUNTRIES = ['DE', 'FR', 'US', null] as const;

/** Small and seeded, so a failure is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

async function get(t: HttpTestApp, token: string, url: string) {
  const response = await t.request({ method: 'GET', url, token });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json().data;
}

type Row = Record<string, number | string | null>;
const byValue = (rows: Row[], key: string) => new Map(rows.map((row) => [row[key] ?? null, row.clicks]));

/** Clicks per value of `dimension` among `rows`, computed from the click rows themselves. */
function expected(
  rows: readonly NewClickRow[],
  dimension: 'country' | 'city' | 'sub1',
  from: number,
  to: number,
): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const row of rows) {
    if (row.created_at < from || row.created_at >= to) continue;
    const value = dimensionValues({
      country: row.country ?? null,
      city: row.city ?? null,
      device: row.device,
      os: row.os ?? null,
      browser: row.browser ?? null,
      asn: row.asn ?? null,
      as_org: row.as_org ?? null,
      referrer: row.referrer ?? null,
      sub1: row.sub1 ?? null,
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      placement: null,
      sub6: null,
      sub7: null,
      sub8: null,
      sub9: null,
      sub10: null,
    })[dimension];
    counts.set(value === '' ? null : value, (counts.get(value === '' ? null : value) ?? 0) + 1);
  }
  return counts;
}

const iso = (time: number) => new Date(time).toISOString().slice(0, 10);

forEachDialectOverHttp(
  'statistics over weeks, edge days and all campaigns',
  (ctx) => {
    /** `unfolded`: this share of the clicks is left in the rollup journal; the app's own folder is stopped first. */
    async function traffic(t: HttpTestApp, { unfolded = 0 } = {}) {
      const first = await t.createCampaign({ cost_model: 'cpc', cost_value: 0.5 });
      const second = await t.createCampaign({ cost_model: 'cpm', cost_value: 2 }, first.token);
      const userId = Number(
        (
          await t.storage.db
            .selectFrom('campaigns')
            .select('user_id')
            .where('id', '=', first.id)
            .executeTakeFirstOrThrow()
        ).user_id,
      );
      // Enterprise: these tests send more requests a minute than the starter plan allows.
      await t.storage.db.updateTable('users').set({ plan: 'enterprise' }).where('id', '=', userId).execute();
      const rand = seeded(7);
      const rows: NewClickRow[] = [];
      for (let i = 0; i < 1_200; i++) {
        const at = MONDAY + Math.floor(rand() * 42 * DAY);
        const country = COUNTRIES[Math.floor(rand() * COUNTRIES.length)]!;
        const campaignId = rand() < 0.6 ? first.id : second.id;
        rows.push(
          bulkClickRow(userId, campaignId, {
            at,
            country,
            fraudTypes: rand() < 0.2 ? ['bot'] : [],
            fields: {
              city: rand() < 0.8 ? `City ${Math.floor(rand() * 9)}` : null,
              sub1: rand() < 0.5 ? `s${Math.floor(rand() * 5)}` : null,
            },
          }),
        );
      }
      // Values seen on one Monday only: a range that reads that week less its Monday must not show them.
      for (const campaign of [first, second]) {
        rows.push(
          bulkClickRow(userId, campaign.id, {
            at: MONDAY + 7 * DAY + 3_600_000,
            country: 'JP',
            fields: { city: 'Kyoto', sub1: 'monday-only' },
          }),
        );
      }
      if (unfolded === 0) await writeClicks(t.storage, rows, 300);
      else {
        await t.app.services.statsFolder.close();
        // The clicks are in random order of time: the last share spreads over every week, as a folded one does.
        const kept = Math.round(rows.length * (1 - unfolded));
        await writeClicks(t.storage, rows.slice(0, kept), 300);
        await writeClicks(t.storage, rows.slice(kept), 300, { fold: false });
        const journaled = await t.storage.db.selectFrom('click_stats_journal').select('id').execute();
        assert.ok(journaled.length > 100, `clicks left in the journal (${journaled.length} rows)`);
      }
      return { first, second, userId, rows };
    }

    // Whole weeks; both ends off a week (5 days of the first: that week less 2 days); across one Sunday-Monday;
    // one week; one day; beginning before the traffic; a week less its Monday; a week less its Monday and Sunday;
    // 4 days, then 5 days, at each end.
    const RANGES: Array<[number, number]> = [
      [MONDAY, MONDAY + 42 * DAY],
      [MONDAY + 2 * DAY, MONDAY + 39 * DAY],
      [MONDAY + 6 * DAY, MONDAY + 8 * DAY],
      [MONDAY + 7 * DAY, MONDAY + 14 * DAY],
      [MONDAY + 9 * DAY, MONDAY + 10 * DAY],
      [MONDAY - 4 * DAY, MONDAY + 19 * DAY],
      [MONDAY + 8 * DAY, MONDAY + 14 * DAY],
      [MONDAY + 8 * DAY, MONDAY + 13 * DAY],
      [MONDAY + 3 * DAY, MONDAY + 25 * DAY],
      [MONDAY + 9 * DAY, MONDAY + 33 * DAY],
    ];

    async function assertEveryRange(t: HttpTestApp, { first, second, rows }: Awaited<ReturnType<typeof traffic>>) {
      for (const [from, to] of RANGES) {
        const range = `from=${iso(from)}&to=${iso(to - DAY)}`;
        for (const [dimension, path, key] of [
          ['country', 'countries', 'country'],
          ['city', 'city', 'value'],
          ['sub1', 'sub1', 'value'],
        ] as const) {
          const all = byValue(await get(t, first.token, `/api/v2/analytics/${path}?${range}`), key);
          assert.deepEqual(all, expected(rows, dimension, from, to), `${path} ${range}, all campaigns`);
          const summed = new Map<string | number | null, number | string | null>();
          for (const campaign of [first, second]) {
            const own = byValue(
              await get(t, first.token, `/api/v2/analytics/${path}?${range}&campaign_id=${campaign.id}`),
              key,
            );
            assert.deepEqual(
              own,
              expected(
                rows.filter((row) => row.campaign_id === campaign.id),
                dimension,
                from,
                to,
              ),
              `${path} ${range}, campaign ${campaign.id}`,
            );
            for (const [value, clicks] of own) summed.set(value, Number(summed.get(value) ?? 0) + Number(clicks));
          }
          assert.deepEqual(summed, all, `${path} ${range}: the campaigns add up to the all-campaigns rows`);
        }
        const inRange = rows.filter((row) => row.created_at >= from && row.created_at < to);
        const stats = await get(t, first.token, `/api/v1/stats?${range}`);
        assert.equal(stats.clicks, inRange.length, `stats ${range}`);
        assert.equal(stats.bot_clicks, inRange.filter((row) => row.status === 'bot').length, `stats ${range}`);
        const firstClicks = inRange.filter((row) => row.campaign_id === first.id).length;
        assert.equal(
          stats.cost,
          Math.round((firstClicks * 0.5 + ((inRange.length - firstClicks) * 2) / 1000) * 100) / 100,
          `cost per campaign's model, ${range}`,
        );
        assert.equal(
          (await get(t, first.token, `/api/v1/campaigns/${second.id}/stats?${range}`)).clicks,
          inRange.length - firstClicks,
        );
        assert.equal(
          (await get(t, first.token, `/api/v2/fraud/stats?${range}`)).fraudulent_clicks,
          inRange.filter((row) => row.status === 'bot').length,
        );
      }
    }

    test('every range counts exactly its clicks, per campaign and for all campaigns, per value and in total', async () => {
      const t = ctx();
      await assertEveryRange(t, await traffic(t));
    });

    test('every range counts the same with a third of the clicks not folded yet, and once they are', async () => {
      const t = ctx();
      const traffic3 = await traffic(t, { unfolded: 1 / 3 });
      await assertEveryRange(t, traffic3);
      await createStatsFolder({
        db: t.storage.db,
        dialect: t.storage.dialect,
        log: console,
        shard: 0,
        intervalMs: 0,
      }).foldAll();
      assert.equal((await t.storage.db.selectFrom('click_stats_journal').select('id').execute()).length, 0);
      await assertEveryRange(t, traffic3);
    });

    test('a range in a time zone reads the edge hours from the hourly rows', async () => {
      const t = ctx();
      const { first, rows } = await traffic(t);
      // New York is UTC−5 all January: its 3 January begins at 05:00 UTC.
      const from = MONDAY + 2 * DAY + 5 * 3_600_000;
      const to = MONDAY + 30 * DAY + 5 * 3_600_000;
      const stats = await get(
        t,
        first.token,
        `/api/v1/stats?from=${iso(from)}&to=${iso(to - DAY)}&tz=America/New_York`,
      );
      assert.equal(stats.clicks, rows.filter((row) => row.created_at >= from && row.created_at < to).length);
    });

    test('late findings and conversion status changes move the week and all-campaigns rows too', async () => {
      const t = ctx();
      const { first, rows } = await traffic(t);
      // A Wednesday in the second week: read through that week's rows, the day's rows, and all campaigns' rows.
      const target = rows.find(
        (row) =>
          row.campaign_id === first.id &&
          row.status === 'real' &&
          row.created_at >= MONDAY + 9 * DAY &&
          row.created_at < MONDAY + 10 * DAY,
      )!;
      const week = `from=${iso(MONDAY + 7 * DAY)}&to=${iso(MONDAY + 13 * DAY)}`;
      const day = `from=${iso(MONDAY + 9 * DAY)}&to=${iso(MONDAY + 9 * DAY)}`;
      const country = target.country ?? null;
      const countryRow = async (range: string, campaign: string) =>
        ((await get(t, first.token, `/api/v2/analytics/countries?${range}${campaign}`)) as Row[]).find(
          (row) => row.country === country,
        )!;
      const read = async () =>
        Promise.all(
          [week, day].flatMap((range) =>
            ['', `&campaign_id=${first.id}`].map((campaign) => countryRow(range, campaign)),
          ),
        );
      const before = await read();

      const stored = (await t.storage.db
        .selectFrom('clicks')
        .selectAll()
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow()) as ClickRow;
      // A late finding: journaled in its transaction, counted by every read before it is folded and after.
      await t.app.services.statsFolder.foldAll();
      const writer = createStatsWriter(t.storage.dialect);
      await t.storage.db.transaction().execute((trx) =>
        writer.clicksAmended(trx, [
          {
            before: stored,
            after: {
              ...stored,
              status: 'bot',
              is_bot: 1,
              fraud_types: '["rapid_fire"]',
              primary_fraud_type: 'rapid_fire',
            },
          },
        ]),
      );
      const amended = (reads: Row[]) => {
        for (const [i, row] of reads.entries()) {
          assert.equal(row.clicks, before[i]!.clicks, 'a late finding moves no click');
          assert.equal(row.real_clicks, Number(before[i]!.real_clicks) - 1, `read ${i}`);
          assert.equal(row.fraudulent_clicks, Number(before[i]!.fraudulent_clicks) + 1, `read ${i}`);
        }
      };
      const journaled = await t.storage.db.selectFrom('click_stats_journal').select('id').execute();
      // The app's own folder may have taken it already (it runs every second); either way the reads agree.
      if (journaled.length > 0) amended(await read());
      // Folded by another process (worker 5): its rows are its own, and every read sums them with the first's.
      assert.equal(
        (await createStatsFolder({
          db: t.storage.db,
          dialect: t.storage.dialect,
          log: console,
          shard: 5,
          intervalMs: 0,
        }).foldAll()) + (await t.app.services.statsFolder.foldAll()),
        journaled.length,
      );
      assert.equal(
        (await t.storage.db.selectFrom('click_stats_journal').select('id').execute()).length,
        0,
        'the journal is empty once folded',
      );
      const shards = await t.storage.db
        .selectFrom('click_stats_periods')
        .select('shard')
        .distinct()
        .orderBy('shard')
        .execute();
      if (journaled.length > 0)
        assert.deepEqual(
          shards.map((row) => Number(row.shard)),
          [0, 5],
          'the second process wrote rows of its own',
        );
      amended(await read());

      // A conversion by the postback, then rejected by a second one: counted, then counted nowhere.
      const postback = (status: string) =>
        t.request({ method: 'GET', url: `/api/v1/postback?clickid=${target.id}&payout=12&txid=p-1&status=${status}` });
      assert.equal((await postback('approved')).statusCode, 201);
      for (const [i, row] of (await read()).entries())
        assert.deepEqual(
          [row.conversions, row.revenue],
          [Number(before[i]!.conversions) + 1, Number(before[i]!.revenue) + 12],
          `read ${i}`,
        );
      const weekStats = async () => get(t, first.token, `/api/v1/stats?${week}`);
      assert.deepEqual(
        [(await weekStats()).conversions, (await weekStats()).revenue],
        [1, 12],
        'the totals of the week move too',
      );
      assert.equal((await postback('rejected')).statusCode, 200);
      for (const [i, row] of (await read()).entries())
        assert.deepEqual([row.conversions, row.revenue], [before[i]!.conversions, before[i]!.revenue], `read ${i}`);
      assert.equal((await weekStats()).conversions, 0);
    });
  },
  { TRUST_PROXY: '127.0.0.1' },
);
