import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * Ad-platform connectors (SPEC section 12).
 * - connections: one Google Ads or Meta account of a workspace. `credentials` is the AES-256-GCM
 *   sealed JSON of its secrets (CONNECTIONS_KEY); `settings` the JSON of what may be shown
 *   (customer id, conversion action, pixel id, currency).
 * - connection_jobs: the outbox of calls to the platform, with the lease and backoff columns of
 *   postback_deliveries. `once_key` is unique: a conversion goes to a connection once
 *   (`conv:<connection>:<conversion>`), and a campaign has at most one exclusion sync waiting
 *   (`sync:<connection>:<campaign>`, cleared when the sync is done).
 * - connection_log: each call, its answer and what changed, per connection.
 * - connection_exclusions: the IpBlock criteria we created (or are about to create: resource_name
 *   still null), so a sync only ever removes its own and a retry after a crash adopts what the
 *   platform already made instead of creating it twice.
 * - campaigns.google_ads_campaign_id: the Google Ads campaign whose exclusions the campaign feeds.
 */
export function adConnections(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('campaigns').addColumn('google_ads_campaign_id', 'varchar(20)').execute();

      await db.schema
        .createTable('connections')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('platform', 'varchar(16)', (c) => c.notNull())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('credentials', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', big)
        .addColumn('last_success_at', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('connections_user').on('connections').columns(['user_id', 'id']).execute();

      await db.schema
        .createTable('connection_jobs')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('connection_id', big, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('user_id', big, (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('conversion_id', big)
        .addColumn('campaign_id', big)
        .addColumn('once_key', 'varchar(80)')
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', big)
        .addColumn('lease_until', big)
        .addColumn('last_error', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('completed_at', big)
        .execute();
      await db.schema.createIndex('connection_jobs_once').on('connection_jobs').column('once_key').unique().execute();
      await db.schema
        .createIndex('connection_jobs_due')
        .on('connection_jobs')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('connection_jobs_connection')
        .on('connection_jobs')
        .columns(['connection_id', 'id'])
        .execute();

      await db.schema
        .createTable('connection_log')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('connection_id', big, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('job_id', big)
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('action', 'varchar(32)', (c) => c.notNull())
        .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('request', 'text')
        .addColumn('response', 'text')
        .addColumn('changes', 'text')
        .execute();
      await db.schema
        .createIndex('connection_log_connection')
        .on('connection_log')
        .columns(['connection_id', 'id'])
        .execute();

      await db.schema
        .createTable('connection_exclusions')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('connection_id', big, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('google_campaign_id', 'varchar(20)', (c) => c.notNull())
        .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
        .addColumn('resource_name', 'varchar(200)')
        .addColumn('cost', dialect.doubleType, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('seen_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('connection_exclusions_key')
        .on('connection_exclusions')
        .columns(['connection_id', 'google_campaign_id', 'ip_address'])
        .unique()
        .execute();
    },
  };
}
