import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../storage/database.ts';
import { notFound, validationError } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import type { ClickOwner, ConversionWriteHook } from '../conversions/conversion.service.ts';
import type { ConversionRow } from '../conversions/conversion.table.ts';
import { DEFAULT_RETRY_POLICY } from '../webhooks/outbox/backoff.ts';
import type { CallResult } from './call-result.ts';
import type { ConnectionPlatform } from './connection.enums.ts';
import { checkConnectionInput, type ConnectionInput } from './connection-input.ts';
import {
  deleteConnection,
  findConnection,
  insertConnection,
  listConnections,
  listGoogleConnections,
  listUsableConnections,
  markConnection,
  updateConnection,
} from './connection.repository.ts';
import { insertJobs, insertLog, listLog, releaseJobsOf } from './connection-job.repository.ts';
import type { ConnectionRow, NewConnectionJobRow } from './connection.table.ts';
import { parseSettings, toConnection, toLogEntry, type Connection, type ConnectionLogEntry } from './connection.ts';
import { hasGoogleClickId, platformClickIds } from './conversion-payloads.ts';
import { createConnectionWorker, type ConnectionWorkerOptions } from './connection-worker.ts';
import type { CredentialsCipher } from './credentials-cipher.ts';
import type { GoogleAdsClient, GoogleCredentials } from './google-ads-client.ts';
import type { ConnectorSources } from './job-context.ts';
import type { MetaClient } from './meta-capi-client.ts';
import { isPushableConversion } from './pushable-conversion.ts';
import { auditedCreate, auditedDelete, auditedUpdate } from '../audit/audited.ts';
import { writeAudit } from '../audit/audit.writer.ts';

export const DEFAULT_CONNECTION_WORKER_OPTIONS: ConnectionWorkerOptions = {
  pollIntervalMs: 1_000,
  timeoutMs: 15_000,
  perConnectionConcurrency: 2,
  maxConcurrency: 8,
  retry: DEFAULT_RETRY_POLICY,
};

export interface ConnectionServiceDeps {
  db: Db;
  log: FastifyBaseLogger;
  now: () => number;
  cipher: CredentialsCipher;
  google: GoogleAdsClient;
  meta: MetaClient;
  sources: ConnectorSources;
  /** 404 unless the campaign is the account's; its Google Ads campaign id. */
  ownedCampaignLink(userId: number, campaignId: number): Promise<string | null>;
  /** The account's campaigns that name a Google Ads campaign (the schedule's work). */
  linkedCampaignIds(userId: number): Promise<number[]>;
  exclusionDays: number;
  /** Minutes between scheduled exclusion pushes; 0: only on demand. */
  syncMinutes: number;
  skipLocked?: boolean;
  runWorker?: boolean;
  options?: Partial<ConnectionWorkerOptions>;
}

export interface NewConnectionInput extends ConnectionInput {
  platform: ConnectionPlatform;
  name: string;
}

