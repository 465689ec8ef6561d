import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { rebuildStatsAt010 } from './010-click-stats-periods.rebuild.ts';
import { COUNTER_NAMES_004 } from './004-click-stats.counters.ts';

const COUNTER_NAMES = COUNTER_NAMES_004;
/** The totals' dimension and value (frozen, as the period constants below). */
const TOTAL = '';
const DAY = 86_400_000;
/** Period lengths in hours (the `hours` column). */
const HOURLY = 1;
const DAILY = 24;
const WEEKLY = 168;
/** Campaign ids start at 1: 0 stands for all of an account's campaigns. */
const ALL_CAMPAIGNS = 0;

/**
 * Rollups per period (modules/stats/periods.ts explains them): click_stats_periods holds what click_stats_hourly
 * and click_stats_daily held, each campaign's daily totals, and the copies for all campaigns and per
 * week. Backfilled from the existing rollups, not from raw clicks (retention may have deleted those),
 * with the sums the rollup writer makes; a database with clicks but no rollups yet (from before
 * migration 004) is counted from its clicks instead.
 */
export function clickStatsPeriods(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let periods = db.schema
        .createTable('click_stats_periods')
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('hours', dialect.bigintType, (c) => c.notNull())
        .addColumn('start', dialect.bigintType, (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('shard', dialect.bigintType, (c) => c.notNull().defaultTo(0));
      for (const name of COUNTER_NAMES)
        periods = periods.addColumn(name, name === 'revenue' ? dialect.doubleType : dialect.bigintType, (c) =>
          c.notNull().defaultTo(0),
        );
      // Key order is read order: one dimension of one campaign (or all), one period length, a time range;
      // stored in that order on SQLite (WITHOUT ROWID), as the rollups it replaces were.
      await dialect
        .clustered(
          periods.addPrimaryKeyConstraint('click_stats_periods_key', [
            'user_id',
            'dimension',
            'campaign_id',
            'hours',
            'start',
            'value',
            'shard',
          ]),
        )
        .execute();

      const hadRollups = (await sql`select 1 from click_stats_hourly limit 1`.execute(db)).rows.length > 0;
      const counters = sql.join(COUNTER_NAMES.map((name) => sql.ref(name)));
      const sums = sql.join(COUNTER_NAMES.map((name) => sql`sum(${sql.ref(name)})`));
      const insert = (select: RawBuilder<unknown>) =>
        sql`insert into click_stats_periods (user_id, dimension, campaign_id, hours, start, value, ${counters}) ${select}`.execute(
          db,
        );
      // Literals, not parameters: PostgreSQL must see the same expression in SELECT and GROUP BY.
      const total = sql.lit(TOTAL);
      const dayOf = (column: string) => sql`(${sql.ref(column)} - ${sql.ref(column)} % ${sql.lit(DAY)})`;
      // Epoch day 0 was a Thursday, three days past a Monday.
      const weekOf = sql`(start - ((start / ${sql.lit(DAY)} + 3) % 7) * ${sql.lit(DAY)})`;
      // Each campaign's hours and days as they were, and its daily totals summed from its hours…
      await insert(
        sql`select user_id, ${total}, campaign_id, ${sql.lit(HOURLY)}, hour, ${total}, ${counters} from click_stats_hourly`,
      );
      await insert(
        sql`select user_id, ${total}, campaign_id, ${sql.lit(DAILY)}, ${dayOf('hour')}, ${total}, ${sums} from click_stats_hourly group by user_id, campaign_id, ${dayOf('hour')}`,
      );
      // No rows for clicks without a value: reports take those as the totals minus the values.
      await insert(
        sql`select user_id, dimension, campaign_id, ${sql.lit(DAILY)}, day, value, ${counters} from click_stats_daily where value <> ${sql.lit('')}`,
      );
      // …then those hours and days for all campaigns, then every day's week (each campaign's and all's).
      await insert(
        sql`select user_id, dimension, ${sql.lit(ALL_CAMPAIGNS)}, hours, start, value, ${sums} from click_stats_periods group by user_id, dimension, hours, start, value`,
      );
      await insert(
        sql`select user_id, dimension, campaign_id, ${sql.lit(WEEKLY)}, ${weekOf}, value, ${sums} from click_stats_periods where hours = ${sql.lit(DAILY)} group by user_id, dimension, campaign_id, ${weekOf}, value`,
      );
      await db.schema.dropTable('click_stats_daily').execute();
      await db.schema.dropTable('click_stats_hourly').execute();
      if (!hadRollups) await rebuildStatsAt010(db);
    },
  };
}
