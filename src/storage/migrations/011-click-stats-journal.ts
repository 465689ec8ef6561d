import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { COUNTER_NAMES_004 } from './004-click-stats.counters.ts';

const COUNTER_NAMES = COUNTER_NAMES_004;

/**
 * click_stats_journal (modules/stats/click-stats.table.ts): what click batches append for the stats
 * folder to add into click_stats_periods. Adding a batch's rollup rows with their copies in the click
 * transaction cost the tracker about 40% of its throughput on SQLite (BENCHMARKS.md, Statistics).
 * The index serves reports, which read the rows not folded yet beside the periods.
 */
export function clickStatsJournal(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let journal = db.schema
        .createTable('click_stats_journal')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('hours', dialect.bigintType, (c) => c.notNull())
        .addColumn('start', dialect.bigintType, (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull());
      for (const name of COUNTER_NAMES)
        journal = journal.addColumn(name, name === 'revenue' ? dialect.doubleType : dialect.bigintType, (c) =>
          c.notNull().defaultTo(0),
        );
      await journal.execute();
      await db.schema
        .createIndex('click_stats_journal_read')
        .on('click_stats_journal')
        .columns(['user_id', 'dimension', 'hours', 'start'])
        .execute();
    },
  };
}
