import { sql } from 'kysely';
import type { Db } from '../../storage/database.ts';

/** Takes the job's lease when it is free or has run out; false when another node holds it. */
export async function claimMaintenanceJob(db: Db, name: string, at: number, until: number): Promise<boolean> {
  await db
    .insertInto('maintenance_jobs')
    .values({ name, claimed_until: null, watermark: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const result = await db
    .updateTable('maintenance_jobs')
    .set({ claimed_until: until })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves the lease from `held` to `until` (null: gives it up); false when it was lost meanwhile. */
export async function renewMaintenanceJob(db: Db, name: string, held: number, until: number | null): Promise<boolean> {
  const result = await db
    .updateTable('maintenance_jobs')
    .set({ claimed_until: until })
    .where('name', '=', name)
    .where('claimed_until', '=', held)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function readWatermark(db: Db, name: string): Promise<number> {
  const row = await db.selectFrom('maintenance_jobs').select('watermark').where('name', '=', name).executeTakeFirst();
  return row?.watermark === null || row?.watermark === undefined ? 0 : Number(row.watermark);
}

export async function writeWatermark(db: Db, name: string, watermark: number): Promise<void> {
  await db.updateTable('maintenance_jobs').set({ watermark }).where('name', '=', name).execute();
}

/**
 * Deletes at most `limit` clicks of `table` (the clicks table, or one of its partitions) created
 * before `cutoff`; returns how many. One short statement, so the tracker's inserts wait little.
 */
export async function deleteClicksBefore(db: Db, table: string, cutoff: number, limit: number): Promise<number> {
  const result = await sql`delete from ${sql.table(table)} where id in (
    select id from ${sql.table(table)} where created_at < ${cutoff} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The oldest clicks in [from, before) whose address is still whole (the anonymised have no visitor hash). */
export async function listClicksToAnonymize(db: Db, from: number, before: number, limit: number) {
  return db
    .selectFrom('clicks')
    .select(['id', 'created_at', 'ip'])
    .where('created_at', '>=', from)
    .where('created_at', '<', before)
    .where('visitor_hash', '<>', '')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/**
 * Replaces the address of these clicks with its network and clears their visitor hash (a hash of
 * address and user agent, from which the address could be found again by trying every host of the
 * network). `from`/`to` bound `created_at` so PostgreSQL only looks into the partitions concerned.
 */
export async function anonymizeClicks(
  db: Db,
  network: string,
  ids: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  await db
    .updateTable('clicks')
    .set({ ip: network, visitor_hash: '' })
    .where('id', 'in', ids)
    .where('created_at', '>=', from)
    .where('created_at', '<=', to)
    .execute();
}
