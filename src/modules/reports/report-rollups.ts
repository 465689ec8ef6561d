import { STORED_DIMENSIONS, TOTAL, type StoredDimension } from '../stats/dimensions.ts';
import { DAY } from '../stats/periods.ts';
import type { RollupSum, RollupSumsRequest } from '../stats/stats.service.ts';
import type { Zone } from '../stats/time-zone.ts';
import { isTimeDimension, type ReportSpec } from './report-query.ts';
import { localTime } from './report-clicks.ts';
import type { GroupValues } from './report-rows.ts';
import type { ReportDimension } from './report.enums.ts';

/** Dimensions whose values the rollups keep per campaign and UTC day (stats/dimensions.ts), under the same name. */
const ROLLED_UP = new Set<string>([...STORED_DIMENSIONS, 'event'].filter((name) => name !== 'referrer'));
/** Kept per campaign already: each campaign is a rollup key, and its traffic source follows from it. */
const CAMPAIGN_LEVEL = new Set<ReportDimension>(['campaign', 'traffic_source']);

/**
 * The rollup read that answers a report exactly, if one does: campaign and traffic source (each a set
 * of campaigns) with at most one other dimension that the rollups keep, and no filter but the
 * campaigns' and that dimension's own. Stored dimensions are daily (UTC), so they serve only a range
 * of whole UTC days; the time dimensions come from hours, in any zone. Everything else is read from the
 * clicks (report-clicks.ts).
 */
export function rollupPlan(
  spec: ReportSpec,
  range: { from: number; to: number },
): Omit<RollupSumsRequest, 'campaignIds' | 'from' | 'to'> | undefined {
  const others = spec.groupBy.filter((dimension) => !CAMPAIGN_LEVEL.has(dimension));
  if (others.length > 1) return undefined;
  const other = others[0];
  for (const dimension of spec.filters.keys())
    if (!CAMPAIGN_LEVEL.has(dimension) && dimension !== other) return undefined;
  const perCampaign = spec.groupBy.some((dimension) => CAMPAIGN_LEVEL.has(dimension));
  if (other === undefined) return { by: TOTAL, perCampaign };
  if (isTimeDimension(other)) return { by: 'hour', perCampaign };
  if (!ROLLED_UP.has(other) || range.from % DAY !== 0 || range.to % DAY !== 0) return undefined;
  return { by: other as StoredDimension | 'event', perCampaign };
}

const ID_VALUED = new Set<ReportDimension>(['offer', 'lander']);

/** A rollup sum's values, in the form report rows carry them. */
export function valuesOfRollup(
  sum: RollupSum,
  plan: Pick<RollupSumsRequest, 'by'>,
  spec: ReportSpec,
  zone: Zone,
  sourceOf: (campaignId: number) => number | null,
): GroupValues {
  const values: GroupValues = { campaign: sum.campaignId, traffic_source: sourceOf(sum.campaignId) };
  if (plan.by === 'hour') return { ...values, ...localTime(zone, Number(sum.key)) };
  if (plan.by === TOTAL) return values;
  const dimension = spec.groupBy.find((name) => !CAMPAIGN_LEVEL.has(name)) as ReportDimension;
  values[dimension] = sum.key === '' ? null : ID_VALUED.has(dimension) ? Number(sum.key) : sum.key;
  return values;
}
