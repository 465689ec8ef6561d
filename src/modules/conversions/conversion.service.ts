import type { Db } from '../../storage/database.ts';
import type { ClickFacts } from '../stats/stats-delta.ts';
import type { ConversionWorth } from '../stats/stats-writer.ts';
import { notFound, validationError } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { parseDateRange, startOfUtcDay } from '../../date-range.ts';
import { isClickId } from '../clicks/click-id.ts';
import { DEFAULT_CONVERSION_STATUS, toConversion, type Conversion } from './conversion.ts';
import { checkPayout, fromPostback, type ConversionInput, type PostbackParams } from './conversion-input.ts';
import {
  countCountedConversionsSince,
  findConversionByKey,
  findFirstConversionOfClick,
  insertConversionIfAbsent,
  listConversions,
  updateConversionOfClick,
} from './conversion.repository.ts';
import type { ConversionRow, ConversionStatus } from './conversion.table.ts';
import type { EnqueueWebhookEvent } from '../webhooks/outbox/enqueue.ts';

/** The click a conversion is attributed to, as the clicks service reports it (with what rollups key it by). */
export type ClickOwner = ClickFacts & { id: string };

/** A conversion as the rollups see it. */
const worthOf = (row: ConversionRow | undefined) =>
  row ? { counted: row.status !== 'rejected', payout: row.payout } : null;

export interface ConversionServiceDeps {
  db: Db;
  /**
   * Click lookups go through the clicks service, never its repository
   * (ARCHITECTURE.md, "Services, not repositories").
   */
  findClickOwner(clickId: string): Promise<ClickOwner | undefined>;
  /** Throws 403 when the account requires a postback token and `token` is not it. */
  checkPostbackToken(userId: number, token: string | undefined): Promise<void>;
  /** Runs inside the transaction that created or changed a conversion (rollups). */
  conversionChanged?(trx: Db, click: ClickOwner, before: ConversionWorth | null, after: ConversionWorth): Promise<void>;
  /** The database can lock a row it read (SQLite needs not: it has one writer at a time). */
  supportsRowLocks?: boolean;
  /** The webhooks outbox, called inside the conversion's transaction (webhooks' enqueueWebhookEvent). */
  enqueueWebhookEvent?: EnqueueWebhookEvent;
  now?: () => number;
}

export interface ConversionListQuery {
  campaign_id?: number;
  from?: string;
  to?: string;
  status?: ConversionStatus;
}

/** `created` tells the route whether to answer 201 or 200 (an existing conversion updated or returned). */
export interface RecordedConversion {
  conversion: Conversion;
  created: boolean;
}

export function createConversionService(deps: ConversionServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;

  /** Another account's click answers exactly like a missing one (SPEC §2 tenancy). */
  const getOwnerOrThrow = async (clickId: string, userId: number | null): Promise<ClickOwner> => {
    // Ids not of our shape cannot exist; refusing them here spares the database garbage from the open postback URL.
    const owner = isClickId(clickId) ? await deps.findClickOwner(clickId) : undefined;
    if (!owner || (userId !== null && owner.user_id !== userId)) throw notFound('Click');
    return owner;
  };

  const existing = (row: ConversionRow): RecordedConversion => ({ conversion: toConversion(row), created: false });

  /** The webhooks outbox write, inside the conversion's own transaction (a no-op without subscribers). */
  const publish = deps.enqueueWebhookEvent ?? (async () => null);

  /** `conversion.updated` only when status or payout really changed, with their earlier values. */
  const publishUpdate = async (trx: Db, before: ConversionRow, after: ConversionRow) => {
    const previous = {
      ...(before.status !== after.status ? { status: before.status } : {}),
      ...(before.payout !== after.payout ? { payout: before.payout } : {}),
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
  const save = (click: ClickOwner, input: ConversionInput): Promise<RecordedConversion> =>
    db.transaction().execute(async (trx) => {
      const txid = input.transaction_id;
      const userId = click.user_id;
      if (txid === undefined) {
        // Without a transaction id, any earlier conversion of the click (with or without one) makes this a repeat.
        const earlier = await findFirstConversionOfClick(trx, userId, click.id);
        if (earlier) return existing(earlier);
      }
      const dedupeKey = txid === undefined ? `click:${click.id}` : `tx:${txid}`;
      const at = now();
      const inserted = await insertConversionIfAbsent(trx, {
        user_id: userId,
        campaign_id: click.campaign_id,
        click_id: click.id,
        transaction_id: txid ?? null,
        dedupe_key: dedupeKey,
        payout: input.payout ?? 0,
        status: input.status ?? DEFAULT_CONVERSION_STATUS,
        created_at: at,
        updated_at: at,
      });
      if (inserted) {
        const conversion = toConversion(inserted);
        await deps.conversionChanged?.(trx, click, null, worthOf(inserted)!);
        await publish(trx, { userId, type: 'conversion.created', data: conversion, campaignId: click.campaign_id });
        return { conversion, created: true };
      }

      const current = await findConversionByKey(trx, userId, dedupeKey, deps.supportsRowLocks === true);
      if (!current) throw new Error(`conversion ${dedupeKey} of user ${userId} conflicted but cannot be read`);
      if (current.click_id !== click.id) {
        throw validationError('transaction_id', `The transaction_id ${txid} is already recorded for another click`);
      }
      // Only what the caller sent changes: a repeat without status must not turn a rejection back into a sale.
      const changes = {
        ...(input.payout !== undefined ? { payout: input.payout } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
      };
      if (txid !== undefined && Object.keys(changes).length > 0) {
        const updated = await updateConversionOfClick(
          trx,
          { userId, dedupeKey, clickId: click.id },
          { ...changes, updated_at: at },
        );
        if (updated) {
          await deps.conversionChanged?.(trx, click, worthOf(current), worthOf(updated)!);
          await publishUpdate(trx, current, updated);
          return existing(updated);
        }
      }
      return existing(current);
    });

  return {
    /** From the API: the click must be one of the caller's own. */
    async record(userId: number, input: ConversionInput): Promise<RecordedConversion> {
      checkPayout(input.payout);
      return save(await getOwnerOrThrow(input.click_id, userId), input);
    },

    /**
     * From a partner's server: the click id names the account, whose postback token (if any) must match.
     * A caller that also sent a bearer token (`callerId`) is held to its own clicks; it never skips the postback token.
     */
    async recordPostback(
      params: PostbackParams,
      token: string | undefined,
      callerId: number | null = null,
    ): Promise<RecordedConversion> {
      const input = fromPostback(params);
      checkPayout(input.payout);
      const click = await getOwnerOrThrow(input.click_id, callerId);
      await deps.checkPostbackToken(click.user_id, token);
      return save(click, input);
    },

    async list(userId: number, page: PageRequest, query: ConversionListQuery): Promise<Page<Conversion>> {
      const range = parseDateRange(query, now());
      const { rows, total } = await listConversions(db, {
        userId,
        campaignId: query.campaign_id,
        from: range.from,
        to: range.toExclusive,
        status: query.status,
        limit: page.perPage,
        offset: page.offset,
      });
      return { items: rows.map(toConversion), total };
    },

    /** Counted (not rejected) conversions created today (UTC), per campaign id. */
    countToday: (campaignIds: number[]) => countCountedConversionsSince(db, campaignIds, startOfUtcDay(now())),
  };
}

export type ConversionService = ReturnType<typeof createConversionService>;
