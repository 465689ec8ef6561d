import type { Static } from 'typebox';
import type { CostModel } from '../campaigns/campaign.enums.ts';
import type { FraudStatsSchema, StatsSchema } from '../../schemas/stats.ts';
import type { Counters } from './click-stats.table.ts';

export interface CostTerms {
  readonly model: CostModel;
  readonly value: number;
}

/** Money and percentages are shown to the cent (SPEC §3). */
export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part / whole) * 100);

/** What the traffic cost under the campaign's model (SPEC §3). */
export function costOf(terms: CostTerms, counters: Pick<Counters, 'clicks' | 'conversions' | 'revenue'>): number {
  switch (terms.model) {
    case 'cpc':
      return terms.value * counters.clicks;
    case 'cpm':
      return (terms.value * counters.clicks) / 1000;
    case 'cpa':
      return terms.value * counters.conversions;
    case 'revshare':
      return (terms.value / 100) * counters.revenue;
  }
}

/** What fraudulent clicks would have been charged: only per-click models charge for a click. */
export function savingsOf(terms: CostTerms, fraudulentClicks: number): number {
  if (terms.model === 'cpc') return terms.value * fraudulentClicks;
  if (terms.model === 'cpm') return (terms.value * fraudulentClicks) / 1000;
  return 0;
}

export type StatsSummary = Static<typeof StatsSchema>;

/** The reference's statistics object from summed counters and the (unrounded) cost. */
export function summarize(counters: Counters, cost: number): StatsSummary {
  const profit = counters.revenue - cost;
  return {
    clicks: counters.clicks,
    unique_clicks: counters.unique_clicks,
    real_clicks: counters.real_clicks,
    bot_clicks: counters.bot_clicks,
    vpn_clicks: counters.vpn_clicks,
    cloaked_clicks: counters.cloaked_clicks,
    conversions: counters.conversions,
    revenue: round2(counters.revenue),
    cost: round2(cost),
    profit: round2(profit),
    roi: cost === 0 ? 0 : round2(percent(profit, cost)),
    cr: round2(percent(counters.conversions, counters.real_clicks)),
    epc: counters.clicks === 0 ? 0 : round2(counters.revenue / counters.clicks),
    lp_clicks: counters.lp_clicks,
    lp_ctr: round2(percent(counters.lp_clicks, counters.clicks)),
  };
}

export type FraudSummary = Static<typeof FraudStatsSchema>;

export function summarizeFraud(counters: Counters, savings: number): FraudSummary {
  return {
    total_clicks: counters.clicks,
    fraudulent_clicks: counters.fraud_clicks,
    fraud_rate: round2(percent(counters.fraud_clicks, counters.clicks)),
    fraud_by_type: {
      bot: counters.fraud_bot,
      duplicate: counters.fraud_duplicate,
      vpn: counters.fraud_vpn,
      datacenter: counters.fraud_datacenter,
      rapid_fire: counters.fraud_rapid_fire,
      click_farm: counters.fraud_click_farm,
    },
    estimated_savings: round2(savings),
  };
}

/** The counters an analytics row shows; the rest are not read. */
export const ANALYTICS_COUNTERS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraud_clicks',
  'conversions',
  'revenue',
  'lp_clicks',
] as const;
export type AnalyticsCounters = Pick<Counters, (typeof ANALYTICS_COUNTERS)[number]>;

/** One analytics row's measures. */
export function measures(counters: AnalyticsCounters) {
  return {
    clicks: counters.clicks,
    unique_clicks: counters.unique_clicks,
    real_clicks: counters.real_clicks,
    bot_clicks: counters.bot_clicks,
    vpn_clicks: counters.vpn_clicks,
    cloaked_clicks: counters.cloaked_clicks,
    fraudulent_clicks: counters.fraud_clicks,
    conversions: counters.conversions,
    revenue: round2(counters.revenue),
    cr: round2(percent(counters.conversions, counters.real_clicks)),
    fraud_rate: round2(percent(counters.fraud_clicks, counters.clicks)),
    lp_clicks: counters.lp_clicks,
    lp_ctr: round2(percent(counters.lp_clicks, counters.clicks)),
  };
}

/** Adds the counters `into` has (all of them, or the ones a report read). */
export function addCounters<T extends Partial<Counters>>(into: T, more: T): T {
  const target = into as Record<string, number>;
  const source = more as Record<string, number>;
  for (const name of Object.keys(target)) target[name] = (target[name] ?? 0) + (source[name] ?? 0);
  return into;
}
