import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../storage/database.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from '../signature.ts';
import { PING_EVENT } from '../webhook-events.ts';
import type { Resolve } from '../url-safety.ts';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from './backoff.ts';
import {
  claimDelivery,
  disableEndpoint,
  findDueDeliveries,
  loadDeliveryJob,
  markEndpointHealth,
  pruneEventsBefore,
  recordAttempt,
  type DeliveryJob,
} from './delivery.repository.ts';
import { sendWebhook } from './http-sender.ts';

const DAY = 86_400_000;

export interface DeliveryWorkerOptions {
  /** How often the outbox is polled for due deliveries. */
  readonly pollIntervalMs: number;
  /** Connect, send and read the answer within this; then the attempt counts as failed. */
  readonly timeoutMs: number;
  /** Deliveries to one endpoint in flight at once: a slow receiver holds only its own slots. */
  readonly perEndpointConcurrency: number;
  /** Deliveries in flight in this process. */
  readonly maxConcurrency: number;
  readonly retry: RetryPolicy;
  /** An endpoint with no successful delivery for this long is disabled. */
  readonly disableAfterMs: number;
  readonly allowPrivateTargets: boolean;
  /** Events and their delivery history are kept this long, then deleted (checked hourly). */
  readonly retentionMs: number;
  readonly resolve?: Resolve;
}

export const DEFAULT_WORKER_OPTIONS: DeliveryWorkerOptions = {
  pollIntervalMs: 1_000,
  timeoutMs: 5_000,
  perEndpointConcurrency: 2,
  maxConcurrency: 16,
  retry: DEFAULT_RETRY_POLICY,
  disableAfterMs: 3 * DAY,
  allowPrivateTargets: false,
  retentionMs: 30 * DAY,
};

const PRUNE_EVERY_MS = 3_600_000;

export interface DeliveryWorkerDeps {
  db: Db;
  log: FastifyBaseLogger;
  now: () => number;
  /** The system turned an endpoint off: caches of who subscribes must forget it. */
  onEndpointDisabled(webhookId: number, userId: number): void;
  /** Claims pass over rows another node is claiming (the dialect's FOR UPDATE SKIP LOCKED). */
  skipLocked?: boolean;
}

export interface DeliveryWorker {
  start(): void;
  /** Polls now instead of at the next interval (after an enqueue this process knows of). */
  wake(): void;
  /** One attempt right away, outside the schedule (test pings, manual retries); false when another worker holds it. */
  deliverNow(deliveryId: number): Promise<boolean>;
  /** Stops polling and waits for attempts in flight (each bounded by the timeout). */
  close(): Promise<void>;
}

