import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';

/**
 * Migration 016 on a database whose clicks already converted, some more than once (before it, a new
 * txid always made a new conversion): the first conversion of each click takes the click's one slot,
 * so a click that converted before the upgrade cannot gain another by a forged txid after it.
 */
for (const dialect of DIALECTS) {
  describe(`migration 016 on existing conversions [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(dialect);
    });
    after(async () => storage?.dispose());

    test('the first conversion of each click takes its once_key; later ones stay counted, without it', async () => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      assert.equal((await migrator.migrateTo('015-traffic-source-loop')).error, undefined);
      const now = Date.now();
      await sql`insert into users (email, password_hash, plan, postback_token, created_at, updated_at)
        values ('a@example.com', 'x', 'starter', null, ${now}, ${now})`.execute(db);
      const conversions = [
        ['clk_A', 'tx:1'],
        ['clk_A', 'tx:2'],
        ['clk_B', 'click:clk_B'],
        ['clk_A', 'tx:3'],
      ];
      for (const [click, key] of conversions) {
        await sql`insert into conversions (user_id, campaign_id, click_id, transaction_id, dedupe_key, payout, status, created_at, updated_at)
          values (1, 1, ${click}, null, ${key}, 1, 'approved', ${now}, ${now})`.execute(db);
      }
      assert.deepEqual(await storage.migrate(), [
        '016-postback-protection',
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
      const rows = await storage.db
        .selectFrom('conversions')
        .select(['dedupe_key', 'once_key', 'suspicious', 'suspicious_reasons'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((row) => [row.dedupe_key, row.once_key]),
        [
          ['tx:1', 'click:clk_A'],
          ['tx:2', null],
          ['click:clk_B', 'click:clk_B'],
          ['tx:3', null],
        ],
      );
      assert.ok(rows.every((row) => Number(row.suspicious) === 0 && row.suspicious_reasons === '[]'));
      // The database itself now refuses a second holder of a click's slot.
      await assert.rejects(
        sql`insert into conversions (user_id, campaign_id, click_id, transaction_id, dedupe_key, once_key, payout, status, created_at, updated_at)
          values (1, 1, 'clk_A', 'forged', 'tx:forged', 'click:clk_A', 1, 'approved', ${now}, ${now})`.execute(db),
      );
      const user = await storage.db.selectFrom('users').select('postback_allowed_ips').executeTakeFirstOrThrow();
      assert.equal(user.postback_allowed_ips, '[]');
    });
  });
}
