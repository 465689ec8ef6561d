import { scopeIds, type CampaignScope } from '../../campaign-scope.ts';
import type { Db } from '../../storage/database.ts';
import type { ConversionRow, ConversionStatus, NewConversionRow } from './conversion.table.ts';

/** Which conversions a list or an export holds. */
export interface ConversionScope {
  userId: number;
  campaignId?: number;
  /** The caller's campaign scope (a member limited to some campaigns); null or absent: every campaign. */
  campaignIds?: CampaignScope;
  from: number;
  to: number;
  status?: ConversionStatus;
  /** Only flagged (true) or only clean (false) conversions. */
  suspicious?: boolean;
}

export interface ConversionFilter extends ConversionScope {
  limit: number;
  offset: number;
}

/** Where the previous page of a list ended: the keyset (created_at, id) of its last row. */
export interface ConversionListCursor {
  createdAt: number;
  id: number;
}

/**
 * Inserts unless the account already has a conversion under this dedupe key, or the click already has
 * its one conversion (once_key). The unique constraints decide, so racing postbacks cannot both insert;
 * undefined means a key was taken (possibly by a request that committed a microsecond earlier).
 */
export async function insertConversionIfAbsent(db: Db, row: NewConversionRow): Promise<ConversionRow | undefined> {
  return (
    db
      .insertInto('conversions')
      .values(row)
      // No conflict target: a clash on either unique key, (user_id, dedupe_key) or (user_id, once_key), inserts nothing.
      .onConflict((conflict) => conflict.doNothing())
      .returningAll()
      .executeTakeFirst()
  );
}

/** Updates the conversion under a key only while it belongs to `clickId`; undefined when it does not. */
export async function updateConversionOfClick(
  db: Db,
  key: { userId: number; dedupeKey: string; clickId: string },
  changes: {
    payout?: number;
    status?: ConversionStatus;
    suspicious?: number;
    suspicious_reasons?: string;
    suspicious_in_rollups?: number;
    updated_at: number;
  },
): Promise<ConversionRow | undefined> {
  return db
    .updateTable('conversions')
    .set(changes)
    .where('user_id', '=', key.userId)
    .where('dedupe_key', '=', key.dedupeKey)
    .where('click_id', '=', key.clickId)
    .returningAll()
    .executeTakeFirst();
}

/** `lock`: hold the row until the transaction ends, so a concurrent update cannot slip between read and write. */
export async function findConversionByKey(
  db: Db,
  userId: number,
  dedupeKey: string,
  lock = false,
): Promise<ConversionRow | undefined> {
  return db
    .selectFrom('conversions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('dedupe_key', '=', dedupeKey)
    .$if(lock, (query) => query.forUpdate())
    .executeTakeFirst();
}

/** The click's first conversion in `event`. */
export async function findFirstConversionOfClick(
  db: Db,
  userId: number,
  clickId: string,
  event: string,
): Promise<ConversionRow | undefined> {
  return db
    .selectFrom('conversions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('click_id', '=', clickId)
    .where('event', '=', event)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

function scoped(db: Db, scope: ConversionScope) {
  let query = db
    .selectFrom('conversions')
    .where('user_id', '=', scope.userId)
    .where('created_at', '>=', scope.from)
    .where('created_at', '<', scope.to);
  if (scope.campaignId !== undefined) query = query.where('campaign_id', '=', scope.campaignId);
  if (scope.campaignIds) query = query.where('campaign_id', 'in', scopeIds(scope.campaignIds));
  if (scope.status) query = query.where('status', '=', scope.status);
  if (scope.suspicious !== undefined) query = query.where('suspicious', '=', scope.suspicious ? 1 : 0);
  return query;
}

export async function listConversions(
  db: Db,
  filter: ConversionFilter,
): Promise<{ rows: ConversionRow[]; total: number }> {
  const query = scoped(db, filter);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/**
 * The next `limit` conversions of the list after `after`, in the list's order (newest first, ties by
 * id, highest first), for exports that read every row a page at a time. Keyset, not OFFSET: each page
 * is an index range read that stops at its limit.
 */
export async function listConversionsAfter(
  db: Db,
  scope: ConversionScope,
  after: ConversionListCursor | null,
  limit: number,
): Promise<ConversionRow[]> {
  let query = scoped(db, scope).selectAll();
  if (after) {
    query = query
      .where('created_at', '<=', after.createdAt)
      .where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb('id', '<', after.id)]));
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Counted (not rejected) conversions per campaign created since `since`. */
export async function countCountedConversionsSince(
  db: Db,
  campaignIds: readonly number[],
  since: number,
): Promise<Map<number, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('conversions')
    .select(['campaign_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', 'in', campaignIds)
    .where('created_at', '>=', since)
    .where('status', '!=', 'rejected')
    .groupBy('campaign_id')
    .execute();
  return new Map(rows.map((row) => [row.campaign_id, Number(row.n)]));
}

/** The click's one counted conversion on a campaign that does not allow repeats (see once_key). */
export async function findConversionByOnceKey(
  db: Db,
  userId: number,
  onceKey: string,
): Promise<ConversionRow | undefined> {
  return db
    .selectFrom('conversions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('once_key', '=', onceKey)
    .executeTakeFirst();
}

/**
 * Payouts of the campaign's latest counted, unflagged conversions that paid something, newest first:
 * the sample the payout check takes its median from. Flagged ones stay out, so a run of inflated
 * postbacks cannot raise the bar it is judged by.
 */
export async function recentCountedPayouts(db: Db, campaignId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('conversions')
    .select('payout')
    .where('campaign_id', '=', campaignId)
    .where('status', '!=', 'rejected')
    .where('suspicious', '=', 0)
    .where('payout', '>', 0)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => Number(row.payout));
}

export async function findConversionById(db: Db, id: number): Promise<ConversionRow | undefined> {
  return db.selectFrom('conversions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every conversion of these clicks (an amended batch's), through the click index; locked with `lock`. */
export async function findConversionsOfClicks(
  db: Db,
  clickIds: readonly string[],
  lock = false,
): Promise<ConversionRow[]> {
  if (clickIds.length === 0) return [];
  return db
    .selectFrom('conversions')
    .selectAll()
    .where('click_id', 'in', clickIds)
    .orderBy('id')
    .$if(lock, (query) => query.forUpdate())
    .execute();
}

/** Sets a conversion's flag and reasons (a late finding on its click), returning the row as it is now. */
export async function setConversionSuspicion(
  db: Db,
  id: number,
  changes: { suspicious: number; suspicious_reasons: string; suspicious_in_rollups: number; updated_at: number },
): Promise<ConversionRow | undefined> {
  return db.updateTable('conversions').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}
