import { scopeIds, type CampaignScope } from '../../campaign-scope.ts';
import type { Db } from '../../storage/database.ts';
import type { FraudReportRow, FraudReportUpdate, NewFraudReportRow } from './fraud-report.table.ts';

export async function insertFraudReport(db: Db, row: NewFraudReportRow): Promise<FraudReportRow> {
  return db.insertInto('fraud_reports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findFraudReport(db: Db, userId: number, id: number): Promise<FraudReportRow | undefined> {
  return db
    .selectFrom('fraud_reports')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function findFraudReportById(db: Db, id: number): Promise<FraudReportRow | undefined> {
  return db.selectFrom('fraud_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listFraudReports(
  db: Db,
  filter: { userId: number; campaignId?: number; campaignIds?: CampaignScope; limit: number; offset: number },
): Promise<{ rows: FraudReportRow[]; total: number }> {
  let query = db.selectFrom('fraud_reports').where('user_id', '=', filter.userId);
  if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
  if (filter.campaignIds) query = query.where('campaign_id', 'in', scopeIds(filter.campaignIds));
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Reports waiting for a runner: still processing, and nobody's lease on them is running. */
export async function listClaimableFraudReportIds(db: Db, now: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('fraud_reports')
    .select('id')
    .where('status', '=', 'processing')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Takes the lease on a report if nobody holds it: one conditional UPDATE, so two runners (two nodes,
 * or a restart racing a slow shutdown) cannot both win. With `skipLocked` (PostgreSQL) a row another
 * node is claiming right now is passed over at once instead of waited for; the update stays the arbiter.
 */
export async function claimFraudReport(
  db: Db,
  id: number,
  now: number,
  leaseUntil: number,
  skipLocked = false,
): Promise<FraudReportRow | undefined> {
  return db
    .updateTable('fraud_reports')
    .set((eb) => ({ claimed_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .$if(skipLocked, (query) =>
      query.where(
        'id',
        'in',
        db.selectFrom('fraud_reports').select('id').where('id', '=', id).forUpdate().skipLocked(),
      ),
    )
    .where('status', '=', 'processing')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
}

/** Changes a report only while `leaseUntil` is still its lease: a runner that lost it writes nothing. */
export async function updateClaimedFraudReport(
  db: Db,
  id: number,
  leaseUntil: number,
  changes: FraudReportUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('fraud_reports')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .where('claimed_until', '=', leaseUntil)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
