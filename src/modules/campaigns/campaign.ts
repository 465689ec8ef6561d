import type { Static } from 'typebox';
import { FRAUD_TYPE_ORDER, type FraudType } from '../../detection/index.ts';
import type { CampaignSchema } from '../../schemas/campaign.ts';
import type { CampaignRow } from './campaign.table.ts';
import type { Flow } from '../flows/flow.ts';

/** A person who clicks twice is still a person: blocking duplicates is opt-in. */
export const DEFAULT_BLOCKED_FRAUD_TYPES: readonly FraudType[] = FRAUD_TYPE_ORDER.filter(
  (type) => type !== 'duplicate',
);

export type Campaign = Static<typeof CampaignSchema>;

export interface TodayCounts {
  clicks: number;
  conversions: number;
}

export function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * `sourceQuery`: the campaign's traffic source's part of its URL (`?visitor_id=${SUBID}&…`), undefined
 * when it has no source.
 */
export function toCampaign(
  row: CampaignRow,
  publicUrl: string,
  today: TodayCounts | undefined,
  sourceQuery?: string,
): Campaign {
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    status: row.status,
    traffic_source_id: row.traffic_source_id,
    cost_model: row.cost_model,
    cost_value: row.cost_value,
    destination_url: row.destination_url,
    tracking_url: `${publicUrl}/c/${row.uuid}`,
    tracking_url_for_source:
      row.traffic_source_id !== null && sourceQuery !== undefined ? `${publicUrl}/c/${row.uuid}${sourceQuery}` : null,
    allowed_countries: parseList(row.allowed_countries),
    blocked_countries: parseList(row.blocked_countries),
    allowed_devices: parseList(row.allowed_devices),
    ip_blocklist: parseList(row.ip_blocklist),
    fraud_action: row.fraud_action,
    blocked_fraud_types: parseList(row.blocked_fraud_types),
    allow_repeat_conversions: row.allow_repeat_conversions === 1,
    min_time_to_convert: row.min_time_to_convert,
    require_beacon: row.require_beacon === 1,
    flow: row.flow === null ? null : (JSON.parse(row.flow) as Flow),
    google_ads_campaign_id: row.google_ads_campaign_id,
    clicks_today: today?.clicks ?? 0,
    conversions_today: today?.conversions ?? 0,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
