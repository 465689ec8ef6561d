import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LIVE_FEED_ANNOUNCE_MS, type AppEvents, type EventBus } from '../../events.ts';
import { subscribeChannel, type Subscription } from './redis-client.ts';
import type { EventBridgeLog } from './redis-event-bridge.ts';

/** Two missed announcements and the account is no longer watched. */
const INTEREST_MS = LIVE_FEED_ANNOUNCE_MS * 2 + 5_000;

type Message =
  | { readonly origin: string; readonly kind: 'recorded'; readonly clicks: AppEvents['click.recorded']['clicks'] }
  | { readonly origin: string; readonly kind: 'amended'; readonly clicks: AppEvents['click.amended']['clicks'] };

/**
 * Live feeds behind a load balancer: a feed open on node B shows the clicks node A commits. Only the
 * clicks of accounts with a feed open somewhere are published ('live-feed.open' reaches every node
 * through the event bridge), so traffic nobody is watching costs one Map lookup per batch. Relayed
 * clicks are emitted with `relayed: true`: they are for display, never counted a second time.
 */
export function relayClickFeeds(
  url: string,
  events: EventBus,
  options: { prefix: string; publisher: Redis; log: EventBridgeLog; now: () => number },
): Subscription {
  const channel = `${options.prefix}clicks`;
  const origin = randomUUID();
  const watchedUntil = new Map<number, number>();
  const watched = (userId: number, now: number) => {
    const until = watchedUntil.get(userId);
    if (until === undefined) return false;
    if (until > now) return true;
    watchedUntil.delete(userId);
    return false;
  };
  const onOpen = ({ userId }: AppEvents['live-feed.open']) => watchedUntil.set(userId, options.now() + INTEREST_MS);
  const publish = (message: Message) => {
    options.publisher.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
      options.log.warn({ err: error }, 'clicks could not reach the live feeds of the other nodes');
    });
  };
  const onRecorded = ({ clicks, relayed }: AppEvents['click.recorded']) => {
    if (relayed || watchedUntil.size === 0) return;
    const now = options.now();
    const shown = clicks.filter((row) => watched(row.user_id, now));
    if (shown.length > 0) publish({ origin, kind: 'recorded', clicks: shown });
  };
  const onAmended = ({ clicks, relayed }: AppEvents['click.amended']) => {
    if (relayed || watchedUntil.size === 0) return;
    const now = options.now();
    const shown = clicks.filter(({ after }) => watched(after.user_id, now));
    if (shown.length > 0) publish({ origin, kind: 'amended', clicks: shown });
  };
  events.on('live-feed.open', onOpen);
  events.on('click.recorded', onRecorded);
  events.on('click.amended', onAmended);

  const subscription = subscribeChannel<Message>(url, channel, {
    origin,
    log: options.log,
    onMessage(message) {
      if (message.kind === 'recorded') events.emit('click.recorded', { clicks: message.clicks, relayed: true });
      else if (message.kind === 'amended') events.emit('click.amended', { clicks: message.clicks, relayed: true });
    },
  });
  return {
    ready: subscription.ready,
    close() {
      events.off('live-feed.open', onOpen);
      events.off('click.recorded', onRecorded);
      events.off('click.amended', onAmended);
      subscription.close();
    },
  };
}
