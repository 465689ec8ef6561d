import type { Platform, TrafficSourceRow } from './traffic-source.table.ts';

export const PLATFORMS: readonly Platform[] = ['google', 'meta', 'tiktok', 'microsoft', 'other'];

/** The parameter each platform appends to the landing URL when auto-tagging is on. */
export const DEFAULT_CLICK_ID_PARAM: Readonly<Record<Platform, string>> = {
  google: 'gclid',
  meta: 'fbclid',
  tiktok: 'ttclid',
  microsoft: 'msclkid',
  other: 'clickid',
};

export interface TrafficSource {
  id: number;
  name: string;
  platform: Platform;
  click_id_param: string;
  created_at: string;
  updated_at: string;
}

export function toTrafficSource(row: TrafficSourceRow): TrafficSource {
  return {
    id: row.id,
    name: row.name,
    platform: row.platform,
    click_id_param: row.click_id_param,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
