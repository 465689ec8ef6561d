import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Forged postbacks (SECURITY.md): anyone who saw a click id could post a conversion with a new txid
 * each time and any payout.
 * - conversions.once_key: `click:<click id>` on a click's one counted conversion (null on a campaign
 *   that allows repeats). Unique per account, so the database itself keeps racing postbacks with
 *   different txids to one conversion per click. Existing data: the first conversion of each click
 *   takes the key, so a click that converted before this release cannot gain another either.
 * - conversions.suspicious / suspicious_reasons: a payout far above the campaign's usual one is
 *   flagged (SPEC §10's `suspicious`; the reference's statuses stay approved/pending/rejected).
 * - campaigns.allow_repeat_conversions: opt-in for offers that really pay per repeat (rebills).
 * - users.postback_allowed_ips: the addresses (IPs or CIDR ranges) a postback may come from; `[]` = any.
 * Booleans are smallint 0/1 on both dialects, as webhooks.is_active.
 */
export function postbackProtection(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('conversions').addColumn('once_key', 'varchar(64)').execute();
      await db.schema
        .alterTable('conversions')
        .addColumn('suspicious', 'smallint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('conversions')
        .addColumn('suspicious_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await sql`update conversions set once_key = 'click:' || click_id
        where id in (select min(id) from conversions group by user_id, click_id)`.execute(db);
      await db.schema
        .createIndex('conversions_once')
        .on('conversions')
        .columns(['user_id', 'once_key'])
        .unique()
        .execute();
      await db.schema
        .alterTable('campaigns')
        .addColumn('allow_repeat_conversions', 'smallint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('users')
        .addColumn('postback_allowed_ips', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
    },
  };
}
