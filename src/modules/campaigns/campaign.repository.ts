import { scopeIds, type CampaignScope } from '../../campaign-scope.ts';
import type { Db } from '../../storage/database.ts';
import type { CampaignRow, CampaignStatus, CampaignUpdate, NewCampaignRow } from './campaign.table.ts';

export interface CampaignFilter {
  userId: number;
  status?: CampaignStatus;
  trafficSourceId?: number;
  /** The caller's campaign scope; null or absent: every campaign. */
  campaignIds?: CampaignScope;
  limit: number;
  offset: number;
}

export async function insertCampaign(db: Db, row: NewCampaignRow): Promise<CampaignRow> {
  return db.insertInto('campaigns').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findCampaign(db: Db, userId: number, id: number): Promise<CampaignRow | undefined> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Which of `ids` are live campaigns of the account. */
export async function findLiveCampaignIds(db: Db, userId: number, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return rows.map((row) => Number(row.id));
}

export async function findCampaignByUuid(db: Db, uuid: string): Promise<CampaignRow | undefined> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('uuid', '=', uuid)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listCampaigns(db: Db, filter: CampaignFilter): Promise<{ rows: CampaignRow[]; total: number }> {
  let query = db.selectFrom('campaigns').where('user_id', '=', filter.userId).where('deleted_at', 'is', null);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.trafficSourceId !== undefined) query = query.where('traffic_source_id', '=', filter.trafficSourceId);
  if (filter.campaignIds) query = query.where('id', 'in', scopeIds(filter.campaignIds));
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function updateCampaign(
  db: Db,
  userId: number,
  id: number,
  changes: CampaignUpdate,
): Promise<CampaignRow | undefined> {
  return db
    .updateTable('campaigns')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Every campaign of the account, deleted ones included (their clicks stay in reports), with its name, source and
 * cost terms: one read serves a report's names, scope and pricing.
 */
export async function findCampaignRefs(
  db: Db,
  userId: number,
): Promise<Array<Pick<CampaignRow, 'id' | 'name' | 'traffic_source_id' | 'deleted_at' | 'cost_model' | 'cost_value'>>> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'name', 'traffic_source_id', 'deleted_at', 'cost_model', 'cost_value'])
    .where('user_id', '=', userId)
    .execute();
}

/** The account's campaigns (deleted ones included) whose traffic source is `sourceId`. */
export async function findCampaignIdsBySource(db: Db, userId: number, sourceId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('user_id', '=', userId)
    .where('traffic_source_id', '=', sourceId)
    .execute();
  return rows.map((row) => row.id);
}

/** Campaigns (live or not: their recent clicks still count) that set require_beacon. */
export async function findCampaignIdsRequiringBeacon(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('campaigns').select('id').where('require_beacon', '=', 1).execute();
  return rows.map((row) => Number(row.id));
}

/** What conversions need of a campaign, deleted or not: a late postback of a deleted campaign's click is still judged by them. */
export async function findConversionTerms(
  db: Db,
  campaignId: number,
): Promise<
  | Pick<
      CampaignRow,
      'allow_repeat_conversions' | 'cost_model' | 'cost_value' | 'traffic_source_id' | 'min_time_to_convert'
    >
  | undefined
> {
  return db
    .selectFrom('campaigns')
    .select(['allow_repeat_conversions', 'cost_model', 'cost_value', 'traffic_source_id', 'min_time_to_convert'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
}

/** The account's live campaigns that have a flow, to find the ones that use an offer or lander. */
export async function findFlowCampaigns(
  db: Db,
  userId: number,
): Promise<Array<Pick<CampaignRow, 'id' | 'uuid' | 'flow'>>> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'uuid', 'flow'])
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('flow', 'is not', null)
    .orderBy('id')
    .execute();
}

/** A campaign's flow by id, deleted campaigns included (their clicks may still follow a lander link). */
export async function findCampaignFlow(db: Db, campaignId: number): Promise<string | null> {
  const row = await db.selectFrom('campaigns').select('flow').where('id', '=', campaignId).executeTakeFirst();
  return row?.flow ?? null;
}

/** The campaign's owner and Google Ads campaign, deleted or not (a sync already queued still answers to its owner). */
export async function findGoogleAdsLink(
  db: Db,
  campaignId: number,
): Promise<Pick<CampaignRow, 'user_id' | 'google_ads_campaign_id'> | undefined> {
  return db
    .selectFrom('campaigns')
    .select(['user_id', 'google_ads_campaign_id'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
}

export async function findGoogleAdsLinkedCampaignIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('google_ads_campaign_id', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}
