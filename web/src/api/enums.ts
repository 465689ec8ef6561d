import type { paths } from './schema';

// The API's enumerated lists, as the dashboard's forms offer them.
//
// The types come from the generated OpenAPI types (schema.d.ts), so they are the server's own lists.
// A select's options must exist at run time, which a .d.ts cannot give; reading /api/openapi.json at
// run time would add a request and a loading state to every form for values that only change with a
// release. So each runtime list below is written once here and checked against the generated type
// both ways: a value the API lacks does not compile, and neither does a list missing a value the API
// has, so adding one on the server fails `tsc -p web/tsconfig.json` until the dashboard lists it.

type JsonBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } }
  ? Body
  : never;
type Query<Operation> = Operation extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type CampaignBody = JsonBody<paths['/api/v1/campaigns']['post']>;
export type CampaignStatus = NonNullable<CampaignBody['status']>;
export type CostModel = NonNullable<CampaignBody['cost_model']>;
export type FraudAction = NonNullable<CampaignBody['fraud_action']>;
export type FraudType = NonNullable<CampaignBody['blocked_fraud_types']>[number];
export type DeviceType = NonNullable<CampaignBody['allowed_devices']>[number];
export type ClickStatus = NonNullable<Query<paths['/api/v1/clicks']['get']>['status']>;
/** sub1…sub10: the click list filters by each, under its own name. */
export type SubIdName = Extract<keyof Query<paths['/api/v1/clicks']['get']>, `sub${number}`>;
export type AdPlatform = JsonBody<paths['/api/v2/fraud/report']['post']>['platform'];
export type ApiKeyScope = NonNullable<JsonBody<paths['/api/v1/api-keys']['post']>['scope']>;
type TrafficSourceBody = JsonBody<paths['/api/v1/traffic-sources']['post']>;
export type SourcePlatform = NonNullable<TrafficSourceBody['platform']>;
export type ConversionStatus = NonNullable<TrafficSourceBody['postback_statuses']>[number];
export type OfferStatus = NonNullable<JsonBody<paths['/api/v1/offers']['post']>['status']>;
export type Flow = NonNullable<CampaignBody['flow']>;
export type FlowRule = Flow['rules'][number];
export type FlowPath = Flow['paths'][number];
export type FlowCondition = FlowRule['when'];
export type Rotation = NonNullable<Flow['rotation']>;
export type Connection = NonNullable<FlowCondition['connection']>;
export type Weekday = NonNullable<FlowCondition['weekday']>[number];

/** `unknown` when `List` names every `T`; else an object naming the missing ones, for the compiler's message. */
type NamesEvery<T, List extends readonly T[]> = [Exclude<T, List[number]>] extends [never]
  ? unknown
  : { missing: Exclude<T, List[number]> };

/** Every value of `T`, in the order given (the API reference's): a missing or unknown value does not compile. */
const every =
  <T extends string>() =>
  <const List extends readonly T[]>(list: List & NamesEvery<T, List>): List =>
    list;

