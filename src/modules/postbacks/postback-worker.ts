import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../storage/database.ts';
import type { Resolve } from '../webhooks/url-safety.ts';
import { claimLease } from '../webhooks/outbox/outbox-lease.ts';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from '../webhooks/outbox/backoff.ts';
import { sendWebhook, type SendResult } from '../webhooks/outbox/http-sender.ts';
import { createOutboxRunner, type OutboxRunner } from '../webhooks/outbox/outbox-runner.ts';
import { findDuePostbacks, findPostback, recordPostbackAttempt } from './postback.repository.ts';
import type { PostbackDeliveryRow } from './postback.table.ts';

export interface PostbackWorkerOptions {
  readonly pollIntervalMs: number;
  /** SPEC section 7: a network gets 10 s to answer. */
  readonly timeoutMs: number;
  /** Calls to one source in flight at once: a network that hangs holds only its own slots. */
  readonly perSourceConcurrency: number;
  readonly maxConcurrency: number;
  readonly retry: RetryPolicy;
  readonly allowPrivateTargets: boolean;
  readonly resolve?: Resolve;
}

export const DEFAULT_POSTBACK_WORKER_OPTIONS: PostbackWorkerOptions = {
  pollIntervalMs: 1_000,
  timeoutMs: 10_000,
  perSourceConcurrency: 2,
  maxConcurrency: 16,
  retry: DEFAULT_RETRY_POLICY,
  allowPrivateTargets: false,
};

/** The log keeps the start of a network's answer (most answer `OK` or a short JSON). */
export const POSTBACK_EXCERPT_CHARS = 200;

export const POSTBACK_HEADERS = { 'user-agent': 'CloakRadar-Postback/1.0', accept: '*/*' } as const;

/** One GET of a postback URL, through the webhooks' sender: the same SSRF guard, pinned address and timeout. */
export function callPostback(
  url: string,
  options: Pick<PostbackWorkerOptions, 'timeoutMs' | 'allowPrivateTargets' | 'resolve'>,
  now: () => number,
): Promise<SendResult> {
  return sendWebhook(
    {
      url,
      method: 'GET',
      headers: { ...POSTBACK_HEADERS },
      timeoutMs: options.timeoutMs,
      allowPrivate: options.allowPrivateTargets,
      resolve: options.resolve,
    },
    now,
  ).then((result) => ({
    ...result,
    responseExcerpt: result.responseExcerpt?.slice(0, POSTBACK_EXCERPT_CHARS) ?? null,
  }));
}

/**
 * Delivers the postback outbox with the runner the webhooks use (outbox-runner.ts): leases, so a
 * delivery whose worker was killed is taken again once its lease runs out (at least once), and backoff
 * for 24 h. Any 2xx is delivered; anything else is retried until the policy gives up (failed).
 */
export function createPostbackWorker(
  deps: { db: Db; log: FastifyBaseLogger; now: () => number; skipLocked?: boolean },
  options: PostbackWorkerOptions,
): OutboxRunner {
  const { db, log, now } = deps;

  const settle = async (row: PostbackDeliveryRow, result: SendResult, attemptedAt: number) => {
    const attempts = row.attempts + 1;
    const record = {
      attemptedAt,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error,
      responseExcerpt: result.responseExcerpt,
    };
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const next = delivered ? null : nextAttemptAt(options.retry, attempts, row.created_at, attemptedAt);
    await recordPostbackAttempt(db, row.id, record, {
      status: delivered ? 'delivered' : next === null ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: next,
    });
    if (!delivered && next === null) log.warn({ postbackId: row.id, attempts }, 'postback given up');
  };

  const attempt = async (id: number) => {
    const row = await findPostback(db, id);
    if (!row || row.status !== 'pending') return;
    const attemptedAt = now();
    await settle(row, await callPostback(row.url, options, now), attemptedAt);
  };

  return createOutboxRunner(
    {
      name: 'postback',
      findDue: async (at, limit) =>
        (await findDuePostbacks(db, at, limit)).map((row) => ({ id: row.id, target: row.traffic_source_id })),
      claim: (id, at, leaseUntil) => claimLease(db, 'postback_deliveries', id, at, leaseUntil, deps.skipLocked),
      targetOf: async (id) => (await findPostback(db, id))?.traffic_source_id,
      attempt,
    },
    { ...options, perTargetConcurrency: options.perSourceConcurrency },
    { log, now },
  );
}
