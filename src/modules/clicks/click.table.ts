import type { Insertable, Selectable } from 'kysely';

export type ClickAction = 'redirected' | 'blocked';

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
  /** The ad platform's own click id (gclid, fbclid, ttclid, msclkid, …), for refund claims. */
  platform_click_id: string | null;
  status: 'real' | 'bot' | 'vpn' | 'cloaked';
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
}

export type ClickRow = Selectable<ClickTable>;
export type NewClickRow = Insertable<ClickTable>;
