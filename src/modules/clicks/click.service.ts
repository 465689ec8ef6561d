import { inCampaignScope, type CampaignScope } from '../../campaign-scope.ts';
import type { Db } from '../../storage/database.ts';
import { notFound } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { parseDateRange } from '../../date-range.ts';
import type { Readable } from 'node:stream';
import {
  findClick,
  findClickOwner,
  findClickForPlatform,
  listClicks,
  listClicksAfter,
  listRecentVisitors,
  type ClickListCursor,
  type ClickScope,
} from './click.repository.ts';
import { groupClicks, type ClickGroup, type ClickGroupQuery } from './click-groups.repository.ts';
import { EXPORT_PAGE_SIZE, keysetPages } from '../../keyset-pages.ts';
import { SUB_ID_NAMES, type SubIdName } from './click.enums.ts';
import { clickCsv } from './click-csv.ts';
import { toClickDetail, toClickSummary, type ClickDetail, type ClickSummary } from './click.ts';
import type { ClickRow } from './click.table.ts';

export type ClickListQuery = {
  campaign_id?: number;
  from?: string;
  to?: string;
  status?: ClickRow['status'];
  country?: string;
  /** The caller's campaign scope (set by the route from the request, never by the query string). */
  campaigns?: CampaignScope;
} & Partial<Record<SubIdName, string>>;

export interface ClickServiceDeps {
  db: Db;
  now?: () => number;
  /** Rows an export reads per query (default EXPORT_PAGE_SIZE). */
  exportPageSize?: number;
}

function subIdsOfQuery(query: ClickListQuery): Partial<Record<SubIdName, string>> {
  const subIds: Partial<Record<SubIdName, string>> = {};
  for (const name of SUB_ID_NAMES) if (query[name] !== undefined) subIds[name] = query[name];
  return subIds;
}

export function createClickService(deps: ClickServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const pageSize = deps.exportPageSize ?? EXPORT_PAGE_SIZE;
  const scopeOf = (userId: number, query: ClickListQuery): ClickScope => {
    const range = parseDateRange(query, now());
    return {
      userId,
      campaignId: query.campaign_id,
      campaignIds: query.campaigns,
      from: range.from,
      to: range.toExclusive,
      status: query.status,
      country: query.country,
      subIds: subIdsOfQuery(query),
    };
  };
  return {
    async list(userId: number, page: PageRequest, query: ClickListQuery): Promise<Page<ClickSummary>> {
      const { rows, total } = await listClicks(db, {
        ...scopeOf(userId, query),
        limit: page.perPage,
        offset: page.offset,
      });
      return { items: rows.map(toClickSummary), total };
    },

    /**
     * Every click of the list's filter as CSV, in the list's order, read a page at a time (memory flat in
     * the number of rows). The range is checked here, before the stream starts, so bad input is a 400.
     * `onError` hears a failure of the reads or the writer, a client that hung up included.
     */
    exportCsv(userId: number, query: ClickListQuery, onError: (error: Error) => void): Readable {
      const scope = scopeOf(userId, query);
      const rows = keysetPages(
        (after: ClickListCursor | null, limit) => listClicksAfter(db, scope, after, limit),
        (row) => ({ createdAt: row.created_at, id: row.id }),
        pageSize,
      );
      return clickCsv(rows, onError);
    },

    /** For reports: the clicks of a range summed per group (click-groups.repository.ts). */
    groupClicks: (query: ClickGroupQuery): Promise<ClickGroup[]> => groupClicks(db, query),

    /** `campaigns`: the caller's campaign scope; a click outside it is as unknown as another account's. */
    async get(userId: number, clickId: string, campaigns: CampaignScope = null): Promise<ClickDetail> {
      const row = await findClick(db, userId, clickId);
      if (!row || !inCampaignScope(campaigns, row.campaign_id)) throw notFound('Click');
      return toClickDetail(row, now());
    },

    /** Who a click belongs to: postbacks arrive with nothing but its id. */
    findOwner: (clickId: string) => findClickOwner(db, clickId),

    /** For the ad-platform connectors: what a conversion's event says of its click. */
    forPlatform: (clickId: string) => findClickForPlatform(db, clickId),

    /** Visitors seen since `since`, oldest first, to rebuild detection windows after a restart. */
    async recentVisitors(since: number, limit: number) {
      return (await listRecentVisitors(db, since, limit)).reverse();
    },
  };
}

export type ClickService = ReturnType<typeof createClickService>;
