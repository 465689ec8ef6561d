import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { AppEvents, EventBus } from '../../events.ts';

/** The events that invalidate a node's caches: what one node changes, every node must forget. */
export const BRIDGED_EVENTS = ['campaign.changed', 'detection-settings.changed', 'webhooks.changed'] as const satisfies ReadonlyArray<keyof AppEvents>;
type BridgedEvent = (typeof BRIDGED_EVENTS)[number];

interface Message {
  readonly origin: string;
  readonly event: BridgedEvent;
  readonly payload: AppEvents[BridgedEvent];
}

export interface EventBridgeLog {
  warn(object: object, message: string): void;
}

export interface EventBridge {
  /** Resolves once the subscription is in place: from then on other nodes' changes arrive. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Carries cache invalidations between nodes over Redis pub/sub: a local emit of a bridged event is
 * published, and other nodes' messages are emitted on this node's bus (never published again).
 * A message sent while this node's subscription is down is not replayed; `onResubscribe` tells the
 * caller the subscription came back, so it can log or drop what it cached.
 */
export function bridgeEvents(url: string, events: EventBus, options: { prefix: string; publisher: Redis; log: EventBridgeLog; onResubscribe?: () => void }): EventBridge {
  const channel = `${options.prefix}events`;
  const origin = randomUUID();
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  let relaying = false;
  const listeners = BRIDGED_EVENTS.map((event) => {
    const listener = (payload: AppEvents[BridgedEvent]) => {
      if (relaying) return;
      const message: Message = { origin, event, payload };
      options.publisher.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
        options.log.warn({ err: error, event }, 'a cache invalidation could not reach the other nodes');
      });
    };
    events.on(event, listener);
    return { event, listener };
  });
  subscriber.on('message', (_channel: string, text: string) => {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message.origin === origin || !BRIDGED_EVENTS.includes(message.event)) return;
    relaying = true;
    try {
      events.emit(message.event, message.payload as never);
    } finally {
      relaying = false;
    }
  });
  let subscribed = false;
  subscriber.on('ready', () => {
    // After a reconnect, messages sent meanwhile are gone.
    if (subscribed) options.onResubscribe?.();
    subscribed = true;
  });
  subscriber.on('error', (error: unknown) => options.log.warn({ err: error }, 'Redis subscription error'));
  const ready = subscriber.subscribe(channel).then(() => undefined);
  return {
    ready,
    async close() {
      for (const { event, listener } of listeners) events.off(event, listener);
      subscriber.disconnect();
    },
  };
}
