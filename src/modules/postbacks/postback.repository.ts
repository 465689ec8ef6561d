import type { Db } from '../../storage/database.ts';
import { offsetPage } from '../../storage/offset-page.ts';
import type {
  NewPostbackDeliveryRow,
  PostbackAttemptRow,
  PostbackDeliveryRow,
  PostbackStatus,
} from './postback.table.ts';

/**
 * Writes one decision. A row that sends carries the conversion's once key: when the conversion already
 * has one (a second approval, a racing postback), nothing is inserted and undefined comes back.
 */
export async function insertPostbackDecision(
  trx: Db,
  row: NewPostbackDeliveryRow,
): Promise<PostbackDeliveryRow | undefined> {
  return trx
    .insertInto('postback_deliveries')
    .values(row)
    .onConflict((c) => c.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Whether the conversion's postback was already decided to be sent (whatever became of the call). */
export async function hasSendingDecision(trx: Db, conversionId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('postback_deliveries')
    .select('id')
    .where('once_key', '=', `conv:${conversionId}`)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findDuePostbacks(
  db: Db,
  now: number,
  limit: number,
): Promise<Array<{ id: number; traffic_source_id: number }>> {
  return db
    .selectFrom('postback_deliveries')
    .select(['id', 'traffic_source_id'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

export async function findPostback(db: Db, id: number): Promise<PostbackDeliveryRow | undefined> {
  return db.selectFrom('postback_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PostbackAttemptRecord {
  attemptedAt: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/** Writes the attempt and the delivery's new state together, and releases the lease. */
export async function recordPostbackAttempt(
  db: Db,
  deliveryId: number,
  attempt: PostbackAttemptRecord,
  next: { status: PostbackStatus; attempts: number; nextAttemptAt: number | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('postback_attempts')
      .values({
        delivery_id: deliveryId,
        attempted_at: attempt.attemptedAt,
        status_code: attempt.statusCode,
        latency_ms: attempt.latencyMs,
        error: attempt.error,
        response_excerpt: attempt.responseExcerpt,
      })
      .execute();
    await trx
      .updateTable('postback_deliveries')
      .set({
        status: next.status,
        attempts: next.attempts,
        next_attempt_at: next.nextAttemptAt,
        lease_until: null,
        last_status_code: attempt.statusCode,
        last_latency_ms: attempt.latencyMs,
        last_error: attempt.error,
        response_excerpt: attempt.responseExcerpt,
        updated_at: attempt.attemptedAt,
        completed_at: next.status === 'pending' ? null : attempt.attemptedAt,
      })
      .where('id', '=', deliveryId)
      .execute();
  });
}

export async function listPostbacksOfSource(
  db: Db,
  sourceId: number,
  limit: number,
  offset: number,
): Promise<{ rows: PostbackDeliveryRow[]; total: number }> {
  return offsetPage(db.selectFrom('postback_deliveries').where('traffic_source_id', '=', sourceId), (query) =>
    query.selectAll().orderBy('id', 'desc').limit(limit).offset(offset),
  );
}

export async function listPostbackAttempts(db: Db, deliveryIds: readonly number[]): Promise<PostbackAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('postback_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('id')
    .execute();
}
