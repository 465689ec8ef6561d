import type { ClickGroup } from '../clicks/click-groups.repository.ts';
import { addCounters } from '../stats/formulas.ts';
import type { ReportDimension } from './report.enums.ts';
import { pickedValues, rowKey, zeroReportCounters, type GroupValues, type ReportGroup } from './report-rows.ts';

type Price = (group: ClickGroup) => { cost: number; savings: number };

interface PricedRow {
  readonly values: GroupValues;
  /** One per campaign (or class of campaigns charged alike) and set-cost day, counters summed. */
  readonly parts: ClickGroup[];
}

/**
 * A report's rows from raw click groups, each priced as the statistics endpoints price theirs: every
 * pricing group's counters (a campaign's, or its class's, per set-cost day) summed first and priced once,
 * in campaign order. Counts add up the same in any order, so a row costs the same whichever order its
 * groups come in and however they were split (per campaign or per class, from the database or from a
 * columnar copy, a whole report or a page of it); pricing each group and summing the prices rounds
 * with the order, a cent apart now and then.
 */
export class PricedRows {
  readonly #rows = new Map<string, PricedRow>();

  constructor(private readonly groupBy: readonly ReportDimension[]) {}

  /** Adds a raw group to its row; returns the row's key (report-rows.ts rowKey). */
  add(values: GroupValues, group: ClickGroup): string {
    const key = rowKey(this.groupBy, values);
    let row = this.#rows.get(key);
    if (!row) {
      row = { values: pickedValues(this.groupBy, values), parts: [] };
      this.#rows.set(key, row);
    }
    const part = row.parts.find((each) => each.campaignId === group.campaignId && each.day === group.day);
    if (!part) row.parts.push({ ...group, counters: { ...group.counters } });
    else addCounters(part.counters, group.counters);
    return key;
  }

  /** Every row priced (or those of `keys`, in that order, where they are). */
  rows(price: Price, keys?: readonly string[]): ReportGroup[] {
    const rows = keys ? keys.flatMap((key) => this.#rows.get(key) ?? []) : [...this.#rows.values()];
    return rows.map((row) => priced(row, price));
  }

  /** The one row of a report of no dimension: the totals line. */
  total(price: Price): ReportGroup {
    return this.rows(price)[0] ?? { values: {}, counters: zeroReportCounters(), cost: 0, savings: 0 };
  }
}

function priced(row: PricedRow, price: Price): ReportGroup {
  const total: ReportGroup = { values: row.values, counters: zeroReportCounters(), cost: 0, savings: 0 };
  const parts = [...row.parts].sort((a, b) => a.campaignId - b.campaignId || a.day - b.day);
  for (const part of parts) {
    addCounters(total.counters, part.counters);
    const { cost, savings } = price(part);
    total.cost += cost;
    total.savings += savings;
  }
  return total;
}
