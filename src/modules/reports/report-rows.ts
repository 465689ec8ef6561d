import { WEEKDAYS } from '../flows/flow.enums.ts';
import { addCounters, reportMetrics, type ReportCounters, type ReportMetrics } from '../stats/formulas.ts';
import type { ReportSpec } from './report-query.ts';
import { NAMED_DIMENSIONS, type NamedDimension, type ReportDimension, type ReportMetric } from './report.enums.ts';

/** A grouped value as a row shows it: ids and hours as numbers, null for none. */
export type DimensionValue = string | number | null;
export type GroupValues = Partial<Record<ReportDimension, DimensionValue>>;

/** One group of a report before it is presented: its values, counters and (unrounded) money. */
export interface ReportGroup {
  values: GroupValues;
  counters: ReportCounters;
  cost: number;
  savings: number;
}

export type ReportRow = GroupValues & Partial<Record<`${NamedDimension}_name`, string | null>> & Partial<ReportMetrics>;

/** A row as it goes out, with all its metrics beside it (what it sorts by, whichever were asked for). */
export interface PresentedRow {
  row: ReportRow;
  metrics: ReportMetrics;
}

export function zeroReportCounters(): ReportCounters {
  return {
    clicks: 0,
    unique_clicks: 0,
    real_clicks: 0,
    bot_clicks: 0,
    vpn_clicks: 0,
    cloaked_clicks: 0,
    fraud_clicks: 0,
    lp_clicks: 0,
    conversions: 0,
    revenue: 0,
    suspicious_conversions: 0,
  };
}

function addInto(into: ReportGroup, more: Pick<ReportGroup, 'counters' | 'cost' | 'savings'>): void {
  addCounters(into.counters, more.counters);
  into.cost += more.cost;
  into.savings += more.savings;
}

/** What tells a report's rows apart: their values in the grouped dimensions. */
export function rowKey(groupBy: readonly ReportDimension[], values: GroupValues): string {
  return JSON.stringify(groupBy.map((dimension) => values[dimension] ?? null));
}

/** A row's values: the grouped dimensions' only (a group's values may hold its filters' too). */
export function pickedValues(groupBy: readonly ReportDimension[], values: GroupValues): GroupValues {
  const picked: GroupValues = {};
  for (const dimension of groupBy) picked[dimension] = values[dimension] ?? null;
  return picked;
}

/**
 * Groups with the same grouped values as one (a campaign's rows under its traffic source, two raw
 * values cut to the same stored value, each campaign's share of a value), keyed by those values.
 */
export class GroupMerger {
  readonly #groups = new Map<string, ReportGroup>();

  constructor(private readonly groupBy: readonly ReportDimension[]) {}

  /** Adds a part to its row; returns the row's key. */
  add(values: GroupValues, part: Pick<ReportGroup, 'counters' | 'cost' | 'savings'>): string {
    const key = rowKey(this.groupBy, values);
    const group = this.#groups.get(key);
    if (group) addInto(group, part);
    else {
      this.#groups.set(key, {
        values: pickedValues(this.groupBy, values),
        counters: { ...part.counters },
        cost: part.cost,
        savings: part.savings,
      });
    }
    return key;
  }

  keyOf(values: GroupValues): string {
    return rowKey(this.groupBy, values);
  }

  get(key: string): ReportGroup | undefined {
    return this.#groups.get(key);
  }

  groups(): ReportGroup[] {
    return [...this.#groups.values()];
  }
}

/** The sum of every group: the report's totals line. */
export function totalsOf(groups: readonly ReportGroup[]): ReportGroup {
  const total: ReportGroup = { values: {}, counters: zeroReportCounters(), cost: 0, savings: 0 };
  for (const group of groups) addInto(total, group);
  return total;
}

const weekdayRank = (value: DimensionValue) => WEEKDAYS.indexOf(value as (typeof WEEKDAYS)[number]);

