import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

const DAY = 86_400_000;
/** Epoch day 0 (1970-01-01) was a Thursday: three days past a Monday. */
const startOfWeek = (instant: number): number => {
  const day = Math.floor(instant / DAY) * DAY;
  return day - ((Math.floor(day / DAY) + 3) % 7) * DAY;
};

/**
 * Two changes that make a click cheaper to write (issue 24, BENCHMARKS.md "The click's write path, part 2").
 *
 * click_stats_weeks: one row, `built_until`, the end of the UTC weeks whose week rollup rows
 * (click_stats_periods, hours 168) are built. The fold used to add every day row to its week as well,
 * per click batch; now a week's rows are summed from its days once the week is over, and only the late
 * changes to a built week (a conversion, a late finding) are folded into it as before (issue 24: the
 * week copies were half the fold's work). Reports read the weeks before `built_until` whole and the
 * days after it.
 *
 * Starts at this week's Monday: every earlier week's rows were kept whole by the fold so far. This
 * week's partial rows are summed afresh from its days when it ends.
 */
export function writePath(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('click_stats_weeks')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('built_until', dialect.bigintType, (c) => c.notNull())
        // While the week from built_until is being built: the last (user, dimension, campaign) whose rows are.
        .addColumn('cursor_user', dialect.bigintType)
        .addColumn('cursor_dimension', 'text')
        .addColumn('cursor_campaign', dialect.bigintType)
        .execute();
      await sql`insert into click_stats_weeks (id, built_until) values (1, ${startOfWeek(Date.now())})`.execute(db);
      await db.schema.dropIndex('clicks_campaign_time').ifExists().execute();
    },
  };
}
