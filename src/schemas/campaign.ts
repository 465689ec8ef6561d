import { Type } from 'typebox';
import { DEVICE_TYPES, FRAUD_TYPE_ORDER } from '../detection/index.ts';
import {
  CAMPAIGN_STATUSES,
  COST_MODELS,
  DEFAULT_MIN_TIME_TO_CONVERT,
  FRAUD_ACTIONS,
  MAX_MIN_TIME_TO_CONVERT,
} from '../modules/campaigns/campaign.enums.ts';
import { Nullable, PageQuery, Timestamp } from './common.ts';
import { FlowSchema } from './flow.ts';

// Type.Enum gives `{ enum: [...] }` in the list's order, as the OpenAPI document always showed them.
export const CampaignStatusSchema = Type.Enum(CAMPAIGN_STATUSES);
export const CostModelSchema = Type.Enum(COST_MODELS);
export const FraudActionSchema = Type.Enum(FRAUD_ACTIONS);
export const FraudTypeSchema = Type.Enum(FRAUD_TYPE_ORDER);
export const DeviceSchema = Type.Enum(DEVICE_TYPES);
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 (UK is taken as GB)' });

export const CampaignSchema = Type.Object({
  id: Type.Integer(),
  uuid: Type.String(),
  name: Type.String(),
  status: CampaignStatusSchema,
  traffic_source_id: Nullable(Type.Integer()),
  cost_model: CostModelSchema,
  cost_value: Type.Number(),
  destination_url: Nullable(Type.String()),
  tracking_url: Type.String(),
  tracking_url_for_source: Nullable(
    Type.String({
      description:
        "The tracking URL to paste into the traffic source's network, its macros in place (…/c/{uuid}?visitor_id=${SUBID}&cost={cost}&zone={zoneid}); null without a traffic source",
    }),
  ),
  allowed_countries: Type.Array(Type.String()),
  blocked_countries: Type.Array(Type.String()),
  allowed_devices: Type.Array(Type.String()),
  ip_blocklist: Type.Array(Type.String()),
  fraud_action: FraudActionSchema,
  blocked_fraud_types: Type.Array(Type.String()),
  allow_repeat_conversions: Type.Boolean(),
  min_time_to_convert: Type.Integer({
    description: 'Seconds: a conversion sooner than this after its click is suspicious (a fake lead); 0: not checked',
  }),
  require_beacon: Type.Boolean(),
  flow: Nullable(FlowSchema),
  google_ads_campaign_id: Nullable(Type.String()),
  clicks_today: Type.Integer(),
  conversions_today: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  traffic_source_id: Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  cost_model: CostModelSchema,
  cost_value: Type.Number({ minimum: 0, maximum: 1_000_000 }),
  status: CampaignStatusSchema,
  destination_url: Nullable(
    Type.String({
      maxLength: 2048,
      description:
        'http(s) URL; macros {clickid} {campaign_id} {country} {device} {sub1}…{sub10} {gclid} or any query parameter',
    }),
  ),
  allowed_countries: Type.Array(Country, { maxItems: 250 }),
  blocked_countries: Type.Array(Country, { maxItems: 250 }),
  allowed_devices: Type.Array(DeviceSchema, { maxItems: DEVICE_TYPES.length }),
  ip_blocklist: Type.Array(Type.String({ maxLength: 64 }), {
    maxItems: 10_000,
    description: 'IP addresses or CIDR ranges',
  }),
  fraud_action: FraudActionSchema,
  blocked_fraud_types: Type.Array(FraudTypeSchema, { maxItems: FRAUD_TYPE_ORDER.length }),
  allow_repeat_conversions: Type.Boolean({
    description:
      'Count more than one conversion per click (each with its own txid), e.g. rebills. Default false: a click converts once, so a forged postback with a new txid changes nothing',
  }),
  min_time_to_convert: Type.Integer({
    minimum: 0,
    maximum: MAX_MIN_TIME_TO_CONVERT,
    description: `Seconds (whole, 0–${MAX_MIN_TIME_TO_CONVERT}, default ${DEFAULT_MIN_TIME_TO_CONVERT}): a conversion that arrives sooner than this after its click is stored suspicious: true ("Converted 1.2 s after the click (minimum 3 s)"); it still counts. 0 turns the check off`,
  }),
  require_beacon: Type.Boolean({
    description:
      'The campaign’s pages all carry the lander tag (GET /t.js): a click whose page sent no beacon within 1 h of the click is flagged bot. Default false: a missing beacon is only shown on the click (ad blockers stop tags, people leave fast)',
  }),
  flow: Nullable(FlowSchema),
  google_ads_campaign_id: Nullable(
    Type.String({
      pattern: '^[0-9]{1,20}$',
      description:
        "The Google Ads campaign (its numeric id) that receives this campaign's IP exclusions through a google connection; null: none",
    }),
  ),
};

export const CampaignCreate = Type.Object(
  {
    name: fields.name,
    traffic_source_id: Type.Optional(fields.traffic_source_id),
    cost_model: Type.Optional(fields.cost_model),
    cost_value: Type.Optional(fields.cost_value),
    status: Type.Optional(fields.status),
    destination_url: Type.Optional(fields.destination_url),
    allowed_countries: Type.Optional(fields.allowed_countries),
    blocked_countries: Type.Optional(fields.blocked_countries),
    allowed_devices: Type.Optional(fields.allowed_devices),
    ip_blocklist: Type.Optional(fields.ip_blocklist),
    fraud_action: Type.Optional(fields.fraud_action),
    blocked_fraud_types: Type.Optional(fields.blocked_fraud_types),
    allow_repeat_conversions: Type.Optional(fields.allow_repeat_conversions),
    min_time_to_convert: Type.Optional(fields.min_time_to_convert),
    require_beacon: Type.Optional(fields.require_beacon),
    flow: Type.Optional(fields.flow),
    google_ads_campaign_id: Type.Optional(fields.google_ads_campaign_id),
  },
  { additionalProperties: false },
);

export const CampaignUpdate = Type.Partial(CampaignCreate, { additionalProperties: false, minProperties: 1 });

export const CampaignListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(CampaignStatusSchema),
    traffic_source_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);
