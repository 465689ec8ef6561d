import type { CampaignScope } from '../../campaign-scope.ts';
import type { Db } from '../../storage/database.ts';
import type { EventBus } from '../../events.ts';
import { notFound, validationError } from '../../errors.ts';
import { randomBase62 } from '../../random-base62.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { DEFAULT_BLOCKED_FRAUD_TYPES, toCampaign, type Campaign, type TodayCounts } from './campaign.ts';
import { checkCampaignInput, normalizeCountry, type CampaignInput } from './campaign-input.ts';
import {
  findCampaign,
  findCampaignByUuid,
  insertCampaign,
  listCampaigns,
  updateCampaign,
} from './campaign.repository.ts';
import type { CampaignRow, CampaignStatus, CampaignUpdate, CostModel, FraudAction } from './campaign.table.ts';
import { createCampaignLookupService } from './campaign-lookup.service.ts';
import { auditedCreate, auditedDelete, auditedUpdate } from '../audit/audited.ts';
import { flowTargets, type Flow } from '../flows/flow.ts';
import { checkFlow, type OwnedTargets } from '../flows/flow-input.ts';

export interface CampaignServiceDeps {
  db: Db;
  events: EventBus;
  publicUrl: string;
  trafficSourceExists(userId: number, id: number): Promise<boolean>;
  /** Each traffic source's part of a tracking URL (`?param=token&…`) by id; supplied by traffic sources. */
  sourceTrackingQueries?(userId: number, ids: readonly number[]): Promise<Map<number, string>>;
  /** Today's counts per campaign id (UTC day) of one account; supplied by statistics. */
  countToday?(userId: number, campaignIds: number[]): Promise<Map<number, TodayCounts>>;
  /** Which of these offers and landers are the account's (offers and landers); absent: none are. */
  ownedFlowTargets?(userId: number, offerIds: number[], landerIds: number[]): Promise<OwnedTargets>;
  now?: () => number;
}

const countries = (list: string[] | undefined) =>
  list === undefined ? undefined : JSON.stringify([...new Set(list.map(normalizeCountry))]);
const list = (items: readonly string[] | undefined) =>
  items === undefined ? undefined : JSON.stringify([...new Set(items)]);

