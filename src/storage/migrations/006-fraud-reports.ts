import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

export function fraudReports(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      // No foreign key to campaigns: a report outlives the soft-deleted campaign it was made for.
      await db.schema
        .createTable('fraud_reports')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('campaign_id', big, (c) => c.notNull())
        .addColumn('platform', 'varchar(16)', (c) => c.notNull())
        .addColumn('from_day', 'varchar(10)', (c) => c.notNull())
        .addColumn('to_day', 'varchar(10)', (c) => c.notNull())
        .addColumn('range_from', big, (c) => c.notNull())
        .addColumn('range_to', big, (c) => c.notNull())
        .addColumn('cost_model', 'varchar(16)', (c) => c.notNull())
        .addColumn('cost_value', dialect.doubleType, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('summary', 'text')
        .addColumn('ip_exclusions', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('claimed_until', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('completed_at', big)
        .execute();
      await db.schema.createIndex('fraud_reports_user').on('fraud_reports').columns(['user_id', 'id']).execute();
      await db.schema
        .createIndex('fraud_reports_pending')
        .on('fraud_reports')
        .columns(['status', 'claimed_until'])
        .execute();
    },
  };
}
