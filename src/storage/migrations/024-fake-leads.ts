import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { COUNTER_NAMES_004 } from './004-click-stats.counters.ts';

/** The counters click_stats_periods carries after this migration, in the covering key's order. */
const COUNTERS_024 = [
  ...COUNTER_NAMES_004,
  'priced_clicks',
  'priced_cost',
  'fraud_priced_clicks',
  'fraud_priced_cost',
  'lp_clicks',
  'suspicious_conversions',
] as const;
const KEY_COLUMNS = ['user_id', 'dimension', 'campaign_id', 'hours', 'start', 'value', 'shard'] as const;
/** A person needs a few seconds between landing and sending a form (SPEC section 10's default). */
const DEFAULT_MIN_TIME_TO_CONVERT = 3;

/**
 * Fake leads (SPEC section 10). conversions.suspicious and suspicious_reasons exist since migration 016;
 * this adds what judging a lead needs and what reporting it needs:
 * - campaigns.min_time_to_convert (seconds): a conversion sooner than this after its click is suspicious.
 * - the rollups' suspicious_conversions counter (counted conversions flagged suspicious), in the journal
 *   and the periods. Conversions flagged before this migration are not recounted: the counter starts at 0.
 * Added columns have defaults: no rewrite of existing rows. The covering key of click_stats_periods
 * (migrations 012, 019) is rebuilt with every counter, so reports still read the key alone.
 */
export function fakeLeads(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('campaigns')
        .addColumn('min_time_to_convert', 'integer', (c) => c.notNull().defaultTo(DEFAULT_MIN_TIME_TO_CONVERT))
        .execute();
      for (const table of ['click_stats_periods', 'click_stats_journal'])
        await db.schema
          .alterTable(table)
          .addColumn('suspicious_conversions', big, (c) => c.notNull().defaultTo(0))
          .execute();
      if (dialect.name === 'postgres') {
        const key = sql.join(KEY_COLUMNS.map((column) => sql.ref(column)));
        const counters = sql.join(COUNTERS_024.map((name) => sql.ref(name)));
        await sql`alter table click_stats_periods drop constraint click_stats_periods_key,
          add constraint click_stats_periods_key primary key (${key}) include (${counters})`.execute(db);
      }
    },
  };
}
