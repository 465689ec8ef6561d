import type { Static } from 'typebox';
import type { CostRangeSchema } from '../../schemas/campaign-cost.ts';
import type { CampaignCostDayRow } from './campaign-cost.table.ts';

const DAY = 86_400_000;
export type CostRange = Static<typeof CostRangeSchema>;

const date = (instant: number) => new Date(instant).toISOString().slice(0, 10);
/** Amounts are spread over days as fractions; what is shown is to the cent. */
const cents = (value: number) => Math.round((value + Number.EPSILON) * 100) / 100;

/**
 * One campaign's days, in day order, as the ranges in effect: consecutive days set by the same request
 * form one range. A range partly replaced by a later one shows the days it still holds and their amount.
 */
export function toCostRanges(
  days: readonly Pick<CampaignCostDayRow, 'day' | 'amount' | 'range_from' | 'range_to' | 'range_amount' | 'set_at'>[],
): CostRange[] {
  const ranges: CostRange[] = [];
  let open: { first: number; last: number; amount: number; row: (typeof days)[number] } | undefined;
  const close = () => {
    if (!open) return;
    const { first, last, amount, row } = open;
    ranges.push({
      from: date(first),
      to: date(last),
      amount: cents(amount),
      days: Math.round((last - first) / DAY) + 1,
      set_as: { from: date(row.range_from), to: date(row.range_to - DAY), amount: row.range_amount },
      set_at: new Date(row.set_at).toISOString(),
    });
  };
  for (const row of days) {
    const continues =
      open && open.row.set_at === row.set_at && open.row.range_from === row.range_from && open.last + DAY === row.day;
    if (open && continues) {
      open.last = row.day;
      open.amount += row.amount;
      continue;
    }
    close();
    open = { first: row.day, last: row.day, amount: row.amount, row };
  }
  close();
  return ranges;
}
