import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { OfferStatus } from './flow.enums.ts';

export interface OfferTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** A destination template: the same macros as a campaign's destination_url. */
  url: string;
  /** What a conversion of this offer is worth when its postback names no payout. */
  payout: number;
  affiliate_network: string | null;
  status: OfferStatus;
  created_at: number;
  updated_at: number;
}

export type OfferRow = Selectable<OfferTable>;
export type NewOfferRow = Insertable<OfferTable>;
export type OfferUpdate = Updateable<OfferTable>;
