import {
  NUMERIC_GROUP_COLUMNS,
  type ClickGroup,
  type ClickGroupCounters,
  type ClickGroupQuery,
  type GroupColumn,
  type InsideRows,
  type TopRows,
} from '../clicks/click-groups.repository.ts';
import { MAX_VALUE_LENGTH } from '../stats/dimensions.ts';
import { addCounters } from '../stats/formulas.ts';
import type { ReportSpec } from './report-query.ts';
import type { ReportDimension, ReportMetric } from './report.enums.ts';
import { SUB_ID_NAMES } from '../clicks/click.enums.ts';
import { FILTERS_CHECKED_PER_GROUP } from './report-clicks.ts';

type CounterName = keyof ClickGroupCounters;

/**
 * The counters each metric is worked out from (stats/formulas.ts reportMetrics), for the metrics that
 * do not depend on cost: a page sorted by one of them can be ranked on those counters alone. Cost,
 * profit, roi, cpc and estimated_savings are priced per campaign, so they are not here.
 */
const RANKED_BY: Partial<Record<ReportMetric, readonly CounterName[]>> = {
  clicks: ['clicks'],
  unique_clicks: ['unique_clicks'],
  real_clicks: ['real_clicks'],
  bot_clicks: ['bot_clicks'],
  vpn_clicks: ['vpn_clicks'],
  cloaked_clicks: ['cloaked_clicks'],
  fraudulent_clicks: ['fraud_clicks'],
  fraud_rate: ['fraud_clicks', 'clicks'],
  lp_clicks: ['lp_clicks'],
  lp_ctr: ['lp_clicks', 'clicks'],
  conversions: ['conversions'],
  suspicious_conversions: ['suspicious_conversions'],
  revenue: ['revenue'],
  cr: ['conversions', 'real_clicks'],
  epc: ['revenue', 'clicks'],
};

/**
 * The counters a report's rows can be sorted by, if the sort needs no price: none for a grouped
 * dimension (the values sort), the metric's own for a count. Undefined when the sort is priced, or
 * when a path is filtered: that filter is checked on each group's rule and path, which the clicks
 * counted apart from the page's rows do not keep.
 */
export function rankingCounters(spec: ReportSpec): readonly CounterName[] | undefined {
  if (spec.filters.has('path')) return undefined;
  if ((spec.groupBy as readonly string[]).includes(spec.sort)) return [];
  return RANKED_BY[spec.sort as ReportMetric];
}

/** The distinct values the raw groups `groups` (a page's rows' parts) hold in `columns`: ClickGroupQuery.inside. */
export function rowsOfGroups(groups: readonly ClickGroup[], columns: readonly GroupColumn[]): InsideRows {
  const rows = new Map<string, Array<string | number | null>>();
  for (const group of groups) {
    const row = columns.map((column) => group.keys[column] ?? null);
    // Each once: a reader joins the clicks with these rows, and a row twice would count its clicks twice.
    // Ids are numbers whichever database read them (PostgreSQL's bigints come as text).
    rows.set(
      JSON.stringify(
        row.map((value, at) => (NUMERIC_GROUP_COLUMNS.has(columns[at]!) && value !== null ? Number(value) : value)),
      ),
      row,
    );
  }
  return { columns, rows: [...rows.values()] };
}

/**
 * Groups read per campaign, summed per campaign they are priced like (ClickGroupQuery.pricedAlike), as the
 * GROUP BY sums them when given pricedAlike, in campaign order. For a page's read from a columnar copy:
 * working out each click's class there costs more than the page's few thousand groups here.
 */
export function groupedAlike(
  groups: readonly ClickGroup[],
  alike: ReadonlyMap<number, number> | undefined,
): ClickGroup[] {
  if (!alike) return [...groups];
  const byKey = new Map<string, ClickGroup>();
  for (const group of [...groups].sort((a, b) => a.campaignId - b.campaignId)) {
    const campaignId = alike.get(group.campaignId) ?? group.campaignId;
    const keys = { ...group.keys, campaign_id: campaignId };
    const key = JSON.stringify([keys, group.hour, group.day, group.event, group.outside === true]);
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, { ...group, campaignId, keys, counters: { ...group.counters } });
      continue;
    }
    addCounters(known.counters, group.counters);
  }
  return [...byKey.values()];
}

