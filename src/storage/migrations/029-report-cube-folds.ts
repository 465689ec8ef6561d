import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/** The cube's dimension columns when this migration was written (as migration 028's), in key order. */
const DIMENSIONS_029 = ['country', 'device', 'os', 'browser', 'offer_id', 'lander_id', 'language'] as const;
const ID_DIMENSIONS_029 = new Set<string>(['offer_id', 'lander_id']);
const COUNTERS_029 = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraud_clicks',
  'priced_clicks',
  'priced_cost',
  'fraud_priced_clicks',
  'fraud_priced_cost',
  'lp_clicks',
  'conversions',
  'revenue',
  'suspicious_conversions',
] as const;
const MONEY_029 = new Set<string>(['priced_cost', 'fraud_priced_cost', 'revenue']);
const KEY_029 = ['user_id', 'grain', 'hours', 'start', 'campaign_id', ...DIMENSIONS_029] as const;

/**
 * report_cube_folded (modules/reports/report-cube.table.ts): what the background folder moved out of
 * report_cube (migration 028, one full-grain day row per combination and writer's shard), merged over the
 * shards, at two grains (every dimension; os and browser folded to '') and two periods (UTC day, UTC week
 * from Monday). Keyed account, grain, period length and start first, so a report reads one contiguous key
 * range per stretch of periods; stored in key order on SQLite (WITHOUT ROWID), and on PostgreSQL the key
 * carries the counters (INCLUDE) so a read is index-only. Starts empty: report_cube keeps what is not folded
 * yet, and reads add both, so nothing is backfilled here (the folder moves 028's rows on its first passes).
 */
export function reportCubeFolds(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let folded = db.schema
        .createTable('report_cube_folded')
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('grain', 'smallint', (c) => c.notNull())
        .addColumn('hours', dialect.bigintType, (c) => c.notNull())
        .addColumn('start', dialect.bigintType, (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull());
      for (const name of DIMENSIONS_029)
        folded = folded.addColumn(name, ID_DIMENSIONS_029.has(name) ? dialect.bigintType : 'text', (c) => c.notNull());
      for (const name of COUNTERS_029)
        folded = folded.addColumn(name, MONEY_029.has(name) ? dialect.doubleType : dialect.bigintType, (c) =>
          c.notNull().defaultTo(0),
        );
      // Kysely types a builder by the columns added by name; those added in the loops above are not in its type.
      await dialect
        .clustered(folded.addPrimaryKeyConstraint('report_cube_folded_key', [...KEY_029] as never))
        .execute();
      if (dialect.name === 'postgres') {
        const ref = (name: string) => sql.ref(name);
        await sql`alter table report_cube_folded drop constraint report_cube_folded_key,
          add constraint report_cube_folded_key primary key (${sql.join(KEY_029.map(ref))})
          include (${sql.join(COUNTERS_029.map(ref))})`.execute(db);
      }
    },
  };
}
