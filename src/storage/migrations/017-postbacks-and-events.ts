import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * Postbacks out to traffic sources (SPEC section 7) and conversion events.
 * - postback_deliveries: one row per decision about a conversion's postback (sent, or withheld and
 *   why), written in the transaction that counts the conversion; the sending rows are the outbox the
 *   postback worker polls, with the same lease and backoff columns as webhook_deliveries.
 *   `once_key` (`conv:<conversion id>`) is set on the rows that send and unique, so the database
 *   itself keeps a conversion to one call whatever path its status takes; withheld rows leave it null.
 * - postback_attempts: every attempt, as webhook_attempts.
 * - conversions.event (default `conversion`): a click converts once per event. The once and dedupe
 *   keys of the default event keep their `click:<click id>` form, so existing rows need no rewrite;
 *   other events use `click:<click id>:<event>`.
 */
export function postbacksAndEvents(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('conversions')
        .addColumn('event', 'varchar(32)', (c) => c.notNull().defaultTo('conversion'))
        .execute();

      await db.schema
        .createTable('postback_deliveries')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('traffic_source_id', big, (c) => c.notNull().references('traffic_sources.id').onDelete('cascade'))
        .addColumn('conversion_id', big, (c) => c.notNull())
        .addColumn('click_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('once_key', 'varchar(64)')
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', big)
        .addColumn('lease_until', big)
        .addColumn('last_status_code', 'integer')
        .addColumn('last_latency_ms', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('response_excerpt', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('completed_at', big)
        .execute();
      await db.schema
        .createIndex('postback_deliveries_once')
        .on('postback_deliveries')
        .column('once_key')
        .unique()
        .execute();
      // The worker's poll: due pending deliveries, oldest first.
      await db.schema
        .createIndex('postback_deliveries_due')
        .on('postback_deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute();
      // The delivery log of one source, newest first.
      await db.schema
        .createIndex('postback_deliveries_source')
        .on('postback_deliveries')
        .columns(['traffic_source_id', 'id'])
        .execute();
      await db.schema
        .createIndex('postback_deliveries_conversion')
        .on('postback_deliveries')
        .column('conversion_id')
        .execute();

      await db.schema
        .createTable('postback_attempts')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('delivery_id', big, (c) => c.notNull().references('postback_deliveries.id').onDelete('cascade'))
        .addColumn('attempted_at', big, (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('response_excerpt', 'text')
        .execute();
      await db.schema
        .createIndex('postback_attempts_delivery')
        .on('postback_attempts')
        .columns(['delivery_id', 'id'])
        .execute();
    },
  };
}