export const FRAUD_TYPES = every<FraudType>()(['bot', 'rapid_fire', 'click_farm', 'datacenter', 'vpn', 'duplicate']);
export const DEVICE_TYPES = every<DeviceType>()(['desktop', 'mobile', 'tablet', 'tv', 'console', 'wearable', 'other']);
export const CLICK_STATUSES = every<ClickStatus>()(['real', 'bot', 'vpn', 'cloaked']);
export const API_KEY_SCOPES = every<ApiKeyScope>()(['read', 'write']);
export const CONVERSION_STATUSES = every<ConversionStatus>()(['approved', 'pending', 'rejected']);
export const SUB_ID_NAMES = every<SubIdName>()([
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
]);
export const OFFER_STATUSES = every<OfferStatus>()(['active', 'paused']);
export const CONNECTIONS = every<Connection>()(['mobile', 'broadband']);
/** ISO order, Monday first; rules read them in UTC. */
export const WEEKDAYS = every<Weekday>()(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

// Options with labels: `satisfies Record<…>` needs exactly one label per value, which is the same check.
export const CAMPAIGN_STATUS_LABELS = {
  active: 'active',
  paused: 'paused (still tracks and redirects)',
  inactive: 'inactive (link answers 404)',
} as const satisfies Record<CampaignStatus, string>;

export const COST_MODEL_LABELS = {
  cpc: 'CPC (per click)',
  cpm: 'CPM (per 1,000 clicks)',
  cpa: 'CPA (per conversion)',
  revshare: 'Revshare (% of revenue)',
} as const satisfies Record<CostModel, string>;

export const FRAUD_ACTION_LABELS = {
  monitor: 'Monitor (record, let through)',
  block: 'Block (403 for the types below)',
} as const satisfies Record<FraudAction, string>;

export const AD_PLATFORM_LABELS = {
  google: 'Google Ads',
  meta: 'Meta',
  tiktok: 'TikTok',
  microsoft: 'Microsoft Ads',
} as const satisfies Record<AdPlatform, string>;

export const SOURCE_PLATFORM_LABELS = {
  google: 'Google Ads',
  meta: 'Meta',
  tiktok: 'TikTok',
  microsoft: 'Microsoft Ads',
  other: 'Other network',
} as const satisfies Record<SourcePlatform, string>;

export const ROTATION_LABELS = {
  weights: 'Fixed weights (the shares you set)',
  auto: 'Auto (toward the better EPC, at least 10 % per path)',
} as const satisfies Record<Rotation, string>;

/** The keys of a labels object, typed (Object.keys gives string[]); insertion order is the options' order. */
export function optionsOf<K extends string>(labels: Readonly<Record<K, string>>): Array<[K, string]> {
  return Object.entries(labels) as Array<[K, string]>;
}

type PostbackLogEntry = NonNullable<
  paths['/api/v1/traffic-sources/{id}/postbacks']['get']['responses'][200]['content']['application/json']['data']
>[number];
export type PostbackLogStatus = PostbackLogEntry['status'];
/** What each delivery-log status means to the user (one label per status the API gives). */
export const POSTBACK_LOG_STATUS_LABELS = {
  pending: 'pending (to be sent or retried)',
  delivered: 'delivered (the network answered 2xx)',
  failed: 'failed (given up after 24 h of retries)',
  withheld: 'withheld (not sent: see why)',
} as const satisfies Record<PostbackLogStatus, string>;

export type PlacementSort = NonNullable<Query<paths['/api/v1/traffic-sources/{id}/placements']['get']>['sort']>;
/** The placement table's sort options, as its column names read. */
export const PLACEMENT_SORT_LABELS = {
  placement: 'Placement',
  clicks: 'Clicks',
  fraudulent_clicks: 'Fraudulent clicks',
  fraud_rate: 'Fraud rate',
  conversions: 'Conversions',
  revenue: 'Revenue',
  cost: 'Cost',
  profit: 'Profit',
  roi: 'ROI',
} as const satisfies Record<PlacementSort, string>;

type MemberBody = JsonBody<paths['/api/v1/members']['post']>;
export type Role = MemberBody['role'];
/** From the most rights to the fewest. */
export const ROLES = every<Role>()(['owner', 'admin', 'manager', 'viewer']);
type ReportAnswer = paths['/api/v2/reports']['get']['responses'][200]['content']['application/json'];
export type ReportDimension = ReportAnswer['meta']['group_by'][number];
export type ReportMetric = keyof ReportAnswer['meta']['totals'];

/** What a report groups by (SPEC section 9), as the builder's pickers and the table's headers name it. */
export const REPORT_DIMENSION_LABELS = {
  campaign: 'Campaign',
  traffic_source: 'Traffic source',
  offer: 'Offer',
  lander: 'Lander',
  rule: 'Flow rule',
  path: 'Flow path',
  placement: 'Placement',
  country: 'Country',
  region: 'Region',
  city: 'City',
  device: 'Device',
  os: 'OS',
  browser: 'Browser',
  asn: 'ASN',
  language: 'Language',
  sub1: 'sub1',
  sub2: 'sub2',
  sub3: 'sub3',
  sub4: 'sub4',
  sub5: 'sub5',
  sub6: 'sub6',
  sub7: 'sub7',
  sub8: 'sub8',
  sub9: 'sub9',
  sub10: 'sub10',
  event: 'Conversion event',
  status: 'Click status',
  fraud_type: 'Fraud type',
  day: 'Day',
  hour: 'Hour',
  weekday: 'Weekday',
} as const satisfies Record<ReportDimension, string>;

/** Every metric of a report row, in the table's column order, as its header reads. */
export const REPORT_METRIC_LABELS = {
  clicks: 'Clicks',
  unique_clicks: 'Unique',
  real_clicks: 'Real',
  bot_clicks: 'Bot',
  vpn_clicks: 'VPN',
  cloaked_clicks: 'Cloaked',
  fraudulent_clicks: 'Fraudulent',
  fraud_rate: 'Fraud rate',
  lp_clicks: 'LP clicks',
  lp_ctr: 'LP CTR',
  conversions: 'Conv.',
  suspicious_conversions: 'Suspicious',
  revenue: 'Revenue',
  cost: 'Cost',
  profit: 'Profit',
  roi: 'ROI',
  cr: 'CR',
  epc: 'EPC',
  cpc: 'CPC',
  estimated_savings: 'Est. savings',
} as const satisfies Record<ReportMetric, string>;

type AuditQuery = Query<paths['/api/v1/audit-log']['get']>;
export type AuditResource = NonNullable<AuditQuery['resource_type']>;
export type AuditAction = NonNullable<AuditQuery['action']>;
export const AUDIT_RESOURCES = every<AuditResource>()([
  'campaign',
  'traffic_source',
  'offer',
  'lander',
  'api_key',
  'member',
  'campaign_costs',
  'detection_settings',
  'webhook',
  'account',
  'connection',
  'fraud_report',
  'conversion',
]);
export const AUDIT_ACTIONS = every<AuditAction>()(['create', 'update', 'delete', 'sync']);
