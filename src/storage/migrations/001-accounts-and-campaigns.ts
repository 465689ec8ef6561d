import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

export function accountsAndCampaigns(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('plan', 'varchar(16)', (c) => c.notNull())
        .addColumn('postback_token', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('key', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scope', 'varchar(8)', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('last_used_at', big)
        .addColumn('revoked_at', big)
        .execute();
      await db.schema.createIndex('api_keys_user').on('api_keys').column('user_id').execute();

      await db.schema
        .createTable('traffic_sources')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('platform', 'varchar(16)', (c) => c.notNull())
        .addColumn('click_id_param', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('traffic_sources_user').on('traffic_sources').column('user_id').execute();

      await db.schema
        .createTable('campaigns')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('uuid', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('traffic_source_id', big, (c) => c.references('traffic_sources.id').onDelete('set null'))
        .addColumn('cost_model', 'varchar(16)', (c) => c.notNull())
        .addColumn('cost_value', dialect.doubleType, (c) => c.notNull())
        .addColumn('destination_url', 'text')
        .addColumn('allowed_countries', 'text', (c) => c.notNull())
        .addColumn('blocked_countries', 'text', (c) => c.notNull())
        .addColumn('allowed_devices', 'text', (c) => c.notNull())
        .addColumn('ip_blocklist', 'text', (c) => c.notNull())
        .addColumn('fraud_action', 'varchar(16)', (c) => c.notNull())
        .addColumn('blocked_fraud_types', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('deleted_at', big)
        .execute();
      await db.schema.createIndex('campaigns_user').on('campaigns').columns(['user_id', 'deleted_at', 'id']).execute();
    },
  };
}
