import type { Insertable, Selectable } from 'kysely';
import type { BatchColumn } from '../../storage/dialect-adapter.ts';
import type { ClickStatus } from '../../detection/index.ts';
import type { ClickAction, CostSource } from './click.enums.ts';

export type { ClickAction };

export interface ClickTable {
  /** `clk_` + 22 base62: the credential a postback presents, so it is random, not sequential. */
  id: string;
  user_id: number;
  campaign_id: number;
  created_at: number;
  ip: string;
  country: string | null;
  region: string | null;
  city: string | null;
  asn: number | null;
  as_org: string | null;
  device: string;
  os: string | null;
  browser: string | null;
  user_agent: string;
  referrer: string | null;
  /** JSON object of the incoming query parameters. */
  query: string;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  sub6: string | null;
  sub7: string | null;
  sub8: string | null;
  sub9: string | null;
  sub10: string | null;
  /** The ad platform's own click id (gclid, fbclid, ttclid, msclkid, …), for refund claims. */
  platform_click_id: string | null;
  /** The campaign's traffic source's own click id (the value of its click_id_param), for postbacks to it. */
  external_id: string | null;
  /** The zone / placement / site id the traffic source passed in its placement_param. */
  placement: string | null;
  /**
   * What the network charged for this click (cost_param), or the campaign's per-click model when the
   * parameter was missing or bad; null without a cost_param, and for CPA / revshare campaigns unless
   * the parameter priced the click (their cost is per conversion). click-cost.ts decides.
   */
  cost: number | null;
  cost_source: CostSource | null;
  status: ClickStatus;
  is_bot: number;
  is_vpn: number;
  is_verified_bot: number;
  /** 0 for a duplicate (same IP and user agent on this campaign within the window). */
  is_unique: number;
  /** JSON array in precedence order. */
  fraud_types: string;
  primary_fraud_type: string | null;
  fraud_score: number;
  /** JSON array of { type, message }. */
  reasons: string;
  action: ClickAction;
  /** Short hash of IP + user agent, so detection windows can be rebuilt after a restart. */
  visitor_hash: string;
  /** 1 when the query, a sub id, the referrer or the user agent was cut to its stored bound (click-row.ts). */
  truncated: number;
  /** The flow's rule the click matched ('default' for the flow's default paths); null without a flow. */
  rule: string | null;
  /** 1-based index of the path within its rule's paths. */
  path: number | null;
  lander_id: number | null;
  /** The offer the click is attributed to: chosen by the path's weights, or the lander link followed. */
  offer_id: number | null;
  /** When the visitor first followed a lander link (PUBLIC_URL/lp/{clickid}). */
  lp_clicked_at: number | null;
  /** The first Accept-Language entry's primary tag, lower-cased ("de-AT,de;q=0.9" → "de"); null when none. */
  language: string | null;
}

export type ClickRow = Selectable<ClickTable>;
export type NewClickRow = Insertable<ClickTable>;

/** Every column with its PostgreSQL type, for the batch insert; `satisfies` keeps it complete. */
const CLICK_COLUMN_TYPES = {
  id: 'text',
  user_id: 'bigint',
  campaign_id: 'bigint',
  created_at: 'bigint',
  ip: 'text',
  country: 'text',
  region: 'text',
  city: 'text',
  asn: 'bigint',
  as_org: 'text',
  device: 'text',
  os: 'text',
  browser: 'text',
  user_agent: 'text',
  referrer: 'text',
  query: 'text',
  sub1: 'text',
  sub2: 'text',
  sub3: 'text',
  sub4: 'text',
  sub5: 'text',
  sub6: 'text',
  sub7: 'text',
  sub8: 'text',
  sub9: 'text',
  sub10: 'text',
  platform_click_id: 'text',
  external_id: 'text',
  placement: 'text',
  cost: 'double precision',
  cost_source: 'text',
  status: 'text',
  is_bot: 'smallint',
  is_vpn: 'smallint',
  is_verified_bot: 'smallint',
  is_unique: 'smallint',
  fraud_types: 'text',
  primary_fraud_type: 'text',
  fraud_score: 'smallint',
  reasons: 'text',
  action: 'text',
  visitor_hash: 'text',
  truncated: 'smallint',
  rule: 'text',
  path: 'smallint',
  lander_id: 'bigint',
  offer_id: 'bigint',
  lp_clicked_at: 'bigint',
  language: 'text',
} as const satisfies Record<keyof ClickTable, BatchColumn['pgType']>;

export const CLICK_COLUMNS: readonly BatchColumn[] = Object.entries(CLICK_COLUMN_TYPES).map(([name, pgType]) => ({
  name,
  pgType,
}));
