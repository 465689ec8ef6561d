import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * `clicks.truncated`: 1 when something the visitor sent was cut to fit the stored bounds (click-row.ts,
 * STORED_LIMITS), so a report can tell a cut parameter from what was really sent. Existing rows: 0.
 * On PostgreSQL the column reaches every weekly partition with the parent.
 */
export function clickTruncatedFlag(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('clicks')
        .addColumn('truncated', 'smallint', (column) => column.notNull().defaultTo(0))
        .execute();
    },
  };
}
