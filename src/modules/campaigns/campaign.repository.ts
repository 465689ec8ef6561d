import type { Db } from '../../storage/database.ts';
import type { CampaignRow, CampaignStatus, CampaignUpdate, NewCampaignRow } from './campaign.table.ts';

export interface CampaignFilter {
  userId: number;
  status?: CampaignStatus;
  trafficSourceId?: number;
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

/** Cost terms of the account's campaigns, deleted ones included: their clicks stay in the account's history. */
export async function findCostTerms(
  db: Db,
  userId: number,
): Promise<Array<Pick<CampaignRow, 'id' | 'cost_model' | 'cost_value'>>> {
  return db.selectFrom('campaigns').select(['id', 'cost_model', 'cost_value']).where('user_id', '=', userId).execute();
}

/** Every campaign of the account, deleted ones included (their clicks stay in reports), with its name and source. */
export async function findCampaignRefs(
  db: Db,
  userId: number,
): Promise<Array<Pick<CampaignRow, 'id' | 'name' | 'traffic_source_id' | 'deleted_at'>>> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'name', 'traffic_source_id', 'deleted_at'])
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

/** What conversions need of a campaign, deleted or not: a late postback of a deleted campaign's click is still judged by them. */
export async function findConversionTerms(
  db: Db,
  campaignId: number,
): Promise<
  Pick<CampaignRow, 'allow_repeat_conversions' | 'cost_model' | 'cost_value' | 'traffic_source_id'> | undefined
> {
  return db
    .selectFrom('campaigns')
    .select(['allow_repeat_conversions', 'cost_model', 'cost_value', 'traffic_source_id'])
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
