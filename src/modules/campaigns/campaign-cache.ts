import { LRUCache } from 'lru-cache';
import type { EventBus } from '../../events.ts';
import type { Targeting } from '../../detection/index.ts';
import { parseList } from './campaign.ts';
import type { CampaignRow } from './campaign.table.ts';

/** What the tracker needs of a campaign, parsed once instead of on every click. */
export interface TrackedCampaign {
  readonly id: number;
  readonly userId: number;
  readonly uuid: string;
  readonly status: CampaignRow['status'];
  readonly destinationUrl: string | null;
  readonly targeting: Targeting;
  readonly fraudAction: CampaignRow['fraud_action'];
  readonly blockedFraudTypes: ReadonlySet<string>;
}

export interface CampaignCache {
  /** Undefined for an unknown or deleted uuid. */
  get(uuid: string): Promise<TrackedCampaign | undefined>;
}

function toTracked(row: CampaignRow): TrackedCampaign {
  return Object.freeze({
    id: row.id,
    userId: row.user_id,
    uuid: row.uuid,
    status: row.status,
    destinationUrl: row.destination_url,
    targeting: Object.freeze({
      allowedCountries: parseList(row.allowed_countries),
      blockedCountries: parseList(row.blocked_countries),
      allowedDevices: parseList(row.allowed_devices),
      ipBlocklist: parseList(row.ip_blocklist),
    }),
    fraudAction: row.fraud_action,
    blockedFraudTypes: new Set(parseList(row.blocked_fraud_types)),
  });
}

/**
 * No database read per click: live campaigns stay in memory (an account has thousands at most) and
 * are dropped when `campaign.changed` says so. Unknown uuids are remembered briefly and in bounded
 * number, so a flood of made-up links does not turn into a flood of queries.
 */
export function createCampaignCache(
  load: (uuid: string) => Promise<CampaignRow | undefined>,
  events: EventBus,
): CampaignCache {
  const known = new Map<string, Promise<TrackedCampaign | undefined>>();
  const unknown = new LRUCache<string, true>({ max: 10_000, ttl: 30_000 });
  events.on('campaign.changed', ({ uuid }) => {
    known.delete(uuid);
    unknown.delete(uuid);
  });
  events.on('caches.stale', () => {
    known.clear();
    unknown.clear();
  });
  return {
    get(uuid) {
      if (unknown.has(uuid)) return Promise.resolve(undefined);
      let entry = known.get(uuid);
      if (!entry) {
        // The promise itself is cached so concurrent first clicks share one query.
        entry = load(uuid).then(
          (row) => {
            if (row) return toTracked(row);
            known.delete(uuid);
            unknown.set(uuid, true);
            return undefined;
          },
          (error: unknown) => {
            known.delete(uuid);
            throw error;
          },
        );
        known.set(uuid, entry);
      }
      return entry;
    },
  };
}
