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
 * Rollups: per account, campaign, UTC hour and one dimension's value, the counts stats and analytics
 * read. Dimension '' holds the campaign's totals for the hour. Kept up to date in the transactions
 * that write clicks, late findings and conversions, so a report never scans raw clicks.
 */
export interface ClickStatsTable extends Counters {
  user_id: number;
  campaign_id: number;
  /** Epoch ms of the UTC hour's start. */
  hour: number;
  dimension: string;
  /** '' when the click had no value (unknown country, no sub1). */
  value: string;
}

export type ClickStatsRow = Selectable<ClickStatsTable>;

export const STATS_KEY_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'campaign_id', pgType: 'bigint' },
  { name: 'hour', pgType: 'bigint' },
  { name: 'dimension', pgType: 'text' },
  { name: 'value', pgType: 'text' },
];

export const STATS_COUNTER_COLUMNS: readonly BatchColumn[] = COUNTER_NAMES.map((name) => ({ name, pgType: name === 'revenue' ? 'double precision' : 'bigint' }));

export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as Counters;
}
