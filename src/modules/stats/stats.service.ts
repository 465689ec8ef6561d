import type { CampaignScope } from '../../campaign-scope.ts';
import { parseDateRange, startOfUtcDay } from '../../date-range.ts';
import { validationError } from '../../errors.ts';
import { turnDue, yieldToEventLoop } from '../../keyset-pages.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { COUNTER_NAMES, zeroCounters, type Counters } from './click-stats.table.ts';
import { createClosedSums } from './closed-sums.ts';
import {
  CONVERSION_DIMENSIONS,
  TIME_DIMENSIONS,
  TOTAL,
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
  type Measures,
  summarize,
  summarizeFraud,
  type AnalyticsCounters,
  type CostTerms,
  type ReportCounters,
  type FraudSummary,
  type StatsSummary,
} from './formulas.ts';
import { ALL_CAMPAIGNS, DAILY, DAY, HOURLY, coverDays, startOfDay } from './periods.ts';
import type { AnalyticsSort, SortOrder } from './stats.enums.ts';
import {
  sumPerCampaign,
  sumPerCampaignHour,
  sumPerCampaignValue,
  sumPerHour,
  sumPerValue,
} from './stats.repository.ts';
import { CHARGE_COUNTERS, dayStretches, setCostChange, sharedTerms, type SetCostDay } from './set-costs.ts';
import { openZone, toHour, UTC_ZONE } from './time-zone.ts';

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
  /**
   * The days whose cost was set (campaign-costs), in [from, to) (UTC days), of one campaign or all the
   * account's; none when not given.
   */
  costDays?: (userId: number, from: number, to: number, campaignId?: number) => Promise<readonly SetCostDay[]>;
  now?: () => number;
}

export interface RangeQuery {
  campaign_id?: number;
  /**
   * The caller's campaign scope (set by the route from the request, never by the query string): totals and
   * breakdowns without a campaign_id read only these campaigns, each through its own rows.
   */
  campaigns?: CampaignScope;
  from?: string;
  to?: string;
  tz?: string;
}

export interface AnalyticsQuery extends RangeQuery {
  sort?: AnalyticsSort;
  order?: SortOrder;
  limit?: number;
  /** Adds cost, profit and roi to each row (implied by sorting on one of them). */
  with_cost?: boolean;
}

export type AnalyticsRow = Measures & { value: string | null };

/** The sorts that need each row's cost. */
const COST_SORTS: ReadonlySet<AnalyticsSort> = new Set(['cost', 'profit', 'roi']);

/** An analytics row before it is presented: its counters and what it cost. */
interface Bucket {
  counters: AnalyticsCounters;
  cost: number;
  /** Read from the rollups, not made by a set cost's change alone (which has no clicks to show). */
  read: boolean;
}

/** What a time bucket reads: the analytics row's counters. The set days' hours read what a charge needs. */
type HourCounter = (typeof ANALYTICS_COUNTERS)[number] | (typeof CHARGE_COUNTERS)[number];
const HOUR_COUNTERS = [...new Set<HourCounter>([...ANALYTICS_COUNTERS, ...CHARGE_COUNTERS])];

const zeroAnalytics = (): AnalyticsCounters => {
  const counters = zeroCounters();
  const picked = {} as AnalyticsCounters;
  for (const name of ANALYTICS_COUNTERS) picked[name] = counters[name];
  return picked;
};

/** One value of a dimension over some campaigns: its counters and what its clicks cost. */
export interface CostedValue {
  /** '' for the clicks without a value. */
  value: string;
  counters: Counters;
  /** Unrounded. */
  cost: number;
}

