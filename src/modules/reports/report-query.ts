import { validationError } from '../../errors.ts';
import { CLICK_STATUSES, DEVICE_TYPES, FRAUD_TYPE_ORDER } from '../../detection/index.ts';
import { normalizeCountry } from '../campaigns/campaign-input.ts';
import { EVENT_PATTERN } from '../conversions/conversion.enums.ts';
import { WEEKDAYS } from '../flows/flow.enums.ts';
import type { SortOrder } from '../stats/stats.enums.ts';
import {
  DEFAULT_REPORT_LIMIT,
  MAX_FILTER_VALUES,
  MAX_GROUP_BY,
  MAX_REPORT_LIMIT,
  REPORT_DIMENSIONS,
  REPORT_METRICS,
  type ReportDimension,
  type ReportFormat,
  type ReportMetric,
} from './report.enums.ts';

/** The request as the route's schema typed it: the dimension filters arrive as raw comma-separated text. */
export type ReportRequest = {
  group_by?: string;
  from?: string;
  to?: string;
  tz?: string;
  campaign_id?: number;
  traffic_source_id?: number;
  sort?: string;
  order?: SortOrder;
  limit?: number;
  page?: number;
  metrics?: string;
  format?: ReportFormat;
} & Partial<Record<ReportDimension, string>>;

/** A filter value in the form the rows carry it (ids and hours as numbers, countries upper-case, …). */
export type FilterValue = string | number;

export interface ReportSpec {
  readonly groupBy: readonly ReportDimension[];
  readonly filters: ReadonlyMap<ReportDimension, readonly FilterValue[]>;
  readonly metrics: readonly ReportMetric[];
  readonly sort: ReportMetric | ReportDimension;
  readonly order: SortOrder;
  readonly limit: number;
  readonly page: number;
}

const TIME = new Set<ReportDimension>(['day', 'hour', 'weekday']);
export const isTimeDimension = (dimension: ReportDimension): boolean => TIME.has(dimension);

/** Dimensions a campaign's rows answer by themselves: each campaign is one, and its traffic source follows. */
export const CAMPAIGN_LEVEL: ReadonlySet<ReportDimension> = new Set<ReportDimension>(['campaign', 'traffic_source']);

/** Whether a report groups or filters by a campaign or a traffic source: its groups must keep their campaign. */
export const showsCampaigns = (spec: ReportSpec): boolean =>
  [...spec.groupBy, ...spec.filters.keys()].some((dimension) => CAMPAIGN_LEVEL.has(dimension));

const isDimension = (name: string): name is ReportDimension => (REPORT_DIMENSIONS as readonly string[]).includes(name);
const isMetric = (name: string): name is ReportMetric => (REPORT_METRICS as readonly string[]).includes(name);

const list = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

const ID = /^[1-9]\d{0,15}$/;
const EVENT = new RegExp(`^${EVENT_PATTERN}$`);
const ENUMS: Partial<Record<ReportDimension, readonly string[]>> = {
  device: DEVICE_TYPES,
  status: CLICK_STATUSES,
  fraud_type: FRAUD_TYPE_ORDER,
  weekday: WEEKDAYS,
};
/** Free text as a click stores it (sub ids, placements are cut at 255 characters when recorded). */
const MAX_TEXT = 255;

