import type { Counters } from './click-stats.table.ts';
import { costOf, savingsOf, type CostTerms } from './formulas.ts';
import { DAY } from './periods.ts';

/** A campaign's day whose cost was set (POST /campaigns/{id}/costs): its share of the range's amount. */
export interface SetCostDay {
  readonly campaign_id: number;
  /** Epoch ms of the UTC day's start. */
  readonly day: number;
  readonly amount: number;
}

/** The counters a cost and a saving are computed from (formulas.ts). */
export const CHARGE_COUNTERS = [
  'clicks',
  'conversions',
  'revenue',
  'priced_clicks',
  'priced_cost',
  'fraud_clicks',
  'fraud_priced_clicks',
  'fraud_priced_cost',
] as const;
export type ChargeCounters = Pick<Counters, (typeof CHARGE_COUNTERS)[number]>;

/**
 * What a report's part of a day with a set cost changes: the part's share of the day's amount in place
 * of what the rollups charged it (model and per-click cost). A day's amount is shared out by clicks,
 * fraudulent ones included, so the fraud savings are the fraudulent clicks' share. A day without clicks
 * has no clicks to share by: its amount goes by `timeShare` (the part of the day the report covers),
 * and only to totals (analytics rows have clicks).
 */
export function setCostChange(
  terms: CostTerms | undefined,
  set: SetCostDay,
  dayClicks: number,
  part: Partial<ChargeCounters>,
  timeShare = 0,
): { cost: number; savings: number } {
  const counters: ChargeCounters = {
    clicks: part.clicks ?? 0,
    conversions: part.conversions ?? 0,
    revenue: part.revenue ?? 0,
    priced_clicks: part.priced_clicks ?? 0,
    priced_cost: part.priced_cost ?? 0,
    fraud_clicks: part.fraud_clicks ?? 0,
    fraud_priced_clicks: part.fraud_priced_clicks ?? 0,
    fraud_priced_cost: part.fraud_priced_cost ?? 0,
  };
  const share = dayClicks > 0 ? counters.clicks / dayClicks : timeShare;
  const fraudShare = dayClicks > 0 ? counters.fraud_clicks / dayClicks : 0;
  return {
    cost: set.amount * share - (terms ? costOf(terms, counters) : 0),
    savings: set.amount * fraudShare - (terms ? savingsOf(terms, counters) : 0),
  };
}

/** The set days as stretches of consecutive days, [from, to) each: one key-range read per stretch. */
export function dayStretches(days: readonly number[]): Array<{ from: number; to: number }> {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const stretches: Array<{ from: number; to: number }> = [];
  for (const day of sorted) {
    const last = stretches.at(-1);
    if (last && last.to === day) last.to = day + DAY;
    else stretches.push({ from: day, to: day + DAY });
  }
  return stretches;
}

/** The one cost model every campaign shares, if they do: their sums over all campaigns can then be charged at once. */
export function sharedTerms(terms: ReadonlyMap<number, CostTerms>): CostTerms | undefined {
  let shared: CostTerms | undefined;
  for (const each of terms.values()) {
    if (!shared) shared = each;
    else if (shared.model !== each.model || shared.value !== each.value) return undefined;
  }
  return shared;
}
