import { scopeIds, type CampaignScope } from '../../campaign-scope.ts';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { compiledOnce } from '../../storage/compiled-once.ts';
import type { VerdictColumns } from './click-row.ts';
import type { Database, Db } from '../../storage/database.ts';
import { CLICK_COLUMNS, type ClickRow, type NewClickRow } from './click.table.ts';
import { SUB_ID_NAMES, type SubIdName } from './click.enums.ts';

/** Which clicks a list or an export holds. */
export interface ClickScope {
  userId: number;
  campaignId?: number;
  /** The caller's campaign scope (a member limited to some campaigns); null or absent: every campaign. */
  campaignIds?: CampaignScope;
  from: number;
  to: number;
  status?: ClickRow['status'];
  country?: string;
  /** Exact values of sub ids: every one given must match. */
  subIds?: Partial<Record<SubIdName, string>>;
}

export interface ClickFilter extends ClickScope {
  limit: number;
  offset: number;
}

/** Where the previous page of a list ended: the keyset (created_at, id) of its last row. */
export interface ClickListCursor {
  createdAt: number;
  id: string;
}

export type ClickWithConversion = ClickRow & { converted: number };

/** One transaction for the whole batch: the group commit of the tracker. */
export async function insertClicks(db: Db, dialect: DialectAdapter, rows: readonly NewClickRow[]): Promise<void> {
  await dialect.insertBatch(db as unknown as Kysely<unknown>, 'clicks', CLICK_COLUMNS, rows);
}

/**
 * Which of these clicks are already stored: a batch retried after its commit's answer was lost (or
 * replayed from the spool after a crash) may hold some, and must neither store them twice nor be refused whole.
 */
export async function storedClickIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('clicks').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

function withConverted(db: Db) {
  return db
    .selectFrom('clicks')
    .selectAll('clicks')
    .select((eb) =>
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom('conversions')
              .select('conversions.id')
              .whereRef('conversions.click_id', '=', 'clicks.id')
              .where('conversions.status', '!=', 'rejected'),
          ),
        )
        .then(1)
        .else(0)
        .end()
        .as('converted'),
    );
}

export async function findClick(db: Db, userId: number, id: string): Promise<ClickWithConversion | undefined> {
  return withConverted(db).where('clicks.id', '=', id).where('clicks.user_id', '=', userId).executeTakeFirst();
}

/** Columns a conversion needs of its click: its owner, and what its rollups are keyed by. */
const CLICK_OWNER_COLUMNS = [
  'id',
  'user_id',
  'campaign_id',
  'created_at',
  'country',
  'city',
  'device',
  'os',
  'browser',
  'asn',
  'as_org',
  'referrer',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  // For the postback to its traffic source: the network's click id, placement, fraud and sub6…sub10 (query).
  'external_id',
  'placement',
  'fraud_types',
  'query',
  'offer_id',
  'lander_id',
  'rule',
  'path',
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
  // The report cube keys a conversion's counters by its click's language too.
  'language',
] as const;
export type ClickOwnerRow = Pick<ClickRow, (typeof CLICK_OWNER_COLUMNS)[number]>;

