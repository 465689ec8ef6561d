import type { Db } from '../../../storage/database.ts';
import type { DeliveryStatus, WebhookAttemptRow, WebhookDeliveryRow } from '../webhook.table.ts';

/** Everything one attempt needs, read in one query. */
export interface DeliveryJob {
  id: number;
  webhook_id: number;
  user_id: number;
  attempts: number;
  created_at: number;
  event_id: string;
  event_type: string;
  payload: string;
  url: string;
  secret: string;
  failing_since: number | null;
}

/** Due, unleased deliveries of endpoints that are on, oldest due first. */
export async function findDueDeliveries(
  db: Db,
  now: number,
  limit: number,
): Promise<Array<{ id: number; webhook_id: number }>> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.webhook_id'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
    .where('w.is_active', '=', 1)
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .execute();
}

export async function loadDeliveryJob(db: Db, id: number): Promise<DeliveryJob | undefined> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select([
      'd.id',
      'd.webhook_id',
      'd.user_id',
      'd.attempts',
      'd.created_at',
      'e.id as event_id',
      'e.type as event_type',
      'e.payload',
      'w.url',
      'w.secret',
      'w.failing_since',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export interface AttemptRecord {
  attemptedAt: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/** Writes the attempt and the delivery's new state together, and releases the lease. */
export async function recordAttempt(
  db: Db,
  deliveryId: number,
  attempt: AttemptRecord,
  next: { status: DeliveryStatus; attempts: number; nextAttemptAt: number | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
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
      .updateTable('webhook_deliveries')
      .set({
        status: next.status,
        attempts: next.attempts,
        next_attempt_at: next.nextAttemptAt,
        lease_until: null,
        last_status_code: attempt.statusCode,
        last_latency_ms: attempt.latencyMs,
        last_error: attempt.error,
        updated_at: attempt.attemptedAt,
        completed_at: next.status === 'pending' ? null : attempt.attemptedAt,
      })
      .where('id', '=', deliveryId)
      .execute();
  });
}

/** A success ends the endpoint's failing streak; a failure starts one if none is running. */
export async function markEndpointHealth(db: Db, webhookId: number, healthy: boolean, now: number): Promise<void> {
  if (healthy) {
    await db
      .updateTable('webhooks')
      .set({ failing_since: null })
      .where('id', '=', webhookId)
      .where('failing_since', 'is not', null)
      .execute();
  } else {
    await db
      .updateTable('webhooks')
      .set({ failing_since: now })
      .where('id', '=', webhookId)
      .where('failing_since', 'is', null)
      .execute();
  }
}

export async function disableEndpoint(db: Db, webhookId: number, reason: string, now: number): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ is_active: 0, disabled_reason: reason, disabled_at: now, updated_at: now })
    .where('id', '=', webhookId)
    .execute();
}

export type DeliveryListRow = WebhookDeliveryRow & { event_type: string };

export async function listDeliveriesOfWebhook(
  db: Db,
  webhookId: number,
  limit: number,
  offset: number,
): Promise<{ rows: DeliveryListRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select('e.type as event_type')
      .where('d.webhook_id', '=', webhookId)
      .orderBy('d.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('webhook_id', '=', webhookId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function findDeliveryOfWebhook(
  db: Db,
  webhookId: number,
  deliveryId: number,
): Promise<DeliveryListRow | undefined> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select('e.type as event_type')
    .where('d.webhook_id', '=', webhookId)
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
}

export async function listAttempts(db: Db, deliveryIds: readonly number[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('id')
    .execute();
}

/** A manual retry: due now, whatever state it was in (a succeeded delivery is sent again, as a redelivery). */
export async function rescheduleDelivery(db: Db, deliveryId: number, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, lease_until: null, completed_at: null, updated_at: now })
    .where('id', '=', deliveryId)
    .execute();
}

/** Forgets events (with their deliveries and attempts, by cascade) created before `before`. */
export async function pruneEventsBefore(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('webhook_events').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