export function createConnectionService(deps: ConnectionServiceDeps) {
  const { db, now, cipher } = deps;
  const options = { ...DEFAULT_CONNECTION_WORKER_OPTIONS, ...deps.options };
  const worker = createConnectionWorker({ ...deps }, options);
  let schedule: NodeJS.Timeout | undefined;

  const owned = async (userId: number, id: number): Promise<ConnectionRow> => {
    const row = await findConnection(db, userId, id);
    if (!row) throw notFound('Connection');
    return row;
  };

  const logLine = (
    connectionId: number,
    result: Pick<CallResult, 'message' | 'statusCode' | 'response'>,
    outcome: 'ok' | 'error',
  ) =>
    insertLog(db, {
      connection_id: connectionId,
      job_id: null,
      at: now(),
      action: 'test',
      outcome,
      status_code: result.statusCode,
      message: result.message,
      request: null,
      response: result.response,
      changes: null,
    });

  /** Queues an exclusion sync per campaign; a sync already waiting for a campaign is not doubled. */
  const queueSyncs = async (
    connection: ConnectionRow,
    campaignIds: readonly number[],
    trx: Db = db,
  ): Promise<number> => {
    const at = now();
    const rows: NewConnectionJobRow[] = campaignIds.map((campaignId) => ({
      connection_id: connection.id,
      user_id: connection.user_id,
      kind: 'exclusions',
      conversion_id: null,
      campaign_id: campaignId,
      once_key: `sync:${connection.id}:${campaignId}`,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      lease_until: null,
      last_error: null,
      created_at: at,
      updated_at: at,
      completed_at: null,
    }));
    return insertJobs(trx, rows);
  };

  const scheduledSync = async () => {
    // The schedule is the system's, not a member's act: not audited.
    for (const connection of await listGoogleConnections(db)) {
      if ((await queueSyncs(connection, await deps.linkedCampaignIds(connection.user_id))) > 0) worker.wake();
    }
  };

  return {
    async create(userId: number, input: NewConnectionInput): Promise<Connection> {
      const { settings, credentials } = checkConnectionInput(input.platform, input, null);
      const at = now();
      const row = await auditedCreate(db, userId, 'connection', (trx) =>
        insertConnection(
          trx,
          {
            user_id: userId,
            platform: input.platform,
            name: input.name,
            settings: JSON.stringify(settings),
            credentials: '',
            status: 'ok',
            last_error: null,
            last_error_at: null,
            last_success_at: null,
            created_at: at,
            updated_at: at,
          },
          (id) => cipher.seal(credentials ?? {}, id),
        ),
      );
      return toConnection(row);
    },

    async list(userId: number, page: PageRequest): Promise<Page<Connection>> {
      const { rows, total } = await listConnections(db, userId, page.perPage, page.offset);
      return { items: rows.map(toConnection), total };
    },

    get: async (userId: number, id: number): Promise<Connection> => toConnection(await owned(userId, id)),

    /** New credentials are merged into the stored ones and put the connection back in good standing. */
    async update(userId: number, id: number, input: ConnectionInput): Promise<Connection> {
      const current = await owned(userId, id);
      const { settings, credentials } = checkConnectionInput(current.platform, input, parseSettings(current));
      const at = now();
      const sealed =
        credentials === null
          ? undefined
          : cipher.seal({ ...cipher.openOrEmpty(current.credentials, current.id), ...credentials }, current.id);
      const row = await auditedUpdate(
        db,
        userId,
        'connection',
        (trx) => findConnection(trx, userId, id),
        (trx) =>
          updateConnection(trx, userId, id, {
            ...(input.name !== undefined ? { name: input.name } : {}),
            settings: JSON.stringify(settings),
            ...(sealed !== undefined
              ? { credentials: sealed, status: 'ok', last_error: null, last_error_at: null }
              : {}),
            updated_at: at,
          }),
      );
      if (!row) throw notFound('Connection');
      if (sealed !== undefined) {
        await releaseJobsOf(db, id, at);
        worker.wake();
      }
      return toConnection(row);
    },

    async remove(userId: number, id: number): Promise<void> {
      const removed = await auditedDelete(
        db,
        userId,
        'connection',
        (trx) => findConnection(trx, userId, id),
        (trx) => deleteConnection(trx, userId, id),
      );
      if (!removed) throw notFound('Connection');
    },

    /** Checks the credentials against the platform now; a pass puts a flagged connection back to work. */
    async test(userId: number, id: number): Promise<{ ok: boolean; message: string; connection: Connection }> {
      const row = await owned(userId, id);
      const settings = parseSettings(row);
      let result: CallResult;
      try {
        const credentials = cipher.open(row.credentials, row.id);
        result =
          row.platform === 'google'
            ? await deps.google
                .testAccess(credentials as unknown as GoogleCredentials, {
                  customerId: settings.customer_id ?? '',
                  loginCustomerId: settings.login_customer_id ?? null,
                })
                .then((call) =>
                  call.verdict === 'ok'
                    ? {
                        ...call,
                        message: `Google Ads: customer ${settings.customer_id} is reachable with these credentials`,
                      }
                    : call,
                )
            : await deps.meta.testAccess(credentials.access_token ?? '', settings.pixel_id ?? '');
      } catch (error) {
        result = {
          verdict: 'auth',
          message: error instanceof Error ? error.message : 'credentials unreadable',
          statusCode: null,
          response: null,
        };
      }
      const passed = result.verdict === 'ok';
      await logLine(row.id, result, passed ? 'ok' : 'error');
      const at = now();
      await markConnection(
        db,
        row.id,
        at,
        passed
          ? { error: null }
          : { status: result.verdict === 'auth' ? 'needs_attention' : undefined, error: result.message },
      );
      if (passed && row.status !== 'ok') {
        await releaseJobsOf(db, row.id, at);
        worker.wake();
      }
      return { ok: passed, message: result.message, connection: toConnection(await owned(userId, id)) };
    },

    async log(userId: number, id: number, page: PageRequest): Promise<Page<ConnectionLogEntry>> {
      await owned(userId, id);
      const { rows, total } = await listLog(db, id, page.perPage, page.offset);
      return { items: rows.map(toLogEntry), total };
    },

    /** Pushes exclusions now: one campaign (404 unless the account's), or every linked one. */
    async sync(
      userId: number,
      id: number,
      campaignId: number | undefined,
    ): Promise<{ queued: number; campaign_ids: number[] }> {
      const row = await owned(userId, id);
      if (row.platform !== 'google') throw validationError('id', 'Only a google connection takes IP exclusions');
      let campaignIds: number[];
      if (campaignId !== undefined) {
        const link = await deps.ownedCampaignLink(userId, campaignId);
        if (!link) throw validationError('campaign_id', `Campaign ${campaignId} has no google_ads_campaign_id`);
        campaignIds = [campaignId];
      } else campaignIds = await deps.linkedCampaignIds(userId);
      // Audited: a member made the platform's exclusions change. The credentials are not part of the entry.
      const queued = await db.transaction().execute(async (trx) => {
        const added = await queueSyncs(row, campaignIds, trx);
        await writeAudit(trx, {
          userId,
          action: 'sync',
          resourceType: 'connection',
          resourceId: row.id,
          before: null,
          after: { campaign_ids: campaignIds, queued: added },
        });
        return added;
      });
      if (queued > 0) worker.wake();
      return { queued, campaign_ids: campaignIds };
    },

    /**
     * For conversions (their prepareWrite): which of the account's connections this click can feed,
     * read before the transaction; inside it, a job per connection once the conversion is pushable.
     */
    async prepare(click: ClickOwner): Promise<ConversionWriteHook | null> {
      const ids = platformClickIds(click.query);
      if (!hasGoogleClickId(ids) && !ids.fbclid) return null;
      const targets = (await listUsableConnections(db, click.user_id)).filter((connection) =>
        connection.platform === 'google' ? hasGoogleClickId(ids) : Boolean(ids.fbclid),
      );
      if (targets.length === 0) return null;
      let queued = false;
      return {
        async written(trx: Db, before: ConversionRow | null, after: ConversionRow) {
          if (!isPushableConversion(after) || (before !== null && isPushableConversion(before))) return;
          const at = now();
          const added = await insertJobs(
            trx,
            targets.map((connection) => ({
              connection_id: connection.id,
              user_id: connection.user_id,
              kind: 'conversion' as const,
              conversion_id: after.id,
              campaign_id: after.campaign_id,
              once_key: `conv:${connection.id}:${after.id}`,
              status: 'pending' as const,
              attempts: 0,
              next_attempt_at: at,
              lease_until: null,
              last_error: null,
              created_at: at,
              updated_at: at,
              completed_at: null,
            })),
          );
          queued = added > 0;
        },
        committed() {
          if (queued) worker.wake();
        },
      };
    },

    /** Delivers a queued job now (tests and the dashboard's retry); false when another worker holds it. */
    deliverNow: (jobId: number) => worker.deliverNow(jobId),

    start() {
      if (deps.runWorker === false) return;
      worker.start();
      if (deps.syncMinutes > 0) {
        schedule = setInterval(() => {
          scheduledSync().catch((error: unknown) => deps.log.error({ err: error }, 'exclusion schedule failed'));
        }, deps.syncMinutes * 60_000);
        schedule.unref();
      }
    },

    async close() {
      if (schedule) clearInterval(schedule);
      await worker.close();
    },

    /** The schedule's pass, callable at once (tests). */
    runScheduledSync: scheduledSync,
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
