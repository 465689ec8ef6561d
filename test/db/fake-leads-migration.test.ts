import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';

/**
 * Migration 024 on a database with campaigns and conversions: every campaign gets the default minimum
 * time to convert, and the conversions already flagged (payout checks, migration 016) are marked as not
 * held by the new suspicious_conversions counter, so a later change of theirs never takes away what was
 * never added; clean ones are held (their flag, false, is what the counter has).
 */
for (const dialect of DIALECTS) {
  describe(`migration 024 on existing campaigns and conversions [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(dialect);
    });
    after(async () => storage?.dispose());

    test('min_time_to_convert 3 on old campaigns; old flagged conversions are outside the counter', async () => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      assert.equal((await migrator.migrateTo('021-click-sub-ids')).error, undefined);
      const now = Date.now();
      await sql`insert into users (email, password_hash, plan, postback_token, created_at, updated_at)
        values ('a@example.com', 'x', 'starter', null, ${now}, ${now})`.execute(db);
      await sql`insert into campaigns (user_id, uuid, name, status, cost_model, cost_value, allowed_countries,
          blocked_countries, allowed_devices, ip_blocklist, fraud_action, blocked_fraud_types, created_at, updated_at)
        values (1, 'u1', 'Old', 'active', 'cpc', 0, '[]', '[]', '[]', '[]', 'monitor', '[]', ${now}, ${now})`.execute(
        db,
      );
      for (const [key, suspicious] of [
        ['tx:clean', 0],
        ['tx:flagged', 1],
      ] as const) {
        await sql`insert into conversions (user_id, campaign_id, click_id, transaction_id, dedupe_key, payout, status, suspicious, suspicious_reasons, created_at, updated_at)
          values (1, 1, 'clk_A', null, ${key}, 1, 'approved', ${suspicious}, ${suspicious ? '["The payout 500 is more"]' : '[]'}, ${now}, ${now})`.execute(
          db,
        );
      }
      // Every later migration runs too; what matters here is that 024 is among them.
      assert.ok((await storage.migrate()).includes('024-fake-leads'));
      const campaign = await storage.db.selectFrom('campaigns').select('min_time_to_convert').executeTakeFirstOrThrow();
      assert.equal(Number(campaign.min_time_to_convert), 3);
      const rows = await storage.db
        .selectFrom('conversions')
        .select(['dedupe_key', 'suspicious_in_rollups'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((row) => [row.dedupe_key, Number(row.suspicious_in_rollups)]),
        [
          ['tx:clean', 1],
          ['tx:flagged', 0],
        ],
      );
      const periods = await storage.db
        .selectFrom('click_stats_periods')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('suspicious_conversions'), eb.lit(0)).as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(periods.n), 0);
    });
  });
}