/** The columns an input sets; undefined fields are left as they are (PUT merges). */
function toColumns(input: CampaignInput): CampaignUpdate {
  const columns: CampaignUpdate = {
    name: input.name,
    status: input.status as CampaignStatus | undefined,
    traffic_source_id: input.traffic_source_id,
    cost_model: input.cost_model as CostModel | undefined,
    cost_value: input.cost_value,
    destination_url: input.destination_url === '' ? null : input.destination_url,
    allowed_countries: countries(input.allowed_countries),
    blocked_countries: countries(input.blocked_countries),
    allowed_devices: list(input.allowed_devices),
    ip_blocklist: list(input.ip_blocklist),
    fraud_action: input.fraud_action as FraudAction | undefined,
    blocked_fraud_types: list(input.blocked_fraud_types),
    allow_repeat_conversions:
      input.allow_repeat_conversions === undefined ? undefined : input.allow_repeat_conversions ? 1 : 0,
    min_time_to_convert: input.min_time_to_convert,
    require_beacon: input.require_beacon === undefined ? undefined : input.require_beacon ? 1 : 0,
    flow: input.flow === undefined ? undefined : input.flow === null ? null : JSON.stringify(input.flow),
    google_ads_campaign_id: input.google_ads_campaign_id,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

export function createCampaignService(deps: CampaignServiceDeps) {
  const { db, events, publicUrl } = deps;
  const now = deps.now ?? Date.now;
  const lookup = createCampaignLookupService({ db });

  const present = async (rows: CampaignRow[]): Promise<Campaign[]> => {
    // Every row of one call belongs to one account.
    const userId = rows[0]?.user_id;
    const sourceIds = rows.flatMap((r) => (r.traffic_source_id === null ? [] : [r.traffic_source_id]));
    const [today, sourceQueries] = await Promise.all([
      userId !== undefined && deps.countToday
        ? deps.countToday(
            userId,
            rows.map((r) => r.id),
          )
        : new Map<number, TodayCounts>(),
      userId !== undefined && sourceIds.length > 0 && deps.sourceTrackingQueries
        ? deps.sourceTrackingQueries(userId, sourceIds)
        : new Map<number, string>(),
    ]);
    return rows.map((row) =>
      toCampaign(
        row,
        publicUrl,
        today.get(row.id),
        row.traffic_source_id === null ? undefined : sourceQueries.get(row.traffic_source_id),
      ),
    );
  };

  const checkTrafficSource = async (userId: number, id: number | null | undefined) => {
    if (id !== undefined && id !== null && !(await deps.trafficSourceExists(userId, id))) {
      throw validationError('traffic_source_id', `Traffic source ${id} does not exist`);
    }
  };

  /** The flow as stored, after every reference is checked: a refused flow leaves nothing half-saved. */
  const checkedFlow = async (userId: number, flow: Flow | null | undefined): Promise<Flow | null | undefined> => {
    if (!flow) return flow;
    const { offerIds, landerIds } = flowTargets(flow);
    const owned = deps.ownedFlowTargets
      ? await deps.ownedFlowTargets(userId, offerIds, landerIds)
      : { offerIds: new Set<number>(), landerIds: new Set<number>() };
    return checkFlow(flow, owned);
  };

  const changed = (row: CampaignRow) => events.emit('campaign.changed', { campaignId: row.id, uuid: row.uuid });

  return {
    async create(userId: number, given: CampaignInput & { name: string }): Promise<Campaign> {
      checkCampaignInput(given);
      await checkTrafficSource(userId, given.traffic_source_id);
      const input = { ...given, flow: await checkedFlow(userId, given.flow) };
      const at = now();
      const row = await auditedCreate(db, userId, 'campaign', (trx) =>
        insertCampaign(trx, {
          user_id: userId,
          uuid: randomBase62(16),
          name: input.name,
          status: 'active',
          traffic_source_id: null,
          cost_model: 'cpc',
          cost_value: 0,
          destination_url: null,
          allowed_countries: '[]',
          blocked_countries: '[]',
          allowed_devices: '[]',
          ip_blocklist: '[]',
          fraud_action: 'monitor',
          blocked_fraud_types: JSON.stringify(DEFAULT_BLOCKED_FRAUD_TYPES),
          allow_repeat_conversions: 0,
          require_beacon: 0,
          flow: null,
          ...toColumns(input),
          created_at: at,
          updated_at: at,
          deleted_at: null,
        }),
      );
      return (await present([row]))[0]!;
    },

    async get(userId: number, id: number): Promise<Campaign> {
      const row = await findCampaign(db, userId, id);
      if (!row) throw notFound('Campaign');
      return (await present([row]))[0]!;
    },

    checkOwned: lookup.checkOwned,

    async list(
      userId: number,
      page: PageRequest,
      filter: { status?: CampaignStatus; traffic_source_id?: number; campaigns?: CampaignScope },
    ): Promise<Page<Campaign>> {
      const { rows, total } = await listCampaigns(db, {
        userId,
        status: filter.status,
        trafficSourceId: filter.traffic_source_id,
        campaignIds: filter.campaigns,
        limit: page.perPage,
        offset: page.offset,
      });
      return { items: await present(rows), total };
    },

    async update(userId: number, id: number, given: CampaignInput): Promise<Campaign> {
      checkCampaignInput(given);
      await checkTrafficSource(userId, given.traffic_source_id);
      const input = { ...given, flow: await checkedFlow(userId, given.flow) };
      const row = await auditedUpdate(
        db,
        userId,
        'campaign',
        (trx) => findCampaign(trx, userId, id),
        (trx) => updateCampaign(trx, userId, id, { ...toColumns(input), updated_at: now() }),
      );
      if (!row) throw notFound('Campaign');
      changed(row);
      return (await present([row]))[0]!;
    },

    async remove(userId: number, id: number): Promise<void> {
      const row = await auditedDelete(
        db,
        userId,
        'campaign',
        (trx) => findCampaign(trx, userId, id),
        (trx) => updateCampaign(trx, userId, id, { deleted_at: now(), updated_at: now() }),
      );
      if (!row) throw notFound('Campaign');
      changed(row);
    },

    /** For the tracker: a live (not deleted) campaign by its public uuid, any status. */
    findByUuid: (uuid: string): Promise<CampaignRow | undefined> => findCampaignByUuid(db, uuid),
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
