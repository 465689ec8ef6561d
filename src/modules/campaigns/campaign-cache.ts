import { LRUCache } from 'lru-cache';
import type { EventBus } from '../../events.ts';
import type { Targeting } from '../../detection/index.ts';
import { parseList } from './campaign.ts';
import type { CampaignRow } from './campaign.table.ts';
import type { CompiledFlow } from '../flows/flow-router.ts';

/** The query parameters a click of the campaign's traffic source carries (SPEC section 7). */
export interface TrackedSource {
  readonly id: number;
  readonly clickIdParam: string;
  readonly costParam: string | null;
  readonly placementParam: string | null;
}

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
  /** The campaign's cost model: a click whose source passes no valid price is charged under it (clicks/click-cost.ts). */
  readonly costModel: CampaignRow['cost_model'];
  readonly costValue: number;
  /** Its traffic source's parameters, loaded with the campaign so a click costs no look-up; null without one. */
  readonly source: TrackedSource | null;
  /** The campaign's flow, compiled with its offers' and landers' URLs; null: destinationUrl for everyone. */
  readonly flow: CompiledFlow | null;
}

export interface CampaignCache {
  /** Undefined for an unknown or deleted uuid. */
  get(uuid: string): Promise<TrackedCampaign | undefined>;
}

function toTracked(row: CampaignRow, source: TrackedSource | undefined, flow: CompiledFlow | null): TrackedCampaign {
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
    costModel: row.cost_model,
    costValue: row.cost_value,
    source: source ? Object.freeze({ ...source }) : null,
    flow,
  });
}

/**
 * No database read per click: live campaigns stay in memory (an account has thousands at most) and
 * are dropped when `campaign.changed` says so. Unknown uuids are remembered briefly and in bounded
 * number, so a flood of made-up links does not turn into a flood of queries. A campaign's traffic
 * source is read with it and dropped with it when `traffic-source.changed` names the source.
 */
export function createCampaignCache(
  load: (uuid: string) => Promise<CampaignRow | undefined>,
  events: EventBus,
  loadSource: (userId: number, id: number) => Promise<TrackedSource | undefined> = () => Promise.resolve(undefined),
  /** Compiles a campaign's flow (offers and landers read once); an offer's or lander's change comes as `campaign.changed`. */
  loadFlow: (row: CampaignRow) => Promise<CompiledFlow | null> = () => Promise.resolve(null),
): CampaignCache {
  const known = new Map<string, Promise<TrackedCampaign | undefined>>();
  /** Which source each cached campaign uses, so a source's change finds its campaigns without awaiting. */
  const sourceOf = new Map<string, number>();
  /** Campaigns still loading: a source changed meanwhile may have been read before its change. */
  const loading = new Map<string, Promise<unknown>>();
  const unknown = new LRUCache<string, true>({ max: 10_000, ttl: 30_000 });
  const forget = (uuid: string) => {
    known.delete(uuid);
    sourceOf.delete(uuid);
  };
  events.on('campaign.changed', ({ uuid }) => {
    forget(uuid);
    unknown.delete(uuid);
  });
  events.on('traffic-source.changed', ({ trafficSourceId }) => {
    for (const [uuid, sourceId] of sourceOf) if (sourceId === trafficSourceId) forget(uuid);
    for (const uuid of loading.keys()) forget(uuid);
  });
  events.on('caches.stale', () => {
    known.clear();
    sourceOf.clear();
    unknown.clear();
  });
  return {
    get(uuid) {
      if (unknown.has(uuid)) return Promise.resolve(undefined);
      let entry = known.get(uuid);
      if (!entry) {
        // The promise itself is cached so concurrent first clicks share one query.
        const loaded = load(uuid).then(async (row) => {
          if (!row) return undefined;
          if (row.traffic_source_id !== null) sourceOf.set(uuid, row.traffic_source_id);
          const source =
            row.traffic_source_id === null ? undefined : await loadSource(row.user_id, row.traffic_source_id);
          const flow = row.flow === null ? null : await loadFlow(row);
          return toTracked(row, source, flow);
        });
        loading.set(uuid, loaded);
        const current = loaded.finally(() => {
          if (loading.get(uuid) === loaded) loading.delete(uuid);
        });
        entry = current.then(
          (tracked) => {
            if (tracked) return tracked;
            forget(uuid);
            unknown.set(uuid, true);
            return undefined;
          },
          (error: unknown) => {
            forget(uuid);
            throw error;
          },
        );
        known.set(uuid, entry);
      }
      return entry;
    },
  };
}
