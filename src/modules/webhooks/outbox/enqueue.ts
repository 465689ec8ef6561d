import type { Db } from '../../../storage/database.ts';
import { randomBase62 } from '../../../random-base62.ts';
import type { DeliverableEventType, NewWebhookEvent, WebhookEventBody } from '../webhook-events.ts';
import { insertEventWithDeliveries, listActiveWebhooksOfUser } from './outbox.repository.ts';

export const newEventId = () => `evt_${randomBase62(24)}`;

/** The body is serialised once, here: every attempt sends (and signs) exactly these bytes. */
export function buildEventBody(id: string, type: DeliverableEventType, createdAt: number, data: unknown, previous?: Record<string, unknown>): string {
  const body: WebhookEventBody = { id, type, created_at: new Date(createdAt).toISOString(), data };
  if (previous) body.previous_attributes = previous;
  return JSON.stringify(body);
}

/**
 * The outbox write. Call it INSIDE the transaction that makes the change the event reports: both
 * commit or neither does, so a crash can never leave a conversion without its event, nor an event
 * about a conversion that was rolled back. Nothing is written when no active endpoint wants the event.
 * Returns the event id, or null when nobody subscribes.
 */
export async function enqueueWebhookEvent(trx: Db, event: NewWebhookEvent, now: number = Date.now()): Promise<string | null> {
  const endpoints = (await listActiveWebhooksOfUser(trx, event.userId)).filter(
    (webhook) =>
      (JSON.parse(webhook.events) as string[]).includes(event.type) &&
      (webhook.campaign_id === null || event.campaignId === undefined || webhook.campaign_id === event.campaignId),
  );
  if (endpoints.length === 0) return null;
  const id = newEventId();
  const payload = buildEventBody(id, event.type, now, event.data, event.previousAttributes);
  await insertEventWithDeliveries(trx, { id, userId: event.userId, type: event.type, payload, createdAt: now }, endpoints.map((webhook) => webhook.id));
  return id;
}

/** Signature of enqueueWebhookEvent, for features that receive it as a dependency. */
export type EnqueueWebhookEvent = (trx: Db, event: NewWebhookEvent) => Promise<string | null>;
