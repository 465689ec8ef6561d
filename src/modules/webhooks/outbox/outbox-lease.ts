import type { Db } from '../../../storage/database.ts';

/** The outbox tables whose rows are sent by a lease (outbox-runner.ts): webhook and postback deliveries, ad-platform jobs. */
export type LeasedTable = 'webhook_deliveries' | 'postback_deliveries' | 'connection_jobs';

/**
 * Takes the lease with a conditional update: of several workers (or nodes) only the one whose update
 * matched a row sends. With `skipLocked` (PostgreSQL) a delivery another node is claiming at this
 * moment is passed over at once instead of waited for.
 */
export async function claimLease(
  db: Db,
  table: LeasedTable,
  id: number,
  now: number,
  leaseUntil: number,
  skipLocked = false,
): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ lease_until: leaseUntil })
    .where('id', '=', id)
    .$if(skipLocked, (query) =>
      query.where('id', 'in', db.selectFrom(table).select('id').where('id', '=', id).forUpdate().skipLocked()),
    )
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
