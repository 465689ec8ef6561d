import type { BatchColumn } from '../../storage/dialect-adapter.ts';

/**
 * The dimensions the report cube keeps (migration 028), in key order: the ones buyers pair in reports
 * and whose values are few (tens of countries, a handful of devices, systems, browsers, languages, the
 * account's offers and landers). Placements, cities and sub ids have about as many values as clicks
 * per day: a cube keyed by them would hold a row per click, so those reports stay on the rollups or
 * the raw clicks.
 */
export const CUBE_DIMENSIONS = ['country', 'device', 'os', 'browser', 'offer_id', 'lander_id', 'language'] as const;
export type CubeDimension = (typeof CUBE_DIMENSIONS)[number];

/** What one cube row counts: exactly what a report row's metrics and cost are computed from. */
export const CUBE_COUNTERS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraud_clicks',
  'priced_clicks',
  'priced_cost',
  'fraud_priced_clicks',
  'fraud_priced_cost',
  'lp_clicks',
  'conversions',
  'revenue',
  'suspicious_conversions',
  // The counters of a GROUP BY over the clicks (click-groups.repository.ts), which a cube read returns as.
] as const;
export type CubeCounter = (typeof CUBE_COUNTERS)[number];
export type CubeCounters = Record<CubeCounter, number>;

/**
 * One row of report_cube: a campaign's UTC day (`start`, its first instant) for one combination of every
 * dimension's values ('' or 0 for none), under the writing process's shard (as click_stats_periods:
 * processes never wait on each other's row locks; reads sum over it). Only days, only the full grain: the
 * click transaction writes one row per combination, and reads derive weeks (a sum of days) and coarser
 * groupings (a GROUP BY) — writing those too cost the tracker four upserts per combination (issue 20).
 */
export interface ReportCubeTable extends CubeCounters {
  user_id: number;
  start: number;
  campaign_id: number;
  country: string;
  device: string;
  os: string;
  browser: string;
  offer_id: number;
  lander_id: number;
  language: string;
  shard: number;
}

export const CUBE_KEY_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'start', pgType: 'bigint' },
  { name: 'campaign_id', pgType: 'bigint' },
  { name: 'country', pgType: 'text' },
  { name: 'device', pgType: 'text' },
  { name: 'os', pgType: 'text' },
  { name: 'browser', pgType: 'text' },
  { name: 'offer_id', pgType: 'bigint' },
  { name: 'lander_id', pgType: 'bigint' },
  { name: 'language', pgType: 'text' },
  { name: 'shard', pgType: 'bigint' },
];

const MONEY = new Set<CubeCounter>(['priced_cost', 'fraud_priced_cost', 'revenue']);

export const CUBE_COUNTER_COLUMNS: readonly BatchColumn[] = CUBE_COUNTERS.map((name) => ({
  name,
  pgType: MONEY.has(name) ? 'double precision' : 'bigint',
}));

/**
 * The folded cube's grains (report_cube_folded, migration 029): every dimension, and the same rows with os
 * and browser folded (''). Systems and browsers multiply each country and device by a few dozen
 * combinations, so a report without them reads the narrow grain, several times fewer rows.
 */
export const FULL_GRAIN = 0;
export const NARROW_GRAIN = 1;
/** Folded ('') in the narrow grain. */
export const WIDE_DIMENSIONS: ReadonlySet<CubeDimension> = new Set(['os', 'browser']);

/**
 * One row of report_cube_folded: what the background folder (report-cube-folder.ts) moved out of
 * report_cube, merged over the writers' shards, at one grain and period (DAILY or WEEKLY, Monday to Monday).
 * Only the folder writes it, so the click path keeps its one upsert per combination.
 */
export interface ReportCubeFoldedTable extends CubeCounters {
  user_id: number;
  /** FULL_GRAIN or NARROW_GRAIN. */
  grain: number;
  /** periods.ts DAILY or WEEKLY. */
  hours: number;
  start: number;
  campaign_id: number;
  country: string;
  device: string;
  os: string;
  browser: string;
  offer_id: number;
  lander_id: number;
  language: string;
}
