import type { ClickGroup, ClickGroupQuery, ColumnFilter, GroupColumn } from '../clicks/click-groups.repository.ts';
import { STORED_DIMENSIONS, fillDimensionValues } from '../stats/dimensions.ts';
import type { Zone } from '../stats/time-zone.ts';
import { isTimeDimension, type FilterValue, type ReportSpec } from './report-query.ts';
import type { DimensionValue, GroupValues } from './report-rows.ts';
import { WEEKDAYS } from '../flows/flow.enums.ts';
import type { ReportDimension } from './report.enums.ts';

/** The click columns each dimension's value is made of (campaign_id is always read: costs are per campaign). */
const COLUMNS: Record<ReportDimension, readonly GroupColumn[]> = {
  campaign: [],
  traffic_source: [],
  offer: ['offer_id'],
  lander: ['lander_id'],
  rule: ['rule'],
  path: ['rule', 'path'],
  placement: ['placement'],
  country: ['country'],
  region: ['region'],
  city: ['city', 'country'],
  device: ['device'],
  os: ['os'],
  browser: ['browser'],
  asn: ['asn', 'as_org'],
  language: ['language'],
  sub1: ['sub1'],
  sub2: ['sub2'],
  sub3: ['sub3'],
  sub4: ['sub4'],
  sub5: ['sub5'],
  sub6: ['sub6'],
  sub7: ['sub7'],
  sub8: ['sub8'],
  sub9: ['sub9'],
  sub10: ['sub10'],
  event: [],
  status: ['status'],
  fraud_type: ['primary_fraud_type', 'is_verified_bot'],
  day: [],
  hour: [],
  weekday: [],
};

/**
 * Filters the database applies itself. The others (a path's rule and number together, the local time)
 * are narrowed in SQL where they can be and checked exactly on each group (matchesFilters).
 */
