import { parseDateRange, startOfUtcDay } from '../../date-range.ts';
import { validationError } from '../../errors.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { zeroCounters } from './click-stats.table.ts';
import {
  CONVERSION_DIMENSIONS,
  TIME_DIMENSIONS,
  type AnalyticsDimension,
  type ConversionDimension,
  type StoredDimension,
  type TimeDimension,
} from './dimensions.ts';
import {
  ANALYTICS_COUNTERS,
  addCounters,
  costOf,
  measures,
  savingsOf,
  summarize,
  summarizeFraud,
  type AnalyticsCounters,
  type CostTerms,
  type FraudSummary,
  type StatsSummary,
} from './formulas.ts';
import { DAY } from './periods.ts';
import type { AnalyticsSort, SortOrder } from './stats.enums.ts';
import { sumPerCampaign, sumPerHour, sumPerValue } from './stats.repository.ts';
import { openZone, toHour } from './time-zone.ts';

/** Rollups stay after raw clicks are gone; a report may span a year and a day (a leap year, inclusive). */
export const MAX_RANGE_DAYS = 366;

/** What statistics read of campaigns: the campaign lookup, which needs nothing of statistics. */
export interface StatsCampaignLookup {
  /** Cost model and value of each of the account's campaigns, deleted ones included. */
  costTerms(userId: number): Promise<Map<number, CostTerms>>;
  /** Throws 404 for a campaign that is not the account's. */
  checkOwned(userId: number, campaignId: number): Promise<void>;
}

export interface StatsServiceDeps {
  db: Db;
  dialect: DialectAdapter;
  campaigns: StatsCampaignLookup;
  now?: () => number;
}

export interface RangeQuery {
  campaign_id?: number;
  from?: string;
  to?: string;
  tz?: string;
}

export interface AnalyticsQuery extends RangeQuery {
  sort?: AnalyticsSort;
  order?: SortOrder;
  limit?: number;
}

export type AnalyticsRow = ReturnType<typeof measures> & { value: string | null };

const isTimeDimension = (dimension: AnalyticsDimension): dimension is TimeDimension =>
  (TIME_DIMENSIONS as readonly string[]).includes(dimension);
const isConversionDimension = (dimension: AnalyticsDimension): dimension is ConversionDimension =>
  (CONVERSION_DIMENSIONS as readonly string[]).includes(dimension);

export function createStatsService(deps: StatsServiceDeps) {
  const { db, dialect } = deps;
  const now = deps.now ?? Date.now;

  /** The hour-aligned span a query covers, in its zone; 400 for bad, inverted or too long ranges. */
  const resolve = async (userId: number, query: RangeQuery) => {
    const zone = openZone(query.tz);
    const utc = parseDateRange(query, now());
    if (utc.toExclusive - utc.from > MAX_RANGE_DAYS * DAY)
      throw validationError('from', `A range spans at most ${MAX_RANGE_DAYS} days`);
    if (query.campaign_id !== undefined) await deps.campaigns.checkOwned(userId, query.campaign_id);
    const day = (instant: number) => new Date(instant).toISOString().slice(0, 10);
    const from = toHour(zone.startOfDay(day(utc.from)));
    const to = toHour(zone.startOfDay(day(utc.toExclusive)));
    return { zone, filter: { userId, campaignId: query.campaign_id, from, to } };
  };

  const totals = async (userId: number, query: RangeQuery) => {
    const { filter } = await resolve(userId, query);
    // The account's campaigns (deleted ones included) are the ones whose rollups an account-wide total reads.
    const terms = await deps.campaigns.costTerms(userId);
    const perCampaign = await sumPerCampaign(db, dialect, filter, [...terms.keys()]);
    const sum = zeroCounters();
    let cost = 0;
    let savings = 0;
    for (const [campaignId, counters] of perCampaign) {
      addCounters(sum, counters);
      const campaignTerms = terms.get(campaignId);
      if (!campaignTerms) continue;
      cost += costOf(campaignTerms, counters);
      savings += savingsOf(campaignTerms, counters.fraud_clicks);
    }
    return { sum, cost, savings };
  };

  const timeRows = async (userId: number, dimension: TimeDimension, query: RangeQuery) => {
    const { zone, filter } = await resolve(userId, query);
    const buckets = new Map<string, AnalyticsCounters>();
    for (const { hour, counters } of await sumPerHour(db, dialect, filter, ANALYTICS_COUNTERS)) {
      const local = zone.localDayAndHour(hour);
      const key = dimension === 'day' ? local.day : String(local.hour).padStart(2, '0');
      const bucket = buckets.get(key);
      buckets.set(key, bucket ? addCounters(bucket, counters) : counters);
    }
    return [...buckets].map(([value, counters]) => ({ value, counters }));
  };

  /**
   * Dimension rows are daily (UTC): a range is widened to the UTC days it touches, so in a zone other
   * than UTC the first and last day of a breakdown may include a few hours beyond the local day.
   */
  const storedRows = async (userId: number, dimension: StoredDimension | ConversionDimension, query: RangeQuery) => {
    const { filter } = await resolve(userId, query);
    return sumPerValue(
      db,
      dialect,
      { ...filter, dimension, from: Math.floor(filter.from / DAY) * DAY, to: Math.ceil(filter.to / DAY) * DAY },
      ANALYTICS_COUNTERS,
      isConversionDimension(dimension),
    );
  };

  return {
    async overall(userId: number, query: RangeQuery): Promise<StatsSummary> {
      const { sum, cost } = await totals(userId, query);
      return summarize(sum, cost);
    },

    async campaign(userId: number, campaignId: number, query: RangeQuery): Promise<StatsSummary> {
      return this.overall(userId, { ...query, campaign_id: campaignId });
    },

    async fraud(userId: number, query: RangeQuery): Promise<FraudSummary> {
      const { sum, savings } = await totals(userId, query);
      return summarizeFraud(sum, savings);
    },

    /** One row per value of the dimension, sorted and cut to `limit`. */
    async analytics(userId: number, dimension: AnalyticsDimension, query: AnalyticsQuery): Promise<AnalyticsRow[]> {
      const rows = isTimeDimension(dimension)
        ? await timeRows(userId, dimension, query)
        : await storedRows(userId, dimension, query);
      const sort =
        query.sort ??
        (isTimeDimension(dimension) ? 'value' : isConversionDimension(dimension) ? 'conversions' : 'clicks');
      const direction = (query.order ?? (sort === 'value' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
      const presented = rows.map(({ value, counters }) => ({
        value: value === '' ? null : value,
        ...measures(counters),
      }));
      presented.sort((a, b) => {
        const x = a[sort] ?? '';
        const y = b[sort] ?? '';
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return order * direction || String(a.value ?? '').localeCompare(String(b.value ?? ''));
      });
      return presented.slice(0, query.limit ?? 100);
    },

    /** Today's (UTC) clicks per campaign, from the rollups. */
    async clicksToday(userId: number, campaignIds: readonly number[]): Promise<Map<number, number>> {
      if (campaignIds.length === 0) return new Map();
      const from = startOfUtcDay(now());
      const perCampaign = await sumPerCampaign(db, dialect, { userId, from, to: from + DAY }, campaignIds);
      return new Map(campaignIds.map((id) => [id, perCampaign.get(id)?.clicks ?? 0]));
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
