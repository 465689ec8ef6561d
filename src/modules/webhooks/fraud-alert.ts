import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import type { NewClickRow } from '../clicks/click.table.ts';
import type { FraudAlertSettings } from '../detection-settings/fraud-alert-settings.ts';
import { isFlagged } from './flagged-clicks.ts';
import { claimFraudAlert } from './fraud-alert.repository.ts';
import {
  BUCKET_MS,
  createMemoryFraudRateWindow,
  emptyMinute,
  type FraudRateWindow,
  type MinuteCounts,
} from '../../storage/counters/fraud-rate-window.ts';
import { enqueueWebhookEvent } from './outbox/enqueue.ts';
import type { SubscriberCache } from './subscriber-cache.ts';

export interface FraudAlertDeps {
  db: Db;
  events: EventBus;
  subscribers: SubscriberCache;
  settings(userId: number): Promise<FraudAlertSettings>;
  log: FastifyBaseLogger;
  now: () => number;
  /** Where the minutes are counted: this node's memory unless several nodes share Redis. */
  window?: FraudRateWindow;
}

/**
 * `fraud.alert`: a campaign's fraud rate over the account's threshold in a rolling window, at most
 * once per campaign per window. Counting happens from the recorder's committed batches
 * ('click.recorded', this node's own), in one-minute buckets, for accounts with a fraud.alert endpoint
 * only. With one node the buckets are in memory (a restart starts them afresh); with REDIS_URL every
 * node adds to and reads the same buckets, so the rate is that of all nodes' clicks. Whichever node
 * crosses the threshold first claims the alert in `fraud_alert_state` (a conditional upsert), so
 * nodes evaluating at the same moment still send it once, and a restart never repeats it.
 */
export function watchFraudRates(deps: FraudAlertDeps): void {
  const window = deps.window ?? createMemoryFraudRateWindow();
  const owners = new Map<number, number>();
  /** Campaigns being evaluated, and whether a batch arrived meanwhile (evaluated once more after). */
  const evaluating = new Map<number, { again: boolean }>();
  const lastEvaluated = new Map<number, number>();
  /** The last alert this node knows of, to skip reads within its window. */
  const lastAlertAt = new Map<number, number>();

  const minutesOf = (rows: readonly NewClickRow[]) => {
    const byCampaign = new Map<number, Map<number, MinuteCounts>>();
    for (const row of rows) {
      owners.set(row.campaign_id, row.user_id);
      let minutes = byCampaign.get(row.campaign_id);
      if (!minutes) byCampaign.set(row.campaign_id, (minutes = new Map()));
      const key = Math.floor(row.created_at / BUCKET_MS);
      let bucket = minutes.get(key);
      if (!bucket) minutes.set(key, (bucket = emptyMinute()));
      bucket.total += 1;
      if (isFlagged(row)) {
        bucket.fraudulent += 1;
        const type = row.primary_fraud_type ?? 'other';
        bucket.byType.set(type, (bucket.byType.get(type) ?? 0) + 1);
      }
    }
    return byCampaign;
  };

  const evaluate = async (campaignId: number, userId: number) => {
    const settings = await deps.settings(userId);
    const now = deps.now();
    const windowMs = settings.window_minutes * BUCKET_MS;
    const last = lastAlertAt.get(campaignId);
    if (last !== undefined && now - last < windowMs) return;
    const since = now - windowMs;
    const totals = await window.sum(campaignId, since, now);
    const rate = totals.clicks === 0 ? 0 : (totals.fraudulent / totals.clicks) * 100;
    if (totals.clicks < settings.min_clicks || rate < settings.threshold_percent) return;
    await deps.db.transaction().execute(async (trx) => {
      const claimed = await claimFraudAlert(trx, { campaignId, userId, at: now, windowMs });
      if (!claimed.ok) {
        lastAlertAt.set(campaignId, claimed.lastAlertAt);
        return;
      }
      await enqueueWebhookEvent(
        trx,
        {
          userId,
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
      lastAlertAt.set(campaignId, now);
    });
  };

  /** One evaluation of a campaign at a time, at most one per the window's interval, none lost. */
  const schedule = (campaignId: number): void => {
    const running = evaluating.get(campaignId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    evaluating.set(campaignId, state);
    void (async () => {
      const wait = (lastEvaluated.get(campaignId) ?? 0) + window.minEvaluationIntervalMs - deps.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
      lastEvaluated.set(campaignId, deps.now());
      await evaluate(campaignId, owners.get(campaignId)!);
    })()
      .catch((error: unknown) => deps.log.error({ err: error }, 'fraud alert evaluation failed'))
      .finally(() => {
        evaluating.delete(campaignId);
        if (state.again) schedule(campaignId);
      });
  };

  deps.events.on('click.recorded', ({ clicks, relayed }) => {
    if (relayed) return; // counted by the node that recorded them
    void (async () => {
      const subscribes = await deps.subscribers.subscribers(deps.db, 'fraud.alert');
      const counted = clicks.filter((row) => subscribes(row.user_id));
      if (counted.length === 0) return;
      const now = deps.now();
      for (const [campaignId, minutes] of minutesOf(counted)) {
        await window.add(campaignId, minutes, now);
        schedule(campaignId);
      }
    })().catch((error: unknown) => deps.log.error({ err: error }, 'fraud alert counting failed'));
  });
}
