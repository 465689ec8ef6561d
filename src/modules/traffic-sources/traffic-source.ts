import type { Static } from 'typebox';
import type { TrafficSourceSchema } from '../../schemas/traffic-source.ts';
import type { Platform, TrafficSourceRow } from './traffic-source.table.ts';

/** The parameter each platform appends to the landing URL when auto-tagging is on. */
export const DEFAULT_CLICK_ID_PARAM: Readonly<Record<Platform, string>> = {
  google: 'gclid',
  meta: 'fbclid',
  tiktok: 'ttclid',
  microsoft: 'msclkid',
  other: 'clickid',
};

export type TrafficSource = Static<typeof TrafficSourceSchema>;

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
