import type { IpExclusionEntry } from '../fraud-reports/ip-exclusions.ts';
import type { ConnectionExclusionRow } from './connection.table.ts';

/** Google Ads takes at most 500 IP exclusions per campaign, ours and others' together (IpBlockInfo). */
export const GOOGLE_IP_BLOCK_LIMIT = 500;

/** `203.0.113.*` (how the fraud report writes a /24 for pasting) as IpBlockInfo takes it: CIDR. */
export function toIpBlock(value: string): string {
  return value.endsWith('.*') ? `${value.slice(0, -2)}.0/24` : value;
}

export interface PlatformCriterion {
  resourceName: string;
  ipAddress: string;
}

export interface ExclusionPlan {
  /** Intents whose create the platform did apply (a crash between its answer and our write): adopt. */
  adopt: Array<{ row: ConnectionExclusionRow; resourceName: string }>;
  /** Our rows with nothing on the platform behind them (an intent that never landed, a criterion removed by hand). */
  forget: ConnectionExclusionRow[];
  /** Ours, no longer among the costliest fraudulent addresses of the window: removed. */
  remove: ConnectionExclusionRow[];
  /** New addresses to exclude, most costly first. */
  create: Array<{ ipAddress: string; cost: number }>;
  /** Ours that stay, with their current cost. */
  keep: Array<{ row: ConnectionExclusionRow; cost: number }>;
  /** Criteria someone else made: never touched, but they count against the limit. */
  others: number;
  /** Addresses left out because the limit was reached. */
  leftOut: number;
}

/**
 * What a sync changes. `wanted` is the fraud report's list for the window (most costly first); the
 * window is the expiry: an address with no fraudulent click in it drops out and its criterion goes.
 */
export function planExclusions(
  wanted: readonly IpExclusionEntry[],
  ours: readonly ConnectionExclusionRow[],
  onPlatform: readonly PlatformCriterion[],
  limit = GOOGLE_IP_BLOCK_LIMIT,
): ExclusionPlan {
  const platformByIp = new Map(onPlatform.map((c) => [c.ipAddress, c.resourceName]));
  const platformNames = new Set(onPlatform.map((c) => c.resourceName));
  const adopt: ExclusionPlan['adopt'] = [];
  const forget: ConnectionExclusionRow[] = [];
  const live: ConnectionExclusionRow[] = [];
  for (const row of ours) {
    if (row.resource_name === null) {
      const landed = platformByIp.get(row.ip_address);
      if (landed) {
        adopt.push({ row, resourceName: landed });
        live.push({ ...row, resource_name: landed });
      } else forget.push(row);
    } else if (platformNames.has(row.resource_name)) live.push(row);
    else forget.push(row);
  }
  const ourNames = new Set(live.map((row) => row.resource_name));
  const othersIps = new Set(onPlatform.filter((c) => !ourNames.has(c.resourceName)).map((c) => c.ipAddress));
  const budget = Math.max(0, limit - othersIps.size);
  const candidates = wanted
    .map((entry) => ({ ipAddress: toIpBlock(entry.value), cost: entry.cost }))
    .filter((entry) => !othersIps.has(entry.ipAddress));
  const chosen = candidates.slice(0, budget);
  const chosenCost = new Map(chosen.map((entry) => [entry.ipAddress, entry.cost]));
  const ourIps = new Set(live.map((row) => row.ip_address));
  return {
    adopt,
    forget,
    remove: live.filter((row) => !chosenCost.has(row.ip_address)),
    create: chosen.filter((entry) => !ourIps.has(entry.ipAddress)),
    keep: live
      .filter((row) => chosenCost.has(row.ip_address))
      .map((row) => ({ row, cost: chosenCost.get(row.ip_address)! })),
    others: othersIps.size,
    leftOut: candidates.length - chosen.length,
  };
}
