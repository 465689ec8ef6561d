import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { COUNTER_NAMES_004 } from './004-click-stats.counters.ts';

/** The counters click_stats_periods carries after this migration, in the covering key's order. */
/** The counters after 018 (which added the priced ones) and this migration's lp_clicks. */
const COUNTERS_019 = [
  ...COUNTER_NAMES_004,
  'priced_clicks',
  'priced_cost',
  'fraud_priced_clicks',
  'fraud_priced_cost',
  'lp_clicks',
] as const;
const KEY_COLUMNS = ['user_id', 'dimension', 'campaign_id', 'hours', 'start', 'value', 'shard'] as const;

/**
 * Flows (SPEC section 8): offers and landers of an account, a campaign's optional `flow` (JSON text,
 * like the campaign's other lists), what a click's flow chose (rule, path, lander, offer) and when its
 * visitor went on from the lander (lp_clicked_at), and the rollups' `lp_clicks` counter. Added columns
 * have defaults or are nullable: no rewrite of existing rows; on PostgreSQL a column added to the
 * partitioned `clicks` reaches every partition. The covering key of click_stats_periods (migration 012)
 * is rebuilt to include lp_clicks, so reports that show it still read the key alone.
 */
export function flows(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('offers')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('payout', dialect.doubleType, (c) => c.notNull().defaultTo(0))
        .addColumn('affiliate_network', 'varchar(200)')
        .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('offers_user').on('offers').columns(['user_id', 'id']).execute();

      await db.schema
        .createTable('landers')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('offers_count', 'smallint', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('landers_user').on('landers').columns(['user_id', 'id']).execute();

      await db.schema.alterTable('campaigns').addColumn('flow', 'text').execute();

      await db.schema.alterTable('clicks').addColumn('rule', 'text').execute();
      await db.schema.alterTable('clicks').addColumn('path', 'smallint').execute();
      await db.schema.alterTable('clicks').addColumn('lander_id', big).execute();
      await db.schema.alterTable('clicks').addColumn('offer_id', big).execute();
      await db.schema.alterTable('clicks').addColumn('lp_clicked_at', big).execute();

      for (const table of ['click_stats_periods', 'click_stats_journal'])
        await db.schema
          .alterTable(table)
          .addColumn('lp_clicks', big, (c) => c.notNull().defaultTo(0))
          .execute();
      if (dialect.name === 'postgres') {
        const key = sql.join(KEY_COLUMNS.map((column) => sql.ref(column)));
        const counters = sql.join(COUNTERS_019.map((name) => sql.ref(name)));
        await sql`alter table click_stats_periods drop constraint click_stats_periods_key,
          add constraint click_stats_periods_key primary key (${key}) include (${counters})`.execute(db);
      }
    },
  };
}
