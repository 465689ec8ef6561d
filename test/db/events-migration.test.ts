import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { CLICK_COLUMNS_AT_016, bulkClickRow } from '../helpers/bulk-clicks.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';

const DAY = 86_400_000;

/**
 * Migration 017 on a database with conversions: they all become the default event, and the counted
 * ones go into the `event` dimension under `conversion` on their click's day, so the dimension agrees
 * with the totals from the first report on.
 */
for (const dialect of DIALECTS) {
  describe(`migration 017 on existing conversions [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(dialect);
    });
    after(async () => storage?.dispose());

    test('existing conversions are `conversion` events, and the counted ones roll up under it on their click’s day', async () => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      assert.equal((await migrator.migrateTo('016-postback-protection')).error, undefined);
      const now = Date.now();
      const today = Math.floor(now / DAY) * DAY;
      await sql`insert into users (email, password_hash, plan, postback_token, created_at, updated_at)
        values ('a@example.com', 'x', 'starter', null, ${now}, ${now})`.execute(db);
      const clicks = [
        bulkClickRow(1, 7, { at: today + 3_600_000 }),
        bulkClickRow(1, 7, { at: today + 7_200_000, ip: '84.128.1.2' }),
        bulkClickRow(1, 7, { at: today - DAY + 60_000, ip: '84.128.1.3' }),
        bulkClickRow(1, 7, { at: today - DAY + 120_000, ip: '84.128.1.4' }),
      ];
      // As the 016 release stored them (the columns later migrations add are not there yet).
      await storage.dialect.insertBatch(db, 'clicks', CLICK_COLUMNS_AT_016, clicks);
      const conversions: Array<[string, number, string]> = [
        [clicks[0]!.id, 5, 'approved'],
        [clicks[1]!.id, 3.5, 'pending'],
        [clicks[2]!.id, 9, 'rejected'],
        [clicks[3]!.id, 2, 'approved'],
        // Its click is gone (retention): counted in the totals, but with no day for the event dimension.
        ['clk_gone0000000000000000000', 100, 'approved'],
      ];
      for (const [click, payout, status] of conversions) {
        await sql`insert into conversions (user_id, campaign_id, click_id, transaction_id, dedupe_key, once_key, payout, status, created_at, updated_at)
          values (1, 7, ${click}, null, ${`click:${click}`}, ${`click:${click}`}, ${payout}, ${status}, ${now}, ${now})`.execute(
          db,
        );
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
      const events = await storage.db.selectFrom('conversions').select('event').execute();
      assert.ok(events.every((row) => row.event === 'conversion'));

      await createStatsFolder({
        db: storage.db,
        dialect: storage.dialect,
        log: console,
        shard: 0,
        intervalMs: 0,
      }).foldAll();
      const rows = await storage.db
        .selectFrom('click_stats_periods')
        .select([
          'start',
          'value',
          (eb) => eb.fn.sum<number>('conversions').as('conversions'),
          (eb) => eb.fn.sum<number>('revenue').as('revenue'),
          (eb) => eb.fn.sum<number>('clicks').as('clicks'),
        ])
        .where('dimension', '=', 'event')
        .where('campaign_id', '=', 7)
        .where('hours', '=', 24)
        .groupBy(['start', 'value'])
        .orderBy('start')
        .execute();
      assert.deepEqual(
        rows.map((row) => [
          Number(row.start),
          row.value,
          Number(row.conversions),
          Number(row.revenue),
          Number(row.clicks),
        ]),
        [
          [today - DAY, 'conversion', 1, 2, 0],
          [today, 'conversion', 2, 8.5, 0],
        ],
      );
    });
  });
}
