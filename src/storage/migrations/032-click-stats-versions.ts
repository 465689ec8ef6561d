import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * click_stats_versions: per account, a number the stats fold raises whenever it changes a closed day's
 * rollups (a late conversion, a late finding). A report keeps the sums of a range's closed days in memory
 * (stats/closed-sums.ts) under the number it read, and reads only the open days and the journal again
 * while the number stands: a country report over 30 days summed ~3,600 rollup rows per request
 * (BENCHMARKS.md, "Reports"). In the database, not in the process, because other processes fold too.
 */
export function clickStatsVersions(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('click_stats_versions')
        .addColumn('user_id', dialect.bigintType, (c) => c.primaryKey())
        .addColumn('version', dialect.bigintType, (c) => c.notNull())
        .execute();
    },
  };
}
