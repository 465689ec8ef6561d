import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../storage/database.ts';
import { claimLease } from '../webhooks/outbox/outbox-lease.ts';
import { nextAttemptAt, type RetryPolicy } from '../webhooks/outbox/backoff.ts';
import { createOutboxRunner, type OutboxRunner } from '../webhooks/outbox/outbox-runner.ts';
import { findDueJobs, findJob, insertLog, settleJob } from './connection-job.repository.ts';
import { findConnectionById, markConnection } from './connection.repository.ts';
import type { CredentialsCipher } from './credentials-cipher.ts';
import { parseSettings } from './connection.ts';
import { runConversionJob } from './conversion-job.ts';
import { runExclusionJob } from './exclusion-job.ts';
import type { ConnectorSources, JobContext, JobOutcome, LogLine } from './job-context.ts';
import type { GoogleAdsClient } from './google-ads-client.ts';
import type { MetaClient } from './meta-capi-client.ts';
import type { ConnectionJobRow } from './connection.table.ts';

export interface ConnectionWorkerOptions {
  readonly pollIntervalMs: number;
  /** One platform call's bound (the lease is longer: outbox-runner.ts). */
  readonly timeoutMs: number;
  readonly perConnectionConcurrency: number;
  readonly maxConcurrency: number;
  readonly retry: RetryPolicy;
}

export interface ConnectionWorkerDeps {
  db: Db;
  log: FastifyBaseLogger;
  now: () => number;
  cipher: CredentialsCipher;
  google: GoogleAdsClient;
  meta: MetaClient;
  sources: ConnectorSources;
  exclusionDays: number;
  skipLocked?: boolean;
}

/** Reads a stored JSON part back for the log; secrets never reach it (payloads hold none). */
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * The platform jobs on the outbox runner the webhooks and postbacks use: leases (a job whose worker
 * died is taken again when its lease runs out: at least once; the platforms' own keys make the
 * repeat harmless), backoff, per-connection concurrency. A refusal of the credentials flags the
 * connection and leaves its jobs pending, uncounted: they run when the credentials are fixed.
 */
export function createConnectionWorker(deps: ConnectionWorkerDeps, options: ConnectionWorkerOptions): OutboxRunner {
  const { db, log, now } = deps;

  const settle = async (job: ConnectionJobRow, outcome: JobOutcome) => {
    const at = now();
    const attempts = job.attempts + 1;
    if (outcome.verdict === 'ok' || outcome.verdict === 'skipped') {
      await settleJob(db, job, {
        status: outcome.verdict === 'ok' ? 'done' : 'skipped',
        attempts,
        nextAttemptAt: null,
        error: null,
        at,
      });
      if (outcome.verdict === 'ok') await markConnection(db, job.connection_id, at, { error: null });
      return;
    }
    if (outcome.verdict === 'auth') {
      // Not the job's fault: it waits, its attempts untouched, until the connection is fixed.
      await settleJob(db, job, {
        status: 'pending',
        attempts: job.attempts,
        nextAttemptAt: at,
        error: outcome.message,
        at,
      });
      await markConnection(db, job.connection_id, at, { status: 'needs_attention', error: outcome.message });
      log.warn({ connectionId: job.connection_id }, 'ad-platform connection needs attention: credentials refused');
      return;
    }
    const backoff = outcome.verdict === 'retry' ? nextAttemptAt(options.retry, attempts, job.created_at, at) : null;
    const next = backoff === null ? null : Math.max(backoff, at + (outcome.retryAfterMs ?? 0));
    await settleJob(db, job, {
      status: next === null ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: next,
      error: outcome.message,
      at,
    });
    await markConnection(db, job.connection_id, at, { error: outcome.message });
    if (next === null)
      log.warn({ connectionId: job.connection_id, jobId: job.id, attempts }, 'ad-platform job given up');
  };

  const attempt = async (id: number) => {
    const job = await findJob(db, id);
    if (!job || job.status !== 'pending') return;
    const connection = await findConnectionById(db, job.connection_id);
    if (!connection || connection.status !== 'ok') return;
    const writeLog = (line: LogLine) =>
      insertLog(db, {
        connection_id: connection.id,
        job_id: job.id,
        at: now(),
        action: line.action,
        outcome: line.outcome,
        status_code: line.statusCode,
        message: line.message,
        request: json(line.request),
        response: line.response ?? null,
        changes: json(line.changes),
      });
    let credentials: Record<string, string>;
    try {
      credentials = deps.cipher.open(connection.credentials, connection.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : 'the credentials cannot be opened';
      await writeLog({ action: job.kind, outcome: 'error', statusCode: null, message });
      return settle(job, { verdict: 'auth', message });
    }
    const ctx: JobContext = {
      db,
      job,
      connection,
      settings: parseSettings(connection),
      credentials,
      google: deps.google,
      meta: deps.meta,
      sources: deps.sources,
      exclusionDays: deps.exclusionDays,
      now,
      log: writeLog,
    };
    await settle(job, job.kind === 'conversion' ? await runConversionJob(ctx) : await runExclusionJob(ctx));
  };

  return createOutboxRunner(
    {
      name: 'ad-platform',
      findDue: async (at, limit) =>
        (await findDueJobs(db, at, limit)).map((row) => ({ id: row.id, target: row.connection_id })),
      claim: (id, at, leaseUntil) => claimLease(db, 'connection_jobs', id, at, leaseUntil, deps.skipLocked),
      targetOf: async (id) => (await findJob(db, id))?.connection_id,
      attempt,
    },
    // A sync makes up to three calls (token, search, mutate), each bounded by timeoutMs: the lease covers them all.
    { ...options, timeoutMs: options.timeoutMs * 3, perTargetConcurrency: options.perConnectionConcurrency },
    { log, now },
  );
}
