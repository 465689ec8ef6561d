import type { Db } from '../../storage/database.ts';
import { offsetPage } from '../../storage/offset-page.ts';
import type {
  ConnectionExclusionRow,
  ConnectionJobRow,
  ConnectionLogRow,
  NewConnectionJobRow,
  NewConnectionLogRow,
} from './connection.table.ts';
import type { ConnectionJobStatus } from './connection.enums.ts';

/** Queues jobs; one whose once key is taken (the conversion already queued, a sync already waiting) is left out. */
export async function insertJobs(trx: Db, rows: NewConnectionJobRow[]): Promise<number> {
  let inserted = 0;
  for (const row of rows) {
    const added = await trx
      .insertInto('connection_jobs')
      .values(row)
      .onConflict((c) => c.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (added) inserted += 1;
  }
  return inserted;
}

/** Due jobs of connections in good standing: a connection waiting for new credentials holds its jobs. */
export async function findDueJobs(
  db: Db,
  now: number,
  limit: number,
): Promise<Array<{ id: number; connection_id: number }>> {
  return db
    .selectFrom('connection_jobs as j')
    .innerJoin('connections as c', 'c.id', 'j.connection_id')
    .select(['j.id', 'j.connection_id'])
    .where('j.status', '=', 'pending')
    .where('c.status', '=', 'ok')
    .where('j.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('j.lease_until', 'is', null), eb('j.lease_until', '<', now)]))
    .orderBy('j.next_attempt_at')
    .limit(limit)
    .execute();
}

export async function findJob(db: Db, id: number): Promise<ConnectionJobRow | undefined> {
  return db.selectFrom('connection_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Settles an attempt and releases the lease; a finished sync frees its once key for the next one. */
export async function settleJob(
  db: Db,
  job: ConnectionJobRow,
  next: {
    status: ConnectionJobStatus;
    attempts: number;
    nextAttemptAt: number | null;
    error: string | null;
    at: number;
  },
): Promise<void> {
  const finished = next.status !== 'pending';
  await db
    .updateTable('connection_jobs')
    .set({
      status: next.status,
      attempts: next.attempts,
      next_attempt_at: next.nextAttemptAt,
      lease_until: null,
      last_error: next.error,
      updated_at: next.at,
      completed_at: finished ? next.at : null,
      ...(finished && job.kind === 'exclusions' ? { once_key: null } : {}),
    })
    .where('id', '=', job.id)
    .execute();
}

/** Jobs held by a connection that needed attention run as soon as it is fixed. */
export async function releaseJobsOf(db: Db, connectionId: number, now: number): Promise<void> {
  await db
    .updateTable('connection_jobs')
    .set({ next_attempt_at: now })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'pending')
    .execute();
}

export async function insertLog(db: Db, row: NewConnectionLogRow): Promise<void> {
  await db.insertInto('connection_log').values(row).execute();
}

export async function listLog(
  db: Db,
  connectionId: number,
  limit: number,
  offset: number,
): Promise<{ rows: ConnectionLogRow[]; total: number }> {
  return offsetPage(db.selectFrom('connection_log').where('connection_id', '=', connectionId), (query) =>
    query.selectAll().orderBy('id', 'desc').limit(limit).offset(offset),
  );
}

export async function listExclusions(
  db: Db,
  connectionId: number,
  googleCampaignId: string,
): Promise<ConnectionExclusionRow[]> {
  return db
    .selectFrom('connection_exclusions')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('google_campaign_id', '=', googleCampaignId)
    .orderBy('id')
    .execute();
}

/** Written before the mutate, so a crash after the platform applied it leaves a trace to adopt. */
export async function insertExclusionIntents(
  db: Db,
  connectionId: number,
  googleCampaignId: string,
  entries: ReadonlyArray<{ ipAddress: string; cost: number }>,
  at: number,
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('connection_exclusions')
    .values(
      entries.map((entry) => ({
        connection_id: connectionId,
        google_campaign_id: googleCampaignId,
        ip_address: entry.ipAddress,
        resource_name: null,
        cost: entry.cost,
        created_at: at,
        seen_at: at,
      })),
    )
    .onConflict((c) => c.doNothing())
    .execute();
}

export async function setExclusionResource(db: Db, id: number, resourceName: string, at: number): Promise<void> {
  await db
    .updateTable('connection_exclusions')
    .set({ resource_name: resourceName, seen_at: at })
    .where('id', '=', id)
    .execute();
}

export async function setExclusionResourceByIp(
  db: Db,
  key: { connectionId: number; googleCampaignId: string; ipAddress: string },
  resourceName: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('connection_exclusions')
    .set({ resource_name: resourceName, seen_at: at })
    .where('connection_id', '=', key.connectionId)
    .where('google_campaign_id', '=', key.googleCampaignId)
    .where('ip_address', '=', key.ipAddress)
    .execute();
}

export async function touchExclusion(db: Db, id: number, cost: number, at: number): Promise<void> {
  await db.updateTable('connection_exclusions').set({ cost, seen_at: at }).where('id', '=', id).execute();
}

export async function deleteExclusions(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('connection_exclusions').where('id', 'in', ids).execute();
}

export async function deleteExclusionByIp(
  db: Db,
  key: { connectionId: number; googleCampaignId: string; ipAddress: string },
): Promise<void> {
  await db
    .deleteFrom('connection_exclusions')
    .where('connection_id', '=', key.connectionId)
    .where('google_campaign_id', '=', key.googleCampaignId)
    .where('ip_address', '=', key.ipAddress)
    .execute();
}
