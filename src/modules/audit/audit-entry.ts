import type { AuditAction, AuditResource } from './audit.enums.ts';
import type { AuditLogRow } from './audit.table.ts';
import type { FieldChanges } from './audit.writer.ts';

/** One entry of GET /api/v1/audit-log. */
export interface AuditEntryView {
  id: number;
  action: AuditAction;
  resource_type: AuditResource;
  resource_id: number | null;
  /** null member: the command line or the system acted. */
  actor: { member_id: number | null; email: string | null; api_key_id: number | null };
  changes: FieldChanges;
  created_at: string;
}

export function toAuditEntry(row: AuditLogRow): AuditEntryView {
  return {
    id: Number(row.id),
    action: row.action,
    resource_type: row.resource_type,
    resource_id: row.resource_id === null ? null : Number(row.resource_id),
    actor: {
      member_id: row.member_id === null ? null : Number(row.member_id),
      email: row.actor_email,
      api_key_id: row.api_key_id === null ? null : Number(row.api_key_id),
    },
    changes: JSON.parse(row.changes) as FieldChanges,
    created_at: new Date(Number(row.created_at)).toISOString(),
  };
}
