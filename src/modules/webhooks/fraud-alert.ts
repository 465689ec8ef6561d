import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import type { NewClickRow } from '../clicks/click.table.ts';
import type { FraudAlertSettings } from '../detection-settings/fraud-alert-settings.ts';
import { isFlagged } from './flagged-clicks.ts';
import { findLastFraudAlert, saveFraudAlert } from './fraud-alert.repository.ts';
import { enqueueWebhookEvent } from './outbox/enqueue.ts';
import type { SubscriberCache } from './subscriber-cache.ts';

const BUCKET_MS = 60_000;
/** The longest window an account may choose (fraud-alert-settings.ts): older buckets are dropped. */
const MAX_WINDOW_MS = 1440 * BUCKET_MS;

interface Bucket {
  total: number;
  fraudulent: number;
  byType: Map<string, number>;
}

interface CampaignCounts {
  readonly userId: number;
  readonly buckets: Map<number, Bucket>;
  /** Last alert, once known (from memory or from fraud_alert_state). */
  lastAlertAt?: number;
}

export interface FraudAlertDeps {
  db: Db;
  events: EventBus;
  subscribers: SubscriberCache;
  settings(userId: number): Promise<FraudAlertSettings>;
  log: FastifyBaseLogger;
  now: () => number;
}

/**
 * `fraud.alert`: a campaign's fraud rate over the account's threshold in a rolling window, at most
 * once per campaign per window. Counting happens in memory from the recorder's committed batches
 * ('click.recorded'), in one-minute buckets, for accounts with a fraud.alert endpoint only: a single
 * node's view, and a restart starts the counts afresh. The time of the last alert is persisted with
 * the alert's own outbox row, so a restart never repeats an alert within its window.
 */
export function watchFraudRates(deps: FraudAlertDeps): void {
  const campaigns = new Map<number, CampaignCounts>();
  /** Campaigns whose alert is being written: a second batch must not race it into a duplicate. */
  const pending = new Set<number>();

  const count = (row: NewClickRow) => {
    let counts = campaigns.get(row.campaign_id);
    if (!counts) campaigns.set(row.campaign_id, (counts = { userId: row.user_id, buckets: new Map() }));
    const key = Math.floor(row.created_at / BUCKET_MS);
    let bucket = counts.buckets.get(key);
    if (!bucket) counts.buckets.set(key, (bucket = { total: 0, fraudulent: 0, byType: new Map() }));
    bucket.total += 1;
    if (isFlagged(row)) {
      bucket.fraudulent += 1;
      const type = row.primary_fraud_type ?? 'other';
      bucket.byType.set(type, (bucket.byType.get(type) ?? 0) + 1);
    }
  };

  /** Totals from `since` on; buckets older than any window can reach are dropped on the way. */
  const sum = (counts: CampaignCounts, since: number, now: number) => {
    const total = { clicks: 0, fraudulent: 0, byType: {} as Record<string, number> };
    const floor = Math.floor(since / BUCKET_MS);
    const expired = Math.floor((now - MAX_WINDOW_MS) / BUCKET_MS);
    for (const [key, bucket] of counts.buckets) {
      if (key < expired) counts.buckets.delete(key);
      if (key < floor) continue;
      total.clicks += bucket.total;
      total.fraudulent += bucket.fraudulent;
      for (const [type, n] of bucket.byType) total.byType[type] = (total.byType[type] ?? 0) + n;
    }
    return total;
  };

  const evaluate = async (campaignId: number, counts: CampaignCounts) => {
    const settings = await deps.settings(counts.userId);
    const now = deps.now();
    const windowMs = settings.window_minutes * BUCKET_MS;
    if (counts.lastAlertAt !== undefined && now - counts.lastAlertAt < windowMs) return;
    const since = now - windowMs;
    const totals = sum(counts, since, now);
    const rate = totals.clicks === 0 ? 0 : (totals.fraudulent / totals.clicks) * 100;
    if (totals.clicks < settings.min_clicks || rate < settings.threshold_percent) return;
    await deps.db.transaction().execute(async (trx) => {
      const last = await findLastFraudAlert(trx, campaignId);
      if (last !== undefined && now - last < windowMs) {
        counts.lastAlertAt = last;
        return;
      }
      await saveFraudAlert(trx, campaignId, counts.userId, now);
      await enqueueWebhookEvent(
        trx,
        {
          userId: counts.userId,
          type: 'fraud.alert',
          campaignId,
          data: {
            campaign_id: campaignId,
            window_start: new Date(since).toISOString(),
            window_end: new Date(now).toISOString(),
            window_minutes: settings.window_minutes,
            total_clicks: totals.clicks,
            fraudulent_clicks: totals.fraudulent,
            fraud_rate: Math.round(rate * 100) / 100,
            fraud_by_type: totals.byType,
            threshold_percent: settings.threshold_percent,
          },
        },
        now,
      );
      counts.lastAlertAt = now;
    });
  };

  deps.events.on('click.recorded', ({ clicks }) => {
    void (async () => {
      const subscribes = await deps.subscribers.subscribers(deps.db, 'fraud.alert');
      const touched = new Set<number>();
      for (const row of clicks) {
        if (!subscribes(row.user_id)) continue;
        count(row);
        touched.add(row.campaign_id);
      }
      for (const campaignId of touched) {
        const counts = campaigns.get(campaignId);
        if (!counts || pending.has(campaignId)) continue;
        pending.add(campaignId);
        await evaluate(campaignId, counts).finally(() => pending.delete(campaignId));
      }
    })().catch((error: unknown) => deps.log.error({ err: error }, 'fraud alert evaluation failed'));
  });
}