/** The metrics that are one counter as it is: a row's value is the sum of its groups'. */
const COUNTER_METRICS: Partial<Record<ReportMetric, CounterName>> = {
  clicks: 'clicks',
  unique_clicks: 'unique_clicks',
  real_clicks: 'real_clicks',
  bot_clicks: 'bot_clicks',
  vpn_clicks: 'vpn_clicks',
  cloaked_clicks: 'cloaked_clicks',
  fraudulent_clicks: 'fraud_clicks',
  lp_clicks: 'lp_clicks',
  conversions: 'conversions',
  suspicious_conversions: 'suspicious_conversions',
};

/**
 * The dimensions whose row is one stored value of one column (report-clicks.ts valuesOfClickGroup): text cut to
 * MAX_VALUE_LENGTH with '' as none (`cut`), '' as none alone (the placement), or as stored. The others join
 * columns (a city and its country), map a campaign to its source, or read the hour in a zone.
 */
const STORED_AS: Partial<Record<ReportDimension, { column: GroupColumn; cut: boolean; emptyIsNone: boolean }>> = {
  placement: { column: 'placement', cut: false, emptyIsNone: true },
  region: { column: 'region', cut: false, emptyIsNone: false },
  language: { column: 'language', cut: false, emptyIsNone: false },
  status: { column: 'status', cut: false, emptyIsNone: false },
  offer: { column: 'offer_id', cut: false, emptyIsNone: false },
  lander: { column: 'lander_id', cut: false, emptyIsNone: false },
  ...Object.fromEntries(
    (['country', 'device', 'os', 'browser', ...SUB_ID_NAMES] as const).map((dimension) => [
      dimension,
      { column: dimension, cut: true, emptyIsNone: true },
    ]),
  ),
};

/** The city where it is read as its row (ClickGroupQuery.cityShown): one text of two columns, cut, none for no name. */
const CITY_SHOWN = { column: 'city', cut: true, emptyIsNone: false } as const;

/**
 * A ranking read that may be cut to its top (ReportColumns.topGroups, TopRows): sorted by a counter, largest
 * first, over dimensions that are each one column as stored (or the campaign, or the city as its row), every
 * filter one the read applies itself, not per hour, day or event. Undefined otherwise: the whole read ranks every row.
 */
export function topRowsOf(
  spec: ReportSpec,
  query: ClickGroupQuery,
  page: { readonly offset: number; readonly limit: number },
): TopRows | undefined {
  const counter = COUNTER_METRICS[spec.sort as ReportMetric];
  if (!counter || spec.order !== 'desc' || query.hourly || query.daily || query.events) return undefined;
  if ([...spec.filters.keys()].some((dimension) => FILTERS_CHECKED_PER_GROUP.has(dimension))) return undefined;
  const stored = spec.groupBy.map((dimension) =>
    dimension === 'campaign' ? null : dimension === 'city' && query.cityShown ? CITY_SHOWN : STORED_AS[dimension],
  );
  if (stored.some((as) => as === undefined)) return undefined;
  const kept = stored.filter((as) => as !== null && as !== undefined);
  const read = new Set(kept.flatMap((as) => (as === CITY_SHOWN ? ['city', 'country'] : [as.column])));
  if (query.columns.some((column) => !read.has(column))) return undefined;
  return {
    counter,
    count: page.offset + page.limit,
    emptyIsNone: kept.filter((as) => as.emptyIsNone).map((as) => as.column),
    cut: kept.filter((as) => as.cut).map((as) => as.column),
    cutAt: MAX_VALUE_LENGTH,
  };
}

/**
 * The page's rows with '' beside each none of a column that shows '' as none: a top read keyed a row's '' and
 * null clicks as one row, whose page read must count both.
 */
export function withEmptyAsNone(inside: InsideRows, columns: readonly GroupColumn[]): InsideRows {
  const at = columns.map((column) => inside.columns.indexOf(column)).filter((index) => index >= 0);
  let rows = inside.rows.map((row) => [...row]);
  for (const index of at)
    rows = rows.flatMap((row) =>
      row[index] === null ? [row, row.map((value, i) => (i === index ? '' : value))] : [row],
    );
  return { columns: inside.columns, rows };
}