export interface RollupSumsRequest {
  /** A stored or conversion dimension, 'hour' (UTC hours), or TOTAL (''): the campaigns' totals. */
  readonly by: StoredDimension | ConversionDimension | 'hour' | typeof TOTAL;
  /** Only these campaigns (all the account's when absent). */
  readonly campaignIds?: readonly number[];
  /** Keep each campaign's sums apart (a report grouped by campaign or traffic source). */
  readonly perCampaign: boolean;
  /** Epoch ms, hour-aligned (day-aligned for a dimension); `to` exclusive. */
  readonly from: number;
  readonly to: number;
  /** The campaigns' cost terms, when the caller has read the campaigns already (a report reads them once). */
  readonly terms?: ReadonlyMap<number, CostTerms>;
  /**
   * Per UTC day (a day-aligned range): with 'hour', the days' rows instead of their hours (keys are the
   * days' starts), for a report whose zone starts every day of the range at midnight UTC and that shows
   * no hour; with a dimension, each value per day too (RollupSum.day).
   */
  readonly daily?: boolean;
}

/**
 * What a report reads of the rollups: the counters its rows show (ReportCounters) and those its cost and
 * savings are priced from. Each counter summed is one more column in the database's GROUP BY sorter and in
 * the JSON it returns, per rollup row read: 15 of the 22 made a country report's statement ~30 % cheaper.
 */
export const ROLLUP_SUM_COUNTERS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraud_clicks',
  'lp_clicks',
  'conversions',
  'revenue',
  'suspicious_conversions',
  'priced_clicks',
  'priced_cost',
  'fraud_priced_clicks',
  'fraud_priced_cost',
] as const satisfies readonly (keyof ReportCounters | (typeof CHARGE_COUNTERS)[number])[];
export type RollupSumCounters = Pick<Counters, (typeof ROLLUP_SUM_COUNTERS)[number]>;

const zeroSumCounters = (): RollupSumCounters => {
  const counters = {} as RollupSumCounters;
  for (const name of ROLLUP_SUM_COUNTERS) counters[name] = 0;
  return counters;
};

export interface RollupSum {
  /** ALL_CAMPAIGNS when the campaigns were read as one. */
  campaignId: number;
  key: string;
  counters: RollupSumCounters;
  /** Unrounded. */
  cost: number;
  savings: number;
  read: boolean;
  /** Epoch ms of the UTC day, for a dimension read `daily`; 0 otherwise. */
  day: number;
}

const isTimeDimension = (dimension: AnalyticsDimension): dimension is TimeDimension =>
  (TIME_DIMENSIONS as readonly string[]).includes(dimension);
const isConversionDimension = (dimension: string): dimension is ConversionDimension =>
  (CONVERSION_DIMENSIONS as readonly string[]).includes(dimension);

/**
 * Reports over all an account's campaigns, not apart, where the campaigns are charged differently: the
 * biggest set of campaigns charged alike is read as the all-campaigns rows less the other campaigns' own
 * rows, and priced as one, so a report reads 1 + (campaigns outside it) sets of rows instead of one per
 * campaign (12 of 16 campaigns charged alike: 5 sets, not 16). Exact: every row is an exact sum, and cost
 * is linear in the counters under one set of terms. Undefined when it would not read fewer rows.
 */
function splitByTerms(
  terms: ReadonlyMap<number, CostTerms>,
  request: RollupSumsRequest,
): { terms: CostTerms; others: number[] } | undefined {
  if (request.by === TOTAL || request.perCampaign || request.campaignIds) return undefined;
  const alike = new Map<string, number[]>();
  for (const [id, each] of terms) {
    const key = `${each.model}:${each.value}`;
    alike.set(key, [...(alike.get(key) ?? []), id]);
  }
  if (alike.size < 2) return undefined;
  const biggest = [...alike.values()].reduce((a, b) => (b.length > a.length ? b : a));
  if (biggest.length < 2) return undefined;
  const inBiggest = new Set(biggest);
  return { terms: terms.get(biggest[0]!)!, others: [...terms.keys()].filter((id) => !inBiggest.has(id)) };
}

