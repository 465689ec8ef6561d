import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../storage/database.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { notFound, validationError } from '../../errors.ts';
import type { ClickOwner, ConversionWriteHook } from '../conversions/conversion.service.ts';
import { decidePostback, macroValues, type PostbackSubject, type PostbackTarget } from './postback-decision.ts';
import { maskSecrets, substituteMacros } from './postback-url.ts';
import {
  hasSendingDecision,
  insertPostbackDecision,
  listPostbackAttempts,
  listPostbacksOfSource,
} from './postback.repository.ts';
import { callPostback, createPostbackWorker, type PostbackWorkerOptions } from './postback-worker.ts';
import { toPostbackLogEntry, type PostbackLogEntry, type PostbackTestResult } from './postback.ts';

export interface PostbackServiceDeps {
  db: Db;
  log: FastifyBaseLogger;
  now: () => number;
  /** The source's postback settings (traffic sources service): undefined when it is not the account's, null without a postback_url. */
  target(userId: number, sourceId: number): Promise<PostbackTarget | null | undefined>;
  options: PostbackWorkerOptions;
  /** false leaves delivery to the poll of another process (tests that check the outbox itself). */
  runWorker?: boolean;
  skipLocked?: boolean;
}

/** The values the test call fills in, so the network sees a recognisable, harmless request. */
const SAMPLE: PostbackSubject = {
  clickId: 'clk_test0000000000000000000',
  externalId: 'test_external_id',
  placement: 'test_placement',
  country: 'US',
  subs: Array.from({ length: 10 }, (_, i) => `test_sub${i + 1}`),
  fraudTypes: [],
  campaignId: 0,
  status: 'approved',
  payout: 1,
  txid: 'test_txid',
  event: 'conversion',
  suspiciousReasons: [],
};

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** sub1…sub5 have columns; sub6…sub10 are read from the click's stored query. */
function subsOf(click: ClickOwner): Array<string | null> {
  let query: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(click.query);
    if (parsed && typeof parsed === 'object') query = parsed as Record<string, unknown>;
  } catch {
    // A query cut to its bound is still JSON (click-row.ts); anything else simply has no extra subs.
  }
  const extra = (n: number) => (typeof query[`sub${n}`] === 'string' ? (query[`sub${n}`] as string) : null);
  return [
    click.sub1,
    click.sub2,
    click.sub3,
    click.sub4,
    click.sub5,
    extra(6),
    extra(7),
    extra(8),
    extra(9),
    extra(10),
  ];
}

export function createPostbackService(deps: PostbackServiceDeps) {
  const { db, now } = deps;
  const worker = createPostbackWorker({ db, log: deps.log, now, skipLocked: deps.skipLocked }, deps.options);

  const targetOrThrow = async (userId: number, sourceId: number): Promise<PostbackTarget | null> => {
    const target = await deps.target(userId, sourceId);
    if (target === undefined) throw notFound('Traffic source');
    return target;
  };

  return {
    /**
     * Read before the conversion's transaction (the source's settings are not part of the decision's
     * atomicity, and SQLite's one connection is the transaction's while it runs). Null: nothing to do.
     */
    async prepare(click: ClickOwner, sourceId: number | null): Promise<ConversionWriteHook | null> {
      if (sourceId === null) return null;
      const target = await deps.target(click.user_id, sourceId);
      if (!target) return null;
      let enqueued = false;
      return {
        /**
         * A decision is made when the conversion is created or its status changes, and never again once
         * one decided to send: approved → pending → approved calls the network once, at the first approval.
         * The once key makes that hold under racing postbacks too.
         */
        async written(trx, before, after) {
          if (before !== null && before.status === after.status) return;
          if (await hasSendingDecision(trx, after.id)) return;
          const decision = decidePostback(target, {
            clickId: click.id,
            externalId: click.external_id,
            placement: click.placement,
            country: click.country,
            subs: subsOf(click),
            fraudTypes: parseList(click.fraud_types),
            campaignId: click.campaign_id,
            status: after.status,
            payout: after.payout,
            txid: after.transaction_id,
            event: after.event,
            suspiciousReasons: parseList(after.suspicious_reasons),
          });
          const at = now();
          await insertPostbackDecision(trx, {
            user_id: click.user_id,
            traffic_source_id: target.sourceId,
            conversion_id: after.id,
            click_id: click.id,
            once_key: decision.send ? `conv:${after.id}` : null,
            url: decision.url,
            status: decision.send ? 'pending' : 'withheld',
            reason: decision.send ? null : decision.reason,
            attempts: 0,
            next_attempt_at: decision.send ? at : null,
            lease_until: null,
            last_status_code: null,
            last_latency_ms: null,
            last_error: null,
            response_excerpt: null,
            created_at: at,
            updated_at: at,
            completed_at: decision.send ? null : at,
          });
          enqueued ||= decision.send;
        },
        committed() {
          if (enqueued) worker.wake();
        },
      };
    },

    /** The source's delivery log, newest first. */
    async list(userId: number, sourceId: number, page: PageRequest): Promise<Page<PostbackLogEntry>> {
      await targetOrThrow(userId, sourceId);
      const { rows, total } = await listPostbacksOfSource(db, sourceId, page.perPage, page.offset);
      const attempts = await listPostbackAttempts(
        db,
        rows.map((row) => row.id),
      );
      return {
        items: rows.map((row) =>
          toPostbackLogEntry(
            row,
            attempts.filter((attempt) => attempt.delivery_id === row.id),
          ),
        ),
        total,
      };
    },

    /** One call of the template right now with sample values, outside the outbox (nothing is retried or logged). */
    async test(userId: number, sourceId: number): Promise<PostbackTestResult> {
      const target = await targetOrThrow(userId, sourceId);
      if (target === null) throw validationError('postback_url', 'The traffic source has no postback_url to test');
      const url = substituteMacros(target.template, macroValues(SAMPLE));
      const result = await callPostback(url, deps.options, now);
      return {
        url: maskSecrets(url),
        status_code: result.statusCode,
        latency_ms: result.latencyMs,
        response_excerpt: result.responseExcerpt,
        error: result.error,
        delivered: result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300,
      };
    },

    start: () => {
      if (deps.runWorker !== false) worker.start();
    },
    wake: () => worker.wake(),
    close: () => worker.close(),
  };
}

export type PostbackService = ReturnType<typeof createPostbackService>;
