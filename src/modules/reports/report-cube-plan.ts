import type { CostTerms } from '../stats/formulas.ts';
import { DAY } from '../stats/periods.ts';
import type { Zone } from '../stats/time-zone.ts';
import { localTime } from './report-clicks.ts';
import type { CubeQuery } from './report-cube.repository.ts';
import type { CubeDimension } from './report-cube.table.ts';
import { CAMPAIGN_LEVEL, showsCampaigns, type ReportSpec } from './report-query.ts';
import type { ReportDimension } from './report.enums.ts';

/** The report dimensions the cube keys, by their cube column; campaign and traffic source are its campaigns. */
const CUBE_COLUMN: Partial<Record<ReportDimension, CubeDimension>> = {
  offer: 'offer_id',
  lander: 'lander_id',
  country: 'country',
  device: 'device',
  os: 'os',
  browser: 'browser',
  language: 'language',
};
/** Local days read from UTC days: only where the zone's day is the UTC day (checked per day below). */
const DAY_LEVEL = new Set<ReportDimension>(['day', 'weekday']);

const cubeable = (dimension: ReportDimension) =>
  CAMPAIGN_LEVEL.has(dimension) || DAY_LEVEL.has(dimension) || CUBE_COLUMN[dimension] !== undefined;

/** What a cube read is made of, before the campaigns are known. */
export type CubePlan = Omit<CubeQuery, 'userId' | 'campaignIds'> & {
  /** Grouped or filtered by a local day or weekday: each group's period start is read as its local time. */
  readonly timed: boolean;
};

/**
 * The cube read that answers a report exactly, if one does: every grouped and filtered dimension kept by
 * the cube (or the campaigns'), over whole UTC days (the cube's periods are UTC days) that all
 * lie where the cube is complete (`since`: from the click retention's cutoff on, what the retention
 * leaves of it; the migration counted the clicks stored then). Local days and weekdays come from UTC
 * days only in a zone whose every day of the range starts at midnight UTC. `perDay` when a day's set
 * cost must be shared by its own clicks: days only, each group per day.
 */
export function cubePlan(
  spec: ReportSpec,
  range: { from: number; to: number; zone: Zone },
  since: number,
  perDay: boolean,
): CubePlan | undefined {
  if (!spec.groupBy.every(cubeable) || ![...spec.filters.keys()].every(cubeable)) return undefined;
  if (range.from % DAY !== 0 || range.to % DAY !== 0 || range.from >= range.to) return undefined;
  // No day read may have lost clicks to the retention, nor be older than the cube.
  if (range.from < since) return undefined;
  const timed = [...spec.groupBy, ...spec.filters.keys()].some((dimension) => DAY_LEVEL.has(dimension));
  if (timed)
    for (let day = range.from; day < range.to; day += DAY) if (localTime(range.zone, day).hour !== 0) return undefined;
  const columns: CubeDimension[] = [];
  for (const dimension of spec.groupBy) {
    const column = CUBE_COLUMN[dimension];
    if (column) columns.push(column);
  }
  const filters: Array<{ column: CubeDimension; values: readonly (string | number)[] }> = [];
  for (const [dimension, values] of spec.filters) {
    const column = CUBE_COLUMN[dimension];
    if (column) filters.push({ column, values });
  }
  return { columns, filters, perDay: timed || perDay, timed, from: range.from, to: range.to };
}

/**
 * For a cube read over all the account's campaigns, not per campaign, not limited to some, and without a
 * set-cost day (whose cost is shared by its own campaign's clicks): the campaigns read apart from the
 * all-campaigns rows (report-cube.repository.ts `allBut`) and the terms the rest is priced under. The rest
 * is the biggest set of campaigns charged alike: cost is linear in the counters under one set of terms, so
 * pricing their sum is pricing each. Undefined when that would not read fewer rows (no two campaigns alike).
 */
export function cubeSplit(
  spec: ReportSpec,
  campaignIds: readonly number[] | undefined,
  hasSetDays: boolean,
  terms: ReadonlyMap<number, CostTerms>,
): { terms: CostTerms; others: number[] } | undefined {
  if (campaignIds || hasSetDays) return undefined;
  if (showsCampaigns(spec)) return undefined;
  const biggest = [...chargedAlike(terms)].reduce<number[]>((a, b) => (b.length > a.length ? b : a), []);
  if (biggest.length < 2) return undefined;
  const inBiggest = new Set(biggest);
  return { terms: terms.get(biggest[0]!)!, others: [...terms.keys()].filter((id) => !inBiggest.has(id)) };
}

/**
 * For a read of the clicks: each campaign → the first campaign charged alike (report-clicks.ts groups
 * their clicks together; cost is linear in the counters under one set of terms, as for cubeSplit). None
 * when the report shows or filters campaigns or sources (a group must keep its campaign) or a set-cost
 * day is in range (its cost is shared by its own campaign's clicks).
 */
export function pricedAlike(
  spec: ReportSpec,
  hasSetDays: boolean,
  terms: ReadonlyMap<number, CostTerms>,
): Map<number, number> | undefined {
  if (hasSetDays) return undefined;
  if (showsCampaigns(spec)) return undefined;
  const alike = new Map<number, number>();
  for (const ids of chargedAlike(terms)) for (const id of ids) alike.set(id, ids[0]!);
  return alike;
}

/** The campaigns in sets charged alike (the same model and value), each set in the terms' order. */
function chargedAlike(terms: ReadonlyMap<number, CostTerms>): Iterable<number[]> {
  const alike = new Map<string, number[]>();
  for (const [id, each] of terms) {
    const key = `${each.model}:${each.value}`;
    const ids = alike.get(key);
    if (ids) ids.push(id);
    else alike.set(key, [id]);
  }
  return alike.values();
}
