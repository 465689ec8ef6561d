import type { Db } from '../../storage/database.ts';
import type { EventBus } from '../../events.ts';
import { notFound, validationError } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { randomBase62 } from '../../random-base62.ts';
import { DEFAULT_WEBHOOK_EVENTS, PING_EVENT, type WebhookEventType } from './webhook-events.ts';
import { toWebhook, type Webhook } from './webhook.ts';
import {
  deleteWebhook,
  findWebhook,
  insertWebhook,
  listWebhooks,
  updateWebhook,
  type WebhookChanges,
} from './webhook.repository.ts';
import type { WebhookRow } from './webhook.table.ts';
import { auditedCreate, auditedDelete, auditedUpdate } from '../audit/audited.ts';
import { checkTargetUrl, UnsafeTargetError, type Resolve } from './url-safety.ts';
import { buildEventBody, enqueueWebhookEvent, newEventId } from './outbox/enqueue.ts';
import {
  findDeliveryOfWebhook,
  listAttempts,
  listDeliveriesOfWebhook,
  rescheduleDelivery,
} from './outbox/delivery.repository.ts';
import { insertEventWithDeliveries } from './outbox/outbox.repository.ts';
import { toDelivery, type WebhookDelivery } from './outbox/delivery.ts';
import type { DeliveryWorker } from './outbox/delivery-worker.ts';
import type { EnqueueFlaggedClicks } from './flagged-clicks.ts';

export interface WebhookInput {
  url?: string;
  description?: string | null;
  events?: WebhookEventType[];
  campaign_id?: number | null;
  active?: boolean;
}

export interface WebhookServiceDeps {
  db: Db;
  events: EventBus;
  worker: DeliveryWorker;
  /** How long one send may take: a test ping or a retry waits at most that for the worker's attempt. */
  sendTimeoutMs: number;
  allowPrivateTargets: boolean;
  /** Through the campaigns service (ARCHITECTURE.md, "Services, not repositories"). */
  campaignExists(userId: number, campaignId: number): Promise<boolean>;
  enqueueFlaggedClicks: EnqueueFlaggedClicks;
  resolve?: Resolve;
  now: () => number;
}

const newSecret = () => `whsec_${randomBase62(32)}`;

