import type { Db } from '../../storage/database.ts';
import { notFound } from '../../errors.ts';
import {
  findCampaign,
  findCampaignFlow,
  findCampaignIdsBySource,
  findCampaignRefs,
  findCampaignIdsRequiringBeacon,
  findConversionTerms,
  findGoogleAdsLink,
  findGoogleAdsLinkedCampaignIds,
  findLiveCampaignIds,
  findFlowCampaigns,
} from './campaign.repository.ts';
import { flowUses, type CampaignRef, type Flow, type FlowTargetRef } from '../flows/flow.ts';
import type { CostModel } from './campaign.table.ts';
import type { CostTerms } from '../stats/formulas.ts';

/** What a report names a campaign by, groups it under and prices it with. */
export interface ReportCampaign {
  readonly name: string;
  readonly trafficSourceId: number | null;
  readonly deleted: boolean;
  readonly costTerms: CostTerms;
}

export interface CampaignLookupServiceDeps {
  db: Db;
}

/**
 * The reads of campaigns that other features need (statistics, webhooks, conversions). It depends on nothing but
 * storage, so it is built before them, and the campaign service can in turn read their counts.
 */
export function createCampaignLookupService(deps: CampaignLookupServiceDeps) {
  const { db } = deps;
  const lookup = {
    /** 404 unless the campaign is the account's (filters by campaign_id answer like the campaign itself). */
    async checkOwned(userId: number, id: number): Promise<void> {
      if (!(await findCampaign(db, userId, id))) throw notFound('Campaign');
    },

    /** The ids among `ids` that are not live campaigns of the account (a member's campaign limit names live ones). */
    async unknownCampaigns(userId: number, ids: readonly number[]): Promise<number[]> {
      const live = new Set(await findLiveCampaignIds(db, userId, ids));
      return ids.filter((id) => !live.has(id));
    },

    /** Each campaign's cost model and value, deleted campaigns included, for statistics. */
    async costTerms(userId: number): Promise<Map<number, CostTerms>> {
      return new Map([...(await lookup.refs(userId))].map(([id, campaign]) => [id, campaign.costTerms]));
    },

    /** For reports: each campaign's name, traffic source and cost terms, deleted ones included (marked so). */
    async refs(userId: number): Promise<Map<number, ReportCampaign>> {
      return new Map(
        (await findCampaignRefs(db, userId)).map((row) => [
          Number(row.id),
          {
            name: row.name,
            trafficSourceId: row.traffic_source_id,
            deleted: row.deleted_at !== null,
            costTerms: { model: row.cost_model, value: row.cost_value },
          },
        ]),
      );
    },

    /**
     * For a traffic source's reports: the campaigns it currently feeds, deleted ones included (their
     * clicks came from it). A campaign moved to another source takes its past clicks with it.
     */
    async campaignIdsOfSource(userId: number, sourceId: number): Promise<number[]> {
      return findCampaignIdsBySource(db, userId, sourceId);
    },

    /** For the Google Ads connector: the campaign's owner and linked Google Ads campaign (deleted campaigns too). */
    async googleAdsLink(
      campaignId: number,
    ): Promise<{ userId: number; googleAdsCampaignId: string | null } | undefined> {
      const row = await findGoogleAdsLink(db, campaignId);
      return row ? { userId: row.user_id, googleAdsCampaignId: row.google_ads_campaign_id } : undefined;
    },

    /** 404 unless the campaign is the account's; its Google Ads campaign id (null when not linked). */
    async ownedGoogleAdsLink(userId: number, campaignId: number): Promise<string | null> {
      const row = await findCampaign(db, userId, campaignId);
      if (!row) throw notFound('Campaign');
      return row.google_ads_campaign_id;
    },

    /** The account's live campaigns linked to a Google Ads campaign (the exclusion schedule's work). */
    linkedToGoogleAds: (userId: number): Promise<number[]> => findGoogleAdsLinkedCampaignIds(db, userId),

    /**
     * For conversions: whether the campaign counts repeats, its cost terms (the payout check's fallback),
     * its traffic source (postbacks), the fastest a person converts (fake leads).
     */
    async conversionTerms(campaignId: number): Promise<
      | {
          allowRepeats: boolean;
          costModel: CostModel;
          costValue: number;
          trafficSourceId: number | null;
          minTimeToConvert: number;
        }
      | undefined
    > {
      const row = await findConversionTerms(db, campaignId);
      return row
        ? {
            allowRepeats: row.allow_repeat_conversions === 1,
            costModel: row.cost_model,
            costValue: row.cost_value,
            trafficSourceId: row.traffic_source_id,
            minTimeToConvert: row.min_time_to_convert,
          }
        : undefined;
    },

    /** For the missing-beacon sweep: every campaign that set require_beacon. */
    campaignIdsRequiringBeacon: (): Promise<number[]> => findCampaignIdsRequiringBeacon(db),

    /** Live campaigns whose flow sends visitors to the offer or lander (offers and landers refuse to delete them). */
    async campaignsUsing(userId: number, ref: FlowTargetRef): Promise<CampaignRef[]> {
      const rows = await findFlowCampaigns(db, userId);
      return rows
        .filter((row) => row.flow !== null && flowUses(JSON.parse(row.flow) as Flow, ref))
        .map((row) => ({ id: row.id, uuid: row.uuid }));
    },

    /** The flow of a campaign by id, for a lander link; null when it has none. */
    async flowOf(campaignId: number): Promise<Flow | null> {
      const flow = await findCampaignFlow(db, campaignId);
      return flow === null ? null : (JSON.parse(flow) as Flow);
    },
  };
  return lookup;
}

export type CampaignLookupService = ReturnType<typeof createCampaignLookupService>;
