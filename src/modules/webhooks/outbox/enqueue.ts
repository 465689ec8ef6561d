import type { Db } from '../../../storage/database.ts';
import { randomBase62 } from '../../../random-base62.ts';
import type { DeliverableEventType, NewWebhookEvent, WebhookEventBody } from '../webhook-events.ts';
import { insertEventWithDeliveries, listActiveWebhooksOfUser } from './outbox.repository.ts';

export const newEventId = () => `evt_${randomBase62(24)}`;

/** The body is serialised once, here: every attempt sends (and signs) exactly these bytes. */
export function buildEventBody(
  id: string,
  type: DeliverableEventType,
  createdAt: number,
  data: unknown,
  previous?: Record<string, unknown>,
): string {
  const body: WebhookEventBody = { id, type, created_at: new Date(createdAt).toISOString(), data };
  if (previous) body.previous_attributes = previous;
  return JSON.stringify(body);
}

type Endpoint = Awaited<ReturnType<typeof listActiveWebhooksOfUser>>[number];

const wants = (webhook: Endpoint, event: NewWebhookEvent) =>
  (JSON.parse(webhook.events) as string[]).includes(event.type) &&
  (webhook.campaign_id === null || event.campaignId === undefined || webhook.campaign_id === event.campaignId);

/**
 * The outbox write. Call it INSIDE the transaction that makes the change the events report: both
 * commit or neither does, so a crash can never leave a conversion without its event, nor an event
 * about a conversion that was rolled back. Nothing is written for an event no active endpoint wants.
 * One endpoint query per account, however many events (a click batch). Returns the event ids, null where nobody subscribes.
 */
export async function enqueueWebhookEvents(
  trx: Db,
  events: readonly NewWebhookEvent[],
  now: number = Date.now(),
): Promise<Array<string | null>> {
  const endpointsOf = new Map<number, Endpoint[]>();
  const ids: Array<string | null> = [];
  for (const event of events) {
    let endpoints = endpointsOf.get(event.userId);
    if (!endpoints) endpointsOf.set(event.userId, (endpoints = await listActiveWebhooksOfUser(trx, event.userId)));
    const targets = endpoints.filter((webhook) => wants(webhook, event));
    if (targets.length === 0) {
      ids.push(null);
      continue;
    }
    const id = newEventId();
    const payload = buildEventBody(id, event.type, now, event.data, event.previousAttributes);
    await insertEventWithDeliveries(
      trx,
      { id, userId: event.userId, type: event.type, payload, createdAt: now },
      targets.map((webhook) => webhook.id),
    );
    ids.push(id);
  }
  return ids;
}

/** One event; see enqueueWebhookEvents. */
export async function enqueueWebhookEvent(
  trx: Db,
  event: NewWebhookEvent,
  now: number = Date.now(),
): Promise<string | null> {
  return (await enqueueWebhookEvents(trx, [event], now))[0] ?? null;
}

/** Signature of enqueueWebhookEvent, for features that receive it as a dependency. */
export type EnqueueWebhookEvent = (trx: Db, event: NewWebhookEvent) => Promise<string | null>;