function columnFilters(dimension: ReportDimension, values: readonly FilterValue[]): ColumnFilter[] {
  switch (dimension) {
    case 'campaign':
    case 'traffic_source':
    case 'event':
    case 'day':
    case 'hour':
    case 'weekday':
      return [];
    case 'offer':
      return [{ column: 'offer_id', values }];
    case 'lander':
      return [{ column: 'lander_id', values }];
    case 'path': {
      const parts = values.map((value) => /^(.*) #(\d+)$/.exec(String(value))!);
      return [
        { column: 'rule', values: parts.map((part) => part[1]!) },
        { column: 'path', values: parts.map((part) => Number(part[2])) },
      ];
    }
    case 'fraud_type':
      // Verified crawlers are never fraud (SPEC section 1), whatever their detector flags.
      return [
        { column: 'primary_fraud_type', values },
        { column: 'is_verified_bot', values: [0] },
      ];
    case 'city':
      return [{ column: 'city', values }];
    default:
      return [{ column: dimension, values }];
  }
}

/** Filters checked on each group's values: those the SQL above only narrows. */
export const FILTERS_CHECKED_PER_GROUP: ReadonlySet<ReportDimension> = new Set(['path', 'day', 'hour', 'weekday']);

export function clickGroupQuery(
  spec: ReportSpec,
  scope: { userId: number; from: number; to: number; campaignIds?: readonly number[] },
  daily: boolean,
): ClickGroupQuery {
  const columns = new Set<GroupColumn>();
  let hourly = false;
  const filters: ColumnFilter[] = [];
  for (const dimension of spec.groupBy) {
    for (const column of COLUMNS[dimension]) columns.add(column);
    if (isTimeDimension(dimension)) hourly = true;
  }
  for (const [dimension, values] of spec.filters) {
    filters.push(...columnFilters(dimension, values));
    if (FILTERS_CHECKED_PER_GROUP.has(dimension)) for (const column of COLUMNS[dimension]) columns.add(column);
    if (isTimeDimension(dimension)) hourly = true;
  }
  const eventFilter = spec.filters.get('event');
  const events = spec.groupBy.includes('event') || eventFilter ? { only: eventFilter?.map(String) } : undefined;
  // A city row is its name with its country: where the country is no row of its own, a reader that can groups
  // by the row (the columnar copy), fewer groups and one a top read can rank.
  const cityShown = spec.groupBy.includes('city') && !spec.groupBy.includes('country');
  return { ...scope, columns: [...columns], hourly, daily, filters, events, ...(cityShown ? { cityShown } : {}) };
}

interface LocalTime {
  readonly day: string;
  readonly hour: number;
  readonly weekday: string;
}

/**
 * Per zone, the local times already worked out: a report over campaigns charged differently reads each
 * campaign's hours, so the same few hundred hours come back once per campaign, and Intl is not cheap.
 */
const localTimes = new WeakMap<Zone, Map<number, LocalTime>>();
const MAX_CACHED_HOURS = 50_000;

/** Local day, hour and weekday of a UTC hour in the report's zone. */
export function localTime(zone: Zone, hour: number): LocalTime {
  let known = localTimes.get(zone);
  // UTC's zone lives as long as the process: its cache starts over rather than grow without end.
  if (!known || known.size > MAX_CACHED_HOURS) localTimes.set(zone, (known = new Map()));
  const cached = known.get(hour);
  if (cached) return cached;
  const local = zone.localDayAndHour(hour);
  // Epoch day 0 (1970-01-01) was a Thursday: index 3 of the ISO week.
  const weekday = WEEKDAYS[(Math.floor(Date.parse(`${local.day}T00:00:00Z`) / 86_400_000) + 3) % 7]!;
  const time = { day: local.day, hour: local.hour, weekday };
  known.set(hour, time);
  return time;
}

const text = (value: string | number | null): string | null => (value === null ? null : String(value));
const orNull = (value: string): string | null => (value === '' ? null : value);

/**
 * Where each stored dimension's value sits in what fillDimensionValues writes: the ones a report shows as
 * the rollups store them (cut, city with its country, AS with its name). Offers and landers are shown as
 * their ids (numbers), not as the rollups' text.
 */
const STORED_INDEX = new Map<string, number>(
  STORED_DIMENSIONS.map((dimension, i) => [dimension, i] as const).filter(
    ([dimension]) => dimension !== 'offer' && dimension !== 'lander',
  ),
);
/** One array for every group: a report from the clicks reads up to hundreds of thousands of groups. */
const scratch: string[] = [];

/**
 * A raw group's values in the dimensions `wanted` (the report's groupings and filters), in the form the
 * rollups store them. Only those: a sub-id report over the columnar copy reads ~100,000 groups, and
 * working out all thirty dimensions of each was most of its time.
 */
export function valuesOfClickGroup(
  group: ClickGroup,
  hourly: boolean,
  zone: Zone,
  sourceOf: (campaignId: number) => number | null,
  wanted: readonly ReportDimension[],
): GroupValues {
  const keys = group.keys;
  const number = (value: string | number | null | undefined) =>
    value === null || value === undefined ? null : Number(value);
  const values: GroupValues = {};
  let stored: string[] | undefined;
  for (const dimension of wanted) {
    const at = STORED_INDEX.get(dimension);
    if (at !== undefined) {
      stored ??= fillDimensionValues(
        {
          country: text(keys.country ?? null),
          city: text(keys.city ?? null),
          device: text(keys.device ?? null) ?? '',
          os: text(keys.os ?? null),
          browser: text(keys.browser ?? null),
          asn: number(keys.asn),
          as_org: text(keys.as_org ?? null),
          referrer: null,
          sub1: text(keys.sub1 ?? null),
          sub2: text(keys.sub2 ?? null),
          sub3: text(keys.sub3 ?? null),
          sub4: text(keys.sub4 ?? null),
          sub5: text(keys.sub5 ?? null),
          sub6: text(keys.sub6 ?? null),
          sub7: text(keys.sub7 ?? null),
          sub8: text(keys.sub8 ?? null),
          sub9: text(keys.sub9 ?? null),
          sub10: text(keys.sub10 ?? null),
          placement: text(keys.placement ?? null),
          offer_id: number(keys.offer_id),
          lander_id: number(keys.lander_id),
          rule: text(keys.rule ?? null),
          path: number(keys.path),
        },
        scratch,
      );
      values[dimension] = orNull(stored[at]!);
      continue;
    }
    switch (dimension) {
      case 'campaign':
        values.campaign = group.campaignId;
        break;
      case 'traffic_source':
        values.traffic_source = sourceOf(group.campaignId);
        break;
      case 'offer':
        values.offer = number(keys.offer_id);
        break;
      case 'lander':
        values.lander = number(keys.lander_id);
        break;
      case 'region':
      case 'language':
      case 'status':
        values[dimension] = text(keys[dimension] ?? null);
        break;
      case 'fraud_type':
        values.fraud_type = Number(keys.is_verified_bot ?? 0) === 1 ? null : text(keys.primary_fraud_type ?? null);
        break;
      case 'event':
        values.event = group.event === '' ? null : group.event;
        break;
      case 'day':
      case 'hour':
      case 'weekday':
        if (hourly) values[dimension] = localTime(zone, group.hour)[dimension];
        break;
    }
  }
  return values;
}

/** Whether a group's values pass the filters that SQL only narrowed. */
export function matchesFilters(values: GroupValues, spec: ReportSpec): boolean {
  for (const [dimension, wanted] of spec.filters) {
    if (!FILTERS_CHECKED_PER_GROUP.has(dimension)) continue;
    const value: DimensionValue = values[dimension] ?? null;
    if (value === null || !wanted.includes(value)) return false;
  }
  return true;
}
