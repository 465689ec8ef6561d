import { Type } from 'typebox';
import { OFFER_STATUSES } from '../modules/flows/flow.enums.ts';
import { Nullable, PageQuery, Timestamp } from './common.ts';

export const OfferStatusSchema = Type.Enum(OFFER_STATUSES);

export const OfferSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String(),
  payout: Type.Number(),
  affiliate_network: Nullable(Type.String()),
  status: OfferStatusSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'http(s) URL; the macros of a destination_url ({clickid} {campaign_id} {country} {device} {sub1}…)',
  }),
  payout: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Used when a conversion comes without a payout' }),
  affiliate_network: Nullable(Type.String({ maxLength: 200 })),
  status: OfferStatusSchema,
};

export const OfferCreate = Type.Object(
  {
    name: fields.name,
    url: fields.url,
    payout: Type.Optional(fields.payout),
    affiliate_network: Type.Optional(fields.affiliate_network),
    status: Type.Optional(fields.status),
  },
  { additionalProperties: false },
);

export const OfferUpdate = Type.Partial(OfferCreate, { additionalProperties: false, minProperties: 1 });

export const OfferListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(OfferStatusSchema) },
  { additionalProperties: false },
);
