import {
  REPORT_DIMENSION_LABELS,
  REPORT_METRIC_LABELS,
  optionsOf,
  type ReportDimension,
  type ReportMetric,
} from './api/enums';
import { isoDay } from './ui';

/** The API takes up to three groupings: level 1 → level 2 → level 3 of the drill-down. */
export const MAX_GROUPINGS = 3;
/** The most rows the API gives in one page. */
export const MAX_REPORT_LIMIT = 1000;
export const REPORT_DIMENSIONS = optionsOf(REPORT_DIMENSION_LABELS).map(([dimension]) => dimension);
export const REPORT_METRICS = optionsOf(REPORT_METRIC_LABELS).map(([metric]) => metric);
/** Dimensions whose rows carry an id under the dimension's name and the name beside it as `<dim>_name`. */
const NAMED_DIMENSIONS: ReadonlySet<ReportDimension> = new Set(['campaign', 'traffic_source', 'offer', 'lander']);

export interface ReportFilter {
  dimension: ReportDimension;
  /** Comma-separated, as the API takes it (`US,DE`). */
  values: string;
}

/** A report as the URL holds it: the page's address is the API's query, so a bookmark is the report. */
export interface ReportSpec {
  groupBy: ReportDimension[];
  from: string;
  to: string;
  tz: string;
  /** '' for every campaign. */
  campaignId: string;
  filters: ReportFilter[];
  /** A metric, or a grouping (each level then sorts by its own). */
  sort: ReportMetric | ReportDimension;
  order: 'asc' | 'desc';
  page: number;
}

export type ReportValue = string | number | null;
/** A row read by its keys as data (the grouping chosen at run time), whatever the API's row type names. */
export type ReportRow = Readonly<Record<string, ReportValue | undefined>>;

/** One expanded row above a level: its dimension and the value it groups. */
export interface Ancestor {
  dimension: ReportDimension;
  value: ReportValue;
}

export type ReportSort = ReportSpec['sort'];
const TIME: ReadonlySet<ReportDimension> = new Set(['day', 'hour', 'weekday']);
const isDimension = (value: string): value is ReportDimension => Object.hasOwn(REPORT_DIMENSION_LABELS, value);
const isMetric = (value: string): value is ReportMetric => Object.hasOwn(REPORT_METRIC_LABELS, value);

/** The default range, the last seven days, as dates of the report's zone. */
export const defaultRange = (tz: string) => ({ from: isoDay(6, tz), to: isoDay(0, tz) });

export function defaultReport(): ReportSpec {
  return {
    groupBy: ['campaign'],
    ...defaultRange('UTC'),
    tz: 'UTC',
    campaignId: '',
    filters: [],
    sort: 'clicks',
    order: 'desc',
    page: 1,
  };
}

/**
 * The report a page address describes. What it cannot read (a hand-edited or outdated link) falls back to
 * the default rather than failing, so an old bookmark still opens a report; the server judges the rest.
 */
export function readReport(search: string): ReportSpec {
  const params = new URLSearchParams(search);
  const report = defaultReport();
  const groupBy = (params.get('group_by') ?? '').split(',').filter(isDimension).slice(0, MAX_GROUPINGS);
  if (groupBy.length > 0) report.groupBy = [...new Set(groupBy)];
  report.from = params.get('from') ?? report.from;
  report.to = params.get('to') ?? report.to;
  report.tz = params.get('tz') ?? report.tz;
  report.campaignId = params.get('campaign_id') ?? '';
  const sort = params.get('sort') ?? '';
  // As the API does: a report by time reads in time order unless asked otherwise.
  const first = report.groupBy[0]!;
  report.sort =
    isMetric(sort) || report.groupBy.includes(sort as ReportDimension)
      ? (sort as ReportSort)
      : TIME.has(first)
        ? first
        : 'clicks';
  const order = params.get('order');
  report.order = order === 'asc' || order === 'desc' ? order : isMetric(report.sort) ? 'desc' : 'asc';
  const page = Number(params.get('page'));
  report.page = Number.isInteger(page) && page > 1 ? page : 1;
  report.filters = [...params.entries()].flatMap(([key, values]) =>
    isDimension(key) && values !== '' ? [{ dimension: key, values }] : [],
  );
  return report;
}

