import {
  NUMERIC_GROUP_COLUMNS,
  type ClickGroup,
  type ClickGroupCounters,
  type GroupColumn,
  type InsideRows,
} from '../clicks/click-groups.repository.ts';
import { addCounters } from '../stats/formulas.ts';
import type { ReportSpec } from './report-query.ts';
import type { ReportMetric } from './report.enums.ts';

type CounterName = keyof ClickGroupCounters;

/**
 * The counters each metric is worked out from (stats/formulas.ts reportMetrics), for the metrics that
 * do not depend on cost: a page sorted by one of them can be ranked on those counters alone. Cost,
 * profit, roi, cpc and estimated_savings are priced per campaign, so they are not here.
 */
const RANKED_BY: Partial<Record<ReportMetric, readonly CounterName[]>> = {
  clicks: ['clicks'],
  unique_clicks: ['unique_clicks'],
  real_clicks: ['real_clicks'],
  bot_clicks: ['bot_clicks'],
  vpn_clicks: ['vpn_clicks'],
  cloaked_clicks: ['cloaked_clicks'],
  fraudulent_clicks: ['fraud_clicks'],
  fraud_rate: ['fraud_clicks', 'clicks'],
  lp_clicks: ['lp_clicks'],
  lp_ctr: ['lp_clicks', 'clicks'],
  conversions: ['conversions'],
  suspicious_conversions: ['suspicious_conversions'],
  revenue: ['revenue'],
  cr: ['conversions', 'real_clicks'],
  epc: ['revenue', 'clicks'],
};

/**
 * The counters a report's rows can be sorted by, if the sort needs no price: none for a grouped
 * dimension (the values sort), the metric's own for a count. Undefined when the sort is priced, or
 * when a path is filtered: that filter is checked on each group's rule and path, which the clicks
 * counted apart from the page's rows do not keep.
 */
export function rankingCounters(spec: ReportSpec): readonly CounterName[] | undefined {
  if (spec.filters.has('path')) return undefined;
  if ((spec.groupBy as readonly string[]).includes(spec.sort)) return [];
  return RANKED_BY[spec.sort as ReportMetric];
}

/** The distinct values the raw groups `groups` (a page's rows' parts) hold in `columns`: ClickGroupQuery.inside. */
export function rowsOfGroups(groups: readonly ClickGroup[], columns: readonly GroupColumn[]): InsideRows {
  const rows = new Map<string, Array<string | number | null>>();
  for (const group of groups) {
    const row = columns.map((column) => group.keys[column] ?? null);
    // Each once: a reader joins the clicks with these rows, and a row twice would count its clicks twice.
    // Ids are numbers whichever database read them (PostgreSQL's bigints come as text).
    rows.set(
      JSON.stringify(
        row.map((value, at) => (NUMERIC_GROUP_COLUMNS.has(columns[at]!) && value !== null ? Number(value) : value)),
      ),
      row,
    );
  }
  return { columns, rows: [...rows.values()] };
}

/**
 * Groups read per campaign, summed per campaign they are priced like (ClickGroupQuery.pricedAlike), as the
 * GROUP BY sums them when given pricedAlike, in campaign order. For a page's read from a columnar copy:
 * working out each click's class there costs more than the page's few thousand groups here.
 */
export function groupedAlike(
  groups: readonly ClickGroup[],
  alike: ReadonlyMap<number, number> | undefined,
): ClickGroup[] {
  if (!alike) return [...groups];
  const byKey = new Map<string, ClickGroup>();
  for (const group of [...groups].sort((a, b) => a.campaignId - b.campaignId)) {
    const campaignId = alike.get(group.campaignId) ?? group.campaignId;
    const keys = { ...group.keys, campaign_id: campaignId };
    const key = JSON.stringify([keys, group.hour, group.day, group.event, group.outside === true]);
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, { ...group, campaignId, keys, counters: { ...group.counters } });
      continue;
    }
    addCounters(known.counters, group.counters);
  }
  return [...byKey.values()];
}
