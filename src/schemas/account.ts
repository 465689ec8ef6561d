import { Type } from 'typebox';
import { PLANS } from '../modules/accounts/account.enums.ts';
import { Timestamp } from './common.ts';

export const PlanSchema = Type.Enum(PLANS);

export const RateLimitUsageSchema = Type.Object({
  per_minute: Type.Integer(),
  per_day: Type.Union([Type.Integer(), Type.Null()]),
});

export const AccountSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  plan: PlanSchema,
  postback_token_required: Type.Boolean(),
  postback_allowed_ips: Type.Array(Type.String(), {
    description: 'Addresses (IPs or CIDR ranges) postbacks are accepted from; empty: any address',
  }),
  rate_limits: RateLimitUsageSchema,
  created_at: Timestamp,
});

export const AccountUpdate = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
    current_password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    postback_allowed_ips: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 100,
        description:
          "Accept postbacks only from these IPs or CIDR ranges (your networks' postback servers); [] accepts any address",
      }),
    ),
  },
  { additionalProperties: false },
);
