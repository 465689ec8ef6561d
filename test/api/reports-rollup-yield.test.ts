// A report of 100,000 rollup sums (a sub id per campaign and day) is summed, merged and charged in loops that
// hand the event loop back every 4,096 rows (stats.service.ts rollupSums, stats.repository.ts sumBy and
// sumPerCampaignValue), so clicks and the pools' timers are served meanwhile: one such report held the loop
// ~0.85 s in rollupSums alone. Counted as turns of the event loop during the call; on SQLite the statements
// themselves never give one back, so without the yields the count is about zero.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp } from '../helpers/http-app.ts';
import { campaignOwnerId } from '../helpers/test-app.ts';
import { DAILY, DAY } from '../../src/modules/stats/periods.ts';
import { zeroCounters } from '../../src/modules/stats/click-stats.table.ts';

const FROM = Date.UTC(2024, 0, 1);
const DAYS = 30;
const VALUES = 3_400;

forEachDialectOverHttp('reports: rollup sums hand the event loop back', (ctx) => {
  test('100,000 sub id x day sums: a turn of the event loop at least every 4,096 of them', async () => {
    const t = ctx();
    const { id: campaignId } = await t.createCampaign({ name: 'Busy', cost_model: 'cpc', cost_value: 0.3 });
    const userId = await campaignOwnerId(t, campaignId);
    // Folded day rows, written straight into the periods: what a month of varied sub ids leaves there.
    const rows = [];
    for (let day = 0; day < DAYS; day++)
      for (let value = 0; value < VALUES; value++)
        rows.push({
          user_id: userId,
          dimension: 'sub3',
          campaign_id: campaignId,
          hours: DAILY,
          start: FROM + day * DAY,
          value: `s-${value}`,
          shard: 0,
          ...zeroCounters(),
          clicks: 1 + (value % 3),
        });
    for (let i = 0; i < rows.length; i += 1_000)
      await t.storage.db
        .insertInto('click_stats_periods')
        .values(rows.slice(i, i + 1_000))
        .execute();

    let turns = 0;
    let running = true;
    const turn = () => {
      turns++;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const sums = await t.app.services.stats.rollupSums(userId, {
      by: 'sub3',
      campaignIds: [campaignId],
      perCampaign: true,
      from: FROM,
      to: FROM + DAYS * DAY,
      daily: true,
    });
    running = false;
    assert.equal(sums.length, DAYS * VALUES);
    assert.equal(
      sums.reduce((total, sum) => total + sum.counters.clicks, 0),
      rows.reduce((total, row) => total + row.clicks, 0),
    );
    // Three loops over every sum (parsed, grouped per campaign and day, charged): each turns every 4,096.
    assert.ok(turns >= Math.floor(sums.length / 4096), `${turns} turns of the event loop for ${sums.length} sums`);
  });
});
