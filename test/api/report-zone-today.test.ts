import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp } from '../helpers/http-app.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';

/** 23:30 UTC on 10 March: already 11 March in Berlin (UTC+1), still 10 March in UTC. */
const clock = Date.UTC(2026, 2, 10, 23, 30, 0);

/**
 * A range without dates ends on today in the report's zone. It ended on today in UTC: a buyer in Berlin
 * opening a report just after midnight saw none of the clicks of their new day (the reports browser test
 * failed every night between 23:00 and 24:00 UTC for this).
 */
forEachDialectOverHttp(
  'a report without dates ends on today in its time zone',
  (ctx) => {
    test('the clicks of the local day are in the default range, and a range that ends the day before leaves them out', async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ name: 'Berlin' });
      const { user_id: userId } = await t.storage.db
        .selectFrom('campaigns')
        .select('user_id')
        .where('id', '=', campaign.id)
        .executeTakeFirstOrThrow();
      // 23:10 UTC: 00:10 on 11 March in Berlin.
      await writeClicks(
        t.storage,
        ['DE', 'DE', 'FR'].map((country, i) =>
          bulkClickRow(Number(userId), campaign.id, { at: Date.UTC(2026, 2, 10, 23, 10, i), country }),
        ),
      );
      const report = async (query: string) => {
        const response = await t.request({ method: 'GET', url: `/api/v2/reports?${query}`, token: campaign.token });
        assert.equal(response.statusCode, 200, response.body);
        return response.json() as { data: Array<{ clicks: number }>; meta: { to: string } };
      };
      for (const query of [
        'group_by=campaign,country&tz=Europe/Berlin',
        'group_by=campaign&country=DE,FR&tz=Europe/Berlin',
        'group_by=country&tz=Europe/Berlin',
      ]) {
        const body = await report(query);
        assert.equal(body.meta.to, '2026-03-11', `${query}: today in Berlin`);
        assert.equal(
          body.data.reduce((sum, row) => sum + row.clicks, 0),
          3,
          `${query}: the local day's clicks`,
        );
      }
      const utc = await report('group_by=campaign');
      assert.equal(utc.meta.to, '2026-03-10', 'today in UTC');
      assert.equal(utc.data[0]?.clicks, 3);
      const before = await report('group_by=campaign&tz=Europe/Berlin&to=2026-03-10');
      assert.deepEqual(before.data, [], 'the Berlin day before holds none of them');
    });
  },
  {},
  { now: () => clock },
);