export function createStatsService(deps: StatsServiceDeps) {
  const { db, dialect } = deps;
  const now = deps.now ?? Date.now;
  const closed = createClosedSums(now);

  /** The hour-aligned span a query covers, in its zone; 400 for bad, inverted or too long ranges. */
  const resolve = async (userId: number, query: RangeQuery) => {
    const zone = openZone(query.tz);
    // Dates are the zone's: without `to`, the range ends on today there, not on today in UTC (east of UTC
    // just after midnight, a UTC default left out every click of the local day).
    const utc = parseDateRange(query, UTC_ZONE.startOfDay(zone.localDayAndHour(now()).day));
    if (utc.toExclusive - utc.from > MAX_RANGE_DAYS * DAY)
      throw validationError('from', `A range spans at most ${MAX_RANGE_DAYS} days`);
    if (query.campaign_id !== undefined) await deps.campaigns.checkOwned(userId, query.campaign_id);
    const day = (instant: number) => new Date(instant).toISOString().slice(0, 10);
    const from = toHour(zone.startOfDay(day(utc.from)));
    const to = toHour(zone.startOfDay(day(utc.toExclusive)));
    return { zone, filter: { userId, campaignId: query.campaign_id, from, to, closed } };
  };

  const setDays = async (userId: number, from: number, to: number, campaignId?: number, campaigns?: CampaignScope) => {
    if (!deps.costDays) return [];
    const days = await deps.costDays(userId, startOfDay(from), Math.ceil(to / DAY) * DAY, campaignId);
    return campaigns ? days.filter((day) => campaigns.includes(day.campaign_id)) : days;
  };

  /** The cost terms of the campaigns a query may read: all the account's, or its campaign scope's. */
  const termsOf = async (userId: number, query: RangeQuery): Promise<Map<number, CostTerms>> => {
    const terms = await deps.campaigns.costTerms(userId);
    const scope = query.campaigns;
    return scope ? new Map([...terms].filter(([id]) => scope.includes(id))) : terms;
  };

  /**
   * Whether a report may read the all-campaigns rows: not for a caller limited to some campaigns, whose
   * figures are the sum of their campaigns' own rows.
   */
  const readsAllCampaigns = (query: RangeQuery) => query.campaign_id === undefined && !query.campaigns;

  /**
   * The hours of the set days' campaigns, each day whole (its clicks are what its amount is shared by):
   * per campaign and day, the day's counters and its hours'.
   */
  const setDayHours = async (userId: number, days: readonly SetCostDay[]) => {
    const campaignIds = [...new Set(days.map((day) => day.campaign_id))];
    const from = Math.min(...days.map((day) => day.day));
    const to = Math.max(...days.map((day) => day.day)) + DAY;
    const perDay = new Map<
      string,
      { clicks: number; hours: Array<{ hour: number; counters: Pick<Counters, HourCounter> }> }
    >();
    for (const row of await sumPerCampaignHour(db, dialect, { userId, campaignIds, from, to }, HOUR_COUNTERS)) {
      const key = `${row.campaignId}:${startOfDay(row.hour)}`;
      const day = perDay.get(key) ?? { clicks: 0, hours: [] };
      day.clicks += row.counters.clicks;
      day.hours.push({ hour: row.hour, counters: row.counters });
      perDay.set(key, day);
    }
    return (set: SetCostDay) => perDay.get(`${set.campaign_id}:${set.day}`) ?? { clicks: 0, hours: [] };
  };

  const totals = async (userId: number, query: RangeQuery) => {
    const { filter } = await resolve(userId, query);
    // The account's campaigns (deleted ones included) are the ones whose rollups an account-wide total reads.
    const terms = await termsOf(userId, query);
    const perCampaign = await sumPerCampaign(db, dialect, filter, [...terms.keys()]);
    const sum = zeroCounters();
    let cost = 0;
    let savings = 0;
    for (const [campaignId, counters] of perCampaign) {
      addCounters(sum, counters);
      const campaignTerms = terms.get(campaignId);
      if (!campaignTerms) continue;
      cost += costOf(campaignTerms, counters);
      savings += savingsOf(campaignTerms, counters);
    }
    // Days with a set cost: their part of the range costs its share of the amount instead.
    const days = await setDays(userId, filter.from, filter.to, filter.campaignId, query.campaigns);
    if (days.length > 0) {
      const hoursOf = await setDayHours(userId, days);
      for (const set of days) {
        const day = hoursOf(set);
        const part = zeroCounters();
        for (const { hour, counters } of day.hours)
          if (hour >= filter.from && hour < filter.to) addCounters(part, { ...zeroCounters(), ...counters });
        const covered = Math.max(0, Math.min(filter.to, set.day + DAY) - Math.max(filter.from, set.day));
        const change = setCostChange(terms.get(set.campaign_id), set, day.clicks, part, covered / DAY);
        cost += change.cost;
        savings += change.savings;
      }
    }
    return { sum, cost, savings };
  };

  /**
   * Per hour or local day. Campaigns charged alike are read as one (their all-campaigns rows); otherwise
   * each campaign's hours are read and charged under its own model.
   */
  const timeRows = async (userId: number, dimension: TimeDimension, query: RangeQuery, withCost: boolean) => {
    const { zone, filter } = await resolve(userId, query);
    const terms = withCost || query.campaigns ? await termsOf(userId, query) : new Map<number, CostTerms>();
    const keyOf = (hour: number) => {
      const local = zone.localDayAndHour(hour);
      return dimension === 'day' ? local.day : String(local.hour).padStart(2, '0');
    };
    const buckets = new Map<string, Bucket>();
    const add = (hour: number, counters: AnalyticsCounters, cost: number, read = true) => {
      const key = keyOf(hour);
      const bucket = buckets.get(key);
      if (!bucket) buckets.set(key, { counters: { ...counters }, cost, read });
      else {
        addCounters(bucket.counters, counters);
        bucket.cost += cost;
        bucket.read ||= read;
      }
    };
    const shared = filter.campaignId !== undefined ? terms.get(filter.campaignId) : sharedTerms(terms);
    if (filter.campaignId !== undefined || (readsAllCampaigns(query) && (shared || terms.size === 0))) {
      for (const { hour, counters } of await sumPerHour(db, dialect, filter, ANALYTICS_COUNTERS))
        add(hour, counters, shared ? costOf(shared, counters) : 0);
    } else {
      const perCampaign = { userId, campaignIds: [...terms.keys()], from: filter.from, to: filter.to };
      for (const { campaignId, hour, counters } of await sumPerCampaignHour(
        db,
        dialect,
        perCampaign,
        ANALYTICS_COUNTERS,
      )) {
        const campaignTerms = terms.get(campaignId);
        add(hour, counters, campaignTerms ? costOf(campaignTerms, counters) : 0);
      }
    }
    const days = withCost ? await setDays(userId, filter.from, filter.to, filter.campaignId, query.campaigns) : [];
    if (days.length > 0) {
      const hoursOf = await setDayHours(userId, days);
      for (const set of days) {
        const day = hoursOf(set);
        for (const { hour, counters } of day.hours) {
          if (hour < filter.from || hour >= filter.to) continue;
          add(hour, zeroAnalytics(), setCostChange(terms.get(set.campaign_id), set, day.clicks, counters).cost, false);
        }
      }
    }
    return [...buckets].map(([value, bucket]) => ({ value, ...bucket }));
  };

  /**
   * What the days with a set cost (POST /campaigns/{id}/costs) charge each value of a dimension: each
   * value's share of its campaign's day, by clicks. Over one campaign, or `campaignIds`, or all.
   */
  const setDayValueCosts = async (
    userId: number,
    dimension: string,
    days: { from: number; to: number },
    terms: ReadonlyMap<number, CostTerms>,
    campaign?: number | readonly number[],
  ): Promise<Array<{ campaignId: number; day: number; value: string; cost: number; savings: number }>> => {
    let set = await setDays(userId, days.from, days.to, typeof campaign === 'number' ? campaign : undefined);
    if (Array.isArray(campaign)) {
      const wanted = new Set(campaign);
      set = set.filter((day) => wanted.has(day.campaign_id));
    }
    if (set.length === 0) return [];
    const values = await sumPerCampaignValue(
      db,
      dialect,
      {
        userId,
        dimension,
        campaignIds: [...new Set(set.map((day) => day.campaign_id))],
        ranges: dayStretches(set.map((day) => day.day)).map((stretch) => ({ hours: DAILY, ...stretch })),
        perDay: true,
      },
      CHARGE_COUNTERS,
    );
    const dayClicks = new Map<string, number>();
    for (const row of values) {
      const key = `${row.campaignId}:${row.day}`;
      dayClicks.set(key, (dayClicks.get(key) ?? 0) + row.counters.clicks);
    }
    const amounts = new Map(set.map((day) => [`${day.campaign_id}:${day.day}`, day]));
    const costs: Array<{ campaignId: number; day: number; value: string; cost: number; savings: number }> = [];
    for (const row of values) {
      const key = `${row.campaignId}:${row.day}`;
      const setDay = amounts.get(key);
      if (!setDay) continue;
      const change = setCostChange(terms.get(row.campaignId), setDay, dayClicks.get(key) ?? 0, row.counters);
      costs.push({ campaignId: row.campaignId, day: row.day, value: row.value, ...change });
    }
    return costs;
  };

  /**
   * Dimension rows are daily (UTC): a range is widened to the UTC days it touches, so in a zone other
   * than UTC the first and last day of a breakdown may include a few hours beyond the local day.
   */
  const storedRows = async (
    userId: number,
    dimension: StoredDimension | ConversionDimension,
    query: RangeQuery,
    withCost: boolean,
  ) => {
    const { filter } = await resolve(userId, query);
    const days = {
      ...filter,
      dimension,
      from: Math.floor(filter.from / DAY) * DAY,
      to: Math.ceil(filter.to / DAY) * DAY,
    };
    const terms = withCost || query.campaigns ? await termsOf(userId, query) : new Map<number, CostTerms>();
    const buckets = new Map<string, Bucket>();
    const add = (value: string, counters: AnalyticsCounters, cost: number, read = true) => {
      const bucket = buckets.get(value);
      if (!bucket) buckets.set(value, { counters: { ...counters }, cost, read });
      else {
        addCounters(bucket.counters, counters);
        bucket.cost += cost;
        bucket.read ||= read;
      }
    };
    const shared = filter.campaignId !== undefined ? terms.get(filter.campaignId) : sharedTerms(terms);
    if (filter.campaignId !== undefined || (readsAllCampaigns(query) && (shared || terms.size === 0))) {
      for (const { value, counters } of await sumPerValue(
        db,
        dialect,
        days,
        ANALYTICS_COUNTERS,
        isConversionDimension(dimension),
      ))
        add(value, counters, shared ? costOf(shared, counters) : 0);
    } else {
      const perCampaign = {
        userId,
        dimension,
        campaignIds: [...terms.keys()],
        ranges: coverDays(days.from, days.to),
        perDay: false,
        closed,
      };
      for (const { campaignId, value, counters } of await sumPerCampaignValue(
        db,
        dialect,
        perCampaign,
        ANALYTICS_COUNTERS,
        isConversionDimension(dimension),
      )) {
        const campaignTerms = terms.get(campaignId);
        add(value, counters, campaignTerms ? costOf(campaignTerms, counters) : 0);
      }
    }
    // Days with a set cost: each value's share of its campaign's day, by clicks.
    if (withCost)
      for (const { value, cost } of await setDayValueCosts(
        userId,
        dimension,
        days,
        terms,
        filter.campaignId ?? (query.campaigns ? [...terms.keys()] : undefined),
      ))
        add(value, zeroAnalytics(), cost, false);
    return [...buckets].map(([value, bucket]) => ({ value, ...bucket }));
  };

  /**
   * What `counters` of one campaign cost. The one place a per-value report prices its rows, so that a
   * change to how cost is computed (per-click cost) reaches it here.
   */
  const costOfCampaign = (terms: CostTerms | undefined, counters: Counters): number =>
    terms ? costOf(terms, counters) : 0;

  /**
   * Rollup sums for reports (modules/reports), each with what it cost and saved: per campaign, or over
   * the campaigns as one (campaignId ALL_CAMPAIGNS) when they are charged alike and not wanted apart;
   * per key: a stored or conversion dimension's value over whole UTC days, a UTC hour (epoch ms as
   * text), or '' for the totals of the hour-aligned range. Set costs follow as in the stats above.
   */
  const rollupSums = async (userId: number, request: RollupSumsRequest): Promise<RollupSum[]> => {
    const terms = request.terms ?? (await deps.campaigns.costTerms(userId));
    const scope = request.campaignIds ?? [...terms.keys()];
    const single = request.campaignIds?.length === 1 ? request.campaignIds[0] : undefined;
    const shared = single !== undefined ? terms.get(single) : request.campaignIds ? undefined : sharedTerms(terms);
    const merged =
      request.by !== TOTAL &&
      !request.perCampaign &&
      (single !== undefined || (!request.campaignIds && (shared || terms.size === 0)));
    const sums = new Map<string, RollupSum>();
    const names = ROLLUP_SUM_COUNTERS;
    const add = (
      campaignId: number,
      key: string,
      counters: RollupSumCounters,
      cost: number,
      savings: number,
      read = true,
      day = 0,
    ) => {
      const id = merged ? (single ?? ALL_CAMPAIGNS) : campaignId;
      const mapKey = `${id}\u0000${day}\u0000${key}`;
      const sum = sums.get(mapKey);
      if (!sum) sums.set(mapKey, { campaignId: id, key, counters: { ...counters }, cost, savings, read, day });
      else {
        addCounters(sum.counters, counters);
        sum.cost += cost;
        sum.savings += savings;
        sum.read ||= read;
      }
    };
    const charged = (campaignId: number, key: string, counters: RollupSumCounters, day = 0, as?: CostTerms) => {
      const campaignTerms = as ?? (merged ? shared : terms.get(campaignId));
      add(
        campaignId,
        key,
        counters,
        campaignTerms ? costOf(campaignTerms, counters) : 0,
        campaignTerms ? savingsOf(campaignTerms, counters) : 0,
        true,
        day,
      );
    };
    // Days instead of hours: each campaign's 30 day rows where its 720 hour rows were read (16 campaigns
    // charged apart took ~420 ms at 1M clicks on SQLite, BENCHMARKS.md "Reports").
    const period = request.daily ? DAILY : HOURLY;
    const keyOfHour = (hour: number) => String(request.daily ? startOfDay(hour) : hour);
    const filter = { userId, campaignId: single, from: request.from, to: request.to, closed };
    const split = splitByTerms(terms, request);
    // The biggest set of campaigns charged alike, read as the all-campaigns rows less the other campaigns' (see splitByTerms).
    const rest = new Map<string, { key: string; day: number; counters: RollupSumCounters }>();
    const toRest = (key: string, day: number, counters: RollupSumCounters, sign: 1 | -1) => {
      const restKey = `${day}\u0000${key}`;
      let entry = rest.get(restKey);
      if (!entry) rest.set(restKey, (entry = { key, day, counters: zeroSumCounters() }));
      for (const name of names) entry.counters[name] += sign * counters[name];
    };
    const chargeRest = async (conversionsOnly: boolean) => {
      let index = 0;
      for (const { key, day, counters } of rest.values()) {
        if (turnDue(index++)) await yieldToEventLoop();
        if (counters.clicks !== 0 || (conversionsOnly && (counters.conversions !== 0 || counters.revenue !== 0)))
          charged(ALL_CAMPAIGNS, key, counters, day, split!.terms);
      }
    };
    if (split && request.by === 'hour') {
      for (const { hour, counters } of await sumPerHour(db, dialect, filter, names, period))
        toRest(String(hour), 0, counters, 1);
      for (const row of await sumPerCampaignHour(
        db,
        dialect,
        { ...filter, campaignIds: split.others },
        names,
        period,
      )) {
        charged(row.campaignId, String(row.hour), row.counters);
        toRest(String(row.hour), 0, row.counters, -1);
      }
      await chargeRest(false);
    }
    if (request.by === TOTAL || request.by === 'hour') {
      if (request.by === TOTAL)
        for (const [campaignId, counters] of await sumPerCampaign(db, dialect, filter, scope, names))
          charged(campaignId, TOTAL, counters);
      else if (merged)
        for (const { hour, counters } of await sumPerHour(db, dialect, filter, names, period))
          charged(ALL_CAMPAIGNS, String(hour), counters);
      else if (!split)
        for (const row of await sumPerCampaignHour(db, dialect, { ...filter, campaignIds: scope }, names, period))
          charged(row.campaignId, String(row.hour), row.counters);
      const wanted = new Set(scope);
      const days = (await setDays(userId, request.from, request.to)).filter((day) => wanted.has(day.campaign_id));
      if (days.length > 0) {
        const hoursOf = await setDayHours(userId, days);
        for (const set of days) {
          const day = hoursOf(set);
          const inRange = day.hours.filter(({ hour }) => hour >= request.from && hour < request.to);
          if (request.by === 'hour') {
            // Per day: the hours' changes add up to the day's (each is linear in its hour's counters).
            for (const { hour, counters } of inRange) {
              const change = setCostChange(terms.get(set.campaign_id), set, day.clicks, counters);
              add(set.campaign_id, keyOfHour(hour), zeroSumCounters(), change.cost, change.savings, false);
            }
            continue;
          }
          const part = zeroCounters();
          for (const { counters } of inRange) addCounters(part, { ...zeroCounters(), ...counters });
          const covered = Math.max(0, Math.min(request.to, set.day + DAY) - Math.max(request.from, set.day));
          const change = setCostChange(terms.get(set.campaign_id), set, day.clicks, part, covered / DAY);
          // A campaign whose set day had no clicks in the range still spent: its row shows the cost.
          add(set.campaign_id, TOTAL, zeroSumCounters(), change.cost, change.savings, true);
        }
      }
    } else {
      const conversionsOnly = isConversionDimension(request.by);
      const rows = request.daily
        ? await sumPerCampaignValue(
            db,
            dialect,
            {
              userId,
              dimension: request.by,
              campaignIds: merged ? [single ?? ALL_CAMPAIGNS] : split ? [ALL_CAMPAIGNS, ...split.others] : scope,
              ranges: request.from < request.to ? [{ hours: DAILY, from: request.from, to: request.to }] : [],
              perDay: true,
              closed,
            },
            names,
            conversionsOnly,
          )
        : merged
          ? (await sumPerValue(db, dialect, { ...filter, dimension: request.by }, names, conversionsOnly)).map(
              (row) => ({ campaignId: ALL_CAMPAIGNS, day: 0, ...row }),
            )
          : await sumPerCampaignValue(
              db,
              dialect,
              {
                userId,
                dimension: request.by,
                campaignIds: split ? [ALL_CAMPAIGNS, ...split.others] : scope,
                ranges: coverDays(request.from, request.to),
                perDay: false,
                closed,
              },
              names,
              conversionsOnly,
            );
      const dayOf = (day: number) => (request.daily ? day : 0);
      // Split: the all-campaigns rows, and the journal's rows of the campaigns read with them (unfolded ones are
      // not in the all-campaigns rows yet), are the rest; the other campaigns' own rows are taken from it.
      const others = new Set(split?.others);
      for (const [index, row] of rows.entries()) {
        if (turnDue(index)) await yieldToEventLoop();
        if (!split) charged(row.campaignId, row.value, row.counters, dayOf(row.day));
        else if (!others.has(row.campaignId)) toRest(row.value, dayOf(row.day), row.counters, 1);
        else {
          charged(row.campaignId, row.value, row.counters, dayOf(row.day));
          toRest(row.value, dayOf(row.day), row.counters, -1);
        }
      }
      if (split) await chargeRest(conversionsOnly);
      for (const [index, change] of (await setDayValueCosts(userId, request.by, request, terms, scope)).entries()) {
        if (turnDue(index)) await yieldToEventLoop();
        if (!conversionsOnly || change.value !== '')
          add(
            change.campaignId,
            change.value,
            zeroSumCounters(),
            change.cost,
            change.savings,
            false,
            dayOf(change.day),
          );
      }
    }
    return [...sums.values()].filter((sum) => sum.read);
  };

  return {
    /** The hour-aligned span a report covers in its zone (400 for a bad range or zone; 404 for another account's campaign_id). */
    async resolveRange(userId: number, query: RangeQuery) {
      const { zone, filter } = await resolve(userId, query);
      return { zone, from: filter.from, to: filter.to };
    },

    rollupSums,

    /**
     * The days with a set cost in [from, to) (whole UTC days) and each day's clicks: a report read from the
     * clicks shares the amount by them (set-costs.ts setCostChange).
     */
    async setCostDays(userId: number, from: number, to: number): Promise<Array<SetCostDay & { dayClicks: number }>> {
      const days = await setDays(userId, from, to);
      if (days.length === 0) return [];
      const hoursOf = await setDayHours(userId, days);
      return days.map((day) => ({ ...day, dayClicks: hoursOf(day).clicks }));
    },

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
      const sort =
        query.sort ??
        (isTimeDimension(dimension) ? 'value' : isConversionDimension(dimension) ? 'conversions' : 'clicks');
      const withCost = query.with_cost === true || COST_SORTS.has(sort);
      const rows = isTimeDimension(dimension)
        ? await timeRows(userId, dimension, query, withCost)
        : await storedRows(userId, dimension, query, withCost);
      const direction = (query.order ?? (sort === 'value' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
      const presented = rows
        // A bucket made only of a set cost's change has no clicks of its own: not a row.
        .filter(({ read }) => read)
        .map(({ value, counters, cost }) => ({
          value: value === '' ? null : value,
          ...measures(counters, withCost ? cost : undefined),
        }));
      presented.sort((a, b) => {
        const x = a[sort] ?? '';
        const y = b[sort] ?? '';
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return order * direction || String(a.value ?? '').localeCompare(String(b.value ?? ''));
      });
      return presented.slice(0, query.limit ?? 100);
    },

    /**
     * One entry per value of a stored dimension over the given campaigns (say, a traffic source's), each
     * campaign's share priced under its own cost terms, then summed per value. Daily rollups: the range is
     * whole UTC days. `from`/`to` are checked as every report's (400 naming the field).
     */
    async costedValues(
      userId: number,
      dimension: StoredDimension,
      campaignIds: readonly number[],
      query: Pick<RangeQuery, 'from' | 'to'>,
    ): Promise<CostedValue[]> {
      const { filter } = await resolve(userId, { from: query.from, to: query.to });
      if (campaignIds.length === 0) return [];
      const terms = await deps.campaigns.costTerms(userId);
      const days = { from: Math.floor(filter.from / DAY) * DAY, to: Math.ceil(filter.to / DAY) * DAY };
      const sums = await sumPerCampaignValue(
        db,
        dialect,
        { userId, dimension, campaignIds, ranges: coverDays(days.from, days.to), perDay: false },
        COUNTER_NAMES,
      );
      const byValue = new Map<string, CostedValue>();
      for (const { campaignId, value, counters } of sums) {
        const cost = costOfCampaign(terms.get(campaignId), counters);
        const entry = byValue.get(value);
        if (entry) {
          addCounters(entry.counters, counters);
          entry.cost += cost;
        } else byValue.set(value, { value, counters: { ...counters }, cost });
      }
      // A set day's amount replaces its modelled and per-click cost, shared by the values' clicks.
      for (const { value, cost } of await setDayValueCosts(userId, dimension, days, terms, campaignIds)) {
        const entry = byValue.get(value);
        if (entry) entry.cost += cost;
      }
      return [...byValue.values()];
    },

    /**
     * Each flow path's clicks, conversions and revenue on one campaign over the last `days` UTC days
     * (today included), by its `path` value (`rule #n`): what auto rotation weighs (flows' flow-rotation.ts).
     */
    async pathFigures(
      userId: number,
      campaignId: number,
      days = 14,
    ): Promise<Map<string, { clicks: number; conversions: number; revenue: number }>> {
      const today = startOfUtcDay(now());
      const rows = await sumPerValue(
        db,
        dialect,
        { userId, campaignId, dimension: 'path', from: today - (days - 1) * DAY, to: today + DAY },
        ['clicks', 'conversions', 'revenue'] as const,
      );
      return new Map(rows.filter((row) => row.value !== '').map((row) => [row.value, row.counters]));
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
