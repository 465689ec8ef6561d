import type { Static } from 'typebox';
import type { FraudType } from '../../detection/index.ts';
import type { FraudReportSchema, FraudReportSummarySchema } from '../../schemas/fraud-report.ts';
import type { CostModel } from '../campaigns/campaign.table.ts';
import type { AdPlatform, FraudReportRow } from './fraud-report.table.ts';
import type { IpExclusionList } from './ip-exclusions.ts';

/** The CSV names the platform's click id as the platform itself does, so a refund claim can be pasted as it is. */
export const PLATFORM_CLICK_ID_COLUMN: Readonly<Record<AdPlatform, string>> = {
  google: 'gclid',
  meta: 'fbclid',
  tiktok: 'ttclid',
  microsoft: 'msclkid',
};

export type FraudTypeCounts = Record<FraudType, number>;
export type FraudReportSummary = Static<typeof FraudReportSummarySchema>;
export type FraudReport = Static<typeof FraudReportSchema>;

/**
 * What one click costs under a cost model (SPEC §3): cpc is charged per click, cpm per thousand
 * impressions-turned-clicks; cpa and revshare charge for conversions, so a fraudulent click costs nothing.
 */
export function costPerClick(model: CostModel, value: number): number {
  if (model === 'cpc') return value;
  if (model === 'cpm') return value / 1000;
  return 0;
}

/**
 * What one fraudulent click cost: its own price when its traffic source sent one (cost_source
 * `param`, SPEC section 7), else `modelCost` (costPerClick of the report's campaign).
 */
export function clickCost(click: { cost_source: string | null; cost: number | null }, modelCost: number): number {
  return click.cost_source === 'param' && click.cost !== null ? click.cost : modelCost;
}

export function toFraudReport(row: FraudReportRow): FraudReport {
  return {
    id: row.id,
    campaign_id: row.campaign_id,
    platform: row.platform,
    from: row.from_day,
    to: row.to_day,
    status: row.status,
    error: row.error,
    created_at: new Date(row.created_at).toISOString(),
    completed_at: row.completed_at === null ? null : new Date(row.completed_at).toISOString(),
    summary: row.status === 'ready' && row.summary ? (JSON.parse(row.summary) as FraudReportSummary) : null,
  };
}

export function exclusionsOf(row: FraudReportRow): IpExclusionList | null {
  return row.ip_exclusions ? (JSON.parse(row.ip_exclusions) as IpExclusionList) : null;
}
