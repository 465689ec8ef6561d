import type { EventBus } from '../../events.ts';
import type { FraudRateWindow } from './fraud-rate-window.ts';
import type { DetectionWindowStore } from './detection-window-store.ts';
import { createRedisFraudRateWindow } from './redis-fraud-rate-window.ts';
import { createMemoryRateLimiter } from './memory-rate-limiter.ts';
import type { FailureLock } from './failure-lock.ts';
import { createMemoryFailureLock } from './memory-failure-lock.ts';
import { createRedisFailureLock } from './redis-failure-lock.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { openRedis, waitForRedis } from './redis-client.ts';
import { createRedisDetectionWindowStore } from './redis-detection-window-store.ts';
import { relayClickFeeds } from './redis-click-relay.ts';
import { bridgeEvents, type EventBridgeLog } from './redis-event-bridge.ts';
import { createRedisRateLimiter } from './redis-rate-limiter.ts';

export interface SharedState {
  readonly windows: DetectionWindowStore;
  readonly fraudRates: FraudRateWindow;
  readonly limiter: RateLimiter;
  /** Sign-in failures per account and the locks they lead to. */
  readonly failureLock: FailureLock;
  status(): 'ready' | 'unavailable';
  close(): Promise<void>;
}

/** While Redis is unreachable each node counts alone, rather than refusing every API call. */
function withLocalFallback(shared: RateLimiter, log: EventBridgeLog): RateLimiter {
  const local = createMemoryRateLimiter();
  return {
    consume: (key, windows, now) =>
      shared.consume(key, windows, now).catch((error: unknown) => {
        log.warn({ err: error }, 'Redis did not answer; this API request was counted by this node alone');
        return local.consume(key, windows, now);
      }),
  };
}

/** As withLocalFallback: while Redis is unreachable each node counts sign-in failures alone. */
function lockWithLocalFallback(shared: FailureLock, log: EventBridgeLog): FailureLock {
  const local = createMemoryFailureLock();
  const warn = (error: unknown) =>
    log.warn({ err: error }, 'Redis did not answer; this sign-in was counted by this node alone');
  return {
    lockedFor: (key, now) =>
      shared.lockedFor(key, now).catch((error: unknown) => {
        warn(error);
        return local.lockedFor(key, now);
      }),
    fail: (key, policy, now) =>
      shared.fail(key, policy, now).catch((error: unknown) => {
        warn(error);
        return local.fail(key, policy, now);
      }),
    clear: (key) =>
      shared.clear(key).catch((error: unknown) => {
        warn(error);
        return local.clear(key);
      }),
  };
}

/**
 * What several nodes must share, in one Redis: detection windows, API rate limits, sign-in locks, and the cache
 * invalidations of the event bus. Resolves once the invalidations are subscribed to.
 */
export async function openSharedState(options: {
  url: string;
  prefix: string;
  events: EventBus;
  log: EventBridgeLog;
  now?: () => number;
}): Promise<SharedState> {
  const redis = openRedis(options.url);
  redis.on('error', (error: unknown) => options.log.warn({ err: error }, 'Redis connection error'));
  const bridge = bridgeEvents(options.url, options.events, {
    prefix: options.prefix,
    publisher: redis,
    log: options.log,
  });
  const feeds = relayClickFeeds(options.url, options.events, {
    prefix: options.prefix,
    publisher: redis,
    log: options.log,
    now: options.now ?? Date.now,
  });
  try {
    await waitForRedis(redis);
    await Promise.all([bridge.ready, feeds.ready, redis.ping()]);
  } catch (error) {
    await bridge.close();
    feeds.close();
    redis.disconnect();
    throw error;
  }
  return {
    windows: createRedisDetectionWindowStore(redis, { prefix: options.prefix }),
    fraudRates: createRedisFraudRateWindow(redis, { prefix: options.prefix }),
    status: () => (redis.status === 'ready' ? 'ready' : 'unavailable'),
    limiter: withLocalFallback(createRedisRateLimiter(redis, { prefix: options.prefix }), options.log),
    failureLock: lockWithLocalFallback(createRedisFailureLock(redis, { prefix: options.prefix }), options.log),
    async close() {
      await bridge.close();
      feeds.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
