import { SUB_ID_NAMES } from '../clicks/click.enums.ts';
import { LIST_FORMATS } from '../exports/export.enums.ts';

/**
 * What a report groups and filters by (SPEC section 9), in the spec's order: the one list the schemas,
 * the query parser and the dashboard derive from. A leaf module, so the schemas can import it.
 */
export const REPORT_DIMENSIONS = [
  'campaign',
  'traffic_source',
  'offer',
  'lander',
  'rule',
  'path',
  'placement',
  'country',
  'region',
  'city',
  'device',
  'os',
  'browser',
  'asn',
  'language',
  ...SUB_ID_NAMES,
  'event',
  'status',
  'fraud_type',
  'day',
  'hour',
  'weekday',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The dimensions whose value is one of the account's resources: the row carries its id and `<dim>_name`. */
export const NAMED_DIMENSIONS = ['campaign', 'traffic_source', 'offer', 'lander'] as const;
export type NamedDimension = (typeof NAMED_DIMENSIONS)[number];

/** Every metric a row carries (SPEC section 9), in the order rows and CSV columns list them. */
export const REPORT_METRICS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraudulent_clicks',
  'fraud_rate',
  'lp_clicks',
  'lp_ctr',
  'conversions',
  'suspicious_conversions',
  'revenue',
  'cost',
  'profit',
  'roi',
  'cr',
  'epc',
  'cpc',
  'estimated_savings',
] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

/** As every list answers (SPEC section 9): a page of JSON, or every row as a CSV download. */
export const REPORT_FORMATS = LIST_FORMATS;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Where a report's rows were read (its meta.source): the rollups, the report cube, or the raw clicks of the range. */
export const REPORT_SOURCES = ['rollups', 'cube', 'clicks'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export const MAX_GROUP_BY = 3;
export const DEFAULT_REPORT_LIMIT = 100;
export const MAX_REPORT_LIMIT = 1000;
/** Values one filter may list: enough for any hand-made selection, bounded so a URL cannot build a huge IN list. */
export const MAX_FILTER_VALUES = 100;
