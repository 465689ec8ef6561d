import { inCampaignScope, type CampaignScope } from '../../campaign-scope.ts';
import type { Readable } from 'node:stream';
import { notFound } from '../../errors.ts';
import { turnDue, yieldToEventLoop } from '../../keyset-pages.ts';
import { csvStream } from '../../csv-writer.ts';
import {
  groupedColumns,
  type ClickGroup,
  type ClickGroupCounters,
  type ClickGroupQuery,
} from '../clicks/click-groups.repository.ts';
import type { ReportCampaign } from '../campaigns/campaign-lookup.service.ts';
import { costOf, reportMetrics, savingsOf, type CostTerms, type ReportMetrics } from '../stats/formulas.ts';
import { ALL_CAMPAIGNS, DAY } from '../stats/periods.ts';
import type { SetCostDay } from '../stats/set-costs.ts';
import { setCostChange } from '../stats/set-costs.ts';
import type { RangeQuery, RollupSum, RollupSumsRequest } from '../stats/stats.service.ts';
import type { Zone } from '../stats/time-zone.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { cubePlan, cubeSplit, pricedAlike } from './report-cube-plan.ts';
import { groupCube, pruneCube } from './report-cube.repository.ts';
import { clickGroupQuery, matchesFilters, valuesOfClickGroup } from './report-clicks.ts';
import { rowsOfGroups, groupedAlike, rankingCounters } from './report-ranking.ts';
import { PricedRows } from './report-totals.ts';
import { parseReportRequest, type ReportRequest, type ReportSpec } from './report-query.ts';
import { rollupPlan, valuesOfRollup } from './report-rollups.ts';
import {
  GroupMerger,
  presentRow,
  presentTotals,
  sortRows,
  totalsOf,
  type GroupValues,
  type PresentedRow,
  type ReportGroup,
  type ReportRow,
} from './report-rows.ts';
import { NAMED_DIMENSIONS, type NamedDimension, type ReportDimension, type ReportSource } from './report.enums.ts';

export interface ReportServiceDeps {
  stats: {
    resolveRange(userId: number, query: RangeQuery): Promise<{ zone: Zone; from: number; to: number }>;
    rollupSums(userId: number, request: RollupSumsRequest): Promise<RollupSum[]>;
    setCostDays(userId: number, from: number, to: number): Promise<Array<SetCostDay & { dayClicks: number }>>;
  };
  campaigns: {
    refs(userId: number): Promise<Map<number, ReportCampaign>>;
  };
  sourceNames(userId: number): Promise<Map<number, string>>;
  offerNames(userId: number, ids: readonly number[]): Promise<Map<number, string>>;
  landerNames(userId: number, ids: readonly number[]): Promise<Map<number, string>>;
  groupClicks(query: ClickGroupQuery): Promise<ClickGroup[]>;
  /**
   * The report cube (report-cube.table.ts) and the instant from which it holds every click: the click
   * retention's cutoff. Without it every report the rollups do not answer reads the clicks.
   */
  cube?: { db: Db; dialect: DialectAdapter; since(): number };
  /**
   * groupClicks reads a columnar copy (modules/report-columns), where a read of a few counters, or of a
   * few rows, costs a fraction of a full one: a page sorted by a count is then ranked first (pageOfClicks).
   */
  pagedGroups?: boolean;
}

/** The rows of a report a request shows. */
interface Page {
  readonly offset: number;
  readonly limit: number;
}

export interface ReportMeta {
  page: number;
  per_page: number;
  total: number;
  group_by: ReportDimension[];
  from: string;
  to: string;
  tz: string;
  totals: Partial<ReportMetrics>;
  source: ReportSource;
}

/** Every row of a report, sorted, with its totals: what a page or the CSV is cut from. */
interface ReportResult {
  spec: ReportSpec;
  rows: PresentedRow[];
  /** When the rows are already one page's: how many rows the report has. */
  total?: number;
  meta: Omit<ReportMeta, 'page' | 'per_page' | 'total'>;
}

const isNamed = (dimension: ReportDimension): dimension is NamedDimension =>
  (NAMED_DIMENSIONS as readonly string[]).includes(dimension);

/** What a report reads over: its time range and zone, the campaigns in scope, and how each is attributed and priced. */
interface ReportRange {
  readonly zone: Zone;
  readonly from: number;
  readonly to: number;
  readonly campaignIds?: number[];
  readonly sourceOf: (id: number) => number | null;
  /** Every campaign's cost terms, from the same read as the names (the stats service would read them again). */
  readonly terms: ReadonlyMap<number, CostTerms>;
}

