import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CampaignStatus, CostModel, FraudAction } from './campaign.enums.ts';

export type { CampaignStatus, CostModel, FraudAction };

export interface CampaignTable {
  id: Generated<number>;
  user_id: number;
  uuid: string;
  name: string;
  status: CampaignStatus;
  traffic_source_id: number | null;
  cost_model: CostModel;
  cost_value: number;
  destination_url: string | null;
  /** JSON arrays of strings: the same text column on every dialect keeps one set of queries. */
  allowed_countries: string;
  blocked_countries: string;
  allowed_devices: string;
  ip_blocklist: string;
  fraud_action: FraudAction;
  blocked_fraud_types: string;
  /** 0/1: more than one counted conversion per click (rebills); off by default, against forged postbacks. */
  allow_repeat_conversions: number;
  /** 1: a click whose page sent no beacon within the hour is fraud (`bot`), not just shown as missing. */
  require_beacon: number;
  /** JSON of the campaign's flow (modules/flows/flow.ts); null: the campaign sends everyone to destination_url. */
  flow: string | null;
  /** Seconds: a conversion sooner than this after its click is a suspicious (fake) lead (SPEC section 10). */
  min_time_to_convert: Generated<number>;
  /** The Google Ads campaign (digits) that receives this campaign's IP exclusions; null: none. */
  google_ads_campaign_id: string | null;
  created_at: number;
  updated_at: number;
  /** Soft delete: the campaign disappears from the API, its past money stays in account totals. */
  deleted_at: number | null;
}

export type CampaignRow = Selectable<CampaignTable>;
export type NewCampaignRow = Insertable<CampaignTable>;
export type CampaignUpdate = Updateable<CampaignTable>;
