// Migration 017 makes `placement` a rollup dimension: the clicks stored since 015 with a placement must
// get exactly the placement rows the rollup writer now writes for them, conversions included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { CLICK_COLUMNS_AT_016, bulkClickRow } from '../helpers/bulk-clicks.ts';
import type { FraudType } from '../../src/detection/index.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import { COUNTER_NAMES, type ClickStatsPeriodTable } from '../../src/modules/stats/click-stats.table.ts';
import { StatsDelta, clickCounters } from '../../src/modules/stats/stats-delta.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 3, 5);
const FRAUD: FraudType[][] = [[], [], ['bot'], ['datacenter'], ['duplicate'], [], ['vpn', 'datacenter']];

function traffic(): NewClickRow[] {
  return Array.from({ length: 240 }, (_, i) =>
    bulkClickRow(1, 1 + (i % 3), {
      // Eleven days: two weeks (Monday to Monday) and days in each.
      at: START + ((i * 7_919) % 11) * DAY + (i % 24) * 3_600_000,
      fraudTypes: FRAUD[i % FRAUD.length],
      verified: i % 31 === 0,
      fields: { placement: i % 5 === 0 ? null : i % 17 === 0 ? '' : `zone-${i % 4}` },
    }),
  );
}

const keyOf = (row: ClickStatsPeriodTable) =>
  [row.user_id, row.dimension, row.campaign_id, row.hours, row.start, row.value, row.shard].join('|');

function normalised(rows: readonly ClickStatsPeriodTable[]): Array<[string, string]> {
  return rows
    .map((row): [string, string] => [keyOf(row), COUNTER_NAMES.map((name) => Number(row[name])).join(',')])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

for (const dialect of DIALECTS) {
  describe(`migration 017 on clicks with placements [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(dialect);
    });
    after(async () => storage?.dispose());

    test('the placement rows are exactly what the writer now writes: days, weeks, all campaigns, conversions', async () => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      assert.equal((await migrator.migrateTo('016-postback-protection')).error, undefined);
      await sql`insert into users (email, password_hash, plan, created_at, updated_at)
        values ('a@example.com', 'x', 'free', 0, 0)`.execute(db);
      const clicks = traffic();
      await storage.dialect.insertBatch(db, 'clicks', CLICK_COLUMNS_AT_016, clicks);
      // Counted conversions of 4.25 on every seventh click (a second one on some), a rejected one on others.
      const expected = new StatsDelta();
      const facts = (click: NewClickRow) => ({
        ...click,
        country: click.country ?? null,
        city: click.city ?? null,
        os: click.os ?? null,
        browser: click.browser ?? null,
        asn: click.asn ?? null,
        as_org: click.as_org ?? null,
        referrer: click.referrer ?? null,
        sub1: click.sub1 ?? null,
        sub2: click.sub2 ?? null,
        sub3: click.sub3 ?? null,
        sub4: click.sub4 ?? null,
        sub5: click.sub5 ?? null,
        sub6: null,
        sub7: null,
        sub8: null,
        sub9: null,
        sub10: null,
        placement: click.placement ?? null,
      });
      let key = 0;
      const convert = async (click: NewClickRow, status: string, payout: number) => {
        key += 1;
        await sql`insert into conversions (user_id, campaign_id, click_id, dedupe_key, payout, status, created_at, updated_at)
          values (${click.user_id}, ${click.campaign_id}, ${click.id}, ${`k${key}`}, ${payout}, ${status}, 0, 0)`.execute(
          db,
        );
        if (status !== 'rejected') expected.add(facts(click), { conversions: 1, revenue: payout });
      };
      for (const [i, click] of clicks.entries()) {
        expected.add(facts(click), clickCounters({ ...click, primary_fraud_type: click.primary_fraud_type ?? null }));
        if (i % 7 === 0) await convert(click, 'approved', 4.25);
        if (i % 14 === 0) await convert(click, 'pending', 1.5);
        if (i % 7 === 3) await convert(click, 'rejected', 99);
      }

      assert.deepEqual(await storage.migrate(), [
        '017-postbacks-and-events',
        '018-click-cost',
        '019-flows',
        '020-placement-rollups',
        '021-click-sub-ids',
        '022-click-language',
        '023-members',
        '024-fake-leads',
        '025-click-beacons',
        '026-ad-connections',
        '027-audit-log',
        '028-report-cube',
        '029-report-cube-folds',
        '030-write-path',
        '031-report-cube-all-campaigns',
        '032-click-stats-versions',
        '033-report-column-changes',
      ]);
      const rows = (await storage.db
        .selectFrom('click_stats_periods')
        .selectAll()
        .where('dimension', '=', 'placement')
        .execute()) as ClickStatsPeriodTable[];
      const wanted = expected.rows().filter((row) => row.dimension === 'placement');
      assert.ok(wanted.some((row) => row.hours === 168 && row.campaign_id === 0 && row.conversions > 0));
      assert.ok(wanted.some((row) => row.fraud_clicks > 0 && row.verified_bot_clicks > 0));
      assert.deepEqual(normalised(rows), normalised(wanted));
      // Nothing but placement rows: the other dimensions and the totals are the writer's as they were.
      const others = await storage.db
        .selectFrom('click_stats_periods')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('dimension', '<>', 'placement')
        .executeTakeFirstOrThrow();
      assert.equal(Number(others.n), 0);
    });
  });
}
