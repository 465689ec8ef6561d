import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AppEvents, EventBus } from '../../events.ts';
import { subscribeChannel } from './redis-client.ts';

/**
 * The events every node must hear: cache invalidations (what one node changes, every node must
 * forget), the live feeds open anywhere (which accounts' clicks redis-click-relay.ts carries), and
 * revoked credentials (whose live feeds every node must close).
 */
export const BRIDGED_EVENTS = [
  'campaign.changed',
  'traffic-source.changed',
  'detection-settings.changed',
  'webhooks.changed',
  'live-feed.open',
  'credentials.revoked',
] as const satisfies ReadonlyArray<keyof AppEvents>;
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
 * Carries bridged events between nodes over Redis pub/sub: a local emit is published, and other
 * nodes' messages are emitted on this node's bus (never published again). Messages sent while this
 * node's subscription is down are not replayed: when it comes back, `caches.stale` is emitted so
 * every cache drops what it holds and reads the database afresh.
 */
export function bridgeEvents(
  url: string,
  events: EventBus,
  options: { prefix: string; publisher: Redis; log: EventBridgeLog },
): EventBridge {
  const channel = `${options.prefix}events`;
  const origin = randomUUID();
  let relaying = false;
  const listeners = BRIDGED_EVENTS.map((event) => {
    const listener = (payload: AppEvents[BridgedEvent]) => {
      if (relaying) return;
      const message: Message = { origin, event, payload };
      options.publisher.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
        options.log.warn({ err: error, event }, 'an event could not reach the other nodes');
      });
    };
    events.on(event, listener);
    return { event, listener };
  });
  const subscription = subscribeChannel<Message>(url, channel, {
    origin,
    log: options.log,
    onMessage(message) {
      if (!BRIDGED_EVENTS.includes(message.event)) return;
      relaying = true;
      try {
        events.emit(message.event, message.payload as never);
      } finally {
        relaying = false;
      }
    },
    onResubscribe() {
      options.log.warn(
        {},
        'Redis subscription restored; caches dropped, since invalidations sent meanwhile were missed',
      );
      events.emit('caches.stale', {});
    },
  });
  return {
    ready: subscription.ready,
    async close() {
      for (const { event, listener } of listeners) events.off(event, listener);
      subscription.close();
    },
  };
}
