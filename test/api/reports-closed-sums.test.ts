// The closed days' sums a process keeps between reports (stats/closed-sums.ts, migration 032): a report
// read twice gives the same rows; a late conversion on a closed day shows while it is still in the
// journal, and once folded (by another folder, as another process's would) the kept sums give way to the
// database's, never counting it twice or missing it; clicks of the open day always show. Every step is
// checked against the same report read from the raw clicks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { campaignOwnerId } from '../helpers/test-app.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';
import { CLICK_STATUSES } from '../../src/detection/types.ts';

type Row = Record<string, unknown>;
const DAY = 86_400_000;
const FROM_CLICKS = `status=${CLICK_STATUSES.join(',')}`;
const isoDay = (instant: number) => new Date(instant).toISOString().slice(0, 10);

async function report(t: HttpTestApp, token: string, query: string): Promise<{ rows: Row[]; meta: Row }> {
  const response = await t.request({ method: 'GET', url: `/api/v2/reports?limit=1000&${query}`, token });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json<{ data: Row[]; meta: Row }>();
  return { rows: body.data, meta: body.meta };
}

/** Rows by their group, the metrics a late conversion or an open day's click moves. */
const byGroup = (rows: readonly Row[], dimension: string) =>
  Object.fromEntries(
    rows.map((row) => [
      String(row[dimension]),
      { clicks: row.clicks, conversions: row.conversions, revenue: row.revenue },
    ]),
  );

async function seed(t: HttpTestApp) {
  const account = await t.signUp();
  await t.app.services.accounts.setPlan(account.email, 'enterprise');
  const cpc = (await t.createCampaign({ name: 'CPC', cost_model: 'cpc', cost_value: 0.5 }, account.token)).id;
  const cpm = (await t.createCampaign({ name: 'CPM', cost_model: 'cpm', cost_value: 2 }, account.token)).id;
  const userId = await campaignOwnerId(t, cpc);
  // Days 10…4 ago: closed at any hour of the day (closedBefore keeps the last hour's day open).
  const start = Math.floor(Date.now() / DAY) * DAY - 10 * DAY;
  const rows = Array.from({ length: 600 }, (_, i) =>
    bulkClickRow(userId, i % 3 === 0 ? cpm : cpc, {
      at: start + i * 12 * 60_000,
      country: ['DE', 'US', 'FR'][i % 3]!,
    }),
  );
  await writeClicks(t.storage, rows);
  const today = Math.floor(Date.now() / DAY) * DAY;
  return { token: account.token, userId, cpc, rows, range: `from=${isoDay(start)}&to=${isoDay(today)}`, today };
}

forEachDialectOverHttp(
  'reports keep the sums of closed days (GET /api/v2/reports)',
  (ctx) => {
    test('late conversions and open-day clicks show at once; the kept sums never count them twice', async () => {
      const t = ctx();
      const { token, userId, cpc, rows, range, today } = await seed(t);
      const check = async (label: string) => {
        for (const groupBy of ['country', 'campaign', 'day']) {
          const rollups = await report(t, token, `${range}&group_by=${groupBy}`);
          assert.equal(rollups.meta.source, 'rollups', `${label} ${groupBy}`);
          const clicks = await report(t, token, `${range}&group_by=${groupBy}&${FROM_CLICKS}`);
          assert.deepEqual(byGroup(rollups.rows, groupBy), byGroup(clicks.rows, groupBy), `${label}: ${groupBy}`);
        }
        return byGroup((await report(t, token, `${range}&group_by=country`)).rows, 'country');
      };
      const first = await check('first read');
      assert.deepEqual(await check('read again'), first);
      assert.equal(first.DE!.clicks, 200);

      const versionOf = async () =>
        Number(
          (
            await t.storage.db
              .selectFrom('click_stats_versions')
              .select('version')
              .where('user_id', '=', userId)
              .executeTakeFirst()
          )?.version ?? 0,
        );
      const before = await versionOf();
      // A late conversion on a closed day: in the journal until a fold (the app's folder runs only when told).
      const late = rows[3]!;
      const postback = await t.request({
        method: 'GET',
        url: `/api/v1/postback?clickid=${late.id}&payout=7&txid=late-1`,
      });
      assert.equal(postback.statusCode, 201, postback.body);
      const unfolded = await check('late conversion, unfolded');
      assert.equal(unfolded.DE!.conversions, Number(first.DE!.conversions) + 1);
      assert.equal(await versionOf(), before, 'nothing folded yet');
      // Folded by a folder of its own, as another process's would be: the version moves, the kept sums go.
      await createStatsFolder({
        db: t.storage.db,
        dialect: t.storage.dialect,
        log: console,
        shard: 7,
        intervalMs: 0,
      }).foldAll();
      assert.ok((await versionOf()) > before, 'a fold of a closed day raises the account version');
      assert.deepEqual(await check('late conversion, folded'), unfolded);

      // Clicks of the open day are read each time. Inside the range's last day even if midnight has passed since
      // the seed: that day is then still open for the hour closedBefore allows.
      const at = Math.min(Date.now(), today + DAY - 1);
      await writeClicks(t.storage, [bulkClickRow(userId, cpc, { at, country: 'DE' })], 5_000, {
        fold: false,
      });
      const open = await check('a click today, unfolded');
      assert.equal(open.DE!.clicks, Number(first.DE!.clicks) + 1);
      await t.app.services.statsFolder.foldAll();
      assert.deepEqual(await check('a click today, folded'), open);
    });

    test("another account's late changes do not reach this one's figures", async () => {
      const t = ctx();
      const one = await seed(t);
      const other = await seed(t);
      const before = byGroup((await report(t, one.token, `${one.range}&group_by=country`)).rows, 'country');
      const postback = await t.request({
        method: 'GET',
        url: `/api/v1/postback?clickid=${other.rows[0]!.id}&payout=3&txid=o-1`,
      });
      assert.equal(postback.statusCode, 201, postback.body);
      await t.app.services.statsFolder.foldAll();
      assert.deepEqual(byGroup((await report(t, one.token, `${one.range}&group_by=country`)).rows, 'country'), before);
      const theirs = byGroup((await report(t, other.token, `${other.range}&group_by=country`)).rows, 'country');
      assert.equal(theirs.DE!.conversions, 1);
    });
  },
  {},
  // Folds only when a test says: each step above is read before and after its fold.
  { statsFolder: { intervalMs: 0 } },
);
