import type { Static } from 'typebox';
import type { PlacementSchema } from '../../schemas/placement.ts';
import { addCounters, round2 } from '../stats/formulas.ts';
import type { CostedValue } from '../stats/stats.service.ts';
import type { PlacementSort } from './placement.enums.ts';

export type Placement = Static<typeof PlacementSchema>;

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part / whole) * 100);

/** One row of the placement report from a value's summed counters and cost ('' is "no placement": null). */
export function toPlacement({ value, counters, cost }: CostedValue): Placement {
  const profit = counters.revenue - cost;
  return {
    placement: value === '' ? null : value,
    clicks: counters.clicks,
    fraudulent_clicks: counters.fraud_clicks,
    fraud_rate: round2(percent(counters.fraud_clicks, counters.clicks)),
    conversions: counters.conversions,
    cr: round2(percent(counters.conversions, counters.real_clicks)),
    revenue: round2(counters.revenue),
    cost: round2(cost),
    profit: round2(profit),
    roi: cost === 0 ? 0 : round2(percent(profit, cost)),
  };
}

/**
 * Sorted by a measure, ties by name so pages are stable; or by name, where the row without a placement
 * comes last in either order.
 */
export function sortPlacements(rows: Placement[], sort: PlacementSort, order: 'asc' | 'desc'): Placement[] {
  const direction = order === 'asc' ? 1 : -1;
  const byName = (a: Placement, b: Placement) =>
    a.placement === b.placement
      ? 0
      : a.placement === null
        ? 1
        : b.placement === null
          ? -1
          : a.placement < b.placement
            ? -1
            : 1;
  return rows.sort((a, b) => {
    if (sort === 'placement')
      return a.placement === null || b.placement === null ? byName(a, b) : byName(a, b) * direction;
    return (a[sort] - b[sort]) * direction || byName(a, b);
  });
}

export interface ExclusionThresholds {
  /** Placements with fewer clicks are left out: too few to judge. */
  minClicks: number;
  /** Percent; a placement is listed when its fraud rate is above it. */
  maxFraudRate: number;
}

/**
 * What goes on the network's blacklist line: the placement with CR and LF taken out, so a value sent
 * with a line break (the tracking URL carries whatever the network or a forger put there) cannot split
 * into two entries or smuggle a second one in.
 */
export function blacklistValue(placement: string): string {
  return placement.replace(/[\r\n]/g, '');
}

/**
 * The placements over the thresholds, worst first (most fraudulent clicks, then by name). Values that
 * read the same once cleaned are one entry on the network's side, so their figures are summed first.
 * The fraud rate is compared unrounded: 30.004 % is above 30. Clicks without a placement cannot be
 * blacklisted and are never listed.
 */
export function selectExclusions(costed: readonly CostedValue[], thresholds: ExclusionThresholds): Placement[] {
  const merged = new Map<string, CostedValue>();
  for (const entry of costed) {
    const value = entry.value === '' ? '' : blacklistValue(entry.value);
    if (value === '') continue;
    const seen = merged.get(value);
    if (seen) {
      addCounters(seen.counters, entry.counters);
      seen.cost += entry.cost;
    } else merged.set(value, { value, counters: { ...entry.counters }, cost: entry.cost });
  }
  const listed = [...merged.values()].filter(
    ({ counters }) =>
      counters.clicks >= thresholds.minClicks &&
      counters.fraud_clicks * 100 > thresholds.maxFraudRate * counters.clicks,
  );
  return sortPlacements(listed.map(toPlacement), 'fraudulent_clicks', 'desc');
}

/** The text form: one placement per line, each line ended by a newline; nothing at all when none is listed. */
export function exclusionText(rows: readonly Placement[]): string {
  return rows.map((row) => `${row.placement ?? ''}\n`).join('');
}
