import type { FraudType, Reason, StoredVerdict, Verdict, VerdictChange } from '../../detection/index.ts';
import type { IpInfo } from '../../intel/ip-intel.ts';
import type { Device } from '../../intel/user-agent.ts';
import type { TrackedCampaign } from '../campaigns/campaign-cache.ts';
import type { ClickAction, ClickRow, NewClickRow } from './click.table.ts';
import type { Visitor } from '../../detection/visitor.ts';
import { sourceColumns } from './source-columns.ts';

/** Query parameters in which ad platforms pass their own click id, in the order we prefer them. */
export const PLATFORM_CLICK_ID_PARAMS = ['gclid', 'wbraid', 'gbraid', 'fbclid', 'ttclid', 'msclkid'] as const;

export interface ClickFacts {
  readonly id: string;
  readonly campaign: TrackedCampaign;
  readonly visitor: Visitor;
  readonly ip: IpInfo;
  readonly device: Device;
  readonly verdict: Verdict;
  readonly action: ClickAction;
  readonly visitorHash: string;
  readonly now: number;
}

export function toClickRow(facts: ClickFacts): NewClickRow {
  const { visitor, verdict, ip, device } = facts;
  const query = visitor.query;
  const platformParam = PLATFORM_CLICK_ID_PARAMS.find((name) => query[name] !== undefined);
  return {
    id: facts.id,
    user_id: facts.campaign.userId,
    campaign_id: facts.campaign.id,
    created_at: facts.now,
    ip: visitor.ip,
    country: ip.country,
    region: ip.region,
    city: ip.city,
    asn: ip.asn,
    as_org: ip.asOrg,
    device: device.device,
    os: device.os,
    browser: device.browser,
    user_agent: visitor.userAgent,
    referrer: visitor.referrer,
    query: JSON.stringify(query),
    sub1: query.sub1 ?? null,
    sub2: query.sub2 ?? null,
    sub3: query.sub3 ?? null,
    sub4: query.sub4 ?? null,
    sub5: query.sub5 ?? null,
    platform_click_id: platformParam ? (query[platformParam] ?? null) : null,
    ...sourceColumns(facts.campaign.source, query),
    ...verdictColumns(verdict),
    is_verified_bot: verdict.isVerifiedBot ? 1 : 0,
    is_unique: verdict.fraudTypes.includes('duplicate') ? 0 : 1,
    action: facts.action,
    visitor_hash: facts.visitorHash,
  };
}

export type VerdictColumns = Pick<
  ClickRow,
  'status' | 'is_bot' | 'is_vpn' | 'fraud_types' | 'primary_fraud_type' | 'fraud_score' | 'reasons'
>;

/** The columns a verdict decides; a late finding rewrites the same ones. */
export function verdictColumns(verdict: VerdictChange): VerdictColumns {
  return {
    status: verdict.status,
    is_bot: verdict.isBot ? 1 : 0,
    is_vpn: verdict.isVpn ? 1 : 0,
    fraud_types: JSON.stringify(verdict.fraudTypes),
    primary_fraud_type: verdict.primaryFraudType,
    fraud_score: verdict.fraudScore,
    reasons: JSON.stringify(verdict.reasons),
  };
}

/** A stored click's verdict, read back to add what its burst or farm revealed later. */
export function storedVerdictOf(
  row: Pick<ClickRow, 'status' | 'is_verified_bot' | 'fraud_types' | 'fraud_score' | 'reasons'>,
): StoredVerdict {
  return {
    status: row.status,
    isVerifiedBot: row.is_verified_bot === 1,
    fraudTypes: JSON.parse(row.fraud_types) as FraudType[],
    fraudScore: row.fraud_score,
    reasons: JSON.parse(row.reasons) as Reason[],
  };
}
