import type { Generated, Selectable } from 'kysely';
import type { BatchColumn } from '../../storage/dialect-adapter.ts';

/** What each rollup row counts. Fraud columns count each fraudulent click once, under its primary type. */
export const COUNTER_NAMES = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'verified_bot_clicks',
  'fraud_clicks',
  'fraud_bot',
  'fraud_rapid_fire',
  'fraud_click_farm',
  'fraud_datacenter',
  'fraud_vpn',
  'fraud_duplicate',
  'conversions',
  'revenue',
  // Clicks that carried their own price (cost_param) and what they cost, all and fraudulent ones: the
  // rest are charged under the campaign's model at report time (formulas.ts costOf).
  'priced_clicks',
  'priced_cost',
  'fraud_priced_clicks',
  'fraud_priced_cost',
  /** Lander click-throughs (PUBLIC_URL/lp/{clickid}), once per click, at the click's hour and dimensions. */
  'lp_clicks',
  /** Counted conversions flagged suspicious (SPEC section 10's fake leads); also counted in `conversions`. */
  'suspicious_conversions',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, number>;

/** One rollup row's key: whose, which dimension value, which campaign and period. */
interface RollupKey {
  user_id: number;
  /** A stored dimension, or TOTAL ('') for the campaign's totals (value '' too). */
  dimension: string;
  /** ALL_CAMPAIGNS (0) for the sum over the account's campaigns. */
  campaign_id: number;
  /** The period's length: 1 (a UTC hour, totals only), 24 (a UTC day) or 168 (a week, Monday to Monday, UTC). */
  hours: number;
  /** Epoch ms of the period's start. */
  start: number;
  /** '' when the click had no value (unknown country, no sub1). */
  value: string;
}

/**
 * Rollups, kept up to date from the transactions that write clicks, late findings and conversions
 * (through the journal below), so a report never scans raw clicks. One table of sums per period: each
 * campaign's totals per UTC hour (time zones, hour of day, the edges of a range) and per day and week,
 * and each dimension value (countries, devices, sub ids…) per day and week, all of them also summed over
 * the account's campaigns. Per hour, a city or a sub id would need about one row per click; see
 * periods.ts for the rest.
 */
export interface ClickStatsPeriodTable extends RollupKey, Counters {
  /**
   * The folding process's slot (NODE_INDEX and WORKERS index): processes that fold at once write rows
   * of their own, so their transactions never wait on each other's row locks for the hot rows every
   * fold touches (a busy campaign's hour, the all-campaigns totals). Reads sum over it.
   */
  shard: number;
}

export type ClickStatsPeriodRow = Selectable<ClickStatsPeriodTable>;

/** Counters that hold money rather than a count. */
const MONEY_COUNTERS: ReadonlySet<CounterName> = new Set(['revenue', 'priced_cost', 'fraud_priced_cost']);

export const STATS_COUNTER_COLUMNS: readonly BatchColumn[] = COUNTER_NAMES.map((name) => ({
  name,
  pgType: MONEY_COUNTERS.has(name) ? 'double precision' : 'bigint',
}));

/**
 * What the transactions that record clicks, late findings and conversions append: each campaign's own
 * hour and day rows of one batch, as they are. Appending a batch's rows costs a fraction of adding them
 * (with their all-campaigns and week copies) into click_stats_periods, whose rows every batch contends
 * for; the stats folder (stats-folder.ts) moves them there in the background, merged over many batches.
 * Reports read both tables in one statement, so a row counts exactly once whether folded or not.
 */
export interface ClickStatsJournalTable extends RollupKey, Counters {
  id: Generated<number>;
  // campaign_id is never ALL_CAMPAIGNS and hours never WEEKLY here: those copies are made when the row is folded.
}

/**
 * One row (id 1): the end of the UTC weeks whose week rows are built (migration 030). A week's rows are
 * summed from its days once it is over (stats.repository.ts `buildClosedWeek`); the fold adds week copies
 * only for days before `built_until`, and reports read weeks whole only before it.
 */
export interface ClickStatsWeeksTable {
  id: number;
  built_until: number;
  /** The week from built_until is built up to this key (user, dimension, campaign) so far; null: not begun. */
  cursor_user: number | null;
  cursor_dimension: string | null;
  cursor_campaign: number | null;
}

/**
 * Per account (migration 032): raised by the fold each time it changes the rollups of a day that is over,
 * so that sums of closed days kept in memory (closed-sums.ts) know when they are stale.
 */
export interface ClickStatsVersionTable {
  user_id: number;
  version: number;
}

/** What identifies a campaign's own row of one period (and value). */
export const OWN_KEY_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'dimension', pgType: 'text' },
  { name: 'campaign_id', pgType: 'bigint' },
  { name: 'hours', pgType: 'bigint' },
  { name: 'start', pgType: 'bigint' },
  { name: 'value', pgType: 'text' },
];

export const JOURNAL_COLUMNS: readonly BatchColumn[] = [...OWN_KEY_COLUMNS, ...STATS_COUNTER_COLUMNS];

export const PERIOD_KEY_COLUMNS: readonly BatchColumn[] = [...OWN_KEY_COLUMNS, { name: 'shard', pgType: 'bigint' }];

/** Spelled out rather than built from COUNTER_NAMES: the rollup writer makes one per row, on the click path. */
export function zeroCounters(): Counters {
  return {
    clicks: 0,
    unique_clicks: 0,
    real_clicks: 0,
    bot_clicks: 0,
    vpn_clicks: 0,
    cloaked_clicks: 0,
    verified_bot_clicks: 0,
    fraud_clicks: 0,
    fraud_bot: 0,
    fraud_rapid_fire: 0,
    fraud_click_farm: 0,
    fraud_datacenter: 0,
    fraud_vpn: 0,
    fraud_duplicate: 0,
    conversions: 0,
    revenue: 0,
    priced_clicks: 0,
    priced_cost: 0,
    fraud_priced_clicks: 0,
    fraud_priced_cost: 0,
    lp_clicks: 0,
    suspicious_conversions: 0,
  };
}

/**
 * A period row with every counter at 0, spelled out in one literal: the rollup writer makes several per
 * click, and a literal with the counters spread in after the key was built property by property (issue 24:
 * 15 % of the delta's time).
 */
export function emptyPeriodRow(
  userId: number,
  dimension: string,
  campaignId: number,
  hours: number,
  start: number,
  value: string,
  shard: number,
): ClickStatsPeriodTable {
  return {
    user_id: userId,
    dimension,
    campaign_id: campaignId,
    hours,
    start,
    value,
    shard,
    clicks: 0,
    unique_clicks: 0,
    real_clicks: 0,
    bot_clicks: 0,
    vpn_clicks: 0,
    cloaked_clicks: 0,
    verified_bot_clicks: 0,
    fraud_clicks: 0,
    fraud_bot: 0,
    fraud_rapid_fire: 0,
    fraud_click_farm: 0,
    fraud_datacenter: 0,
    fraud_vpn: 0,
    fraud_duplicate: 0,
    conversions: 0,
    revenue: 0,
    priced_clicks: 0,
    priced_cost: 0,
    fraud_priced_clicks: 0,
    fraud_priced_cost: 0,
    lp_clicks: 0,
    suspicious_conversions: 0,
  };
}
