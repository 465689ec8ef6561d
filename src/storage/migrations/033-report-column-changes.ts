import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * report_column_changes: the clicks whose report columns changed after they were written (a late finding,
 * a conversion, a lander click-through), and clicks written long after their own time (the outage
 * spool's replay). Each process's columnar copy of the clicks (modules/report-columns) copies new clicks
 * by time and reads this to copy the changed ones again; rows go after a day (the copies have read them).
 * The id orders the changes; changed_at ages them. Not on the click's own path: a new click writes
 * nothing here.
 */
export function reportColumnChanges(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('report_column_changes')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('click_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('click_created_at', big, (c) => c.notNull())
        .addColumn('changed_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('report_column_changes_changed')
        .on('report_column_changes')
        .column('changed_at')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('report_column_changes').execute();
    },
  };
}
