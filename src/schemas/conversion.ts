import { Type } from 'typebox';
import { CONVERSION_STATUSES, EVENT_PATTERN } from '../modules/conversions/conversion.enums.ts';
import { DateString, ListFormatSchema, Nullable, PageQuery, Timestamp } from './common.ts';

export const ConversionStatusSchema = Type.Enum(CONVERSION_STATUSES);

// Control characters are never part of a real id, and PostgreSQL refuses NUL in text outright.
const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001F\\u007F]+$';
const clickId = Type.String({ minLength: 1, maxLength: 64, description: 'CloakRadar click ID (clk_…)' });
const transactionId = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: NO_CONTROL_CHARACTERS,
  description: 'External transaction ID: the same one again updates the conversion instead of adding one',
});

/** SPEC section 7: lead, sale, deposit, … any lowercase name; a click converts once per event. */
const event = Type.String({
  pattern: `^${EVENT_PATTERN}$`,
  maxLength: 32,
  description: 'What converted: lowercase letters, digits and _ (1-32), e.g. lead, sale, deposit. Default: conversion',
});

export const ConversionSchema = Type.Object({
  id: Type.Integer(),
  click_id: Type.String(),
  campaign_id: Type.Integer(),
  payout: Type.Number(),
  transaction_id: Nullable(Type.String()),
  status: ConversionStatusSchema,
  event: Type.String({ description: 'What converted (lead, sale, …); conversion when none was given' }),
  suspicious: Type.Boolean({
    description:
      "Flagged for review: its click carries a fraud type other than duplicate, it came sooner after the click than the campaign's min_time_to_convert, or its payout is more than 10× the campaign's typical one. It still counts, like any approved or pending conversion, and is not sent to the traffic source unless the source sets postback_fraudulent",
  }),
  suspicious_reasons: Type.Array(Type.String(), {
    description: 'Why it is flagged, one sentence each ("Converted 1.2 s after the click (minimum 3 s)"); empty when clean',
  }),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const ConversionCreate = Type.Object(
  {
    click_id: clickId,
    payout: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1_000_000_000, description: 'Conversion payout (default 0)' }),
    ),
    transaction_id: Type.Optional(transactionId),
    status: Type.Optional(ConversionStatusSchema),
    event: Type.Optional(event),
  },
  { additionalProperties: false },
);

export const ConversionListQuery = Type.Object(
  {
    ...PageQuery,
    campaign_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    status: Type.Optional(ConversionStatusSchema),
    suspicious: Type.Optional(
      Type.Boolean({ description: 'true: only suspicious conversions (fake leads, odd payouts); false: only clean ones' }),
    ),
    format: Type.Optional(ListFormatSchema),
  },
  { additionalProperties: false },
);

/**
 * Extra parameters are allowed and ignored: networks append macros of their own (offer id, affiliate
 * id, …) that users paste along, and refusing them would lose the conversion.
 */
export const PostbackQuery = Type.Object(
  {
    clickid: clickId,
    payout: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,10}(\\.[0-9]{1,10})?$',
        description: 'Payout as a decimal number (45 or 45.00)',
      }),
    ),
    txid: Type.Optional(transactionId),
    status: Type.Optional(ConversionStatusSchema),
    event: Type.Optional(event),
    token: Type.Optional(
      Type.String({ maxLength: 200, description: "The account's postback token, when it has set one" }),
    ),
  },
  { additionalProperties: true },
);

export const PostbackTokenSchema = Type.Object({
  postback_token: Type.String({
    description: 'Add as &token=… to every postback URL. Shown once: only its hash is stored',
  }),
});
