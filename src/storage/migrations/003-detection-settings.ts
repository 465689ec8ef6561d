import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

export function detectionSettings(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('detection_settings')
        .addColumn('user_id', dialect.bigintType, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('thresholds', 'text', (c) => c.notNull())
        .addColumn('ip_allowlist', 'text', (c) => c.notNull())
        .addColumn('ip_blocklist', 'text', (c) => c.notNull())
        .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
        .execute();
    },
  };
}
