import { Type } from 'typebox';
import { DateString, Nullable } from './common.ts';
import { ANALYTICS_SORTS, SORT_ORDERS } from '../modules/stats/stats.enums.ts';
import { ANALYTICS_DIMENSIONS } from '../modules/stats/dimensions.ts';
import { fraudCountsSchema } from './fraud-counts.ts';

const CampaignId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone for day boundaries (default UTC), e.g. Europe/Berlin',
});

const range = {
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
};

export const StatsQuery = Type.Object(
  { ...range, campaign_id: Type.Optional(CampaignId), tz: Type.Optional(TimeZone) },
  { additionalProperties: false },
);
export const CampaignStatsQuery = Type.Object(
  { ...range, tz: Type.Optional(TimeZone) },
  { additionalProperties: false },
);

export const AnalyticsQuery = Type.Object(
  {
    ...range,
    campaign_id: Type.Optional(CampaignId),
    tz: Type.Optional(TimeZone),
    sort: Type.Optional(
      Type.Enum(ANALYTICS_SORTS, { description: 'Measure to sort by (default clicks; value for hour and day)' }),
    ),
    order: Type.Optional(Type.Enum(SORT_ORDERS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Rows returned (default 100)' })),
    with_cost: Type.Optional(
      Type.Boolean({ description: 'Adds cost, profit and roi to each row (sorting by one of them implies it)' }),
    ),
  },
  { additionalProperties: false },
);

export const AnalyticsParams = Type.Object({ dimension: Type.Enum(ANALYTICS_DIMENSIONS) });

const Money = Type.Number({ description: 'Rounded to 2 decimals' });
const SuspiciousConversions = Type.Integer({
  description:
    'Counted conversions flagged suspicious (fake leads: a fraudulent click, too fast after the click, an odd payout); also in conversions',
});
const Percent = Type.Number({ description: 'Percent, rounded to 2 decimals' });

export const StatsSchema = Type.Object({
  clicks: Type.Integer(),
  unique_clicks: Type.Integer(),
  real_clicks: Type.Integer(),
  bot_clicks: Type.Integer(),
  vpn_clicks: Type.Integer(),
  cloaked_clicks: Type.Integer(),
  conversions: Type.Integer(),
  suspicious_conversions: SuspiciousConversions,
  revenue: Money,
  cost: Money,
  profit: Money,
  roi: Percent,
  cr: Percent,
  epc: Money,
  lp_clicks: Type.Integer({ description: 'Lander click-throughs (PUBLIC_URL/lp/{clickid}), once per click' }),
  lp_ctr: Type.Number({ description: 'lp_clicks per click, percent, rounded to 2 decimals' }),
});

const measures = {
  clicks: Type.Integer(),
  unique_clicks: Type.Integer(),
  real_clicks: Type.Integer(),
  bot_clicks: Type.Integer(),
  vpn_clicks: Type.Integer(),
  cloaked_clicks: Type.Integer(),
  fraudulent_clicks: Type.Integer(),
  conversions: Type.Integer(),
  suspicious_conversions: SuspiciousConversions,
  revenue: Money,
  cost: Type.Optional(
    Type.Number({
      description:
        "With with_cost: what the row's clicks cost (per-click price or the campaign's model; a set range's amount shared by clicks), rounded to 2 decimals",
    }),
  ),
  profit: Type.Optional(Money),
  roi: Type.Optional(Percent),
  cr: Percent,
  fraud_rate: Percent,
  lp_clicks: Type.Integer(),
  lp_ctr: Type.Number({ description: 'lp_clicks per click, percent, rounded to 2 decimals' }),
};

/** A row names its value after the dimension (`country`, `device`, `os`, …); null when unknown. */
export function analyticsRowSchema(key: string) {
  return Type.Object({ [key]: Nullable(Type.String()), ...measures });
}

export const FraudStatsSchema = Type.Object({
  total_clicks: Type.Integer(),
  fraudulent_clicks: Type.Integer(),
  fraud_rate: Percent,
  // The reference's example lists them in this order, not by precedence.
  fraud_by_type: fraudCountsSchema(
    ['bot', 'duplicate', 'vpn', 'datacenter', 'rapid_fire', 'click_farm'],
    Type.Integer(),
  ),
  estimated_savings: Money,
  suspicious_conversions: SuspiciousConversions,
});
