import { parseDateRange } from '../../date-range.ts';
import { writeAudit } from '../audit/audit.writer.ts';
import { validationError } from '../../errors.ts';
import type { Db } from '../../storage/database.ts';
import type { CampaignCostDayRow } from './campaign-cost.table.ts';
import { findCostDays, replaceCostDays } from './campaign-cost.repository.ts';
import { toCostRanges, type CostRange } from './campaign-cost.ts';

import { MAX_COST_AMOUNT, MAX_COST_RANGE_DAYS } from './campaign-cost-limits.ts';

const DAY = 86_400_000;

export interface CostRangeInput {
  from: string;
  to: string;
  amount: number;
}

/** The day costs a report reads: one campaign's day, and what was set for it. */
export type CostDay = Pick<CampaignCostDayRow, 'campaign_id' | 'day' | 'amount'>;

export interface CampaignCostServiceDeps {
  db: Db;
  /** Throws 404 for a campaign that is not the account's (or deleted). */
  checkOwned(userId: number, campaignId: number): Promise<void>;
  now?: () => number;
}

/**
 * Spend copied from the network's dashboard (SPEC section 7, "Cost"). A range is whole UTC days, as the
 * statistics' from/to are; its amount is spread evenly over its days and stored per day, so a later
 * range that overlaps replaces exactly the days it shares (and leaves the rest of the earlier range at
 * its daily amount). Even, not by clicks: a day's share must not shift as late clicks or late findings
 * arrive. Within a day, reports share the day's amount out by clicks (stats.service.ts).
 */
export function createCampaignCostService(deps: CampaignCostServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  return {
    async set(userId: number, campaignId: number, input: CostRangeInput): Promise<CostRange> {
      await deps.checkOwned(userId, campaignId);
      const range = parseDateRange({ from: input.from, to: input.to }, now());
      const days = (range.toExclusive - range.from) / DAY;
      if (days > MAX_COST_RANGE_DAYS)
        throw validationError('to', `A cost range spans at most ${MAX_COST_RANGE_DAYS} days`);
      if (!Number.isFinite(input.amount) || input.amount < 0 || input.amount > MAX_COST_AMOUNT)
        throw validationError('amount', `The amount must be between 0 and ${MAX_COST_AMOUNT}`);
      const setAt = now();
      const rows = Array.from({ length: days }, (_, i) => ({
        campaign_id: campaignId,
        user_id: userId,
        day: range.from + i * DAY,
        amount: input.amount / days,
        range_from: range.from,
        range_to: range.toExclusive,
        range_amount: input.amount,
        set_at: setAt,
      }));
      await db.transaction().execute(async (trx) => {
        await replaceCostDays(trx, campaignId, range.from, range.toExclusive, rows);
        // One entry per set range (not per day): what the buyer typed is what the log shows.
        await writeAudit(trx, {
          userId,
          action: 'update',
          resourceType: 'campaign_costs',
          resourceId: campaignId,
          before: null,
          after: { from: input.from ?? null, to: input.to ?? null, amount: input.amount },
        });
      });
      const [set] = toCostRanges(rows);
      if (!set) throw new Error('a cost range has at least one day');
      return set;
    },

    /** What is in effect: the set ranges, each cut to the days no later range replaced. */
    async list(userId: number, campaignId: number): Promise<CostRange[]> {
      await deps.checkOwned(userId, campaignId);
      return toCostRanges(await findCostDays(db, { userId, campaignId }));
    },

    /** The set days in [from, to) (epoch ms, UTC days), of one campaign or all of the account's. */
    async days(userId: number, from: number, to: number, campaignId?: number): Promise<CostDay[]> {
      return findCostDays(db, { userId, campaignId, from, to });
    },
  };
}

export type CampaignCostService = ReturnType<typeof createCampaignCostService>;
