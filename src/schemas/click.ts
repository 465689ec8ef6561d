import { Type } from 'typebox';
import { CLICK_STATUSES } from '../detection/index.ts';
import { CLICK_ACTIONS, COST_SOURCES, SUB_ID_NAMES, type SubIdName } from '../modules/clicks/click.enums.ts';
import { DateString, ListFormatSchema, Nullable, PageQuery, Timestamp } from './common.ts';
import { BeaconStateSchema, StoredBeaconSchema } from './beacon.ts';

export const ClickStatusSchema = Type.Enum(CLICK_STATUSES);

const subId = (name: string) =>
  Nullable(Type.String({ description: `The tracking URL's ${name} parameter (cut to 255 characters)` }));

/** sub1…sub10, each as the tracking URL passed it; null when it did not. */
const SubIdProperties = Object.fromEntries(SUB_ID_NAMES.map((name) => [name, subId(name)])) as Record<
  SubIdName,
  ReturnType<typeof subId>
>;

export const ClickSummarySchema = Type.Object({
  id: Type.String(),
  campaign_id: Type.Integer(),
  ip: Type.String({ description: 'Masked: 192.168.x.x' }),
  country: Nullable(Type.String()),
  city: Nullable(Type.String()),
  device: Type.String(),
  os: Nullable(Type.String()),
  browser: Nullable(Type.String()),
  status: ClickStatusSchema,
  is_bot: Type.Boolean(),
  is_vpn: Type.Boolean(),
  converted: Type.Boolean(),
  fraud_types: Type.Array(Type.String()),
  fraud_score: Type.Integer(),
  action: Type.Enum(CLICK_ACTIONS),
  external_id: Nullable(
    Type.String({ description: "The traffic source's own click id: the value of its click_id_param on this click" }),
  ),
  placement: Nullable(
    Type.String({ description: "The zone / placement id: the value of its traffic source's placement_param" }),
  ),
  ...SubIdProperties,
  cost: Nullable(
    Type.Number({
      description:
        "What this click cost: its traffic source's cost_param, else the campaign's per-click model (cost_source says which); null when its source has no cost_param, or a CPA/revshare campaign's unpriced click",
    }),
  ),
  cost_source: Nullable(
    Type.Enum(COST_SOURCES, {
      description:
        'param: the cost parameter; model: none came, the campaign model applies; invalid_param: it was not a number 0-1000, the model applies',
    }),
  ),
  created_at: Timestamp,
});

export const ReasonSchema = Type.Object({ type: Type.String(), message: Type.String() });

export const ClickDetailSchema = Type.Object({
  ...ClickSummarySchema.properties,
  ip: Type.String({ description: 'The whole address' }),
  region: Nullable(Type.String()),
  asn: Nullable(Type.Integer()),
  as_org: Nullable(Type.String()),
  user_agent: Type.String(),
  referrer: Nullable(Type.String()),
  query: Type.Record(Type.String(), Type.String()),
  platform_click_id: Nullable(Type.String()),
  is_verified_bot: Type.Boolean(),
  is_duplicate: Type.Boolean(),
  primary_fraud_type: Nullable(Type.String()),
  reasons: Type.Array(ReasonSchema),
  rule: Nullable(
    Type.String({ description: "The flow's rule the click matched ('default': none did); null without a flow" }),
  ),
  path: Nullable(Type.Integer({ description: "1-based index of the path in its rule's paths" })),
  lander_id: Nullable(Type.Integer()),
  offer_id: Nullable(Type.Integer({ description: 'The offer the click is attributed to' })),
  lp_clicked_at: Nullable(Timestamp),
  /** What the page's lander tag (GET /t.js) reported; null when no beacon came. */
  beacon: Nullable(StoredBeaconSchema),
  beacon_state: BeaconStateSchema,
});

const subIdFilter = (name: string) =>
  Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: `Only clicks whose ${name} is exactly this` }),
  );

/** ?sub1=…&…&sub10=…: exact matches, all of those given. */
const SubIdFilters = Object.fromEntries(SUB_ID_NAMES.map((name) => [name, subIdFilter(name)])) as Record<
  SubIdName,
  ReturnType<typeof subIdFilter>
>;

export const ClickListQuery = Type.Object(
  {
    ...PageQuery,
    campaign_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    status: Type.Optional(ClickStatusSchema),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Country code (US, UK, …)' })),
    ...SubIdFilters,
    format: Type.Optional(ListFormatSchema),
  },
  { additionalProperties: false },
);

export const ClickParams = Type.Object({ clickid: Type.String({ minLength: 1, maxLength: 64 }) });
