import { sql } from 'kysely';
import type { Db } from '../../storage/database.ts';
import { GROUP_COLUMNS, SUSPICIOUS_SQL } from '../clicks/click-groups.repository.ts';

/** What the columnar copy keeps of a click: what a GROUP BY over the clicks groups, filters and counts by. */
export const COPIED_COLUMNS = [
  'id',
  'user_id',
  'created_at',
  ...GROUP_COLUMNS,
  'is_unique',
  'cost',
  'cost_source',
  'lp_clicked_at',
] as const;
export type CopiedColumn = (typeof COPIED_COLUMNS)[number];

/** A click as copied, with its counted conversions summed (as click-groups.repository.ts counts them). */
export type CopiedClick = Record<CopiedColumn, string | number | null> & {
  conversions: number;
  revenue: number;
  suspicious_conversions: number;
};

export interface ClickChange {
  readonly id: number;
  readonly click_id: string;
  readonly click_created_at: number;
  readonly changed_at: number;
}

const EPOCH_JOB = 'report-columns';

/** Notes clicks whose report columns changed after they were written; in the transaction of the change. */
export async function recordClickChanges(
  db: Db,
  clicks: readonly { readonly id: string; readonly created_at: number }[],
  at: number,
): Promise<void> {
  if (clicks.length === 0) return;
  await db
    .insertInto('report_column_changes')
    .values(clicks.map((click) => ({ click_id: click.id, click_created_at: click.created_at, changed_at: at })))
    .execute();
}

export async function changesAfter(db: Db, cursor: number, limit: number): Promise<ClickChange[]> {
  const rows = await db
    .selectFrom('report_column_changes')
    .selectAll()
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    click_id: row.click_id,
    click_created_at: Number(row.click_created_at),
    changed_at: Number(row.changed_at),
  }));
}

/** The clicks changed after `cursor` that were made in [from, to): what a copy may hold out of date. */
export async function changedClickIds(db: Db, cursor: number, from: number, to: number): Promise<string[]> {
  const rows = await db
    .selectFrom('report_column_changes')
    .select('click_id')
    .distinct()
    .where('id', '>', cursor)
    .where('click_created_at', '>=', from)
    .where('click_created_at', '<', to)
    .execute();
  return rows.map((row) => row.click_id);
}

export async function pruneChanges(db: Db, before: number): Promise<void> {
  await db.deleteFrom('report_column_changes').where('changed_at', '<', before).execute();
}

/**
 * The installation's number for the copies: a copy made from another database (a new DATABASE_URL, a
 * fresh install in the same DATA_DIR) is thrown away rather than read. Kept as the report-columns job's
 * watermark (maintenance_jobs), made on first use.
 */
export async function columnsEpoch(db: Db, candidate: number): Promise<number> {
  await db
    .insertInto('maintenance_jobs')
    .values({ name: EPOCH_JOB, claimed_until: null, watermark: candidate })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('maintenance_jobs')
    .select('watermark')
    .where('name', '=', EPOCH_JOB)
    .executeTakeFirstOrThrow();
  return Number(row.watermark);
}

/** The oldest click kept (retention deletes from this end), or null when there is none. */
export async function oldestClickAt(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('clicks')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** The first click made in [from, to), or null: a copy skips the empty stretches. */
export async function firstClickAt(db: Db, from: number, to: number): Promise<number | null> {
  const row = await db
    .selectFrom('clicks')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** Copies of the clicks made in [from, to) (through the created_at index), or of these clicks. */
export async function readCopies(
  db: Db,
  which: { readonly from: number; readonly to: number } | { readonly ids: readonly string[] },
): Promise<CopiedClick[]> {
  const clicks =
    'ids' in which
      ? sql`c.id in (${sql.join(which.ids)})`
      : sql`c.created_at >= ${which.from} and c.created_at < ${which.to}`;
  const converted =
    'ids' in which
      ? sql`v.click_id in (${sql.join(which.ids)})`
      : sql`v.click_id in (select c.id from clicks c where ${clicks})`;
  const columns = COPIED_COLUMNS.map((column) => sql`c.${sql.ref(column)}`);
  const result = await sql<CopiedClick>`select ${sql.join(columns)},
      coalesce(v.n, 0) as conversions, coalesce(v.revenue, 0) as revenue,
      coalesce(v.suspicious, 0) as suspicious_conversions
    from clicks c left join (
      select v.click_id, count(*) as n, sum(v.payout) as revenue, ${SUSPICIOUS_SQL('v.')} as suspicious
      from conversions v where v.status <> 'rejected' and ${converted} group by v.click_id
    ) v on v.click_id = c.id
    where ${clicks}`.execute(db);
  return result.rows;
}
