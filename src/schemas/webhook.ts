import { Type } from 'typebox';
import { IdParams, Nullable, PageQuery, Timestamp } from './common.ts';
import { WEBHOOK_EVENT_TYPES } from '../modules/webhooks/webhook-events.ts';
import { DELIVERY_STATUSES } from '../modules/webhooks/webhook.enums.ts';

const EventType = Type.Enum(WEBHOOK_EVENT_TYPES);
const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'http or https URL; private, loopback and metadata addresses are refused',
});
const Description = Type.String({ maxLength: 200 });
const Events = Type.Array(EventType, {
  minItems: 1,
  maxItems: WEBHOOK_EVENT_TYPES.length,
  description: 'Event types to receive; click.flagged is sent only when chosen. Default: all others',
});
const CampaignFilter = Nullable(
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "Only this campaign's events" }),
);

export const WebhookSchema = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(Type.String()),
  campaign_id: Nullable(Type.Integer()),
  active: Type.Boolean(),
  disabled_reason: Nullable(
    Type.String({ description: 'Why the system turned the endpoint off (410 Gone, days of failed deliveries)' }),
  ),
  disabled_at: Nullable(Timestamp),
  failing_since: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const WebhookWithSecretSchema = Type.Object({
  ...WebhookSchema.properties,
  secret: Type.String({ description: 'Signing secret for X-CloakRadar-Signature. Shown once: store it now' }),
});

export const WebhookCreate = Type.Object(
  {
    url: Url,
    description: Type.Optional(Nullable(Description)),
    events: Type.Optional(Events),
    campaign_id: Type.Optional(CampaignFilter),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const WebhookUpdate = Type.Object(
  {
    url: Type.Optional(Url),
    description: Type.Optional(Nullable(Description)),
    events: Type.Optional(Events),
    campaign_id: Type.Optional(CampaignFilter),
    active: Type.Optional(
      Type.Boolean({ description: 'true turns a disabled endpoint back on and clears disabled_reason' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

const Attempt = Type.Object({
  attempted_at: Timestamp,
  status_code: Nullable(Type.Integer()),
  latency_ms: Type.Integer(),
  error: Nullable(Type.String()),
  response_excerpt: Nullable(Type.String({ description: 'The start of the response body' })),
});

export const DeliverySchema = Type.Object({
  id: Type.Integer(),
  webhook_id: Type.Integer(),
  event_id: Type.String(),
  event_type: Type.String(),
  status: Type.Enum(DELIVERY_STATUSES),
  attempt_count: Type.Integer(),
  next_attempt_at: Nullable(Timestamp),
  last_status_code: Nullable(Type.Integer()),
  last_latency_ms: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
  completed_at: Nullable(Timestamp),
  attempts: Type.Array(Attempt),
});

export const WebhookListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const DeliveryParams = Type.Object({
  ...IdParams.properties,
  deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});
