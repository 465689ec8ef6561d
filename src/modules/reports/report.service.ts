import { inCampaignScope, type CampaignScope } from '../../campaign-scope.ts';
import type { Readable } from 'node:stream';
import { notFound } from '../../errors.ts';
import { turnDue, yieldToEventLoop } from '../../keyset-pages.ts';
import { csvStream } from '../../csv-writer.ts';
import type { ClickGroup, ClickGroupQuery, TopGroups, TopRows } from '../clicks/click-groups.repository.ts';
import type { ReportCampaign } from '../campaigns/campaign-lookup.service.ts';
import type { ReportMetrics } from '../stats/formulas.ts';
import { DAY } from '../stats/periods.ts';
import type { SetCostDay } from '../stats/set-costs.ts';
import type { RangeQuery, RollupSum, RollupSumsRequest } from '../stats/stats.service.ts';
import type { Zone } from '../stats/time-zone.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { cubePlan, cubeSplit, pricedAlike } from './report-cube-plan.ts';
import { groupCube, pruneCube } from './report-cube.repository.ts';
import { clickGroupQuery } from './report-clicks.ts';
import { rankingCounters } from './report-ranking.ts';
import { PricedRows } from './report-totals.ts';
import { eachPassing, pageOfClicks, priceOf, type Page, type Pricing, type ReportRange } from './report-groups.ts';
import { parseReportRequest, type ReportRequest, type ReportSpec } from './report-query.ts';
import { rollupPlan, valuesOfRollup } from './report-rollups.ts';
import {
  GroupMerger,
  presentRow,
  presentTotals,
  sortRows,
  totalsOf,
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
   * Given when groupClicks reads a columnar copy (modules/report-columns), where a read of a few counters, or
   * of a few rows, costs a fraction of a full one: a page sorted by a count is then ranked first
   * (pageOfClicks), on the copy's top rows where it can be (ReportColumns.topGroups).
   */
  topGroups?: (query: ClickGroupQuery, top: TopRows) => Promise<TopGroups | undefined>;
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
      const ranking = page && deps.topGroups && !query.events ? rankingCounters(spec) : undefined;
      if (page && ranking)
        return {
          ...(await pageOfClicks(deps, spec, range, query, { ranking, page, pricing })),
          source: 'clicks',
        };
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
