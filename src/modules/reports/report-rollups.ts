import { STORED_DIMENSIONS, TOTAL, type StoredDimension } from '../stats/dimensions.ts';
import { DAY } from '../stats/periods.ts';
import type { RollupSum, RollupSumsRequest } from '../stats/stats.service.ts';
import type { Zone } from '../stats/time-zone.ts';
import { CAMPAIGN_LEVEL, isTimeDimension, type ReportSpec } from './report-query.ts';
import { localTime } from './report-clicks.ts';
import type { GroupValues } from './report-rows.ts';
import type { ReportDimension } from './report.enums.ts';

/** Dimensions whose values the rollups keep per campaign and UTC day (stats/dimensions.ts), under the same name. */
const ROLLED_UP = new Set<string>([...STORED_DIMENSIONS, 'event'].filter((name) => name !== 'referrer'));

/** Local days and weekdays: read from UTC days where the zone's days are UTC days (zoneDaysAreUtc). */
const DAY_LEVEL = new Set<ReportDimension>(['day', 'weekday']);

/** Whether every day of the day-aligned range starts at midnight UTC in the zone (UTC, or an offset of 0 throughout). */
function zoneDaysAreUtc(range: { from: number; to: number; zone: Zone }): boolean {
  if (range.from % DAY !== 0 || range.to % DAY !== 0) return false;
  for (let day = range.from; day < range.to; day += DAY) if (localTime(range.zone, day).hour !== 0) return false;
  return true;
}

/**
 * The rollup read that answers a report exactly, if one does: campaign and traffic source (each a set
 * of campaigns) with at most one other dimension that the rollups keep, or one such dimension and a
 * local day or weekday, and no filter but on the dimensions grouped by. Stored dimensions are daily
 * (UTC), so they serve only a range of whole UTC days; the time dimensions come from hours, in any zone,
 * or from the UTC days' rows (`daily`, 24 times fewer rows) when the zone's days are UTC days and no hour
 * is shown or filtered. A dimension per day needs those day rows. Everything else is read from the
 * clicks (report-clicks.ts).
 */
export function rollupPlan(
  spec: ReportSpec,
  range: { from: number; to: number; zone: Zone },
): Omit<RollupSumsRequest, 'campaignIds' | 'from' | 'to'> | undefined {
  const others = spec.groupBy.filter((dimension) => !CAMPAIGN_LEVEL.has(dimension));
  const times = others.filter(isTimeDimension);
  const stored = others.filter((dimension) => !isTimeDimension(dimension));
  if (times.length > 1 || stored.length > 1) return undefined;
  for (const dimension of spec.filters.keys())
    if (!CAMPAIGN_LEVEL.has(dimension) && !others.includes(dimension)) return undefined;
  const perCampaign = spec.groupBy.some((dimension) => CAMPAIGN_LEVEL.has(dimension));
  const time = times[0];
  const other = stored[0];
  const daily = time !== undefined && DAY_LEVEL.has(time) && zoneDaysAreUtc(range);
  if (other === undefined) {
    if (time === undefined) return { by: TOTAL, perCampaign };
    return daily ? { by: 'hour', perCampaign, daily } : { by: 'hour', perCampaign };
  }
  if (!ROLLED_UP.has(other) || range.from % DAY !== 0 || range.to % DAY !== 0) return undefined;
  // A value per hour is not kept (hours are the totals' only): a value per local day needs UTC days.
  if (time !== undefined && !daily) return undefined;
  return { by: other as StoredDimension | 'event', perCampaign, ...(daily ? { daily } : {}) };
}

const ID_VALUED = new Set<ReportDimension>(['offer', 'lander']);

/** A rollup sum's values, in the form report rows carry them. */
export function valuesOfRollup(
  sum: RollupSum,
  plan: Pick<RollupSumsRequest, 'by' | 'daily'>,
  spec: ReportSpec,
  zone: Zone,
  sourceOf: (campaignId: number) => number | null,
): GroupValues {
  const values: GroupValues = { campaign: sum.campaignId, traffic_source: sourceOf(sum.campaignId) };
  if (plan.by === 'hour') return { ...values, ...localTime(zone, Number(sum.key)) };
  if (plan.by === TOTAL) return values;
  const dimension = spec.groupBy.find((name) => !CAMPAIGN_LEVEL.has(name) && !isTimeDimension(name));
  const timed = plan.daily ? { ...values, ...localTime(zone, sum.day) } : values;
  if (dimension === undefined) return timed;
  timed[dimension] = sum.key === '' ? null : ID_VALUED.has(dimension) ? Number(sum.key) : sum.key;
  return timed;
}