/** One filter value in its row form, or a 400 naming the dimension's parameter when it has the wrong shape. */
function filterValue(dimension: ReportDimension, raw: string): FilterValue {
  const wrong = (shape: string) =>
    validationError(dimension, `${dimension} takes ${shape}; "${raw.slice(0, 40)}" is not`);
  switch (dimension) {
    case 'campaign':
    case 'traffic_source':
    case 'offer':
    case 'lander':
      if (!ID.test(raw)) throw wrong('ids (positive integers)');
      return Number(raw);
    case 'country':
      if (!/^[A-Za-z]{2}$/.test(raw)) throw wrong('ISO 3166 two-letter country codes');
      return normalizeCountry(raw);
    case 'language':
      if (!/^[A-Za-z]{2,3}$/.test(raw)) throw wrong('language codes such as en or de');
      return raw.toLowerCase();
    case 'asn': {
      const match = /^(?:AS)?(\d{1,10})$/i.exec(raw);
      if (!match) throw wrong('AS numbers such as AS15169 or 15169');
      return Number(match[1]);
    }
    case 'path':
      if (!/^.{1,200} #\d{1,3}$/.test(raw)) throw wrong('paths as "rule #n"');
      return raw;
    case 'event':
      if (!EVENT.test(raw)) throw wrong(`events matching ${EVENT_PATTERN}`);
      return raw;
    case 'day':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)))
        throw wrong('dates as YYYY-MM-DD');
      return raw;
    case 'hour': {
      if (!/^\d{1,2}$/.test(raw) || Number(raw) > 23) throw wrong('hours 0 to 23');
      return Number(raw);
    }
    default: {
      const allowed = ENUMS[dimension];
      if (allowed) {
        if (!allowed.includes(raw)) throw wrong(`one of ${allowed.join(', ')}`);
        return raw;
      }
      if (raw.length > MAX_TEXT) throw wrong(`values of at most ${MAX_TEXT} characters`);
      return raw;
    }
  }
}

/** The checks the schema cannot make: every problem is a 400 naming its parameter. */
export function parseReportRequest(request: ReportRequest): ReportSpec {
  const groupBy = list(request.group_by ?? 'campaign');
  if (groupBy.length === 0) throw validationError('group_by', 'group_by names at least one dimension');
  if (groupBy.length > MAX_GROUP_BY)
    throw validationError('group_by', `group_by takes at most ${MAX_GROUP_BY} dimensions`);
  for (const name of groupBy)
    if (!isDimension(name))
      throw validationError(
        'group_by',
        `Unknown dimension "${name.slice(0, 40)}"; known: ${REPORT_DIMENSIONS.join(', ')}`,
      );
  if (new Set(groupBy).size !== groupBy.length) throw validationError('group_by', 'group_by names a dimension twice');
  const dimensions = groupBy as ReportDimension[];

  const filters = new Map<ReportDimension, FilterValue[]>();
  for (const dimension of REPORT_DIMENSIONS) {
    const raw = request[dimension];
    if (raw === undefined) continue;
    const values = list(raw);
    if (values.length === 0) throw validationError(dimension, `${dimension} lists no value`);
    if (values.length > MAX_FILTER_VALUES)
      throw validationError(dimension, `${dimension} lists at most ${MAX_FILTER_VALUES} values`);
    filters.set(dimension, [...new Set(values.map((value) => filterValue(dimension, value)))]);
  }

  const metrics = request.metrics === undefined ? [...REPORT_METRICS] : list(request.metrics);
  if (metrics.length === 0) throw validationError('metrics', 'metrics names at least one metric');
  for (const name of metrics)
    if (!isMetric(name))
      throw validationError('metrics', `Unknown metric "${name.slice(0, 40)}"; known: ${REPORT_METRICS.join(', ')}`);

  const first = dimensions[0]!;
  const sort = request.sort ?? (isTimeDimension(first) ? first : 'clicks');
  if (!isMetric(sort) && !(isDimension(sort) && dimensions.includes(sort)))
    throw validationError('sort', `sort takes a metric or a grouped dimension; "${sort.slice(0, 40)}" is neither`);
  const limit = request.limit ?? DEFAULT_REPORT_LIMIT;
  if (limit > MAX_REPORT_LIMIT) throw validationError('limit', `limit is at most ${MAX_REPORT_LIMIT}`);
  return {
    groupBy: dimensions,
    filters,
    metrics: [...new Set(metrics as ReportMetric[])],
    sort,
    order: request.order ?? (isMetric(sort) ? 'desc' : 'asc'),
    limit,
    page: request.page ?? 1,
  };
}
