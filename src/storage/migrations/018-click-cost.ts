import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { COUNTER_NAMES_004 } from './004-click-stats.counters.ts';

/** The counters this migration adds to the rollups (frozen: today's list lives in modules/stats). */
const PRICED_COUNTERS = [
  { name: 'priced_clicks', money: false },
  { name: 'priced_cost', money: true },
  { name: 'fraud_priced_clicks', money: false },
  { name: 'fraud_priced_cost', money: true },
] as const;
const KEY_COLUMNS = ['user_id', 'dimension', 'campaign_id', 'hours', 'start', 'value', 'shard'] as const;

/**
 * Per-click cost (SPEC section 7, "Cost"):
 * - clicks.cost / cost_source: the price a click of a source with a cost_param carries, and where it
 *   came from (`param`, `model`, `invalid_param`); null on clicks without a cost_param, whose cost is
 *   the campaign's model at report time, as before.
 * - the rollups count the clicks that carried their own price and what those cost, for all clicks and
 *   for the fraudulent ones, so a report's cost is priced_cost + (clicks − priced_clicks) × model:
 *   existing rows (zeros) keep their modelled cost without a backfill.
 * - campaign_cost_days: spend set for a date range (POST /campaigns/{id}/costs), one row per UTC day,
 *   so a later overlapping range replaces exactly the days it covers.
 * On PostgreSQL click_stats_periods' key INCLUDEs every counter (migration 012) so reports read the
 * index alone: it is rebuilt with the new ones.
 */
export function clickCost(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('clicks').addColumn('cost', dialect.doubleType).execute();
      await db.schema.alterTable('clicks').addColumn('cost_source', 'varchar(16)').execute();
      for (const table of ['click_stats_periods', 'click_stats_journal'])
        for (const { name, money } of PRICED_COUNTERS)
          await db.schema
            .alterTable(table)
            .addColumn(name, money ? dialect.doubleType : dialect.bigintType, (c) => c.notNull().defaultTo(0))
            .execute();
      if (dialect.name === 'postgres') {
        const key = sql.join(KEY_COLUMNS.map((column) => sql.ref(column)));
        const counters = sql.join(
          [...COUNTER_NAMES_004, ...PRICED_COUNTERS.map((counter) => counter.name)].map((name) => sql.ref(name)),
        );
        await sql`alter table click_stats_periods drop constraint click_stats_periods_key,
          add constraint click_stats_periods_key primary key (${key}) include (${counters})`.execute(db);
      }
      await db.schema
        .createTable('campaign_cost_days')
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('day', dialect.bigintType, (c) => c.notNull())
        .addColumn('amount', dialect.doubleType, (c) => c.notNull())
        .addColumn('range_from', dialect.bigintType, (c) => c.notNull())
        .addColumn('range_to', dialect.bigintType, (c) => c.notNull())
        .addColumn('range_amount', dialect.doubleType, (c) => c.notNull())
        .addColumn('set_at', dialect.bigintType, (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_cost_days_key', ['campaign_id', 'day'])
        .execute();
      await db.schema
        .createIndex('campaign_cost_days_user')
        .on('campaign_cost_days')
        .columns(['user_id', 'day'])
        .execute();
    },
  };
}
