import { Type } from 'typebox';
import { Nullable, PageQuery, Timestamp } from './common.ts';
import {
  CONNECTION_LOG_OUTCOMES,
  CONNECTION_PLATFORMS,
  CONNECTION_STATUSES,
} from '../modules/connections/connection.enums.ts';

const Digits = (description: string) =>
  Type.String({ pattern: '^[0-9][0-9-]{0,24}$', description: `${description}; digits, dashes allowed` });
const Secret = Type.String({ minLength: 1, maxLength: 4096 });

export const ConnectionSchema = Type.Object({
  id: Type.Integer(),
  platform: Type.Enum(CONNECTION_PLATFORMS),
  name: Type.String(),
  status: Type.Enum(CONNECTION_STATUSES),
  last_error: Nullable(Type.String({ description: 'The last call that failed, in one line' })),
  last_error_at: Nullable(Timestamp),
  last_success_at: Nullable(Timestamp),
  customer_id: Nullable(Type.String()),
  login_customer_id: Nullable(Type.String()),
  conversion_action_id: Nullable(Type.String()),
  pixel_id: Nullable(Type.String()),
  test_event_code: Nullable(Type.String()),
  currency: Type.String(),
  credentials_set: Type.Array(Type.String(), {
    description: 'Which secrets are stored; their values are never returned',
  }),
  created_at: Timestamp,
  updated_at: Timestamp,
});

const Credentials = Type.Object(
  {
    client_id: Type.Optional(Secret),
    client_secret: Type.Optional(Secret),
    refresh_token: Type.Optional(Secret),
    developer_token: Type.Optional(Secret),
    access_token: Type.Optional(Secret),
  },
  {
    additionalProperties: false,
    description:
      'google: client_id, client_secret, refresh_token, developer_token; meta: access_token. Stored encrypted, never returned',
  },
);

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  customer_id: Nullable(Digits('google: the Google Ads account (customer) id')),
  login_customer_id: Nullable(Digits('google: the manager account id, when access goes through one')),
  conversion_action_id: Nullable(Digits('google: the conversion action offline conversions are uploaded to')),
  pixel_id: Nullable(Digits('meta: the pixel (dataset) id')),
  test_event_code: Nullable(
    Type.String({ maxLength: 64, description: "meta: send events as test events (Events Manager's Test events)" }),
  ),
  currency: Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 code of conversion values (default USD)' }),
  credentials: Credentials,
};

export const ConnectionCreate = Type.Object(
  {
    platform: Type.Enum(CONNECTION_PLATFORMS),
    name: fields.name,
    customer_id: Type.Optional(fields.customer_id),
    login_customer_id: Type.Optional(fields.login_customer_id),
    conversion_action_id: Type.Optional(fields.conversion_action_id),
    pixel_id: Type.Optional(fields.pixel_id),
    test_event_code: Type.Optional(fields.test_event_code),
    currency: Type.Optional(fields.currency),
    credentials: fields.credentials,
  },
  { additionalProperties: false },
);

export const ConnectionUpdate = Type.Object(
  {
    name: Type.Optional(fields.name),
    customer_id: Type.Optional(fields.customer_id),
    login_customer_id: Type.Optional(fields.login_customer_id),
    conversion_action_id: Type.Optional(fields.conversion_action_id),
    pixel_id: Type.Optional(fields.pixel_id),
    test_event_code: Type.Optional(fields.test_event_code),
    currency: Type.Optional(fields.currency),
    credentials: Type.Optional(fields.credentials),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ConnectionListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const ConnectionTestSchema = Type.Object({
  ok: Type.Boolean(),
  message: Type.String(),
  connection: ConnectionSchema,
});

export const ConnectionSyncBody = Type.Object(
  {
    campaign_id: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'One campaign; absent: every campaign with a google_ads_campaign_id',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ConnectionSyncSchema = Type.Object({
  queued: Type.Integer({
    description: 'Syncs queued now (a campaign whose sync is already waiting is not queued twice)',
  }),
  campaign_ids: Type.Array(Type.Integer()),
});

export const ConnectionLogEntrySchema = Type.Object({
  id: Type.Integer(),
  job_id: Nullable(Type.Integer()),
  at: Timestamp,
  action: Type.String({ description: 'test, conversion or exclusions' }),
  outcome: Type.Enum(CONNECTION_LOG_OUTCOMES),
  status_code: Nullable(Type.Integer()),
  message: Type.String(),
  request: Type.Unknown({ description: 'What was sent (no secrets)' }),
  response: Nullable(Type.String({ description: "The start of the platform's answer" })),
  changes: Type.Unknown({ description: 'What changed on the platform' }),
});
