import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/** Days ahead that partitions are created for at migration time; the retention job keeps the same margin afterwards. */
const DAYS_AHEAD = 7;

/**
 * PostgreSQL: `clicks` becomes partitioned by week of `created_at` (see dialects/postgres-partitions.ts),
 * its rows moved, inside the migration's transaction. SQLite keeps its single table.
 */
export function partitionClicks(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await dialect.clickPartitions?.partitionTable(db, Date.now(), DAYS_AHEAD);
    },
  };
}
