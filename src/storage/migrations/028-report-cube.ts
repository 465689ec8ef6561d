import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/** The cube's dimension columns when this migration was written, in key order after the period and campaign. */
const DIMENSIONS_028 = ['country', 'device', 'os', 'browser', 'offer_id', 'lander_id', 'language'] as const;
/** Text dimensions ('' for none); the others are ids (0 for none: ids start at 1). */
const ID_DIMENSIONS_028 = new Set<string>(['offer_id', 'lander_id']);
/** What a report row is computed from (metrics and cost): the counters the cube keeps. */
const COUNTERS_028 = [
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
const MONEY_028 = new Set<string>(['priced_cost', 'fraud_priced_cost', 'revenue']);
const KEY_028 = ['user_id', 'start', 'campaign_id', ...DIMENSIONS_028, 'shard'] as const;
const DAY = 86_400_000;

/**
 * report_cube (modules/reports/report-cube.table.ts): per campaign and UTC day, one row per combination
 * of the low-cardinality dimensions buyers pair in reports, with the counters a report row needs. Days
 * only, every dimension only: the click transaction writes one row per combination, and reads derive weeks
 * and coarser groupings. Keyed account and day first, so a report reads one contiguous key range; stored
 * in key order on SQLite (WITHOUT ROWID), and on PostgreSQL the key carries the counters (INCLUDE) so a
 * report reads the index alone. Backfilled here from the stored clicks and their counted conversions,
 * counted as the rollup writer counted them when this was written (frozen SQL): clicks the retention
 * already deleted cannot be counted, and the report service only reads the cube inside the click retention.
 */
export function reportCube(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let cube = db.schema
        .createTable('report_cube')
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('start', dialect.bigintType, (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull());
      for (const name of DIMENSIONS_028)
        cube = cube.addColumn(name, ID_DIMENSIONS_028.has(name) ? dialect.bigintType : 'text', (c) => c.notNull());
      cube = cube.addColumn('shard', dialect.bigintType, (c) => c.notNull().defaultTo(0));
      for (const name of COUNTERS_028)
        cube = cube.addColumn(name, MONEY_028.has(name) ? dialect.doubleType : dialect.bigintType, (c) =>
          c.notNull().defaultTo(0),
        );
      // Kysely types a builder by the columns added by name; those added in the loops above are not in its type.
      await dialect.clustered(cube.addPrimaryKeyConstraint('report_cube_key', [...KEY_028] as never)).execute();
      const ref = (name: string) => sql.ref(name);
      const key = sql.join(KEY_028.map(ref));
      const counters = sql.join(COUNTERS_028.map(ref));
      if (dialect.name === 'postgres')
        await sql`alter table report_cube drop constraint report_cube_key,
          add constraint report_cube_key primary key (${key}) include (${counters})`.execute(db);

      const counted = sql`c.primary_fraud_type is not null and c.is_verified_bot <> 1`;
      const priced = sql`c.cost_source = 'param' and c.cost is not null`;
      const perClick = sql.join([
        sql`1 as clicks`,
        sql`c.is_unique as unique_clicks`,
        ...['real', 'bot', 'vpn', 'cloaked'].map(
          (status) => sql`case when c.status = ${sql.lit(status)} then 1 else 0 end as ${ref(`${status}_clicks`)}`,
        ),
        sql`case when ${counted} then 1 else 0 end as fraud_clicks`,
        sql`case when ${priced} then 1 else 0 end as priced_clicks`,
        sql`case when ${priced} then c.cost else 0 end as priced_cost`,
        sql`case when ${priced} and ${counted} then 1 else 0 end as fraud_priced_clicks`,
        sql`case when ${priced} and ${counted} then c.cost else 0 end as fraud_priced_cost`,
        sql`case when c.lp_clicked_at is not null then 1 else 0 end as lp_clicks`,
        sql`coalesce(v.n, 0) as conversions`,
        sql`coalesce(v.revenue, 0) as revenue`,
        sql`coalesce(v.suspicious, 0) as suspicious_conversions`,
      ]);
      const dimensions = sql.join(
        DIMENSIONS_028.map((name) =>
          ID_DIMENSIONS_028.has(name)
            ? sql`coalesce(c.${ref(name)}, 0) as ${ref(name)}`
            : sql`coalesce(c.${ref(name)}, '') as ${ref(name)}`,
        ),
      );
      const dimensionNames = sql.join(DIMENSIONS_028.map(ref));
      const sums = sql.join(COUNTERS_028.map((name) => sql`sum(${ref(name)}) as ${ref(name)}`));
      const day = sql.lit(DAY);
      await sql`with counted as (
          select c.user_id, c.campaign_id, (c.created_at / ${day}) * ${day} as start, ${dimensions}, ${perClick}
          from clicks c left join (
            select click_id, count(*) as n, sum(payout) as revenue,
              sum(case when suspicious = 1 and suspicious_in_rollups = 1 then 1 else 0 end) as suspicious
            from conversions where status <> 'rejected' group by click_id
          ) v on v.click_id = c.id
        )
        insert into report_cube (${key}, ${counters})
        select user_id, start, campaign_id, ${dimensionNames}, 0 as shard, ${sums} from counted
          group by user_id, start, campaign_id, ${dimensionNames}`.execute(db);
    },
  };
}