function compareValues(dimension: ReportDimension, a: DimensionValue, b: DimensionValue): number {
  if (a === b) return 0;
  // None sorts last whichever way the rest goes.
  if (a === null) return 1;
  if (b === null) return -1;
  if (dimension === 'weekday') return weekdayRank(a) - weekdayRank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** What String#localeCompare compares with, made once: made per call it was a tenth of a 48,000-row sort. */
const collator = new Intl.Collator();

/**
 * Each grouped value's place among the rows' values of its dimension (equal places for values that compare
 * equal; null last): comparing two numbers instead of collating two strings each time a sort breaks a tie.
 * A report of half a million rows took a fifth to a quarter less time so (BENCHMARKS.md).
 */
function valueRanks(rows: readonly PresentedRow[], dimension: ReportDimension): Map<DimensionValue, number> {
  const distinct = [...new Set(rows.map(({ row }) => row[dimension] ?? null))].filter((value) => value !== null);
  distinct.sort((a, b) => compareValues(dimension, a, b));
  const ranks = new Map<DimensionValue, number>([[null, Number.MAX_SAFE_INTEGER]]);
  let rank = 0;
  distinct.forEach((value, index) => {
    if (index > 0 && compareValues(dimension, distinct[index - 1]!, value) !== 0) rank++;
    ranks.set(value, rank);
  });
  return ranks;
}

/** Rows sorted by the spec's metric or dimension, then by the grouped values in order. */
export function sortRows(rows: PresentedRow[], spec: ReportSpec): PresentedRow[] {
  const direction = spec.order === 'asc' ? 1 : -1;
  const ranksOf = spec.groupBy.map((dimension) => valueRanks(rows, dimension));
  const ranked = rows.map((presented) => ({
    presented,
    ranks: spec.groupBy.map((dimension, index) => ranksOf[index]!.get(presented.row[dimension] ?? null)!),
  }));
  const byValues = (a: (typeof ranked)[number], b: (typeof ranked)[number]) => {
    for (let index = 0; index < a.ranks.length; index++) {
      const order = a.ranks[index]! - b.ranks[index]!;
      if (order !== 0) return order;
    }
    return 0;
  };
  const sort = spec.sort;
  const at = (spec.groupBy as readonly string[]).indexOf(sort);
  const metric = sort as ReportMetric;
  const nullRank = Number.MAX_SAFE_INTEGER;
  ranked.sort((a, b) => {
    if (at >= 0) {
      const x = a.ranks[at]!;
      const y = b.ranks[at]!;
      // None stays last in both directions.
      if (x === nullRank || y === nullRank) return x - y || byValues(a, b);
      return (x - y) * direction || byValues(a, b);
    }
    return (a.presented.metrics[metric] - b.presented.metrics[metric]) * direction || byValues(a, b);
  });
  return ranked.map(({ presented }) => presented);
}

/** What a presented row carries: the grouped values, the names beside the ids, then the metrics asked for. */
export function presentRow(
  group: ReportGroup,
  spec: ReportSpec,
  names: Partial<Record<NamedDimension, ReadonlyMap<number, string>>>,
): PresentedRow {
  const row: ReportRow = {};
  for (const dimension of spec.groupBy) {
    const value = group.values[dimension] ?? null;
    row[dimension] = value;
    if ((NAMED_DIMENSIONS as readonly string[]).includes(dimension)) {
      const named = dimension as NamedDimension;
      row[`${named}_name`] = typeof value === 'number' ? (names[named]?.get(value) ?? null) : null;
    }
  }
  const metrics = reportMetrics(group.counters, group.cost, group.savings);
  for (const metric of spec.metrics) row[metric] = metrics[metric];
  return { row, metrics };
}

/** The metrics asked for, of the totals line. */
export function presentTotals(total: ReportGroup, spec: ReportSpec): Partial<ReportMetrics> {
  const metrics = reportMetrics(total.counters, total.cost, total.savings);
  const picked: Partial<ReportMetrics> = {};
  for (const metric of spec.metrics) picked[metric] = metrics[metric];
  return picked;
}
