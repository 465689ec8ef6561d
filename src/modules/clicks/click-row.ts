import { primaryLanguage } from './flow-visit.ts';
import type { FraudType, Reason, StoredVerdict, Verdict, VerdictChange } from '../../detection/index.ts';
import type { IpInfo } from '../../intel/ip-intel.ts';
import type { Device } from '../../intel/user-agent.ts';
import type { TrackedCampaign } from '../campaigns/campaign-cache.ts';
import type { ClickAction, ClickRow, NewClickRow } from './click.table.ts';
import type { Visitor } from '../../detection/visitor.ts';
import { MAX_USER_AGENT_LENGTH, truncate as cut } from './visitor.ts';
import { sourceColumns } from './source-columns.ts';
import { clickCost } from './click-cost.ts';
import type { FlowRoute } from '../flows/flow-router.ts';
import { SUB_ID_NAMES } from './click.enums.ts';

/** Query parameters in which ad platforms pass their own click id, in the order we prefer them. */
export const PLATFORM_CLICK_ID_PARAMS = ['gclid', 'wbraid', 'gbraid', 'fbclid', 'ttclid', 'msclkid'] as const;

/**
 * What one stored click may hold of what its visitor sent (security finding 7: thousands of clicks
 * padded to ~15 KB each filled the database). Detection and the destination's macros still see the
 * request as Visitor bounded it; only the stored row is cut, and then says so (`truncated` = 1).
 */
export const STORED_LIMITS = Object.freeze({
  /** The query parameters as stored JSON: parameters that do not fit are left out, in their order. */
  queryChars: 2_048,
  /** Each stored parameter value, sub id (sub1…sub10), platform click id, network click id and placement. */
  valueChars: 255,
  referrerChars: 1_024,
  /** Visitor already cuts the user agent here; one that reaches it is flagged as cut. */
  userAgentChars: MAX_USER_AGENT_LENGTH,
});

/** Whether every value fits a stored value as it is (a loop: no array of values per click). */
function valuesFit(query: Readonly<Record<string, string>>): boolean {
  for (const name in query) if (query[name]!.length > STORED_LIMITS.valueChars) return false;
  return true;
}

/** The query as stored: the whole JSON when it fits (nearly every click), else as much as fits, each value cut. */
function storedQuery(query: Readonly<Record<string, string>>): { json: string; cut: boolean } {
  const json = JSON.stringify(query);
  if (json.length <= STORED_LIMITS.queryChars && valuesFit(query)) return { json, cut: false };
  const kept: Record<string, string> = {};
  // "{}" plus, per parameter, its JSON pair and a comma.
  let length = 2;
  for (const [name, value] of Object.entries(query)) {
    const stored = cut(value, STORED_LIMITS.valueChars);
    const pair = JSON.stringify(name).length + 1 + JSON.stringify(stored).length + (length > 2 ? 1 : 0);
    if (length + pair > STORED_LIMITS.queryChars) continue;
    length += pair;
    kept[name] = stored;
  }
  return { json: JSON.stringify(kept), cut: true };
}

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
  /** Where the campaign's flow sent the click; absent without a flow or when the click was refused. */
  readonly route?: FlowRoute | null;
}

export function toClickRow(facts: ClickFacts): NewClickRow {
  const { visitor, verdict, ip, device } = facts;
  const query = visitor.query;
  const platformParam = PLATFORM_CLICK_ID_PARAMS.find((name) => query[name] !== undefined);
  let truncated = false;
  const bounded = (value: string | undefined, max: number = STORED_LIMITS.valueChars): string | null => {
    if (value === undefined) return null;
    if (value.length <= max) return value;
    truncated = true;
    return cut(value, max);
  };
  const storedQueryJson = storedQuery(query);
  if (storedQueryJson.cut) truncated = true;
  const referrer = visitor.referrer === null ? null : bounded(visitor.referrer, STORED_LIMITS.referrerChars);
  if (visitor.userAgent.length >= STORED_LIMITS.userAgentChars) truncated = true;
  const subs = SUB_ID_NAMES.map((name) => bounded(query[name]));
  const platformClickId = platformParam ? bounded(query[platformParam]) : null;
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
    user_agent: cut(visitor.userAgent, STORED_LIMITS.userAgentChars),
    referrer,
    query: storedQueryJson.json,
    sub1: subs[0]!,
    sub2: subs[1]!,
    sub3: subs[2]!,
    sub4: subs[3]!,
    sub5: subs[4]!,
    sub6: subs[5]!,
    sub7: subs[6]!,
    sub8: subs[7]!,
    sub9: subs[8]!,
    sub10: subs[9]!,
    platform_click_id: platformClickId,
    // The same bound as the sub ids: a cut network click id or placement marks the row as cut too.
    ...sourceColumns(facts.campaign.source, query, (value) => bounded(value)!),
    ...clickCost(facts.campaign, query),
    ...verdictColumns(verdict),
    is_unique: verdict.fraudTypes.includes('duplicate') ? 0 : 1,
    action: facts.action,
    visitor_hash: facts.visitorHash,
    truncated: truncated ? 1 : 0,
    rule: facts.route?.rule ?? null,
    path: facts.route?.path ?? null,
    lander_id: facts.route?.lander?.id ?? null,
    offer_id: facts.route?.offer.id ?? null,
    lp_clicked_at: null,
    language: primaryLanguage(visitor.headers['accept-language']),
    beacon: null,
  };
}

export type VerdictColumns = Pick<
  ClickRow,
  'status' | 'is_bot' | 'is_vpn' | 'is_verified_bot' | 'fraud_types' | 'primary_fraud_type' | 'fraud_score' | 'reasons'
>;

/** The columns a verdict decides; a late finding or a late verification rewrites the same ones. */
export function verdictColumns(verdict: VerdictChange): VerdictColumns {
  return {
    status: verdict.status,
    is_bot: verdict.isBot ? 1 : 0,
    is_vpn: verdict.isVpn ? 1 : 0,
    is_verified_bot: verdict.isVerifiedBot ? 1 : 0,
    // Most clicks have neither: their '[]' is written without a JSON pass.
    fraud_types: verdict.fraudTypes.length === 0 ? '[]' : JSON.stringify(verdict.fraudTypes),
    primary_fraud_type: verdict.primaryFraudType,
    fraud_score: verdict.fraudScore,
    reasons: verdict.reasons.length === 0 ? '[]' : JSON.stringify(verdict.reasons),
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
