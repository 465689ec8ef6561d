import type {
  ClickGroup,
  ClickGroupCounters,
  ClickGroupQuery,
  TopGroups,
  TopRows,
} from '../clicks/click-groups.repository.ts';
import { groupedColumns } from '../clicks/click-groups.repository.ts';
import { turnDue, yieldToEventLoop } from '../../keyset-pages.ts';
import { costOf, reportMetrics, savingsOf, type CostTerms } from '../stats/formulas.ts';
import { ALL_CAMPAIGNS } from '../stats/periods.ts';
import { setCostChange, type SetCostDay } from '../stats/set-costs.ts';
import type { Zone } from '../stats/time-zone.ts';
import { matchesFilters, valuesOfClickGroup } from './report-clicks.ts';
import { showsCampaigns, type ReportSpec } from './report-query.ts';
import { groupedAlike, rowsOfGroups, topRowsOf, withEmptyAsNone } from './report-ranking.ts';
import { GroupMerger, sortRows, type GroupValues, type ReportGroup } from './report-rows.ts';
import { PricedRows } from './report-totals.ts';

// How a report's raw click groups become its rows: which pass its filters, what each costs, and a page of
// them read from a columnar copy (report.service.ts reads the groups and presents the rows).

/** What a report reads over: its time range and zone, the campaigns in scope, and how each is attributed and priced. */
export interface ReportRange {
  readonly zone: Zone;
  readonly from: number;
  readonly to: number;
  readonly campaignIds?: number[];
  readonly sourceOf: (id: number) => number | null;
  /** Every campaign's cost terms, from the same read as the names (the stats service would read them again). */
  readonly terms: ReadonlyMap<number, CostTerms>;
}

/** What each group is priced under: its campaign's terms and set-cost days, or the split's terms (cubeSplit). */
export interface Pricing {
  readonly terms: ReadonlyMap<number, CostTerms>;
  readonly sets: ReadonlyMap<string, SetCostDay & { dayClicks: number }>;
  readonly split?: { terms: CostTerms; others: number[] };
}

/** The rows of a report a request shows. */
export interface Page {
  readonly offset: number;
  readonly limit: number;
}

/** What a group costs and saved under its campaign's terms (or the split's), its set-cost day included. */
export function priceOf(group: ClickGroup, { terms, sets, split }: Pricing): { cost: number; savings: number } {
  const campaignTerms = split && group.campaignId === ALL_CAMPAIGNS ? split.terms : terms.get(group.campaignId);
  let cost = campaignTerms ? costOf(campaignTerms, group.counters) : 0;
  let savings = campaignTerms ? savingsOf(campaignTerms, group.counters) : 0;
  const set = sets.get(`${group.campaignId}:${group.day}`);
  if (set) {
    const change = setCostChange(campaignTerms, set, set.dayClicks, group.counters);
    cost += change.cost;
    savings += change.savings;
  }
  return { cost, savings };
}

/** Each raw group that passes the report's filters, with its values in the report's dimensions. */
export async function eachPassing(
  groups: readonly ClickGroup[],
  read: { spec: ReportSpec; range: ReportRange; hourly: boolean },
  visit: (values: GroupValues, group: ClickGroup) => void,
): Promise<void> {
  const { spec, range, hourly } = read;
  const dimensions = [...new Set([...spec.groupBy, ...spec.filters.keys()])];
  for (const [index, group] of groups.entries()) {
    if (turnDue(index)) await yieldToEventLoop();
    const values = valuesOfClickGroup(group, hourly, range.zone, range.sourceOf, dimensions);
    if (matchesFilters(values, spec)) visit(values, group);
  }
}

/**
 * One page of a report read from a columnar copy of the clicks (ReportServiceDeps.topGroups), sorted by a count or
 * a grouped value. Two reads where there was one: every row ranked on just the counters its sort needs,
 * across campaigns where no campaign is shown (one or two columns of the copy and half the groups,
 * where the full read counts fifteen), then every click counted in full but grouped only where it
 * falls in the page's rows (report-ranking.ts rowsOfGroups), the rest together for the totals.
 * The same rows, merged, sorted and priced the same way (PricedRows), as the full read.
 */
export async function pageOfClicks(
  reader: {
    groupClicks: (query: ClickGroupQuery) => Promise<ClickGroup[]>;
    topGroups?: (query: ClickGroupQuery, top: TopRows) => Promise<TopGroups | undefined>;
  },
  spec: ReportSpec,
  range: ReportRange,
  query: ClickGroupQuery,
  read: { ranking: readonly (keyof ClickGroupCounters)[]; page: Page; pricing: Pricing },
): Promise<{ groups: ReportGroup[]; total: number; totals: ReportGroup }> {
  const { groupClicks } = reader;
  const ranked = new GroupMerger(spec.groupBy);
  const parts = new Map<string, ClickGroup[]>();
  // Counts need no day: days are read only to share a set cost, which the page's own read prices.
  const across = !showsCampaigns(spec) && (query.columns.length > 0 || query.hourly);
  const ranking = { ...query, daily: false, counters: read.ranking, acrossCampaigns: across };
  // Half a million rows ranked in JavaScript took seconds; the copy's top rows are a few hundred (topRowsOf).
  const top = topRowsOf(spec, ranking, read.page);
  const topped = top && reader.topGroups ? await reader.topGroups(ranking, top) : undefined;
  const rankedGroups = topped?.groups ?? (await groupClicks(ranking));
  await eachPassing(rankedGroups, { spec, range, hourly: query.hourly }, (values, group) => {
    const key = ranked.add(values, { counters: group.counters, cost: 0, savings: 0 });
    const list = parts.get(key);
    if (list) list.push(group);
    else parts.set(key, [group]);
  });
  const rows = sortRows(
    ranked.groups().map((group) => ({ row: group.values, metrics: reportMetrics(group.counters, 0, 0) })),
    spec,
  );
  const pageKeys = rows.slice(read.page.offset, read.page.offset + read.page.limit).map(({ row }) => ranked.keyOf(row));
  const columns = groupedColumns(query).filter((column) => column !== 'campaign_id');
  const rowsOfPage = rowsOfGroups(
    pageKeys.flatMap((key) => parts.get(key) ?? []),
    columns,
  );
  const inside = top && topped ? withEmptyAsNone(rowsOfPage, top.emptyIsNone) : rowsOfPage;
  const counted = groupedAlike(await groupClicks({ ...query, pricedAlike: undefined, inside }), query.pricedAlike);
  const full = new PricedRows(spec.groupBy);
  const totals = new PricedRows([]);
  // Outside the page, only what the filters check (the hour) is kept: checked against the filters alone.
  const outside = counted.filter((group) => group.outside);
  await eachPassing(outside, { spec: { ...spec, groupBy: [] }, range, hourly: query.hourly }, (_values, group) =>
    totals.add({}, group),
  );
  const insideGroups = counted.filter((group) => !group.outside);
  await eachPassing(insideGroups, { spec, range, hourly: query.hourly }, (values, group) => {
    full.add(values, group);
    totals.add({}, group);
  });
  const price = (group: ClickGroup) => priceOf(group, read.pricing);
  const priced = new Map(full.rows(price, pageKeys).map((group) => [ranked.keyOf(group.values), group]));
  return {
    // A row the first read ranked is in the second unless its clicks went meanwhile (retention).
    groups: pageKeys.map((key) => priced.get(key) ?? ranked.get(key)!),
    total: topped?.rows ?? rows.length,
    totals: totals.total(price),
  };
}
