import { Type, type TSchema } from 'typebox';
import { DateString, Nullable, PageMetaSchema } from './common.ts';
import { SORT_ORDERS } from '../modules/stats/stats.enums.ts';
import {
  MAX_REPORT_LIMIT,
  NAMED_DIMENSIONS,
  REPORT_DIMENSIONS,
  REPORT_FORMATS,
  REPORT_METRICS,
  REPORT_SOURCES,
  type NamedDimension,
  type ReportDimension,
  type ReportMetric,
} from '../modules/reports/report.enums.ts';

/** One schema per name, typed by the names (Object.fromEntries would type the keys as any string). */
function propertiesOf<K extends string, S extends TSchema>(
  names: readonly K[],
  schemaOf: (name: K) => S,
): Record<K, S> {
  const properties = {} as Record<K, S>;
  for (const name of names) properties[name] = schemaOf(name);
  return properties;
}

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** Each dimension filters as `?country=US,DE`: a comma-separated list, checked against the dimension's shape. */
const filterProperties = propertiesOf(REPORT_DIMENSIONS, (dimension) =>
  Type.Optional(
    Type.String({
      maxLength: 4000,
      description: `Only rows whose ${dimension} is one of these comma-separated values`,
    }),
  ),
);

export const ReportQuery = Type.Object(
  {
    group_by: Type.Optional(
      Type.String({
        maxLength: 200,
        description: `Up to three comma-separated dimensions (default campaign): ${REPORT_DIMENSIONS.join(', ')}`,
      }),
    ),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    tz: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'IANA time zone for day boundaries and day, hour, weekday',
      }),
    ),
    campaign_id: Type.Optional(Id),
    traffic_source_id: Type.Optional(Id),
    ...filterProperties,
    sort: Type.Optional(
      Type.String({ maxLength: 40, description: 'A metric or a grouped dimension (default clicks, or the time)' }),
    ),
    order: Type.Optional(Type.Enum(SORT_ORDERS)),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_REPORT_LIMIT,
        description: `Rows per page (default 100, max ${MAX_REPORT_LIMIT}); csv returns every row`,
      }),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Page number (default 1)' })),
    metrics: Type.Optional(
      Type.String({ maxLength: 400, description: 'Comma-separated metrics to include (default: all of them)' }),
    ),
    format: Type.Optional(
      Type.Enum(REPORT_FORMATS, { description: 'json (default): a page; csv: every row, streamed as a download' }),
    ),
  },
  { additionalProperties: false },
);

const Money = Type.Number({ description: 'Rounded to 2 decimals' });
const Percent = Type.Number({ description: 'Percent, rounded to 2 decimals' });

const METRIC_SCHEMAS: Record<ReportMetric, TSchema> = {
  clicks: Type.Integer(),
  unique_clicks: Type.Integer(),
  real_clicks: Type.Integer(),
  bot_clicks: Type.Integer(),
  vpn_clicks: Type.Integer(),
  cloaked_clicks: Type.Integer(),
  fraudulent_clicks: Type.Integer({ description: 'Clicks with a fraud type, verified crawlers excepted' }),
  fraud_rate: Percent,
  lp_clicks: Type.Integer({ description: 'Lander click-throughs, once per click' }),
  lp_ctr: Percent,
  conversions: Type.Integer(),
  suspicious_conversions: Type.Integer({
    description: 'Conversions judged fake leads (SPEC section 10): still counted in conversions and revenue',
  }),
  revenue: Money,
  cost: Type.Number({
    description:
      "Per-click price or the campaign's model; a set range's amount shared by clicks. Rounded to 2 decimals",
  }),
  profit: Money,
  roi: Percent,
  cr: Type.Number({ description: 'conversions / real_clicks, percent, rounded to 2 decimals' }),
  epc: Money,
  cpc: Type.Number({ description: 'cost / clicks, rounded to 2 decimals' }),
  estimated_savings: Type.Number({ description: 'What the fraudulent clicks were charged, rounded to 2 decimals' }),
};

const DIMENSION_SCHEMAS: Record<ReportDimension, TSchema> = {
  ...propertiesOf(REPORT_DIMENSIONS, () => Nullable(Type.String({ description: 'null: none' }))),
  campaign: Id,
  traffic_source: Nullable(Id),
  offer: Nullable(Id),
  lander: Nullable(Id),
  asn: Nullable(Type.String({ description: '"AS15169 Google LLC"' })),
  city: Nullable(Type.String({ description: '"Berlin, DE": the city with its country' })),
  path: Nullable(Type.String({ description: '"rule #n": the n-th path of the rule' })),
  event: Nullable(Type.String({ description: 'A conversion event: its rows count conversions and revenue only' })),
  day: Type.String({ description: 'YYYY-MM-DD in tz' }),
  hour: Type.Integer({ minimum: 0, maximum: 23, description: 'Hour of day in tz' }),
  weekday: Type.String({ description: 'mon…sun in tz' }),
};

const NAME_SCHEMAS = propertiesOf(
  NAMED_DIMENSIONS.map((dimension): `${NamedDimension}_name` => `${dimension}_name`),
  (name) =>
    Type.Optional(Nullable(Type.String({ description: `The ${name.slice(0, -5)}'s name (null: none or deleted)` }))),
);

/**
 * A row names each grouped value under the dimension's own name (only the grouped ones are present),
 * campaign, traffic_source, offer and lander with `<dim>_name` beside the id; then every metric (or those
 * asked for with `metrics`).
 */
export const ReportRowSchema = Type.Object({
  ...propertiesOf(REPORT_DIMENSIONS, (dimension) => Type.Optional(DIMENSION_SCHEMAS[dimension])),
  ...NAME_SCHEMAS,
  ...propertiesOf(REPORT_METRICS, (metric) => Type.Optional(METRIC_SCHEMAS[metric])),
});

export const ReportTotalsSchema = Type.Object(
  propertiesOf(REPORT_METRICS, (metric) => Type.Optional(METRIC_SCHEMAS[metric])),
  { description: 'The same metrics over every row of the report, not just this page' },
);

export const ReportMetaSchema = Type.Object({
  ...PageMetaSchema.properties,
  group_by: Type.Array(Type.Enum(REPORT_DIMENSIONS)),
  from: DateString,
  to: DateString,
  tz: Type.String(),
  totals: ReportTotalsSchema,
  source: Type.Enum(REPORT_SOURCES, {
    description:
      'Where the rows were read: the rollups, the report cube (the paired dimensions, over the retention period), or the raw clicks (kept for the retention period)',
  }),
});
