import { Type } from 'typebox';
import { DateString, Timestamp } from './common.ts';
import { MAX_COST_AMOUNT } from '../modules/campaign-costs/campaign-cost-limits.ts';

export const CostRangeBody = Type.Object(
  {
    from: DateString,
    to: DateString,
    amount: Type.Number({
      minimum: 0,
      maximum: MAX_COST_AMOUNT,
      description:
        "The campaign's total spend for the range (whole UTC days, inclusive), e.g. from the network's dashboard",
    }),
  },
  { additionalProperties: false },
);

export const CostRangeSchema = Type.Object({
  from: DateString,
  to: DateString,
  amount: Type.Number({ description: 'The spend of these days (rounded to 2 decimals)' }),
  days: Type.Integer(),
  set_as: Type.Object(
    { from: DateString, to: DateString, amount: Type.Number() },
    { description: 'The range as it was set; a later overlapping range replaced the days not listed here' },
  ),
  set_at: Timestamp,
});