/** What each group is priced under: its campaign's terms and set-cost days, or the split's terms (cubeSplit). */
interface Pricing {
  readonly terms: ReadonlyMap<number, CostTerms>;
  readonly sets: ReadonlyMap<string, SetCostDay & { dayClicks: number }>;
  readonly split?: { terms: CostTerms; others: number[] };
}

export function createReportService(deps: ReportServiceDeps) {
  /**
   * The campaigns a report reads: those its campaign_id, traffic_source_id, campaign and traffic_source
   * filters leave (all of the account's when none is given). Another account's id, or one that does
   * not exist, is a 404 as the resource itself would be.
   */
  const scopeOf = (
    spec: ReportSpec,
    request: ReportRequest,
    campaigns: ReadonlyMap<number, ReportCampaign>,
    sources: ReadonlyMap<number, string>,
    scope: CampaignScope,
  ): number[] | undefined => {
    let ids: Set<number> | undefined;
    const narrow = (allowed: Iterable<number>) => {
      const next = new Set(allowed);
      ids = ids ? new Set([...ids].filter((id) => next.has(id))) : next;
    };
    const campaignIds = [
      ...(request.campaign_id === undefined ? [] : [request.campaign_id]),
      ...((spec.filters.get('campaign') as number[] | undefined) ?? []),
    ];
    for (const id of campaignIds) {
      const campaign = campaigns.get(id);
      if (!campaign || campaign.deleted || !inCampaignScope(scope, id)) throw notFound('Campaign');
    }
    // A member limited to some campaigns reads only theirs, whatever the grouping (ARCHITECTURE.md, "Campaign scope").
    if (scope !== null) narrow(scope);
    if (request.campaign_id !== undefined) narrow([request.campaign_id]);
    const campaignFilter = spec.filters.get('campaign') as number[] | undefined;
    if (campaignFilter) narrow(campaignFilter);
    const bySource = (sourceIds: readonly number[]) => {
      for (const id of sourceIds) if (!sources.has(id)) throw notFound('Traffic source');
      const wanted = new Set(sourceIds);
      narrow([...campaigns].filter(([, campaign]) => wanted.has(campaign.trafficSourceId ?? 0)).map(([id]) => id));
    };
    if (request.traffic_source_id !== undefined) bySource([request.traffic_source_id]);
    const sourceFilter = spec.filters.get('traffic_source') as number[] | undefined;
    if (sourceFilter) bySource(sourceFilter);
    return ids ? [...ids] : undefined;
  };

  /** From the rollups: one read, each sum priced by stats (set costs included). */
  const fromRollups = async (
    userId: number,
    spec: ReportSpec,
    plan: NonNullable<ReturnType<typeof rollupPlan>>,
    range: ReportRange,
  ): Promise<ReportGroup[]> => {
    const merger = new GroupMerger(spec.groupBy);
    const sums = await deps.stats.rollupSums(userId, { ...plan, campaignIds: range.campaignIds, ...range });
    for (const [index, sum] of sums.entries()) {
      if (turnDue(index)) await yieldToEventLoop();
      const values = valuesOfRollup(sum, plan, spec, range.zone, range.sourceOf);
      const passes = [...spec.filters].every(
        ([dimension, wanted]) =>
          dimension === 'campaign' || dimension === 'traffic_source' || wanted.includes(values[dimension] ?? NaN),
      );
      if (passes) merger.add(values, sum);
    }
    return merger.groups();
  };

  const priceOf = (group: ClickGroup, { terms, sets, split }: Pricing): { cost: number; savings: number } => {
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
  };

  /** Each raw group that passes the report's filters, with its values in the report's dimensions. */
  const eachPassing = async (
    groups: readonly ClickGroup[],
    read: { spec: ReportSpec; range: ReportRange; hourly: boolean },
    visit: (values: GroupValues, group: ClickGroup) => void,
  ) => {
    const { spec, range, hourly } = read;
    const dimensions = [...new Set([...spec.groupBy, ...spec.filters.keys()])];
    for (const [index, group] of groups.entries()) {
      if (turnDue(index)) await yieldToEventLoop();
      const values = valuesOfClickGroup(group, hourly, range.zone, range.sourceOf, dimensions);
      if (matchesFilters(values, spec)) visit(values, group);
    }
  };

  /**
   * One page of a report read from a columnar copy of the clicks (deps.pagedGroups), sorted by a count or
   * a grouped value. Two reads where there was one: every row ranked on just the counters its sort needs,
   * across campaigns where no campaign is shown (one or two columns of the copy and half the groups,
   * where the full read counts fifteen), then every click counted in full but grouped only where it
   * falls in the page's rows (report-ranking.ts rowsOfGroups), the rest together for the totals.
   * The same rows, merged, sorted and priced the same way (PricedRows), as the full read.
   */
  const pageOfClicks = async (
    spec: ReportSpec,
    range: ReportRange,
    query: ClickGroupQuery,
    read: { ranking: readonly (keyof ClickGroupCounters)[]; page: Page; pricing: Pricing },
  ): Promise<{ groups: ReportGroup[]; total: number; totals: ReportGroup }> => {
    const ranked = new GroupMerger(spec.groupBy);
    const parts = new Map<string, ClickGroup[]>();
    const showsCampaigns = [...spec.groupBy, ...spec.filters.keys()].some(
      (dimension) => dimension === 'campaign' || dimension === 'traffic_source',
    );
    const across = !showsCampaigns && (query.columns.length > 0 || query.hourly || query.daily);
    const ranking = { ...query, counters: read.ranking, acrossCampaigns: across };
    await eachPassing(await deps.groupClicks(ranking), { spec, range, hourly: query.hourly }, (values, group) => {
      const key = ranked.add(values, { counters: group.counters, cost: 0, savings: 0 });
      const list = parts.get(key);
      if (list) list.push(group);
      else parts.set(key, [group]);
    });
    const rows = sortRows(
      ranked.groups().map((group) => ({ row: group.values, metrics: reportMetrics(group.counters, 0, 0) })),
      spec,
    );
    const pageKeys = rows
      .slice(read.page.offset, read.page.offset + read.page.limit)
      .map(({ row }) => ranked.keyOf(row));
    const columns = groupedColumns(query).filter((column) => column !== 'campaign_id');
    const inside = rowsOfGroups(
      pageKeys.flatMap((key) => parts.get(key) ?? []),
      columns,
    );
    const counted = groupedAlike(
      await deps.groupClicks({ ...query, pricedAlike: undefined, inside }),
      query.pricedAlike,
    );
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
      total: rows.length,
      totals: totals.total(price),
    };
  };

  /**
   * From the cube when it answers the report (report-cube-plan.ts), else from the clicks: one GROUP BY
   * either way, each group priced under its campaign's terms and set days. With `page`, a report read
   * from a columnar copy may be cut to that page first (pageOfClicks): `total` and `totals` then come with it.
   */
  const fromGroups = async (
    userId: number,
    spec: ReportSpec,
    range: ReportRange,
    page?: Page,
  ): Promise<{ groups: ReportGroup[]; source: ReportSource; total?: number; totals?: ReportGroup }> => {
    const terms = range.terms;
    const setDays = await deps.stats.setCostDays(
      userId,
      Math.floor(range.from / DAY) * DAY,
      Math.ceil(range.to / DAY) * DAY,
    );
    const wanted = range.campaignIds ? new Set(range.campaignIds) : undefined;
    const sets = new Map(
      setDays
        .filter((day) => !wanted || wanted.has(day.campaign_id))
        .map((day) => [`${day.campaign_id}:${day.day}`, day]),
    );
    const cube = deps.cube;
    const plan = cube ? cubePlan(spec, range, cube.since(), sets.size > 0) : undefined;
    let groups: ClickGroup[];
    let hourly: boolean;
    // Over all campaigns, not apart: the all-campaigns rows less the campaigns not charged like most (cubeSplit).
    const split = plan ? cubeSplit(spec, range.campaignIds, sets.size > 0, terms) : undefined;
    const pricing: Pricing = { terms, sets, ...(split ? { split } : {}) };
    if (cube && plan) {
      groups = await groupCube(cube.db, cube.dialect, {
        ...plan,
        userId,
        campaignIds: range.campaignIds,
        ...(split ? { allBut: split.others } : {}),
      });
      hourly = plan.timed;
    } else {
      const alike = pricedAlike(spec, sets.size > 0, terms);
      const query = { ...clickGroupQuery(spec, { userId, ...range }, sets.size > 0), pricedAlike: alike };
      const ranking = page && deps.pagedGroups && !query.events ? rankingCounters(spec) : undefined;
      if (page && ranking)
        return { ...(await pageOfClicks(spec, range, query, { ranking, page, pricing })), source: 'clicks' };
      groups = await deps.groupClicks(query);
      hourly = query.hourly;
    }
    const rows = new PricedRows(spec.groupBy);
    const totals = new PricedRows([]);
    await eachPassing(groups, { spec, range, hourly }, (values, group) => {
      rows.add(values, group);
      totals.add({}, group);
    });
    const price = (group: ClickGroup) => priceOf(group, pricing);
    return { groups: rows.rows(price), source: plan ? 'cube' : 'clicks', totals: totals.total(price) };
  };

  /** The names beside the ids of the named dimensions the report groups by. */
  const namesOf = async (
    userId: number,
    spec: ReportSpec,
    groups: readonly ReportGroup[],
    campaigns: ReadonlyMap<number, ReportCampaign>,
    sources: ReadonlyMap<number, string>,
  ) => {
    const idsOf = (dimension: ReportDimension) => [
      ...new Set(groups.map((group) => group.values[dimension]).filter((id): id is number => typeof id === 'number')),
    ];
    const names: Partial<Record<NamedDimension, ReadonlyMap<number, string>>> = {};
    for (const dimension of spec.groupBy.filter(isNamed)) {
      if (dimension === 'campaign') names.campaign = new Map([...campaigns].map(([id, c]) => [id, c.name]));
      else if (dimension === 'traffic_source') names.traffic_source = sources;
      else if (dimension === 'offer') names.offer = await deps.offerNames(userId, idsOf('offer'));
      else names.lander = await deps.landerNames(userId, idsOf('lander'));
    }
    return names;
  };

  const build = async (
    userId: number,
    request: ReportRequest,
    scope: CampaignScope,
    paged: boolean,
  ): Promise<ReportResult> => {
    const spec = parseReportRequest(request);
    const { zone, from, to } = await deps.stats.resolveRange(userId, {
      from: request.from,
      to: request.to,
      tz: request.tz,
    });
    const [campaigns, sources] = await Promise.all([deps.campaigns.refs(userId), deps.sourceNames(userId)]);
    const campaignIds = scopeOf(spec, request, campaigns, sources, scope);
    const range: ReportRange = {
      zone,
      from,
      to,
      campaignIds,
      sourceOf: (id) => campaigns.get(id)?.trafficSourceId ?? null,
      terms: new Map([...campaigns].map(([id, campaign]) => [id, campaign.costTerms])),
    };
    const plan = rollupPlan(spec, range);
    const page = paged ? { offset: (spec.page - 1) * spec.limit, limit: spec.limit } : undefined;
    const { groups, source, total, totals } = plan
      ? { groups: await fromRollups(userId, spec, plan, range), source: 'rollups' as const }
      : await fromGroups(userId, spec, range, page);
    const names = await namesOf(userId, spec, groups, campaigns, sources);
    const presented: PresentedRow[] = [];
    for (const [index, group] of groups.entries()) {
      if (turnDue(index)) await yieldToEventLoop();
      presented.push(presentRow(group, spec, names));
    }
    const rows = sortRows(presented, spec);
    return {
      spec,
      rows,
      ...(total === undefined ? {} : { total }),
      meta: {
        group_by: [...spec.groupBy],
        from: zone.localDayAndHour(from).day,
        to: zone.localDayAndHour(to - 1).day,
        tz: zone.name,
        totals: presentTotals(totals ?? totalsOf(groups), spec),
        source,
      },
    };
  };

  return {
    /** The retention's share (modules/retention): deletes up to `limit` cube rows of periods ended by `cutoff`. */
    async pruneCube(cutoff: number, limit: number): Promise<number> {
      return deps.cube ? pruneCube(deps.cube.db, cutoff, limit) : 0;
    },

    /** One page of a report (SPEC section 9) and its meta: the page, the row count, the totals over every row. */
    async report(
      userId: number,
      request: ReportRequest,
      scope: CampaignScope = null,
    ): Promise<{ rows: ReportRow[]; meta: ReportMeta }> {
      const { spec, rows, total, meta } = await build(userId, request, scope, true);
      const offset = (spec.page - 1) * spec.limit;
      // Rows already cut to the page come with the count of all of them.
      const page = total === undefined ? rows.slice(offset, offset + spec.limit) : rows;
      return {
        rows: page.map(({ row }) => row),
        meta: { page: spec.page, per_page: spec.limit, total: total ?? rows.length, ...meta },
      };
    },

    /**
     * Every row of a report as a CSV stream: the grouped values (with names), then the metrics asked for.
     * Built before the stream opens, so bad input is still a 400; the rows are the report's groups (one per
     * combination of values, never one per click), written as the client reads them.
     */
    async exportCsv(
      userId: number,
      request: ReportRequest,
      scope: CampaignScope = null,
    ): Promise<(onError: (error: Error) => void) => Readable> {
      const { spec, rows } = await build(userId, request, scope, false);
      const columns = [
        ...spec.groupBy.flatMap((dimension) => (isNamed(dimension) ? [dimension, `${dimension}_name`] : [dimension])),
        ...spec.metrics,
      ];
      function* records() {
        for (const { row } of rows) {
          const record: Record<string, string | number> = {};
          for (const column of columns) record[column] = (row as Record<string, string | number | null>)[column] ?? '';
          yield record;
        }
      }
      return (onError) =>
        csvStream(
          columns.map((key) => ({ key, header: key })),
          records(),
          onError,
        );
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
