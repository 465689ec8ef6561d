import type { Db } from '../../storage/database.ts';
import type { AuditResource } from './audit.enums.ts';
import { writeAudit } from './audit.writer.ts';

/**
 * A service's write and its audit row in one transaction: either both are stored or neither is. The
 * callbacks get the transaction and must use only it (on SQLite the one connection is held by it).
 */
type Row = { readonly id: number } & object;

export function auditedCreate<R extends Row>(
  db: Db,
  userId: number,
  resourceType: AuditResource,
  insert: (trx: Db) => Promise<R>,
): Promise<R> {
  return db.transaction().execute(async (trx) => {
    const row = await insert(trx);
    await writeAudit(trx, { userId, action: 'create', resourceType, resourceId: row.id, before: null, after: row });
    return row;
  });
}

/** Undefined (nothing written, nothing logged) when `find` sees no row: the caller answers 404. */
export function auditedUpdate<R extends Row>(
  db: Db,
  userId: number,
  resourceType: AuditResource,
  find: (trx: Db) => Promise<R | undefined>,
  update: (trx: Db) => Promise<R | undefined>,
): Promise<R | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await find(trx);
    if (!before) return undefined;
    const after = await update(trx);
    if (!after) return undefined;
    await writeAudit(trx, { userId, action: 'update', resourceType, resourceId: after.id, before, after });
    return after;
  });
}

/** A soft or hard delete; false when `find` sees no row. */
export function auditedDelete<R extends Row>(
  db: Db,
  userId: number,
  resourceType: AuditResource,
  find: (trx: Db) => Promise<R | undefined>,
  remove: (trx: Db) => Promise<unknown>,
): Promise<R | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await find(trx);
    if (!before) return undefined;
    await remove(trx);
    await writeAudit(trx, { userId, action: 'delete', resourceType, resourceId: before.id, before, after: null });
    return before;
  });
}
