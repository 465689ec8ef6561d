import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { COUNTER_NAMES } from '../../modules/stats/click-stats.table.ts';
import { TOTAL } from '../../modules/stats/dimensions.ts';
import { ALL_CAMPAIGNS, DAY, WEEK_DAYS } from '../../modules/stats/periods.ts';
import { rebuildStats } from '../../modules/stats/stats-rebuild.ts';
import type { Db } from '../database.ts';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * Dimension rollups per period instead of per day (see modules/stats/periods.ts): click_stats_periods
 * holds the day rows click_stats_daily held, the campaigns' daily totals, and their copies for all
 * campaigns and per week. Backfilled from the existing rollups, not from raw clicks (retention may
 * have deleted those), with the same sums the rollup writer makes; a database that had clicks but no
 * rollups yet (from before migration 004) is counted from its clicks instead.
 */
export function clickStatsPeriods(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let periods = db.schema
        .createTable('click_stats_periods')
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('days', dialect.bigintType, (c) => c.notNull())
        .addColumn('day', dialect.bigintType, (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull());
      for (const name of COUNTER_NAMES) periods = periods.addColumn(name, name === 'revenue' ? dialect.doubleType : dialect.bigintType, (c) => c.notNull().defaultTo(0));
      // Key order is read order (WITHOUT ROWID on SQLite, as for the other rollups): one dimension of one campaign (or all), one period length, a day range.
      await dialect.clustered(periods.addPrimaryKeyConstraint('click_stats_periods_key', ['user_id', 'dimension', 'campaign_id', 'days', 'day', 'value'])).execute();

      const counters = sql.join(COUNTER_NAMES.map((name) => sql.ref(name)));
      const sums = sql.join(COUNTER_NAMES.map((name) => sql`sum(${sql.ref(name)})`));
      const insert = (select: ReturnType<typeof sql>) =>
        sql`insert into click_stats_periods (user_id, dimension, campaign_id, days, day, value, ${counters}) ${select}`.execute(db);
      // Each campaign's days: its dimension values as they were, and its totals summed from its hours.
      await insert(sql`select user_id, dimension, campaign_id, 1, day, value, ${counters} from click_stats_daily`);
      const hourDay = sql`(hour - hour % ${sql.lit(DAY)})`;
      await insert(sql`select user_id, ${sql.lit(TOTAL)}, campaign_id, 1, ${hourDay}, ${sql.lit(TOTAL)}, ${sums} from click_stats_hourly group by user_id, campaign_id, ${hourDay}`);
      // Then every day for all campaigns, then every week (of each campaign and of all) from the days.
      await insert(sql`select user_id, dimension, ${sql.lit(ALL_CAMPAIGNS)}, 1, day, value, ${sums} from click_stats_periods where days = 1 group by user_id, dimension, day, value`);
      const week = sql`(day - ((day / ${sql.lit(DAY)} + 3) % ${sql.lit(WEEK_DAYS)}) * ${sql.lit(DAY)})`;
      await insert(sql`select user_id, dimension, campaign_id, ${sql.lit(WEEK_DAYS)}, ${week}, value, ${sums} from click_stats_periods where days = 1 group by user_id, dimension, campaign_id, ${week}, value`);
      await db.schema.dropTable('click_stats_daily').execute();

      const hasRollups = await sql`select 1 from click_stats_hourly limit 1`.execute(db);
      if (hasRollups.rows.length === 0) await rebuildStats(db as unknown as Db, dialect);
    },
  };
}
