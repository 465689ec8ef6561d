import type { Db } from '../../storage/database.ts';
import type { AuditAction, AuditResource } from './audit.enums.ts';
import { currentActor } from './audit-context.ts';

/** Shown instead of a secret's value: the log says a secret changed, never what it is. */
export const MASKED = '********';

/** Columns whose values are secrets (hashes included: a hash is enough to attack offline). */
const SECRET_FIELDS = new Set([
  'password_hash',
  'secret',
  'secret_hash',
  'api_secret',
  'token',
  'token_hash',
  'postback_token',
  'postback_secret',
  'invitation_token_hash',
  'credentials',
  'signing_secret',
]);

/** Bookkeeping columns: they change on every write and say nothing a reader needs. */
const IGNORED_FIELDS = new Set(['id', 'user_id', 'created_at', 'updated_at', 'credentials_version']);

export type AuditValues = Readonly<Record<string, unknown>> | null | undefined;

export interface AuditEntry {
  userId: number;
  action: AuditAction;
  resourceType: AuditResource;
  resourceId: number | null;
  /** The row before the change (null on create) and after it (null on delete). */
  before: AuditValues;
  after: AuditValues;
}

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

const isSecret = (field: string) =>
  SECRET_FIELDS.has(field) || /(^|_)(secret|password|token)(_|$)/.test(field) || field.endsWith('_hash');

/** The fields that differ between before and after (all of them on create and delete), secrets masked. */
export function diffFields(before: AuditValues, after: AuditValues): FieldChanges {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChanges = {};
  for (const field of fields) {
    if (IGNORED_FIELDS.has(field)) continue;
    const was = before ? (before[field] ?? null) : null;
    const now = after ? (after[field] ?? null) : null;
    if (before && after && JSON.stringify(was) === JSON.stringify(now)) continue;
    changes[field] = isSecret(field)
      ? { before: was === null ? null : MASKED, after: now === null ? null : MASKED }
      : { before: was, after: now };
  }
  return changes;
}

/**
 * Records one change. Takes the transaction the change itself runs in, so the log and the data commit or
 * roll back together. An update that changed nothing is not recorded.
 */
export async function writeAudit(trx: Db, entry: AuditEntry, at: number = Date.now()): Promise<void> {
  const changes = diffFields(entry.before, entry.after);
  if (entry.action === 'update' && Object.keys(changes).length === 0) return;
  const actor = currentActor();
  await trx
    .insertInto('audit_log')
    .values({
      user_id: entry.userId,
      member_id: actor?.memberId ?? null,
      actor_email: actor?.email ?? null,
      api_key_id: actor?.apiKeyId ?? null,
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      changes: JSON.stringify(changes),
      created_at: at,
    })
    .execute();
}
