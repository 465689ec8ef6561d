import type { Generated, Insertable, Selectable } from 'kysely';
import type { AuditAction, AuditResource } from './audit.enums.ts';

export interface AuditLogTable {
  id: Generated<number>;
  user_id: number;
  /** null: done by the command line or the system, not by a member. */
  member_id: number | null;
  actor_email: string | null;
  api_key_id: number | null;
  action: AuditAction;
  resource_type: AuditResource;
  resource_id: number | null;
  /** JSON `{field: {before, after}}`: the changed fields only, secrets masked. */
  changes: string;
  created_at: number;
}

export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
