import type { Db } from '../../storage/database.ts';
import type { AuditAction, AuditResource } from './audit.enums.ts';
import type { AuditLogRow } from './audit.table.ts';

export interface AuditFilter {
  userId: number;
  memberId?: number;
  resourceType?: AuditResource;
  resourceId?: number;
  action?: AuditAction;
  from?: number;
  toExclusive?: number;
  /** Newest first: rows with an id below this one (the previous page's next_cursor). */
  beforeId?: number;
  limit: number;
}

/** One keyset page, newest first: an index range on (user_id, id) that stops at its limit however deep. */
export async function listAuditRows(db: Db, filter: AuditFilter): Promise<AuditLogRow[]> {
  let query = db.selectFrom('audit_log').selectAll().where('user_id', '=', filter.userId);
  if (filter.memberId !== undefined) query = query.where('member_id', '=', filter.memberId);
  if (filter.resourceType !== undefined) query = query.where('resource_type', '=', filter.resourceType);
  if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
  if (filter.toExclusive !== undefined) query = query.where('created_at', '<', filter.toExclusive);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}
