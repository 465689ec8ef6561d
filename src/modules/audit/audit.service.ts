import type { Db } from '../../storage/database.ts';
import { notFound } from '../../errors.ts';
import { parseDateRange } from '../../date-range.ts';
import { findMember } from '../accounts/member.repository.ts';
import type { AuditAction, AuditResource } from './audit.enums.ts';
import { listAuditRows } from './audit.repository.ts';
import { toAuditEntry, type AuditEntryView } from './audit-entry.ts';

export interface AuditQuery {
  member_id?: number;
  resource_type?: AuditResource;
  resource_id?: number;
  action?: AuditAction;
  from?: string;
  to?: string;
  cursor?: number;
  per_page?: number;
}

export interface AuditPage {
  items: AuditEntryView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: number | null;
  perPage: number;
}

export const AUDIT_DEFAULT_PAGE = 50;

export function createAuditService(deps: { db: Db; now?: () => number }) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  return {
    async list(userId: number, query: AuditQuery): Promise<AuditPage> {
      // Without from/to the whole history is listed; with either, whole UTC days as everywhere else.
      const range =
        query.from === undefined && query.to === undefined
          ? undefined
          : parseDateRange({ from: query.from ?? '1970-01-01', to: query.to }, now());
      if (query.member_id !== undefined && !(await findMember(db, userId, query.member_id))) {
        throw notFound('Member');
      }
      const perPage = query.per_page ?? AUDIT_DEFAULT_PAGE;
      // One row more than asked tells whether an older page exists without a count.
      const rows = await listAuditRows(db, {
        userId,
        memberId: query.member_id,
        resourceType: query.resource_type,
        resourceId: query.resource_id,
        action: query.action,
        from: range?.from,
        toExclusive: range?.toExclusive,
        beforeId: query.cursor,
        limit: perPage + 1,
      });
      const page = rows.slice(0, perPage);
      const more = rows.length > perPage;
      return {
        items: page.map(toAuditEntry),
        nextCursor: more && page.length > 0 ? Number(page.at(-1)!.id) : null,
        perPage,
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
