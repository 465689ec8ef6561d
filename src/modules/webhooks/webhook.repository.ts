import type { Db } from '../../storage/database.ts';
import { offsetPage } from '../../storage/offset-page.ts';
import type { NewWebhookRow, WebhookRow, WebhookTable } from './webhook.table.ts';

export type WebhookChanges = Partial<Omit<WebhookTable, 'id' | 'user_id' | 'created_at'>>;

export async function insertWebhook(db: Db, row: NewWebhookRow): Promise<WebhookRow> {
  return db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findWebhook(db: Db, userId: number, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function listWebhooks(
  db: Db,
  userId: number,
  limit: number,
  offset: number,
): Promise<{ rows: WebhookRow[]; total: number }> {
  return offsetPage(db.selectFrom('webhooks').where('user_id', '=', userId), (query) =>
    query.selectAll().orderBy('id').limit(limit).offset(offset),
  );
}

export async function updateWebhook(
  db: Db,
  userId: number,
  id: number,
  changes: WebhookChanges,
): Promise<WebhookRow | undefined> {
  return db
    .updateTable('webhooks')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/** Its deliveries and their attempts go with it (foreign keys cascade). */
export async function deleteWebhook(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Every active endpoint's subscriptions, for the in-memory subscriber cache. */
export async function listActiveSubscriptions(db: Db): Promise<Array<{ user_id: number; events: string }>> {
  return db.selectFrom('webhooks').select(['user_id', 'events']).where('is_active', '=', 1).execute();
}