/** The report as URL parameters: the page's own address and, with `limit`, the API's query. */
export function reportParams(report: ReportSpec): URLSearchParams {
  const params = new URLSearchParams({
    group_by: report.groupBy.join(','),
    from: report.from,
    to: report.to,
    tz: report.tz,
  });
  if (report.campaignId) params.set('campaign_id', report.campaignId);
  for (const filter of report.filters) if (filter.values.trim()) params.set(filter.dimension, filter.values.trim());
  params.set('sort', report.sort);
  params.set('order', report.order);
  if (report.page > 1) params.set('page', String(report.page));
  return params;
}

/**
 * A row's grouping value as a filter takes it, or null when a filter cannot say it: the API splits filters
 * at commas, so a value holding one (a sub id, an unknown null) cannot be written, and those rows are
 * picked out by `underAncestors` instead. A city shows with its country ("Berlin, DE") and an AS number
 * with its holder ("AS3320 Deutsche Telekom AG"); their filters take the city and the number.
 */
export function filterValueOf(dimension: ReportDimension, value: ReportValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') return String(value);
  const text =
    dimension === 'asn'
      ? (/^AS(\d+)\b/i.exec(value)?.[1] ?? value)
      : dimension === 'city'
        ? (/^(.*), [A-Z]{2}$/.exec(value)?.[1] ?? value)
        : value;
  return text.includes(',') || text.trim() !== text || text === '' ? null : text;
}

/**
 * The API query for one level of the table: the first level (no `ancestors`) is grouped by the first
 * grouping alone and paged; the rows under opened rows are grouped one level deeper and filtered to
 * their ancestors' values. An ancestor no filter can name widens the query to the API's largest page,
 * whose rows `underAncestors` then sorts out. (The export takes `reportParams`: every grouping at once.)
 */
export function levelParams(report: ReportSpec, ancestors: readonly Ancestor[], limit: number): URLSearchParams {
  const params = reportParams(ancestors.length === 0 ? report : { ...report, page: 1 });
  const groupBy = report.groupBy.slice(0, ancestors.length + 1);
  params.set('group_by', groupBy.join(','));
  let exact = true;
  for (const { dimension, value } of ancestors) {
    const filter = filterValueOf(dimension, value);
    if (filter === null) exact = false;
    else params.set(dimension, filter);
  }
  // Sorted by a grouping: each level by its own, as the first level is.
  if (isDimension(report.sort)) params.set('sort', groupBy[groupBy.length - 1]!);
  params.set('limit', String(exact ? limit : MAX_REPORT_LIMIT));
  return params;
}

export function underAncestors(row: ReportRow, ancestors: readonly Ancestor[]): boolean {
  return ancestors.every(({ dimension, value }) => (row[dimension] ?? null) === value);
}

/** A grouping value as the table shows it: a campaign (source, offer, lander) by name, the rest as given. */
export function groupLabel(row: ReportRow, dimension: ReportDimension): string {
  const value = row[dimension] ?? null;
  if (value === null) return '(unknown)';
  if (NAMED_DIMENSIONS.has(dimension)) {
    const name = row[`${dimension}_name`];
    return typeof name === 'string' && name !== '' ? name : `#${value}`;
  }
  return String(value);
}

/**
 * The same report sorted by `column`: a metric highest first, a grouping in its own order; a second click
 * on the sorted column turns the order round.
 */
export function sortedBy(report: ReportSpec, column: ReportSort): ReportSpec {
  const first = isMetric(column) ? 'desc' : 'asc';
  const order = report.sort !== column ? first : report.order === 'desc' ? 'asc' : 'desc';
  return { ...report, sort: column, order, page: 1 };
}

export function sortLabel(sort: ReportSort): string {
  return isMetric(sort) ? REPORT_METRIC_LABELS[sort] : REPORT_DIMENSION_LABELS[sort];
}
