import { Type } from 'typebox';
import { MEMBER_STATUSES, PERMISSIONS, ROLES } from '../modules/accounts/account.enums.ts';
import { Nullable, Timestamp } from './common.ts';

export const RoleSchema = Type.Enum(ROLES);

const CampaignIds = Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), {
  maxItems: 1000,
  description: 'Campaigns a manager or viewer is limited to; null: every campaign',
});

export const MemberSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: RoleSchema,
  campaign_ids: Nullable(CampaignIds),
  status: Type.Enum(MEMBER_STATUSES, { description: 'invited: the invitation is not accepted yet' }),
  created_at: Timestamp,
});

export const MeSchema = Type.Object({
  ...MemberSchema.properties,
  permissions: Type.Array(Type.Enum(PERMISSIONS), {
    description:
      'What this token may do on at least one route (a read-only API key holds no write permission; a member limited to some campaigns holds none whose routes all span the workspace)',
  }),
  allowed_routes: Type.Array(Type.String(), {
    description:
      'Every route this token may call, as "METHOD /api/path/:param" (e.g. "POST /api/v1/campaigns", refused to a member limited to some campaigns)',
  }),
  api_key_id: Nullable(Type.Integer()),
});

export const InvitationSchema = Type.Object({
  member: MemberSchema,
  invitation_token: Type.String({ description: 'Shown once: only its hash is stored' }),
  invitation_url: Type.String({ description: 'The dashboard link that accepts the invitation; works once' }),
  expires_at: Timestamp,
});

export const MemberInvite = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    role: RoleSchema,
    campaign_ids: Type.Optional(Nullable(CampaignIds)),
  },
  { additionalProperties: false },
);

export const MemberUpdate = Type.Object(
  { role: Type.Optional(RoleSchema), campaign_ids: Type.Optional(Nullable(CampaignIds)) },
  { additionalProperties: false, minProperties: 1 },
);

export const InvitationAccept = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 8, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const PasswordChangeRequest = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 8, maxLength: 200, description: 'The new password' }),
  },
  { additionalProperties: false },
);
