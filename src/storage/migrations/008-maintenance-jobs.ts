import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * Background jobs that must run on one node at a time (retention) hold a lease here, and keep how far
 * they got (the IP anonymisation's watermark) across restarts.
 */
export function maintenanceJobs(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('maintenance_jobs')
        .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('claimed_until', dialect.bigintType)
        .addColumn('watermark', dialect.bigintType)
        .execute();
    },
  };
}
