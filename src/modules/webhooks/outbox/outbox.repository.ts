import type { Db } from '../../../storage/database.ts';
import type { WebhookRow } from '../webhook.table.ts';

/** The account's endpoints that are on; subscription filtering happens in code (events are a JSON list). */
export async function listActiveWebhooksOfUser(
  trx: Db,
  userId: number,
): Promise<Array<Pick<WebhookRow, 'id' | 'events' | 'campaign_id'>>> {
  return trx
    .selectFrom('webhooks')
    .select(['id', 'events', 'campaign_id'])
    .where('user_id', '=', userId)
    .where('is_active', '=', 1)
    .execute();
}

export async function insertEventWithDeliveries(
  trx: Db,
  event: { id: string; userId: number; type: string; payload: string; createdAt: number },
  webhookIds: readonly number[],
): Promise<number[]> {
  await trx
    .insertInto('webhook_events')
    .values({
      id: event.id,
      user_id: event.userId,
      type: event.type,
      payload: event.payload,
      created_at: event.createdAt,
    })
    .execute();
  if (webhookIds.length === 0) return [];
  const rows = await trx
    .insertInto('webhook_deliveries')
    .values(
      webhookIds.map((webhookId) => ({
        webhook_id: webhookId,
        event_id: event.id,
        user_id: event.userId,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: event.createdAt,
        lease_until: null,
        last_status_code: null,
        last_latency_ms: null,
        last_error: null,
        created_at: event.createdAt,
        updated_at: event.createdAt,
        completed_at: null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
