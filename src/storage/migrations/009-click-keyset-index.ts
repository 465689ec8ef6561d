import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Fraud reports read a campaign's clicks in (created_at, id) order, a chunk at a time. With id in the
 * index each chunk is a range read that stops at its limit; without it every chunk sorted the rest of
 * the month again (a month of a busy campaign at 10M clicks did not finish in 8 minutes).
 */
export function clickKeysetIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('clicks_campaign_time_id')
        .on('clicks')
        .columns(['campaign_id', 'created_at', 'id'])
        .execute();
    },
  };
}
