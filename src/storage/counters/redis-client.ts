import { Redis } from 'ioredis';
import { CLAIM_SCRIPT, OBSERVE_SCRIPT } from './redis-detection-window-store.ts';
import { CONSUME_SCRIPT } from './redis-rate-limiter.ts';
import { FAIL_SCRIPT } from './redis-failure-lock.ts';
import type { RedisScripts } from './redis-scripts.ts';

export type SharedRedis = Redis & RedisScripts;

/** Opens a connection for commands (not for subscriptions) with the counters' scripts defined. */
export function openRedis(url: string): SharedRedis {
  const redis = new Redis(url, {
    // A click must not wait on a Redis that is gone: while disconnected, commands fail at once (no offline
    // queue) and a stuck one after a second; the tracker then judges the click without history and logs it.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    enableAutoPipelining: true,
  });
  redis.defineCommand('observeWindows', { numberOfKeys: 5, lua: OBSERVE_SCRIPT });
  redis.defineCommand('claimWindow', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
  redis.defineCommand('consumeRate', { lua: CONSUME_SCRIPT });
  redis.defineCommand('failLock', { numberOfKeys: 2, lua: FAIL_SCRIPT });
  return redis as SharedRedis;
}

/** Commands are refused until connected (no offline queue): resolves once the connection is ready. */
export function waitForRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface Subscription {
  /** Resolves once subscribed: from then on messages arrive. */
  readonly ready: Promise<void>;
  close(): void;
}

/**
 * A connection of its own for one pub/sub channel (a subscribed connection can run no other command).
 * Every message is JSON with the `origin` of the node that sent it: a node's own messages, and text
 * that is not JSON, never reach `onMessage`. Messages published while the connection is down are
 * lost: `onResubscribe` lets the caller make up for them.
 */
export function subscribeChannel<M extends { readonly origin: string }>(
  url: string,
  channel: string,
  options: {
    origin: string;
    onMessage(message: M): void;
    onResubscribe?: () => void;
    log: { warn(object: object, message: string): void };
  },
): Subscription {
  // Named after its channel: an operator's CLIENT LIST tells which node connection is which.
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, connectionName: `cloakradar:${channel}` });
  subscriber.on('message', (_channel: string, text: string) => {
    let message: M;
    try {
      message = JSON.parse(text) as M;
    } catch {
      return;
    }
    if (message.origin !== options.origin) options.onMessage(message);
  });
  let subscribed = false;
  subscriber.on('ready', () => {
    if (subscribed) options.onResubscribe?.();
    subscribed = true;
  });
  subscriber.on('error', (error: unknown) => options.log.warn({ err: error, channel }, 'Redis subscription error'));
  return { ready: subscriber.subscribe(channel).then(() => undefined), close: () => subscriber.disconnect() };
}