/** The owner of a click, for postbacks that arrive with nothing but the click id. */
export async function findClickOwner(db: Db, id: string): Promise<ClickOwnerRow | undefined> {
  return db.selectFrom('clicks').select(CLICK_OWNER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

function applyFilter<O>(
  query: SelectQueryBuilder<Database, 'clicks', O>,
  filter: ClickScope,
): SelectQueryBuilder<Database, 'clicks', O> {
  let filtered = query
    .where('clicks.user_id', '=', filter.userId)
    .where('clicks.created_at', '>=', filter.from)
    .where('clicks.created_at', '<', filter.to);
  if (filter.campaignId !== undefined) filtered = filtered.where('clicks.campaign_id', '=', filter.campaignId);
  if (filter.campaignIds) filtered = filtered.where('clicks.campaign_id', 'in', scopeIds(filter.campaignIds));
  if (filter.status) filtered = filtered.where('clicks.status', '=', filter.status);
  if (filter.country) filtered = filtered.where('clicks.country', '=', filter.country);
  for (const name of SUB_ID_NAMES) {
    const value = filter.subIds?.[name];
    if (value !== undefined) filtered = filtered.where(`clicks.${name}`, '=', value);
  }
  return filtered;
}

export async function listClicks(db: Db, filter: ClickFilter): Promise<{ rows: ClickWithConversion[]; total: number }> {
  const [rows, count] = await Promise.all([
    applyFilter(withConverted(db), filter)
      .orderBy('clicks.created_at', 'desc')
      .orderBy('clicks.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    applyFilter(
      db.selectFrom('clicks').select((eb) => eb.fn.countAll<number>().as('total')),
      filter,
    ).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/**
 * The next `limit` clicks of the list after `after`, in the list's order (newest first, ties by id), for
 * exports that read every row a page at a time. The cursor is spelled as a bound on created_at plus
 * the tie-break, not a row-value comparison, so every database sees the (…, created_at) index range.
 */
export async function listClicksAfter(
  db: Db,
  scope: ClickScope,
  after: ClickListCursor | null,
  limit: number,
): Promise<ClickWithConversion[]> {
  let query = applyFilter(withConverted(db), scope);
  if (after) {
    query = query
      .where('clicks.created_at', '<=', after.createdAt)
      .where((eb) => eb.or([eb('clicks.created_at', '<', after.createdAt), eb('clicks.id', '>', after.id)]));
  }
  return query.orderBy('clicks.created_at', 'desc').orderBy('clicks.id').limit(limit).execute();
}

/** Recent clicks from `since` on, newest first, to rebuild the detection windows after a restart. */
export async function listRecentVisitors(
  db: Db,
  since: number,
  limit: number,
): Promise<Array<Pick<ClickRow, 'id' | 'campaign_id' | 'visitor_hash' | 'created_at' | 'ip'>>> {
  return db
    .selectFrom('clicks')
    .select(['id', 'campaign_id', 'visitor_hash', 'created_at', 'ip'])
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Id lists up to this long are read with a query compiled once per length (a late finding's group: a burst,
 * a farm); longer ones are built anew.
 */
const COMPILED_ID_LISTS = 32;
const clicksByIds = Array.from({ length: COMPILED_ID_LISTS + 1 }, (_, length) =>
  compiledOnce((db: Db, slot) =>
    db
      .selectFrom('clicks')
      .selectAll()
      .where(
        'id',
        'in',
        Array.from({ length }, (_, i) => slot<string>(i)),
      ),
  ),
);

export async function findClicksByIds(db: Db, ids: readonly string[]): Promise<ClickRow[]> {
  if (ids.length === 0) return [];
  if (ids.length <= COMPILED_ID_LISTS) return (await clicksByIds[ids.length]!(db, ids)).rows;
  return db.selectFrom('clicks').selectAll().where('id', 'in', ids).execute();
}

/** The columns a late finding rewrites, in the order of the compiled update's slots. */
const VERDICT_COLUMNS = [
  'status',
  'is_bot',
  'is_vpn',
  'is_verified_bot',
  'fraud_types',
  'primary_fraud_type',
  'fraud_score',
  'reasons',
] as const satisfies readonly (keyof VerdictColumns)[];

const verdictUpdate = compiledOnce((db: Db, slot) =>
  db
    .updateTable('clicks')
    .set(Object.fromEntries(VERDICT_COLUMNS.map((name, i) => [name, slot(i)])) as unknown as VerdictColumns)
    .where('id', '=', slot<string>(VERDICT_COLUMNS.length))
    .where('created_at', '=', slot<number>(VERDICT_COLUMNS.length + 1)),
);

/**
 * `createdAt` lets PostgreSQL look into the one weekly partition holding the click instead of all of them.
 * Compiled once: a late finding rewrites each click of its group.
 */
export async function updateClickVerdict(
  db: Db,
  id: string,
  createdAt: number,
  columns: VerdictColumns,
): Promise<void> {
  await verdictUpdate(db, [...VERDICT_COLUMNS.map((name) => columns[name]), id, createdAt]);
}

/** What following a lander link needs of its click: its owner, dimensions, flow route and query. */
export async function findLanderClick(db: Db, id: string) {
  return db
    .selectFrom('clicks')
    .select([...CLICK_OWNER_COLUMNS, 'query', 'lp_clicked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Records a lander click-through: the first one sets lp_clicked_at (true: this call was the first,
 * so the rollups count it once even when two arrive together), and the offer the link went to
 * becomes the click's offer.
 */
export async function markLanderClick(db: Db, id: string, offerId: number, at: number): Promise<boolean> {
  const first = await db
    .updateTable('clicks')
    .set({ lp_clicked_at: at, offer_id: offerId })
    .where('id', '=', id)
    .where('lp_clicked_at', 'is', null)
    .executeTakeFirst();
  if (Number(first.numUpdatedRows) > 0) return true;
  await db.updateTable('clicks').set({ offer_id: offerId }).where('id', '=', id).execute();
  return false;
}

/** What an ad platform is told of a converting click (the connectors): its time, address, browser and parameters. */
export async function findClickForPlatform(
  db: Db,
  id: string,
): Promise<Pick<ClickRow, 'id' | 'created_at' | 'ip' | 'user_agent' | 'query'> | undefined> {
  return db
    .selectFrom('clicks')
    .select(['id', 'created_at', 'ip', 'user_agent', 'query'])
    .where('id', '=', id)
    .executeTakeFirst();
}
