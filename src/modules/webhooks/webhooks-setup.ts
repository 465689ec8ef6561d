import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import type { FraudAlertSettings } from '../detection-settings/fraud-alert-settings.ts';
import { createFlaggedClickEnqueuer } from './flagged-clicks.ts';
import { watchFraudRates } from './fraud-alert.ts';
import type { FraudRateWindow } from '../../storage/counters/fraud-rate-window.ts';
import { createDeliveryWorker, DEFAULT_WORKER_OPTIONS, type DeliveryWorkerOptions } from './outbox/delivery-worker.ts';
import { createSubscriberCache } from './subscriber-cache.ts';
import { listActiveSubscriptions } from './webhook.repository.ts';
import { createWebhookService } from './webhook.service.ts';

/** What an app (or a test) may tune; `runWorker: false` leaves delivery to explicit calls (test pings, retries). */
export interface WebhookRuntimeOptions extends Partial<DeliveryWorkerOptions> {
  runWorker?: boolean;
}

export interface WebhookSetupDeps {
  db: Db;
  events: EventBus;
  log: FastifyBaseLogger;
  now: () => number;
  allowPrivateTargets: boolean;
  retryBaseMs: number;
  campaignExists(userId: number, campaignId: number): Promise<boolean>;
  fraudAlertSettings(userId: number): Promise<FraudAlertSettings>;
  options?: WebhookRuntimeOptions;
  /** The dialect's FOR UPDATE SKIP LOCKED, for the delivery claims of several nodes. */
  skipLocked?: boolean;
  /** Shared fraud-rate minutes when several nodes run (Redis); this node's memory otherwise. */
  fraudRateWindow?: FraudRateWindow;
}

/** Assembles the webhooks feature: subscriber cache, outbox hooks, fraud-rate watch, delivery worker, service. */
export function setUpWebhooks(deps: WebhookSetupDeps) {
  const { db, events, now } = deps;
  const options: DeliveryWorkerOptions = {
    ...DEFAULT_WORKER_OPTIONS,
    allowPrivateTargets: deps.allowPrivateTargets,
    ...deps.options,
    retry: { ...DEFAULT_WORKER_OPTIONS.retry, baseDelayMs: deps.retryBaseMs, ...deps.options?.retry },
  };
  const subscribers = createSubscriberCache(listActiveSubscriptions, events);
  const worker = createDeliveryWorker(
    {
      db,
      log: deps.log,
      now,
      skipLocked: deps.skipLocked,
      onEndpointDisabled: (_webhookId, userId) => events.emit('webhooks.changed', { userId }),
    },
    options,
  );

  // The account's fraud-alert settings, read once and kept until it changes its detection settings.
  const settings = new Map<number, Promise<FraudAlertSettings>>();
  events.on('detection-settings.changed', ({ userId }) => settings.delete(userId));
  events.on('caches.stale', () => settings.clear());
  watchFraudRates({
    db,
    events,
    subscribers,
    window: deps.fraudRateWindow,
    log: deps.log,
    now,
    settings: (userId) => {
      let found = settings.get(userId);
      if (!found) {
        found = deps.fraudAlertSettings(userId);
        found.catch(() => settings.delete(userId));
        settings.set(userId, found);
      }
      return found;
    },
  });

  const service = createWebhookService({
    db,
    events,
    worker,
    sendTimeoutMs: options.timeoutMs,
    allowPrivateTargets: options.allowPrivateTargets,
    campaignExists: deps.campaignExists,
    enqueueFlaggedClicks: createFlaggedClickEnqueuer(subscribers, now),
    resolve: options.resolve,
    now,
  });
  return {
    service,
    start: () => {
      if (deps.options?.runWorker !== false) worker.start();
    },
    /** Wakes the worker after a commit this process made (it polls anyway; this only saves the wait). */
    wake: () => worker.wake(),
    close: () => worker.close(),
  };
}
