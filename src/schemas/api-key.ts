import { Type } from 'typebox';
import { API_KEY_SCOPES } from '../modules/accounts/account.enums.ts';
import { Nullable, Timestamp } from './common.ts';

export const ScopeSchema = Type.Enum(API_KEY_SCOPES);

export const ApiKeySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  api_key: Type.String(),
  scope: ScopeSchema,
  created_at: Timestamp,
  last_used_at: Nullable(Timestamp),
});

export const CreatedApiKeySchema = Type.Object({
  ...ApiKeySchema.properties,
  api_secret: Type.String({ description: 'Shown once: only its hash is stored' }),
});

export const ApiKeyCreate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    scope: Type.Optional(ScopeSchema),
  },
  { additionalProperties: false },
);
