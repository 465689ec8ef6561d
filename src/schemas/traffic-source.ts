import { Type } from 'typebox';
import { PLATFORMS, POSTBACK_MACROS, TEMPLATE_KINDS } from '../modules/traffic-sources/traffic-source.enums.ts';
import { TEMPLATE_IDS } from '../modules/traffic-sources/templates.ts';
import { CONVERSION_STATUSES } from '../modules/conversions/conversion.enums.ts';
import { Nullable, PageQuery, Timestamp } from './common.ts';

export const PlatformSchema = Type.Enum(PLATFORMS);
export const TemplateIdSchema = Type.Enum(TEMPLATE_IDS, {
  description: 'A network template of GET /api/v1/traffic-source-templates',
});
const ConversionStatusSchema = Type.Enum(CONVERSION_STATUSES);

const PARAM_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
const clickIdParam = Type.String({
  pattern: PARAM_PATTERN,
  description: 'Query parameter the platform appends (gclid, fbclid, ttclid, msclkid, …); defaults from the platform',
});
const costParam = Nullable(
  Type.String({
    pattern: PARAM_PATTERN,
    description: 'Query parameter carrying the price the network charged for the click (e.g. cost)',
  }),
);
const placementParam = Nullable(
  Type.String({
    pattern: PARAM_PATTERN,
    description:
      'Query parameter carrying the zone, placement, site or publisher id (e.g. zone); stored on each click as placement',
  }),
);
const postbackUrl = Nullable(
  Type.String({
    minLength: 1,
    maxLength: 2048,
    description: `http(s) URL the network takes conversions on, called with GET for each counted conversion of this source's clicks. Macros, URL-encoded: ${POSTBACK_MACROS.map((m) => `{${m}}`).join(', ')}`,
  }),
);
const postbackStatuses = Type.Array(ConversionStatusSchema, {
  minItems: 1,
  uniqueItems: true,
  description:
    'Conversion statuses reported to the network; a conversion that later moves into one of them is reported then, once',
});
const postbackFraudulent = Type.Boolean({
  description:
    'Whether conversions of clicks with a fraud type other than duplicate are reported too (by default they are not, so the network does not learn from fraud)',
});

export const TrafficSourceSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  platform: PlatformSchema,
  click_id_param: Type.String(),
  cost_param: Nullable(Type.String()),
  placement_param: Nullable(Type.String()),
  postback_url: Nullable(Type.String()),
  postback_statuses: Type.Array(ConversionStatusSchema),
  postback_fraudulent: Type.Boolean(),
  template: Nullable(TemplateIdSchema),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const TrafficSourceCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    platform: Type.Optional(Type.Enum(PLATFORMS, { description: 'Required unless a template gives it' })),
    click_id_param: Type.Optional(clickIdParam),
    cost_param: Type.Optional(costParam),
    placement_param: Type.Optional(placementParam),
    postback_url: Type.Optional(postbackUrl),
    postback_statuses: Type.Optional(postbackStatuses),
    postback_fraudulent: Type.Optional(postbackFraudulent),
    template: Type.Optional(
      Type.Enum(TEMPLATE_IDS, {
        description:
          'Fills platform, parameters and postback URL from a network template (GET /api/v1/traffic-source-templates); fields given explicitly win. Create only.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TrafficSourceUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    platform: Type.Optional(PlatformSchema),
    click_id_param: Type.Optional(clickIdParam),
    cost_param: Type.Optional(costParam),
    placement_param: Type.Optional(placementParam),
    postback_url: Type.Optional(postbackUrl),
    postback_statuses: Type.Optional(postbackStatuses),
    postback_fraudulent: Type.Optional(postbackFraudulent),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TrafficSourceListQuery = Type.Object(
  {
    ...PageQuery,
    platform: Type.Optional(PlatformSchema),
  },
  { additionalProperties: false },
);

export const TrafficSourceTemplateSchema = Type.Object({
  id: TemplateIdSchema,
  name: Type.String(),
  kind: Type.Enum(TEMPLATE_KINDS),
  platform: PlatformSchema,
  click_id_param: Type.String(),
  click_id_token: Nullable(
    Type.String({ description: "The network's click-id macro; null when the network appends its click id itself" }),
  ),
  cost_param: Nullable(Type.String()),
  cost_token: Nullable(Type.String({ description: "The network's macro for the price of the click" })),
  placement_param: Nullable(Type.String()),
  placement_token: Nullable(Type.String({ description: "The network's macro for the zone, placement or site" })),
  postback_url: Nullable(
    Type.String({ description: 'Where the network takes conversions; capitalised parts are account-specific' }),
  ),
});
