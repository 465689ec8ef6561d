import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

export function clicksAndConversions(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      // No foreign keys on clicks: the hot path inserts them in batches and a campaign is only ever soft-deleted.
      await db.schema
        .createTable('clicks')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('user_id', big, (c) => c.notNull())
        .addColumn('campaign_id', big, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('ip', 'varchar(45)', (c) => c.notNull())
        .addColumn('country', 'varchar(2)')
        .addColumn('region', 'varchar(100)')
        .addColumn('city', 'varchar(100)')
        .addColumn('asn', big)
        .addColumn('as_org', 'varchar(200)')
        .addColumn('device', 'varchar(16)', (c) => c.notNull())
        .addColumn('os', 'varchar(50)')
        .addColumn('browser', 'varchar(50)')
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('referrer', 'text')
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('sub1', 'text')
        .addColumn('sub2', 'text')
        .addColumn('sub3', 'text')
        .addColumn('sub4', 'text')
        .addColumn('sub5', 'text')
        .addColumn('platform_click_id', 'text')
        .addColumn('status', 'varchar(8)', (c) => c.notNull())
        .addColumn('is_bot', 'smallint', (c) => c.notNull())
        .addColumn('is_vpn', 'smallint', (c) => c.notNull())
        .addColumn('is_verified_bot', 'smallint', (c) => c.notNull())
        .addColumn('is_unique', 'smallint', (c) => c.notNull())
        .addColumn('fraud_types', 'text', (c) => c.notNull())
        .addColumn('primary_fraud_type', 'varchar(16)')
        .addColumn('fraud_score', 'smallint', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('action', 'varchar(16)', (c) => c.notNull())
        .addColumn('visitor_hash', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('clicks_user_time').on('clicks').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('clicks_campaign_time').on('clicks').columns(['campaign_id', 'created_at']).execute();
      await db.schema.createIndex('clicks_time').on('clicks').column('created_at').execute();

      await db.schema
        .createTable('conversions')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('campaign_id', big, (c) => c.notNull())
        .addColumn('click_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('transaction_id', 'varchar(200)')
        .addColumn('dedupe_key', 'varchar(240)', (c) => c.notNull())
        .addColumn('payout', dialect.doubleType, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addUniqueConstraint('conversions_dedupe', ['user_id', 'dedupe_key'])
        .execute();
      await db.schema.createIndex('conversions_click').on('conversions').column('click_id').execute();
      await db.schema
        .createIndex('conversions_user_time')
        .on('conversions')
        .columns(['user_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('conversions_campaign_time')
        .on('conversions')
        .columns(['campaign_id', 'created_at'])
        .execute();
    },
  };
}
