import { Type } from 'typebox';
import { AUDIT_ACTIONS, AUDIT_RESOURCES } from '../modules/audit/audit.enums.ts';
import { DateString, Nullable, Timestamp } from './common.ts';

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const AuditLogQuery = Type.Object(
  {
    member_id: Type.Optional({ ...Id, description: 'Only what this member did (another workspace’s member: 404)' }),
    resource_type: Type.Optional(Type.Enum(AUDIT_RESOURCES)),
    resource_id: Type.Optional({ ...Id, description: 'Only this resource (with resource_type)' }),
    action: Type.Optional(Type.Enum(AUDIT_ACTIONS)),
    from: Type.Optional({ ...DateString, description: 'First UTC day, inclusive (default: the beginning)' }),
    to: Type.Optional({ ...DateString, description: 'Last UTC day, inclusive (default: today)' }),
    cursor: Type.Optional({ ...Id, description: 'The previous page’s meta.next_cursor: the next, older page' }),
    per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Entries per page (default 50)' })),
  },
  { additionalProperties: false },
);

const FieldChange = Type.Object({ before: Type.Unknown(), after: Type.Unknown() });

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  action: Type.Enum(AUDIT_ACTIONS),
  resource_type: Type.Enum(AUDIT_RESOURCES),
  resource_id: Nullable(Type.Integer()),
  actor: Type.Object({
    member_id: Nullable(Type.Integer({ description: 'null: the command line or the system' })),
    email: Nullable(Type.String()),
    api_key_id: Nullable(Type.Integer({ description: 'The API key used, if any' })),
  }),
  changes: Type.Record(Type.String(), FieldChange, {
    description: 'The changed fields only (every field on create and delete); secrets show as ********',
  }),
  created_at: Timestamp,
});

export const AuditPageMeta = Type.Object({
  per_page: Type.Integer(),
  next_cursor: Nullable(Type.Integer({ description: 'Pass as cursor for the next page; null: no more' })),
});
