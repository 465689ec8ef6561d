import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * The audit log (SPEC section 11): who created, changed or deleted what in a workspace.
 * - member_id / actor_email / api_key_id: who acted (null member: the command line or the system).
 * - resource_type / resource_id / action: what happened to what.
 * - changes: JSON `{field: {before, after}}`, only the fields that changed, secrets masked.
 * Written in the transaction of the change it records. The (user_id, id) index serves the newest-first
 * keyset pages; ids grow with created_at, so the id alone is the cursor.
 */
export function auditLog(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('member_id', big)
        .addColumn('actor_email', 'varchar(255)')
        .addColumn('api_key_id', big)
        .addColumn('action', 'varchar(16)', (c) => c.notNull())
        .addColumn('resource_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('resource_id', big)
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'id']).execute();
      await db.schema
        .createIndex('audit_log_user_created')
        .on('audit_log')
        .columns(['user_id', 'created_at', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('audit_log').execute();
    },
  };
}
