import type { CampaignRow, CampaignStatus, CostModel, FraudAction } from './campaign.table.ts';

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['active', 'paused', 'inactive'];
export const COST_MODELS: readonly CostModel[] = ['cpc', 'cpm', 'cpa', 'revshare'];
export const FRAUD_ACTIONS: readonly FraudAction[] = ['monitor', 'block'];
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'tv', 'console', 'wearable', 'other'] as const;
export const BLOCKABLE_FRAUD_TYPES = ['bot', 'rapid_fire', 'click_farm', 'datacenter', 'vpn', 'duplicate'] as const;
/** A person who clicks twice is still a person: blocking duplicates is opt-in. */
export const DEFAULT_BLOCKED_FRAUD_TYPES = ['bot', 'rapid_fire', 'click_farm', 'datacenter', 'vpn'] as const;

export interface Campaign {
  id: number;
  uuid: string;
  name: string;
  status: CampaignStatus;
  traffic_source_id: number | null;
  cost_model: CostModel;
  cost_value: number;
  destination_url: string | null;
  tracking_url: string;
  allowed_countries: string[];
  blocked_countries: string[];
  allowed_devices: string[];
  ip_blocklist: string[];
  fraud_action: FraudAction;
  blocked_fraud_types: string[];
  allow_repeat_conversions: boolean;
  clicks_today: number;
  conversions_today: number;
  created_at: string;
  updated_at: string;
}

export interface TodayCounts {
  clicks: number;
  conversions: number;
}

export function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function toCampaign(row: CampaignRow, publicUrl: string, today: TodayCounts | undefined): Campaign {
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
    allowed_countries: parseList(row.allowed_countries),
    blocked_countries: parseList(row.blocked_countries),
    allowed_devices: parseList(row.allowed_devices),
    ip_blocklist: parseList(row.ip_blocklist),
    fraud_action: row.fraud_action,
    blocked_fraud_types: parseList(row.blocked_fraud_types),
    allow_repeat_conversions: row.allow_repeat_conversions === 1,
    clicks_today: today?.clicks ?? 0,
    conversions_today: today?.conversions ?? 0,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
