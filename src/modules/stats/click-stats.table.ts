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
 * a report never scans raw clicks. Two grains: a campaign's totals per UTC hour (stats, time zones,
 * hour of day), and per UTC day for each dimension value (countries, devices, sub ids…). Per hour,
 * a city or a sub id would need about one row per click; per day a month is 30 rows per value.
 */
export interface ClickStatsHourlyTable extends Counters {
  user_id: number;
  campaign_id: number;
  /** Epoch ms of the UTC hour's start. */
  hour: number;
}

export interface ClickStatsDailyTable extends Counters {
  user_id: number;
  campaign_id: number;
  /** Epoch ms of the UTC day's start. */
  day: number;
  dimension: string;
  /** '' when the click had no value (unknown country, no sub1). */
  value: string;
}

export type ClickStatsHourlyRow = Selectable<ClickStatsHourlyTable>;
export type ClickStatsDailyRow = Selectable<ClickStatsDailyTable>;

export const HOURLY_KEY_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'hour', pgType: 'bigint' },
  { name: 'campaign_id', pgType: 'bigint' },
];

export const DAILY_KEY_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'dimension', pgType: 'text' },
  { name: 'campaign_id', pgType: 'bigint' },
  { name: 'day', pgType: 'bigint' },
  { name: 'value', pgType: 'text' },
];

export const STATS_COUNTER_COLUMNS: readonly BatchColumn[] = COUNTER_NAMES.map((name) => ({ name, pgType: name === 'revenue' ? 'double precision' : 'bigint' }));

export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as Counters;
}
