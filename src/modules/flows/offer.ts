import type { Static } from 'typebox';
import type { OfferSchema } from '../../schemas/offer.ts';
import type { OfferRow } from './offer.table.ts';

export type Offer = Static<typeof OfferSchema>;

export function toOffer(row: OfferRow): Offer {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    payout: Number(row.payout),
    affiliate_network: row.affiliate_network,
    status: row.status,
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  };
}
