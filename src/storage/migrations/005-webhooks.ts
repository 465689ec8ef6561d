import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/** Webhook endpoints, the event outbox with its deliveries and attempts, and fraud-alert bookkeeping. */
export function webhooks(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('webhooks')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('url', 'varchar(2048)', (c) => c.notNull())
        .addColumn('description', 'varchar(200)')
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('campaign_id', big)
        .addColumn('is_active', 'smallint', (c) => c.notNull())
        .addColumn('secret', 'varchar(100)', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('disabled_at', big)
        .addColumn('failing_since', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_user').on('webhooks').columns(['user_id', 'id']).execute();

      await db.schema
        .createTable('webhook_events')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('type', 'varchar(40)', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('webhook_id', big, (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('event_id', 'varchar(40)', (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
        .addColumn('user_id', big, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', big)
        .addColumn('lease_until', big)
        .addColumn('last_status_code', 'integer')
        .addColumn('last_latency_ms', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('completed_at', big)
        .execute();
      // The worker's poll: due pending deliveries, oldest first.
      await db.schema
        .createIndex('webhook_deliveries_due')
        .on('webhook_deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_webhook')
        .on('webhook_deliveries')
        .columns(['webhook_id', 'id'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();

      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('delivery_id', big, (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
        .addColumn('attempted_at', big, (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('response_excerpt', 'text')
        .execute();
      await db.schema
        .createIndex('webhook_attempts_delivery')
        .on('webhook_attempts')
        .columns(['delivery_id', 'id'])
        .execute();

      await db.schema
        .createTable('fraud_alert_state')
        .addColumn('campaign_id', big, (c) => c.primaryKey())
        .addColumn('user_id', big, (c) => c.notNull())
        .addColumn('alerted_at', big, (c) => c.notNull())
        .execute();

      // The account's fraud.alert threshold lives with its other detection settings (JSON, absent keys = defaults).
      await db.schema
        .alterTable('detection_settings')
        .addColumn('fraud_alert', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
    },
  };
}
