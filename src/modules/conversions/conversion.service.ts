import { inCampaignScope, type CampaignScope } from '../../campaign-scope.ts';
import type { Db } from '../../storage/database.ts';
import type { ClickRow } from '../clicks/click.table.ts';
import type { ClickFacts } from '../stats/stats-delta.ts';
import type { ConversionWorth } from '../stats/stats-writer.ts';
import { AppError, notFound, validationError } from '../../errors.ts';
import type { RateLimiter, RateWindow } from '../../storage/counters/rate-limiter.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { parseDateRange, startOfUtcDay } from '../../date-range.ts';
import { isClickId } from '../clicks/click-id.ts';
import type { Readable } from 'node:stream';
import { EXPORT_PAGE_SIZE, keysetPages } from '../../keyset-pages.ts';
import { conversionCsv } from './conversion-csv.ts';
import { DEFAULT_CONVERSION_STATUS, toConversion, type Conversion } from './conversion.ts';
import { DEFAULT_EVENT } from './conversion.enums.ts';
import { checkPayout, fromPostback, type ConversionInput, type PostbackParams } from './conversion-input.ts';
import {
  countCountedConversionsSince,
  findConversionByKey,
  findConversionByOnceKey,
  findFirstConversionOfClick,
  insertConversionIfAbsent,
  listConversions,
  listConversionsAfter,
  type ConversionListCursor,
  type ConversionScope,
  recentCountedPayouts,
  setConversionSuspicion,
  findConversionsOfClicks,
  updateConversionOfClick,
} from './conversion.repository.ts';
import type { CostModel } from '../campaigns/campaign.table.ts';
import type { ConversionRow, ConversionStatus } from './conversion.table.ts';
import type { EnqueueWebhookEvent } from '../webhooks/outbox/enqueue.ts';
import type { AmendedClick } from '../clicks/click-events.ts';
import { writeAudit } from '../audit/audit.writer.ts';
import {
  DEFAULT_MIN_TIME_TO_CONVERT,
  fakeLeadReasons,
  parseFraudTypes,
  suspiciousFraudTypes,
  withClickFraud,
} from './fake-lead.ts';

/** The click a conversion is attributed to, as the clicks service reports it (with what rollups key it by). */
export type ClickOwner = ClickFacts & Pick<ClickRow, 'id' | 'external_id' | 'placement' | 'fraud_types' | 'query'>;

/** What a conversion needs of its campaign (campaigns' conversionTerms). */
export interface ConversionTerms {
  allowRepeats: boolean;
  costModel: CostModel;
  costValue: number;
  /** The campaign's traffic source, whose postback_url hears of the conversion; null without one. */
  trafficSourceId: number | null;
  /** Seconds: a conversion sooner than this after its click is a fake lead (0: not checked). */
  minTimeToConvert: number;
}

/** A click whose campaign cannot be read (never expected: campaigns are soft-deleted) gets the safe defaults. */
const DEFAULT_TERMS: ConversionTerms = {
  allowRepeats: false,
  costModel: 'cpc',
  costValue: 0,
  trafficSourceId: null,
  minTimeToConvert: DEFAULT_MIN_TIME_TO_CONVERT,
};

/**
 * A payout more than this many times the campaign's typical one is flagged `suspicious`. Typical: the
 * median of its latest PAYOUT_SAMPLE counted, unflagged, paying conversions once there are
 * PAYOUT_MIN_SAMPLE of them (a median, so one earlier outlier does not move it); before that, a CPA
 * campaign's cost_value (what a conversion is worth to the buyer); otherwise there is nothing to
 * compare with, and nothing is flagged.
 */
export const PAYOUT_ANOMALY_FACTOR = 10;
const PAYOUT_SAMPLE = 50;
const PAYOUT_MIN_SAMPLE = 5;

