import { notFound } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import type { CostedValue, RangeQuery } from '../stats/stats.service.ts';
import {
  DEFAULT_EXCLUSION_MAX_FRAUD_RATE,
  DEFAULT_EXCLUSION_MIN_CLICKS,
  type PlacementSort,
} from './placement.enums.ts';
import { exclusionText, selectExclusions, sortPlacements, toPlacement, type Placement } from './placements.ts';

export interface PlacementReportServiceDeps {
  /** Whether the source is the account's (another tenant's is a 404). */
  sourceExists(userId: number, sourceId: number): Promise<boolean>;
  /** The campaigns the source feeds, deleted ones included. */
  campaignIdsOfSource(userId: number, sourceId: number): Promise<number[]>;
  /** The stats module's per-value sums over campaigns, priced by its cost computation. */
  costedPlacements(userId: number, campaignIds: readonly number[], query: RangeQuery): Promise<CostedValue[]>;
}

export interface PlacementsQuery {
  from?: string;
  to?: string;
  sort?: PlacementSort;
  order?: 'asc' | 'desc';
}

export interface PlacementExclusionsQuery {
  from?: string;
  to?: string;
  max_fraud_rate?: number;
  min_clicks?: number;
}

/**
 * A traffic source's placements (zones, sites, publishers) over every campaign it feeds, read from the
 * rollups' `placement` dimension, and the blacklist of those that send fraud: the native and push
 * networks' counterpart of the Google IP exclusion list.
 */
export function createPlacementReportService(deps: PlacementReportServiceDeps) {
  const costed = async (userId: number, sourceId: number, range: RangeQuery) => {
    if (!(await deps.sourceExists(userId, sourceId))) throw notFound('Traffic source');
    const campaignIds = await deps.campaignIdsOfSource(userId, sourceId);
    // Asked even without campaigns: the range is still checked (400 for a bad one).
    return deps.costedPlacements(userId, campaignIds, { from: range.from, to: range.to });
  };

  return {
    async placements(
      userId: number,
      sourceId: number,
      query: PlacementsQuery,
      page: PageRequest,
    ): Promise<Page<Placement>> {
      const sort = query.sort ?? 'clicks';
      const order = query.order ?? (sort === 'placement' ? 'asc' : 'desc');
      const rows = sortPlacements((await costed(userId, sourceId, query)).map(toPlacement), sort, order);
      return { items: rows.slice(page.offset, page.offset + page.perPage), total: rows.length };
    },

    async exclusions(userId: number, sourceId: number, query: PlacementExclusionsQuery): Promise<Placement[]> {
      return selectExclusions(await costed(userId, sourceId, query), {
        minClicks: query.min_clicks ?? DEFAULT_EXCLUSION_MIN_CLICKS,
        maxFraudRate: query.max_fraud_rate ?? DEFAULT_EXCLUSION_MAX_FRAUD_RATE,
      });
    },

    /** The list in the network's blacklist form (text/plain). */
    exclusionText(list: readonly Placement[]): string {
      return exclusionText(list);
    },
  };
}

export type PlacementReportService = ReturnType<typeof createPlacementReportService>;
