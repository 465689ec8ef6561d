import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import type { WebhookEventType } from './webhook-events.ts';

type Subscriptions = ReadonlyMap<number, ReadonlySet<string>>;

/**
 * Which accounts have an active endpoint for which event types, so the tracker's hot path asks a Map
 * instead of the database and accounts without such endpoints pay nothing. The whole (small) table
 * is reloaded on the next use after any change announced on the EventBus; with REDIS_URL the event
 * arrives from every node (storage/counters/redis-event-bridge.ts), like the other caches' invalidations.
 */
export function createSubscriberCache(
  load: (db: Db) => Promise<Array<{ user_id: number; events: string }>>,
  events: EventBus,
) {
  let snapshot: Promise<Subscriptions> | undefined;
  events.on('webhooks.changed', () => (snapshot = undefined));
  events.on('caches.stale', () => (snapshot = undefined));

  const build = async (db: Db): Promise<Subscriptions> => {
    const map = new Map<number, Set<string>>();
    for (const row of await load(db)) {
      const types = map.get(row.user_id) ?? new Set<string>();
      for (const type of JSON.parse(row.events) as string[]) types.add(type);
      map.set(row.user_id, types);
    }
    return map;
  };

  return {
    /** `db` may be the caller's transaction: on SQLite a query outside it would wait for it forever. */
    async subscribers(db: Db, type: WebhookEventType): Promise<(userId: number) => boolean> {
      if (!snapshot) {
        const loading = build(db);
        snapshot = loading;
        loading.catch(() => {
          if (snapshot === loading) snapshot = undefined;
        });
      }
      const map = await snapshot;
      return (userId) => map.get(userId)?.has(type) ?? false;
    },
  };
}

export type SubscriberCache = ReturnType<typeof createSubscriberCache>;
