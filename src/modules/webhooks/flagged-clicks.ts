import type { Db } from '../../storage/database.ts';
import { subIdsOf, toClickDetail } from '../clicks/click.ts';
import type { NewClickRow } from '../clicks/click.table.ts';
import { enqueueWebhookEvents } from './outbox/enqueue.ts';
import type { SubscriberCache } from './subscriber-cache.ts';

/** A click "got a fraud type": any, except ad platforms' verified crawlers, which are never fraud (SPEC §1). */
export function isFlagged(row: NewClickRow): boolean {
  return row.fraud_types !== '[]' && row.is_verified_bot !== 1;
}

/** The click as GET /api/v1/clicks/{id} shows it; a click just recorded has no conversion yet. */
export function presentNewClick(row: NewClickRow) {
  return toClickDetail({
    ...row,
    country: row.country ?? null,
    region: row.region ?? null,
    city: row.city ?? null,
    asn: row.asn ?? null,
    as_org: row.as_org ?? null,
    os: row.os ?? null,
    browser: row.browser ?? null,
    referrer: row.referrer ?? null,
    ...subIdsOf(row),
    platform_click_id: row.platform_click_id ?? null,
    external_id: row.external_id ?? null,
    cost: row.cost ?? null,
    cost_source: row.cost_source ?? null,
    placement: row.placement ?? null,
    primary_fraud_type: row.primary_fraud_type ?? null,
    rule: row.rule ?? null,
    path: row.path ?? null,
    lander_id: row.lander_id ?? null,
    offer_id: row.offer_id ?? null,
    lp_clicked_at: row.lp_clicked_at ?? null,
    language: row.language ?? null,
    converted: 0,
  });
}

/**
 * The click recorder's hook, run inside its batch transaction: one `click.flagged` event per flagged
 * click of an account that subscribes. For every other account it costs a Map lookup and no query.
 */
export function createFlaggedClickEnqueuer(cache: SubscriberCache, now: () => number) {
  return async function enqueueFlaggedClicks(trx: Db, rows: readonly NewClickRow[]): Promise<void> {
    if (!rows.some(isFlagged)) return;
    const subscribes = await cache.subscribers(trx, 'click.flagged');
    const events = rows
      .filter((row) => isFlagged(row) && subscribes(row.user_id))
      .map((row) => ({
        userId: row.user_id,
        type: 'click.flagged' as const,
        data: presentNewClick(row),
        campaignId: row.campaign_id,
      }));
    if (events.length > 0) await enqueueWebhookEvents(trx, events, now());
  };
}

export type EnqueueFlaggedClicks = ReturnType<typeof createFlaggedClickEnqueuer>;
