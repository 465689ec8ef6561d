import type { Db } from '../../storage/database.ts';
import { notFound } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { parseDateRange } from '../../date-range.ts';
import { findClick, findClickOwner, listClicks, listRecentVisitors } from './click.repository.ts';
import { toClickDetail, toClickSummary, type ClickDetail, type ClickSummary } from './click.ts';
import type { ClickRow } from './click.table.ts';

export interface ClickListQuery {
  campaign_id?: number;
  from?: string;
  to?: string;
  status?: ClickRow['status'];
  country?: string;
}

export interface ClickServiceDeps {
  db: Db;
  now?: () => number;
}

export function createClickService(deps: ClickServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  return {
    async list(userId: number, page: PageRequest, query: ClickListQuery): Promise<Page<ClickSummary>> {
      const range = parseDateRange(query, now());
      const { rows, total } = await listClicks(db, {
        userId,
        campaignId: query.campaign_id,
        from: range.from,
        to: range.toExclusive,
        status: query.status,
        country: query.country,
        limit: page.perPage,
        offset: page.offset,
      });
      return { items: rows.map(toClickSummary), total };
    },

    async get(userId: number, clickId: string): Promise<ClickDetail> {
      const row = await findClick(db, userId, clickId);
      if (!row) throw notFound('Click');
      return toClickDetail(row);
    },

    /** Who a click belongs to: postbacks arrive with nothing but its id. */
    findOwner: (clickId: string) => findClickOwner(db, clickId),

    /** Visitors seen since `since`, oldest first, to rebuild detection windows after a restart. */
    async recentVisitors(since: number, limit: number) {
      return (await listRecentVisitors(db, since, limit)).reverse();
    },
  };
}

export type ClickService = ReturnType<typeof createClickService>;