/**
 * Postbacks are partner traffic, outside the plan's limits (SPEC §2), but a click id seen once must
 * not become an unlimited conversion tap, nor the open URL a way to hammer the database: per sending
 * address (a network's postback server sends many clicks' postbacks: generous) and per click (pending,
 * approved, a few events: a handful). Refused postbacks count too, so guessing is paced as well.
 */
export interface PostbackLimits {
  perAddress: readonly RateWindow[];
  perClick: readonly RateWindow[];
}

export const DEFAULT_POSTBACK_LIMITS: PostbackLimits = {
  perAddress: [{ limit: 1_200, windowMs: 60_000 }],
  perClick: [
    { limit: 30, windowMs: 60_000 },
    { limit: 300, windowMs: 86_400_000 },
  ],
};

/** 429 RATE_LIMIT_EXCEEDED; the route adds Retry-After from `retryAfterSeconds`. */
export class PostbackRateLimitError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMIT_EXCEEDED', 'Too many postbacks for this click or from this address; retry after Retry-After');
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const formatMoney = (value: number) => String(Math.round(value * 100) / 100);

/** A conversion as the rollups see it. */
const worthOf = (row: ConversionRow | undefined) =>
  row
    ? {
        counted: row.status !== 'rejected',
        payout: row.payout,
        event: row.event,
        suspicious: row.suspicious === 1 && row.suspicious_in_rollups === 1,
      }
    : null;

/** The columns of a conversion's verdict. */
const suspicionColumns = (reasons: readonly string[]) => ({
  suspicious: reasons.length > 0 ? 1 : 0,
  suspicious_reasons: JSON.stringify(reasons),
});

/**
 * The once and dedupe keys of a click's conversion of one event. The default event keeps the
 * `click:<id>` form conversions had before events (migration 017), so those rows still hold their click.
 */
const clickEventKey = (clickId: string, event: string) =>
  event === DEFAULT_EVENT ? `click:${clickId}` : `click:${clickId}:${event}`;

/** What a conversion write does beyond the rollups and webhooks: a step inside its transaction and one after. */
export interface ConversionWriteHook {
  written(trx: Db, before: ConversionRow | null, after: ConversionRow): Promise<void>;
  committed(): void;
}

export interface ConversionServiceDeps {
  db: Db;
  /**
   * Click lookups go through the clicks service, never its repository
   * (ARCHITECTURE.md, "Services, not repositories").
   */
  findClickOwner(clickId: string): Promise<ClickOwner | undefined>;
  /** Throws 403 when the account requires a postback token and `token` is not it, or `ip` is not on its allow-list. */
  checkPostbackToken(userId: number, token: string | undefined, ip?: string): Promise<void>;
  /** The campaign's repeat and cost terms (campaigns service); absent: DEFAULT_TERMS. */
  conversionTerms?(campaignId: number): Promise<ConversionTerms | undefined>;
  /** Counts postbacks per address and per click (memory or Redis, like the API's limits); absent: no limit. */
  postbackLimiter?: RateLimiter;
  postbackLimits?: PostbackLimits;
  /** Runs inside the transaction that created or changed a conversion (rollups). */
  conversionChanged?(trx: Db, click: ClickOwner, before: ConversionWorth | null, after: ConversionWorth): Promise<void>;
  /** The database can lock a row it read (SQLite needs not: it has one writer at a time). */
  supportsRowLocks?: boolean;
  /** The webhooks outbox, called inside the conversion's transaction (webhooks' enqueueWebhookEvent). */
  enqueueWebhookEvent?: EnqueueWebhookEvent;
  /**
   * Postbacks to the click's traffic source: read what they need before the transaction (null: nothing to
   * do), then decide inside it, so the outbox row commits with the conversion or not at all.
   */
  prepareWrite?(click: ClickOwner, terms: ConversionTerms): Promise<ConversionWriteHook | null>;
  /** The payout of the click's offer (flows, SPEC section 8): what a postback without one is worth. */
  offerPayout?(userId: number, offerId: number): Promise<number | undefined>;
  now?: () => number;
  /** Rows an export reads per query (default EXPORT_PAGE_SIZE). */
  exportPageSize?: number;
}

