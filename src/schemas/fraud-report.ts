import { Type } from 'typebox';
import { FRAUD_TYPE_ORDER } from '../detection/index.ts';
import {
  AD_PLATFORMS,
  FRAUD_REPORT_STATUSES,
  IP_EXCLUSION_FORMATS,
} from '../modules/fraud-reports/fraud-report.enums.ts';
import { DateString, Nullable, PageQuery, Timestamp } from './common.ts';
import { fraudCountsSchema } from './fraud-counts.ts';

export const AdPlatformSchema = Type.Enum(AD_PLATFORMS, {
  description: 'The ad platform the report is for',
});

export const FraudReportCreate = Type.Object(
  {
    campaign_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    platform: AdPlatformSchema,
  },
  { additionalProperties: false },
);

const count = Type.Integer({ minimum: 0 });

export const FraudReportSummarySchema = Type.Object({
  total_clicks: count,
  fraudulent_clicks: count,
  fraud_rate: Type.Number({ description: 'fraudulent_clicks / total_clicks × 100, 2 decimals' }),
  // By precedence, as a report has always listed them.
  fraud_by_type: fraudCountsSchema(FRAUD_TYPE_ORDER, count, {
    description: 'Each fraudulent click once, under its primary type: the counts sum to fraudulent_clicks',
  }),
  estimated_savings: Type.Number({
    description: "What the fraudulent clicks cost under the campaign's cost model (cpc, cpm; 0 for cpa and revshare)",
  }),
  rows: Type.Integer({ minimum: 0, description: 'Data rows of the CSV' }),
});

export const FraudReportSchema = Type.Object({
  id: Type.Integer(),
  campaign_id: Type.Integer(),
  platform: AdPlatformSchema,
  from: DateString,
  to: DateString,
  status: Type.Enum(FRAUD_REPORT_STATUSES),
  error: Nullable(Type.String({ description: 'Why the report failed' })),
  created_at: Timestamp,
  completed_at: Nullable(Timestamp),
  summary: Nullable(FraudReportSummarySchema),
});

export const FraudReportListQuery = Type.Object(
  { ...PageQuery, campaign_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) },
  { additionalProperties: false },
);

export const IpExclusionsQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Enum(IP_EXCLUSION_FORMATS, { description: 'text: one entry per line, ready to paste into Google Ads' }),
    ),
  },
  { additionalProperties: false },
);

export const IpExclusionsSchema = Type.Object({
  entries: Type.Array(
    Type.Object({
      value: Type.String({ description: 'An IPv4 or IPv6 address, or an IPv4 range as 203.0.113.*' }),
      clicks: count,
      cost: Type.Number(),
    }),
  ),
  truncated: Type.Boolean({
    description: 'More addresses were fraudulent than the 500 Google Ads accepts per campaign',
  }),
});
