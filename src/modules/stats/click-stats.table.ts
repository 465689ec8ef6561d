import type { Selectable } from 'kysely';
import type { BatchColumn } from '../../storage/dialect-adapter.ts';

/** What each rollup row counts. Fraud columns count each fraudulent click once, under its primary type. */
export const COUNTER_NAMES = [
  'clicks', 'unique_clicks', 'real_clicks', 'bot_clicks', 'vpn_clicks', 'cloaked_clicks', 'verified_bot_clicks',
  'fraud_clicks', 'fraud_bot', 'fraud_rapid_fire', 'fraud_click_farm', 'fraud_datacenter', 'fraud_vpn', 'fraud_duplicate',
  'conversions', 'revenue',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, number>;

/**
 * Rollups, kept up to date in the transactions that write clicks, late findings and conversions, so
 * a report never scans raw clicks. A campaign's totals per UTC hour (time zones, hour of day, the
 * edges of a range), and per period for each dimension value (countries, devices, sub ids…) and the
 * totals. Per hour, a city or a sub id would need about one row per click; per day a month is 30 rows
 * per value; see periods.ts for why there are weeks and an all-campaigns copy too.
 */
export interface ClickStatsHourlyTable extends Counters {
  user_id: number;
  campaign_id: number;
  /** Epoch ms of the UTC hour's start. */
  hour: number;
}

export interface ClickStatsPeriodTable extends Counters {
  user_id: number;
  /** A stored dimension, or '' for the campaign's totals (value '' too). */
  dimension: string;
  /** ALL_CAMPAIGNS (0) for the sum over the account's campaigns. */
  campaign_id: number;
  /** The period's length: 1 (a UTC day) or 7 (a week, Monday to Monday, UTC). */
  days: number;
  /** Epoch ms of the period's first UTC day. */
  day: number;
  /** '' when the click had no value (unknown country, no sub1). */
  value: string;
}

export type ClickStatsHourlyRow = Selectable<ClickStatsHourlyTable>;
export type ClickStatsPeriodRow = Selectable<ClickStatsPeriodTable>;

export const HOURLY_KEY_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'hour', pgType: 'bigint' },
  { name: 'campaign_id', pgType: 'bigint' },
];

export const PERIOD_KEY_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'dimension', pgType: 'text' },
  { name: 'campaign_id', pgType: 'bigint' },
  { name: 'days', pgType: 'bigint' },
  { name: 'day', pgType: 'bigint' },
  { name: 'value', pgType: 'text' },
];

export const STATS_COUNTER_COLUMNS: readonly BatchColumn[] = COUNTER_NAMES.map((name) => ({ name, pgType: name === 'revenue' ? 'double precision' : 'bigint' }));

export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as Counters;
}
