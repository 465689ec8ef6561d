import type { Static } from 'typebox';
import type { CostModel } from '../campaigns/campaign.enums.ts';
import type { FraudStatsSchema, StatsSchema } from '../../schemas/stats.ts';
import { zeroCounters as zeroCountersOf, type Counters } from './click-stats.table.ts';

export interface CostTerms {
  readonly model: CostModel;
  readonly value: number;
}

/** Money and percentages are shown to the cent (SPEC §3). */
export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part / whole) * 100);

/** The counters a cost is computed from. */
export type CostCounters = Pick<Counters, 'clicks' | 'conversions' | 'revenue' | 'priced_clicks' | 'priced_cost'>;
export type SavingsCounters = Pick<Counters, 'fraud_clicks' | 'fraud_priced_clicks' | 'fraud_priced_cost'>;

/** What one click costs under a per-click model; undefined for models that charge per conversion. */
function perClick(terms: CostTerms): number | undefined {
  if (terms.model === 'cpc') return terms.value;
  if (terms.model === 'cpm') return terms.value / 1000;
  return undefined;
}

/**
 * What the traffic cost (SPEC §3, §7): under a per-click model, each click that carried its own price
 * (cost_param) at that price and the others at the model's; CPA and revshare per conversion. With no
 * priced clicks this is exactly §3's formula, so the reference's numbers hold.
 */
export function costOf(terms: CostTerms, counters: CostCounters): number {
  const rate = perClick(terms);
  if (rate !== undefined) return counters.priced_cost + rate * (counters.clicks - counters.priced_clicks);
  return terms.model === 'cpa' ? terms.value * counters.conversions : (terms.value / 100) * counters.revenue;
}

/** What the fraudulent clicks were charged, each as it was (SPEC §7): only per-click models charge for a click. */
export function savingsOf(terms: CostTerms, counters: SavingsCounters): number {
  const rate = perClick(terms);
  if (rate === undefined) return 0;
  return counters.fraud_priced_cost + rate * (counters.fraud_clicks - counters.fraud_priced_clicks);
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
    suspicious_conversions: counters.suspicious_conversions,
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
    suspicious_conversions: counters.suspicious_conversions,
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
  'suspicious_conversions',
  'revenue',
  'priced_clicks',
  'priced_cost',
  'lp_clicks',
] as const;
export type AnalyticsCounters = Pick<Counters, (typeof ANALYTICS_COUNTERS)[number]>;

export interface Measures {
  clicks: number;
  unique_clicks: number;
  real_clicks: number;
  bot_clicks: number;
  vpn_clicks: number;
  cloaked_clicks: number;
  fraudulent_clicks: number;
  conversions: number;
  suspicious_conversions: number;
  revenue: number;
  /** Only when the report asked for them (with_cost): the row's cost and what follows from it. */
  cost?: number;
  profit?: number;
  roi?: number;
  cr: number;
  fraud_rate: number;
  lp_clicks: number;
  /** Lander click-throughs per click, percent. */
  lp_ctr: number;
}

/** One analytics row's measures; with `cost` (unrounded: what its clicks and conversions cost), its money too. */
export function measures(counters: AnalyticsCounters, cost?: number): Measures {
  const row: Measures = {
    clicks: counters.clicks,
    unique_clicks: counters.unique_clicks,
    real_clicks: counters.real_clicks,
    bot_clicks: counters.bot_clicks,
    vpn_clicks: counters.vpn_clicks,
    cloaked_clicks: counters.cloaked_clicks,
    fraudulent_clicks: counters.fraud_clicks,
    conversions: counters.conversions,
    suspicious_conversions: counters.suspicious_conversions,
    revenue: round2(counters.revenue),
    cr: round2(percent(counters.conversions, counters.real_clicks)),
    fraud_rate: round2(percent(counters.fraud_clicks, counters.clicks)),
    lp_clicks: counters.lp_clicks,
    lp_ctr: round2(percent(counters.lp_clicks, counters.clicks)),
  };
  if (cost === undefined) return row;
  const profit = counters.revenue - cost;
  row.cost = round2(cost);
  row.profit = round2(profit);
  row.roi = cost === 0 ? 0 : round2(percent(profit, cost));
  return row;
}

/** Adds the counters `into` has (all of them, or the ones a report read). */
export function addCounters<T extends Partial<Counters>>(into: T, more: T): T {
  const target = into as Record<string, number>;
  const source = more as Record<string, number>;
  for (const name of Object.keys(target)) target[name] = (target[name] ?? 0) + (source[name] ?? 0);
  return into;
}

/** The counters a report row's metrics are computed from (a rollup's or a GROUP BY over clicks). */
export type ReportCounters = Pick<
  Counters,
  | 'clicks'
  | 'unique_clicks'
  | 'real_clicks'
  | 'bot_clicks'
  | 'vpn_clicks'
  | 'cloaked_clicks'
  | 'fraud_clicks'
  | 'lp_clicks'
  | 'conversions'
  | 'revenue'
  | 'suspicious_conversions'
>;

/**
 * A report row's metrics (SPEC section 9): the statistics object and the fraud figures of the same
 * counters, plus cpc, what a click cost on average. `cost` and `savings` unrounded.
 */
export function reportMetrics(counters: ReportCounters, cost: number, savings: number) {
  const all = { ...zeroCountersOf(), ...counters };
  const stats = summarize(all, cost);
  const fraud = summarizeFraud(all, savings);
  return {
    clicks: stats.clicks,
    unique_clicks: stats.unique_clicks,
    real_clicks: stats.real_clicks,
    bot_clicks: stats.bot_clicks,
    vpn_clicks: stats.vpn_clicks,
    cloaked_clicks: stats.cloaked_clicks,
    fraudulent_clicks: fraud.fraudulent_clicks,
    fraud_rate: fraud.fraud_rate,
    lp_clicks: stats.lp_clicks,
    lp_ctr: stats.lp_ctr,
    conversions: stats.conversions,
    suspicious_conversions: stats.suspicious_conversions,
    revenue: stats.revenue,
    cost: stats.cost,
    profit: stats.profit,
    roi: stats.roi,
    cr: stats.cr,
    epc: stats.epc,
    cpc: counters.clicks === 0 ? 0 : round2(cost / counters.clicks),
    estimated_savings: fraud.estimated_savings,
  };
}
export type ReportMetrics = ReturnType<typeof reportMetrics>;
