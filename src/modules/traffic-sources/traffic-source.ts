import type { Static } from 'typebox';
import type { TrafficSourceSchema } from '../../schemas/traffic-source.ts';
import type { ConversionStatus } from '../conversions/conversion.enums.ts';
import type { Platform, TrafficSourceRow } from './traffic-source.table.ts';

/** The parameter each platform appends to the landing URL when auto-tagging is on. */
export const DEFAULT_CLICK_ID_PARAM: Readonly<Record<Platform, string>> = {
  google: 'gclid',
  meta: 'fbclid',
  tiktok: 'ttclid',
  microsoft: 'msclkid',
  other: 'clickid',
};

export const DEFAULT_POSTBACK_STATUSES: readonly ConversionStatus[] = ['approved'];

export type TrafficSource = Static<typeof TrafficSourceSchema>;

export function toTrafficSource(row: TrafficSourceRow): TrafficSource {
  return {
    id: row.id,
    name: row.name,
    platform: row.platform,
    click_id_param: row.click_id_param,
    cost_param: row.cost_param,
    placement_param: row.placement_param,
    postback_url: row.postback_url,
    postback_statuses: JSON.parse(row.postback_statuses) as ConversionStatus[],
    postback_fraudulent: Number(row.postback_fraudulent) === 1,
    template: row.template as TrafficSource['template'],
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