export function createWebhookService(deps: WebhookServiceDeps) {
  const { db, now } = deps;

  const getRowOrThrow = async (userId: number, id: number): Promise<WebhookRow> => {
    const row = await findWebhook(db, userId, id);
    if (!row) throw notFound('Webhook');
    return row;
  };

  const checkInput = async (userId: number, input: WebhookInput) => {
    if (input.url !== undefined) {
      try {
        await checkTargetUrl(input.url, deps.allowPrivateTargets, deps.resolve);
      } catch (error) {
        if (error instanceof UnsafeTargetError) throw validationError('url', error.message);
        throw error;
      }
    }
    if (input.campaign_id != null && !(await deps.campaignExists(userId, input.campaign_id))) {
      throw validationError('campaign_id', `Campaign ${input.campaign_id} does not exist`);
    }
  };

  const changed = (userId: number) => deps.events.emit('webhooks.changed', { userId });

  const deliveriesWithAttempts = async (rows: Awaited<ReturnType<typeof listDeliveriesOfWebhook>>['rows']) => {
    const attempts = await listAttempts(
      db,
      rows.map((row) => row.id),
    );
    return rows.map((row) =>
      toDelivery(
        row,
        attempts.filter((attempt) => attempt.delivery_id === row.id),
      ),
    );
  };

  const getDeliveryOrThrow = async (webhookId: number, deliveryId: number): Promise<WebhookDelivery> => {
    const row = await findDeliveryOfWebhook(db, webhookId, deliveryId);
    if (!row) throw notFound('Delivery');
    return (await deliveriesWithAttempts([row]))[0]!;
  };

  /**
   * Sends a delivery now and answers with its new attempt. When the background worker claimed it
   * first (its poll came between), the attempt is the worker's: wait for it, bounded by a send's timeout.
   */
  const deliverAndReport = async (
    webhookId: number,
    deliveryId: number,
    attemptsBefore: number,
  ): Promise<WebhookDelivery> => {
    if (await deps.worker.deliverNow(deliveryId)) return getDeliveryOrThrow(webhookId, deliveryId);
    const deadline = Date.now() + deps.sendTimeoutMs + 1_000;
    for (;;) {
      const delivery = await getDeliveryOrThrow(webhookId, deliveryId);
      if (delivery.attempts.length > attemptsBefore || Date.now() > deadline) return delivery;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  return {
    /** The signing secret is returned here and by rotateSecret, never again. */
    async create(userId: number, input: WebhookInput & { url: string }): Promise<Webhook & { secret: string }> {
      await checkInput(userId, input);
      const at = now();
      const secret = newSecret();
      const row = await auditedCreate(db, userId, 'webhook', (trx) =>
        insertWebhook(trx, {
          user_id: userId,
          url: input.url,
          description: input.description ?? null,
          events: JSON.stringify([...new Set(input.events ?? DEFAULT_WEBHOOK_EVENTS)]),
          campaign_id: input.campaign_id ?? null,
          is_active: input.active === false ? 0 : 1,
          secret,
          disabled_reason: null,
          disabled_at: null,
          failing_since: null,
          created_at: at,
          updated_at: at,
        }),
      );
      changed(userId);
      return { ...toWebhook(row), secret };
    },

    async list(userId: number, page: PageRequest): Promise<Page<Webhook>> {
      const { rows, total } = await listWebhooks(db, userId, page.perPage, page.offset);
      return { items: rows.map(toWebhook), total };
    },

    async get(userId: number, id: number): Promise<Webhook> {
      return toWebhook(await getRowOrThrow(userId, id));
    },

    /** Turning an endpoint back on (or pointing it elsewhere) clears why the system had turned it off. */
    async update(userId: number, id: number, input: WebhookInput): Promise<Webhook> {
      const current = await getRowOrThrow(userId, id);
      await checkInput(userId, input);
      const at = now();
      const changes: WebhookChanges = { updated_at: at };
      if (input.url !== undefined) changes.url = input.url;
      if (input.description !== undefined) changes.description = input.description;
      if (input.events !== undefined) changes.events = JSON.stringify([...new Set(input.events)]);
      if (input.campaign_id !== undefined) changes.campaign_id = input.campaign_id;
      if (input.active !== undefined) changes.is_active = input.active ? 1 : 0;
      const reviving =
        (input.active === true && current.is_active === 0) || (input.url !== undefined && input.url !== current.url);
      if (reviving) Object.assign(changes, { disabled_reason: null, disabled_at: null, failing_since: null });
      const row = await auditedUpdate(
        db,
        userId,
        'webhook',
        (trx) => findWebhook(trx, userId, id),
        (trx) => updateWebhook(trx, userId, id, changes),
      );
      if (!row) throw notFound('Webhook');
      changed(userId);
      return toWebhook(row);
    },

    async remove(userId: number, id: number): Promise<void> {
      const gone = await auditedDelete(
        db,
        userId,
        'webhook',
        (trx) => findWebhook(trx, userId, id),
        (trx) => deleteWebhook(trx, userId, id),
      );
      if (!gone) throw notFound('Webhook');
      changed(userId);
    },

    /** The old secret stops signing at once; deliveries it fails are retried and pass once the receiver has the new one. */
    async rotateSecret(userId: number, id: number): Promise<Webhook & { secret: string }> {
      await getRowOrThrow(userId, id);
      const secret = newSecret();
      const row = await auditedUpdate(
        db,
        userId,
        'webhook',
        (trx) => findWebhook(trx, userId, id),
        (trx) => updateWebhook(trx, userId, id, { secret, updated_at: now() }),
      );
      if (!row) throw notFound('Webhook');
      return { ...toWebhook(row), secret };
    },

    /** A `ping` event to this endpoint alone, sent at once (even when it is off); answers with the attempt. */
    async sendTest(userId: number, id: number): Promise<WebhookDelivery> {
      const webhook = await getRowOrThrow(userId, id);
      const at = now();
      const eventId = newEventId();
      const payload = buildEventBody(eventId, PING_EVENT, at, {
        webhook_id: webhook.id,
        url: webhook.url,
        message: 'Hello from CloakRadar',
      });
      const [deliveryId] = await db
        .transaction()
        .execute((trx) =>
          insertEventWithDeliveries(trx, { id: eventId, userId, type: PING_EVENT, payload, createdAt: at }, [
            webhook.id,
          ]),
        );
      return deliverAndReport(webhook.id, deliveryId!, 0);
    },

    async listDeliveries(userId: number, id: number, page: PageRequest): Promise<Page<WebhookDelivery>> {
      await getRowOrThrow(userId, id);
      const { rows, total } = await listDeliveriesOfWebhook(db, id, page.perPage, page.offset);
      return { items: await deliveriesWithAttempts(rows), total };
    },

    /** Sends a delivery again now, whatever its state (a succeeded one is redelivered); answers with the attempt. */
    async retryDelivery(userId: number, id: number, deliveryId: number): Promise<WebhookDelivery> {
      await getRowOrThrow(userId, id);
      const before = await getDeliveryOrThrow(id, deliveryId);
      await rescheduleDelivery(db, deliveryId, now());
      return deliverAndReport(id, deliveryId, before.attempts.length);
    },

    /**
     * For other features, INSIDE their own transaction: e.g. `report.ready` when a fraud report is done.
     * `webhooks.enqueue(trx, { userId, type: 'report.ready', data: report, campaignId })`.
     */
    enqueue: (trx: Db, event: Parameters<typeof enqueueWebhookEvent>[1]) => enqueueWebhookEvent(trx, event, now()),

    /** For the click recorder's batch transaction: `click.flagged` for subscribed accounts' flagged clicks. */
    enqueueFlaggedClicks: deps.enqueueFlaggedClicks,
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
