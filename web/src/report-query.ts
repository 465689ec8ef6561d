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
  sort: ReportMetric;
  order: 'asc' | 'desc';
  page: number;
}

export type ReportValue = string | number | null;
export type ReportRow = Record<string, ReportValue>;

/** One expanded row above a level: its dimension and the value it groups. */
export interface Ancestor {
  dimension: ReportDimension;
  value: ReportValue;
}

const isDimension = (value: string): value is ReportDimension => Object.hasOwn(REPORT_DIMENSION_LABELS, value);
const isMetric = (value: string): value is ReportMetric => Object.hasOwn(REPORT_METRIC_LABELS, value);

export function defaultReport(): ReportSpec {
  return {
    groupBy: ['campaign'],
    from: isoDay(6),
    to: isoDay(),
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
  if (isMetric(sort)) report.sort = sort;
  report.order = params.get('order') === 'asc' ? 'asc' : 'desc';
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
 * The query for the rows under expanded `ancestors`: grouped one level deeper, filtered to the ancestors'
 * values. An unknown (null) value cannot be written as a filter, so those rows are picked out by
 * `underAncestors` from the deeper grouping instead.
 */
export function drillParams(report: ReportSpec, ancestors: readonly Ancestor[], limit: number): URLSearchParams {
  const params = reportParams({ ...report, page: 1 });
  params.set('group_by', report.groupBy.slice(0, ancestors.length + 1).join(','));
  for (const { dimension, value } of ancestors) if (value !== null) params.set(dimension, String(value));
  params.set('limit', String(limit));
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

/** The same report sorted by `metric`: a second click on the sorted column turns the order round. */
export function sortedBy(report: ReportSpec, metric: ReportMetric): ReportSpec {
  const order = report.sort === metric ? (report.order === 'desc' ? 'asc' : 'desc') : 'desc';
  return { ...report, sort: metric, order, page: 1 };
}
