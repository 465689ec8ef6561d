import type { Db } from '../../storage/database.ts';
import type { ApiKeyRow, NewApiKeyRow } from './api-key.table.ts';

export async function insertApiKey(db: Db, key: NewApiKeyRow): Promise<ApiKeyRow> {
  return db.insertInto('api_keys').values(key).returningAll().executeTakeFirstOrThrow();
}

export async function findActiveApiKeyByKey(db: Db, key: string): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('key', '=', key)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function findActiveApiKeyById(db: Db, id: number): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function listApiKeys(db: Db, userId: number, memberId: number | null): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .$if(memberId !== null, (q) => q.where('member_id', '=', memberId!))
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function revokeApiKey(
  db: Db,
  userId: number,
  id: number,
  now: number,
  memberId: number | null,
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .$if(memberId !== null, (q) => q.where('member_id', '=', memberId!))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchApiKey(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** Every live key of a member, revoked at once (the member was removed). */
export async function revokeMemberApiKeys(db: Db, userId: number, memberId: number, now: number): Promise<number[]> {
  const rows = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => Number(row.id));
}

/** A live (not revoked) key of the account, for the audit log's record of its revocation. */
export async function findLiveApiKey(db: Db, userId: number, id: number): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
