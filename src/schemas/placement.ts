import { Type } from 'typebox';
import { DateString, Nullable, PageQuery } from './common.ts';
import { SORT_ORDERS } from '../modules/stats/stats.enums.ts';
import {
  DEFAULT_EXCLUSION_MAX_FRAUD_RATE,
  DEFAULT_EXCLUSION_MIN_CLICKS,
  PLACEMENT_EXCLUSION_FORMATS,
  PLACEMENT_SORTS,
} from '../modules/traffic-sources/placement.enums.ts';

const Money = Type.Number({ description: 'Rounded to 2 decimals' });
const Percent = Type.Number({ description: 'Percent, rounded to 2 decimals' });

/** Inclusive UTC days (default: the last 30 days); placement figures come from daily rollups. */
const range = {
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
};

export const PlacementsQuery = Type.Object(
  {
    ...range,
    ...PageQuery,
    sort: Type.Optional(Type.Enum(PLACEMENT_SORTS, { description: 'Column to sort by (default clicks)' })),
    order: Type.Optional(Type.Enum(SORT_ORDERS, { description: 'Default desc; asc for placement' })),
  },
  { additionalProperties: false },
);

export const PlacementExclusionsQuery = Type.Object(
  {
    ...range,
    max_fraud_rate: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100,
        description: `Percent: placements with a fraud rate above it are listed (default ${DEFAULT_EXCLUSION_MAX_FRAUD_RATE})`,
      }),
    ),
    min_clicks: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000_000,
        description: `Placements with fewer clicks are not judged (default ${DEFAULT_EXCLUSION_MIN_CLICKS})`,
      }),
    ),
    format: Type.Optional(
      Type.Enum(PLACEMENT_EXCLUSION_FORMATS, {
        description: "text: one placement per line (text/plain), ready for the network's blacklist; default json",
      }),
    ),
  },
  { additionalProperties: false },
);

export const PlacementSchema = Type.Object({
  placement: Nullable(
    Type.String({ description: "The placement as the network sent it; null for the source's clicks without one" }),
  ),
  clicks: Type.Integer(),
  fraudulent_clicks: Type.Integer(),
  fraud_rate: Percent,
  conversions: Type.Integer(),
  cr: Percent,
  revenue: Money,
  cost: Money,
  profit: Money,
  roi: Percent,
});
