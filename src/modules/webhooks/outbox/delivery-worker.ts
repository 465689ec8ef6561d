import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../storage/database.ts';
import { claimLease } from './outbox-lease.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from '../signature.ts';
import { PING_EVENT } from '../webhook-events.ts';
import type { Resolve } from '../url-safety.ts';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from './backoff.ts';
import {
  disableEndpoint,
  findDueDeliveries,
  loadDeliveryJob,
  markEndpointHealth,
  pruneEventsBefore,
  recordAttempt,
  type DeliveryJob,
} from './delivery.repository.ts';
import { sendWebhook } from './http-sender.ts';
import { createOutboxRunner, type OutboxRunner } from './outbox-runner.ts';

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

export interface DeliveryWorkerDeps {
  db: Db;
  log: FastifyBaseLogger;
  now: () => number;
  /** The system turned an endpoint off: caches of who subscribes must forget it. */
  onEndpointDisabled(webhookId: number, userId: number): void;
  /** Claims pass over rows another node is claiming (the dialect's FOR UPDATE SKIP LOCKED). */
  skipLocked?: boolean;
}

/** The polling, leases and concurrency are the outbox runner's (outbox-runner.ts), shared with postbacks. */
export type DeliveryWorker = OutboxRunner;

export function createDeliveryWorker(deps: DeliveryWorkerDeps, options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, log, now } = deps;

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

  return createOutboxRunner(
    {
      name: 'webhook',
      findDue: async (at, limit) =>
        (await findDueDeliveries(db, at, limit)).map((row) => ({ id: row.id, target: row.webhook_id })),
      claim: (id, at, leaseUntil) => claimLease(db, 'webhook_deliveries', id, at, leaseUntil, deps.skipLocked),
      targetOf: async (id) => (await loadDeliveryJob(db, id))?.webhook_id,
      attempt,
      prune: (at) => pruneEventsBefore(db, at - options.retentionMs),
    },
    { ...options, perTargetConcurrency: options.perEndpointConcurrency },
    { log, now },
  );
}