export interface ConversionListQuery {
  campaign_id?: number;
  from?: string;
  to?: string;
  status?: ConversionStatus;
  suspicious?: boolean;
  /** The caller's campaign scope (set by the route from the request, never by the query string). */
  campaigns?: CampaignScope;
}

/** `created` tells the route whether to answer 201 or 200 (an existing conversion updated or returned). */
export interface RecordedConversion {
  conversion: Conversion;
  created: boolean;
}

export function createConversionService(deps: ConversionServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;

  const listScope = (userId: number, query: ConversionListQuery): ConversionScope => {
    const range = parseDateRange(query, now());
    return {
      userId,
      campaignId: query.campaign_id,
      campaignIds: query.campaigns,
      from: range.from,
      to: range.toExclusive,
      status: query.status,
      suspicious: query.suspicious,
    };
  };

  /** Another account's click answers exactly like a missing one (SPEC §2 tenancy). */
  const getOwnerOrThrow = async (clickId: string, userId: number | null): Promise<ClickOwner> => {
    // Ids not of our shape cannot exist; refusing them here spares the database garbage from the open postback URL.
    const owner = isClickId(clickId) ? await deps.findClickOwner(clickId) : undefined;
    if (!owner || (userId !== null && owner.user_id !== userId)) throw notFound('Click');
    return owner;
  };

  const limits = deps.postbackLimits ?? DEFAULT_POSTBACK_LIMITS;

  const consumePostback = async (key: string, windows: readonly RateWindow[]) => {
    if (!deps.postbackLimiter) return;
    const at = now();
    const decision = await deps.postbackLimiter.consume(key, windows, at);
    if (!decision.allowed) throw new PostbackRateLimitError(Math.max(1, Math.ceil((decision.resetAt - at) / 1000)));
  };

  const termsOf = async (click: ClickOwner): Promise<ConversionTerms> =>
    (await deps.conversionTerms?.(click.campaign_id)) ?? DEFAULT_TERMS;

  /**
   * Every reason a conversion is suspicious: its payout (against the campaign's sample, read in `trx`),
   * its click's fraud types and how soon after the click it came (`convertedAt`); `[]` when clean.
   */
  const suspicionOf = async (
    trx: Db,
    click: ClickOwner,
    terms: ConversionTerms,
    payout: number,
    convertedAt: number,
  ): Promise<string[]> => [
    ...(await payoutFlags(trx, click, terms, payout)),
    ...fakeLeadReasons(
      { created_at: click.created_at, fraudTypes: parseFraudTypes(click.fraud_types) },
      convertedAt,
      terms.minTimeToConvert,
    ),
  ];

  /** The reasons a payout is suspicious (PAYOUT_ANOMALY_FACTOR), `[]` when it is not. */
  const payoutFlags = async (trx: Db, click: ClickOwner, terms: ConversionTerms, payout: number) => {
    if (payout <= 0) return [];
    const sample = await recentCountedPayouts(trx, click.campaign_id, PAYOUT_SAMPLE);
    const typical =
      sample.length >= PAYOUT_MIN_SAMPLE
        ? { value: median(sample), what: `the median of its last ${sample.length} counted conversions` }
        : terms.costModel === 'cpa' && terms.costValue > 0
          ? { value: terms.costValue, what: 'its CPA cost_value' }
          : null;
    if (typical === null || payout <= typical.value * PAYOUT_ANOMALY_FACTOR) return [];
    return [
      `The payout ${formatMoney(payout)} is more than ${PAYOUT_ANOMALY_FACTOR}× the campaign's typical payout ` +
        `${formatMoney(typical.value)} (${typical.what})`,
    ];
  };

  const existing = (row: ConversionRow): RecordedConversion => ({ conversion: toConversion(row), created: false });

  /** The webhooks outbox write, inside the conversion's own transaction (a no-op without subscribers). */
  const publish = deps.enqueueWebhookEvent ?? (async () => null);

  /** `conversion.updated` only when status, payout or the suspicious flag really changed, with their earlier values. */
  const publishUpdate = async (trx: Db, before: ConversionRow, after: ConversionRow) => {
    const previous = {
      ...(before.status !== after.status ? { status: before.status } : {}),
      ...(before.payout !== after.payout ? { payout: before.payout } : {}),
      ...(before.suspicious !== after.suspicious
        ? { suspicious: before.suspicious === 1, suspicious_reasons: toConversion(before).suspicious_reasons }
        : {}),
    };
    if (Object.keys(previous).length === 0) return;
    await publish(trx, {
      userId: after.user_id,
      type: 'conversion.updated',
      data: toConversion(after),
      campaignId: after.campaign_id,
      previousAttributes: previous,
    });
  };

  /**
   * Idempotent by the unique (user_id, dedupe_key): an insert that loses to an existing or racing
   * conversion does nothing, then the winner is updated (same transaction id) or returned as it is.
   * Insert-then-update rather than one ON CONFLICT DO UPDATE because only the former says, on both
   * dialects, whether this request created the conversion (201) or found it (200).
   * `trx` is the caller's transaction, so a webhook event commits with the change it reports, or not at all.
   */
  /** The postback's payout, else the payout of the offer the click went to, else 0. */
  const payoutOf = async (click: ClickOwner, input: ConversionInput): Promise<number> => {
    if (input.payout !== undefined) return input.payout;
    if (click.offer_id == null || !deps.offerPayout) return 0;
    return (await deps.offerPayout(click.user_id, click.offer_id)) ?? 0;
  };

  /**
   * `audited`: the write comes from the API, a member's act the audit log names. Postbacks and page pixels
   * are not audited: they are partner and visitor traffic with no member behind them, arriving at the
   * rate of sales (an entry each would bury the members' acts), and each already keeps its own trace
   * (the conversion row, the postback log).
   */
  const save = async (
    click: ClickOwner,
    input: ConversionInput,
    terms: ConversionTerms,
    audited = false,
  ): Promise<RecordedConversion> => {
    const hook = (await deps.prepareWrite?.(click, terms)) ?? null;
    const recorded = await saveIn(click, input, terms, hook, await payoutOf(click, input), audited);
    hook?.committed();
    return recorded;
  };

  const saveIn = async (
    click: ClickOwner,
    input: ConversionInput,
    terms: ConversionTerms,
    hook: ConversionWriteHook | null,
    offerPayout: number,
    audited: boolean,
  ): Promise<RecordedConversion> => {
    const audit = async (trx: Db, before: ConversionRow | null, after: ConversionRow) => {
      if (!audited) return;
      await writeAudit(trx, {
        userId: after.user_id,
        action: before === null ? 'create' : 'update',
        resourceType: 'conversion',
        resourceId: after.id,
        before,
        after,
      });
    };
    return db.transaction().execute(async (trx) => {
      const txid = input.transaction_id;
      const userId = click.user_id;
      const event = input.event ?? DEFAULT_EVENT;
      // One counted conversion per click and event unless the campaign allows repeats: a forged postback
      // with a fresh txid then finds the click's event taken.
      const onceKey = terms.allowRepeats ? null : clickEventKey(click.id, event);
      if (txid === undefined) {
        // Without a transaction id, any earlier conversion of the click in this event (with or without one) makes this a repeat.
        const earlier = await findFirstConversionOfClick(trx, userId, click.id, event);
        if (earlier) return existing(earlier);
      }
      const dedupeKey = txid === undefined ? clickEventKey(click.id, event) : `tx:${txid}`;
      const at = now();
      const payout = offerPayout;
      const flags = await suspicionOf(trx, click, terms, payout, at);
      const inserted = await insertConversionIfAbsent(trx, {
        user_id: userId,
        campaign_id: click.campaign_id,
        click_id: click.id,
        transaction_id: txid ?? null,
        dedupe_key: dedupeKey,
        once_key: onceKey,
        payout,
        status: input.status ?? DEFAULT_CONVERSION_STATUS,
        event,
        ...suspicionColumns(flags),
        created_at: at,
        updated_at: at,
      });
      if (inserted) {
        const conversion = toConversion(inserted);
        await deps.conversionChanged?.(trx, click, null, worthOf(inserted)!);
        await hook?.written(trx, null, inserted);
        await publish(trx, { userId, type: 'conversion.created', data: conversion, campaignId: click.campaign_id });
        await audit(trx, null, inserted);
        return { conversion, created: true };
      }

      const current = await findConversionByKey(trx, userId, dedupeKey, deps.supportsRowLocks === true);
      if (!current && onceKey !== null) {
        // This txid is new but the click already has its one conversion: answered as the repeat it is,
        // and that conversion is left exactly as it was.
        const taken = await findConversionByOnceKey(trx, userId, onceKey);
        if (taken) return existing(taken);
      }
      if (!current) throw new Error(`conversion ${dedupeKey} of user ${userId} conflicted but cannot be read`);
      if (current.click_id !== click.id) {
        throw validationError('transaction_id', `The transaction_id ${txid} is already recorded for another click`);
      }
      if (input.event !== undefined && input.event !== current.event) {
        throw validationError('event', `The transaction_id ${txid} is already recorded for the event ${current.event}`);
      }
      // Only what the caller sent changes: a repeat without status must not turn a rejection back into a sale.
      // A new payout is judged again (a known txid replayed with a huge payout is flagged like a new one);
      // the timing is still the conversion's first arrival's, and the click's fraud types are today's.
      const repriced = input.payout !== undefined && input.payout !== current.payout;
      const reflags = repriced ? await suspicionOf(trx, click, terms, input.payout!, current.created_at) : [];
      const changes = {
        ...(input.payout !== undefined ? { payout: input.payout } : {}),
        ...(repriced ? suspicionColumns(reflags) : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
      };
      if (txid !== undefined && Object.keys(changes).length > 0) {
        const updated = await updateConversionOfClick(
          trx,
          { userId, dedupeKey, clickId: click.id },
          // Any change counts the flag from here on (a conversion flagged before migration 024 joins the counter).
          { ...changes, suspicious_in_rollups: 1, updated_at: at },
        );
        if (updated) {
          await deps.conversionChanged?.(trx, click, worthOf(current), worthOf(updated)!);
          await hook?.written(trx, current, updated);
          await publishUpdate(trx, current, updated);
          await audit(trx, current, updated);
          return existing(updated);
        }
      }
      return existing(current);
    });
  };

  return {
    /** From the API: the click must be one of the caller's own. */
    /** `campaigns`: the caller's campaign scope; a click outside it is as unknown as another account's. */
    async record(userId: number, input: ConversionInput, campaigns: CampaignScope = null): Promise<RecordedConversion> {
      checkPayout(input.payout);
      const click = await getOwnerOrThrow(input.click_id, userId);
      if (!inCampaignScope(campaigns, click.campaign_id)) throw notFound('Click');
      return save(click, input, await termsOf(click), true);
    },

    /**
     * From a partner's server: the click id names the account, whose postback token (if any) must match.
     * A caller that also sent a bearer token (`callerId`) is held to its own clicks; it never skips the postback token.
     */
    async recordPostback(
      params: PostbackParams,
      token: string | undefined,
      callerId: number | null = null,
      ip?: string,
    ): Promise<RecordedConversion> {
      // Counted before any lookup, so neither flooding nor guessing costs the database anything once over.
      if (ip !== undefined) await consumePostback(`postback:addr:${ip}`, limits.perAddress);
      const input = fromPostback(params);
      checkPayout(input.payout);
      if (isClickId(input.click_id)) await consumePostback(`postback:click:${input.click_id}`, limits.perClick);
      const click = await getOwnerOrThrow(input.click_id, callerId);
      await deps.checkPostbackToken(click.user_id, token, ip);
      return save(click, input, await termsOf(click));
    },

    /**
     * From a page: the lander tag's `cloakradar('convert')` and the `GET /px` pixel. A page cannot keep a
     * secret, so the click id alone is the credential (no postback token or address list: those guard the
     * server-to-server URL); the postback's limits apply under their own keys. Null, and nothing recorded,
     * for an unknown click, bad input or a limit reached: a pixel answers the same image whatever happened.
     */
    async recordFromPage(params: PostbackParams, ip: string): Promise<RecordedConversion | null> {
      try {
        await consumePostback(`page:addr:${ip}`, limits.perAddress);
        const input = fromPostback(params);
        checkPayout(input.payout);
        if (!isClickId(input.click_id)) return null;
        await consumePostback(`page:click:${input.click_id}`, limits.perClick);
        const click = await getOwnerOrThrow(input.click_id, null);
        return await save(click, input, await termsOf(click));
      } catch (error) {
        if (error instanceof AppError) return null;
        throw error;
      }
    },

    async list(userId: number, page: PageRequest, query: ConversionListQuery): Promise<Page<Conversion>> {
      const { rows, total } = await listConversions(db, {
        ...listScope(userId, query),
        limit: page.perPage,
        offset: page.offset,
      });
      return { items: rows.map(toConversion), total };
    },

    /**
     * Every conversion of the list's filter as CSV, in the list's order, read a page at a time (memory
     * flat in the number of rows). The range is checked before the stream starts, so bad input is a 400.
     */
    exportCsv(userId: number, query: ConversionListQuery, onError: (error: Error) => void): Readable {
      const scope = listScope(userId, query);
      const rows = keysetPages(
        (after: ConversionListCursor | null, limit) => listConversionsAfter(db, scope, after, limit),
        (row) => ({ createdAt: row.created_at, id: row.id }),
        deps.exportPageSize ?? EXPORT_PAGE_SIZE,
      );
      return conversionCsv(rows, onError);
    },

    /**
     * A late finding changed clicks' fraud types (recorder hook, inside the amendment's transaction): their
     * conversions' flags follow, with the rollups' suspicious_conversions and a `conversion.updated` webhook.
     * A postback already decided is not taken back (SPEC section 7: a network hears of a conversion once).
     */
    async clicksAmended(trx: Db, amended: readonly AmendedClick[]): Promise<void> {
      const changed = new Map<string, AmendedClick['after']>();
      for (const { before, after } of amended) {
        const was = suspiciousFraudTypes(parseFraudTypes(before.fraud_types)).join();
        if (suspiciousFraudTypes(parseFraudTypes(after.fraud_types)).join() !== was) changed.set(after.id, after);
      }
      if (changed.size === 0) return;
      const rows = await findConversionsOfClicks(trx, [...changed.keys()], deps.supportsRowLocks === true);
      for (const row of rows) {
        const click = changed.get(row.click_id)!;
        const reasons = withClickFraud(toConversion(row).suspicious_reasons, parseFraudTypes(click.fraud_types));
        const columns = suspicionColumns(reasons);
        if (columns.suspicious_reasons === row.suspicious_reasons) continue;
        const updated = await setConversionSuspicion(trx, row.id, {
          ...columns,
          suspicious_in_rollups: 1,
          updated_at: now(),
        });
        if (!updated) continue;
        await deps.conversionChanged?.(trx, click, worthOf(row), worthOf(updated)!);
        await publishUpdate(trx, row, updated);
      }
    },

    /** Counted (not rejected) conversions created today (UTC), per campaign id. */
    countToday: (campaignIds: number[]) => countCountedConversionsSince(db, campaignIds, startOfUtcDay(now())),
  };
}

export type ConversionService = ReturnType<typeof createConversionService>;