export function createDeliveryWorker(deps: DeliveryWorkerDeps, options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, log, now } = deps;
  // Longer than any attempt, so a live worker never loses its lease mid-send; a dead one's lease runs out.
  const leaseMs = options.timeoutMs * 2 + 5_000;
  const inFlight = new Map<number, number>();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let started = false;
  let closed = false;
  let prunedAt = 0;

  const headersFor = (job: DeliveryJob) => ({
    'content-type': 'application/json',
    'user-agent': 'CloakRadar-Webhooks/1.0',
    [EVENT_ID_HEADER]: job.event_id,
    'X-CloakRadar-Event-Type': job.event_type,
    'X-CloakRadar-Delivery-Id': String(job.id),
    [SIGNATURE_HEADER]: signatureHeader(job.secret, Math.floor(now() / 1000), job.payload),
  });

  const settle = async (job: DeliveryJob, result: Awaited<ReturnType<typeof sendWebhook>>, attemptedAt: number) => {
    const attempts = job.attempts + 1;
    const record = {
      attemptedAt,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error,
      responseExcerpt: result.responseExcerpt,
    };
    const isPing = job.event_type === PING_EVENT;
    if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) {
      await recordAttempt(db, job.id, record, { status: 'succeeded', attempts, nextAttemptAt: null });
      if (!isPing) await markEndpointHealth(db, job.webhook_id, true, attemptedAt);
      return;
    }
    const gone = result.statusCode === 410;
    // A ping answers "does it work now?": retrying it later would answer nobody.
    const next = gone || isPing ? null : nextAttemptAt(options.retry, attempts, job.created_at, attemptedAt);
    await recordAttempt(db, job.id, record, {
      status: next === null ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: next,
    });
    if (gone) return disable(job, 'The endpoint answered 410 Gone', attemptedAt);
    if (isPing) return;
    await markEndpointHealth(db, job.webhook_id, false, attemptedAt);
    if (job.failing_since !== null && attemptedAt - job.failing_since >= options.disableAfterMs) {
      const days = Math.round((attemptedAt - job.failing_since) / DAY);
      await disable(
        job,
        `No delivery succeeded for ${days} days (since ${new Date(job.failing_since).toISOString()}); last error: ${result.error}`,
        attemptedAt,
      );
    }
  };

  const disable = async (job: DeliveryJob, reason: string, at: number) => {
    await disableEndpoint(db, job.webhook_id, reason, at);
    log.warn({ webhookId: job.webhook_id, reason }, 'webhook endpoint disabled');
    deps.onEndpointDisabled(job.webhook_id, job.user_id);
  };

  /** One claimed delivery: send, then record. Errors leave the lease to run out, so the delivery is tried again. */
  const attempt = async (deliveryId: number) => {
    const job = await loadDeliveryJob(db, deliveryId);
    if (!job) return;
    const attemptedAt = now();
    const result = await sendWebhook(
      {
        url: job.url,
        body: job.payload,
        headers: headersFor(job),
        timeoutMs: options.timeoutMs,
        allowPrivate: options.allowPrivateTargets,
        resolve: options.resolve,
      },
      now,
    );
    await settle(job, result, attemptedAt);
  };

  const track = (webhookId: number, deliveryId: number): Promise<void> => {
    inFlight.set(webhookId, (inFlight.get(webhookId) ?? 0) + 1);
    const work = attempt(deliveryId)
      .catch((error: unknown) => log.error({ err: error, deliveryId }, 'webhook delivery attempt failed to complete'))
      .finally(() => {
        const left = (inFlight.get(webhookId) ?? 1) - 1;
        if (left > 0) inFlight.set(webhookId, left);
        else inFlight.delete(webhookId);
        running.delete(work);
        if (!closed) schedule(0);
      });
    running.add(work);
    return work;
  };

  const tick = async () => {
    const at = now();
    if (at - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = at;
      const pruned = await pruneEventsBefore(db, at - options.retentionMs);
      if (pruned > 0) log.info({ pruned }, 'old webhook events deleted');
    }
    const due = await findDueDeliveries(db, at, options.maxConcurrency * 4);
    for (const delivery of due) {
      if (closed || running.size >= options.maxConcurrency) break;
      if ((inFlight.get(delivery.webhook_id) ?? 0) >= options.perEndpointConcurrency) continue;
      if (await claimDelivery(db, delivery.id, at, at + leaseMs, deps.skipLocked))
        void track(delivery.webhook_id, delivery.id);
    }
  };

  const schedule = (delayMs: number) => {
    if (closed || !started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (ticking) return schedule(options.pollIntervalMs);
      ticking = tick()
        .catch((error: unknown) => log.error({ err: error }, 'webhook outbox poll failed'))
        .finally(() => {
          ticking = undefined;
          if (!timer) schedule(options.pollIntervalMs);
        });
    }, delayMs);
  };

  return {
    start() {
      if (started || closed) return;
      started = true;
      schedule(0);
    },
    wake: () => schedule(0),
    async deliverNow(deliveryId) {
      const at = now();
      const job = await loadDeliveryJob(db, deliveryId);
      if (!job || !(await claimDelivery(db, deliveryId, at, at + leaseMs, deps.skipLocked))) return false;
      await track(job.webhook_id, deliveryId);
      return true;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await ticking;
      await Promise.all([...running]);
    },
  };
}
