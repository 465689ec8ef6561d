import { sql, type Kysely } from 'kysely';
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
 * - The `event` dimension of the rollups: the counted conversions already stored go into the rollup
 *   journal under `conversion`, on their click's UTC day, as a new conversion's do (the stats folder
 *   adds them to the periods). A conversion whose click row retention has deleted has no day to go
 *   under and is left out of this dimension (it stays in the totals).
 */
/** The rollups' day period (stats/periods.ts DAILY) and a day in ms, as they were at this migration. */
const DAILY_HOURS = 24;
const DAY_MS = 86_400_000;
const ZERO_COUNTERS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'verified_bot_clicks',
  'fraud_clicks',
  'fraud_bot',
  'fraud_rapid_fire',
  'fraud_click_farm',
  'fraud_datacenter',
  'fraud_vpn',
  'fraud_duplicate',
] as const;
export function postbacksAndEvents(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('conversions')
        .addColumn('event', 'varchar(32)', (c) => c.notNull().defaultTo('conversion'))
        .execute();
      const zeros = sql.join(ZERO_COUNTERS.map(() => sql.lit(0)));
      const day = sql`(k.created_at / ${sql.lit(DAY_MS)}) * ${sql.lit(DAY_MS)}`;
      await sql`insert into click_stats_journal
          (user_id, dimension, campaign_id, hours, start, value, ${sql.join(ZERO_COUNTERS.map((name) => sql.ref(name)))}, conversions, revenue)
        select c.user_id, 'event', c.campaign_id, ${sql.lit(DAILY_HOURS)}, ${day}, 'conversion', ${zeros}, count(*), sum(c.payout)
        from conversions c join clicks k on k.id = c.click_id
        where c.status <> 'rejected'
        group by c.user_id, c.campaign_id, ${day}`.execute(db);

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
