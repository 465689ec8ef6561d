import type { ClickGroup } from '../clicks/click-groups.repository.ts';
import { zeroReportCounters, type ReportGroup } from './report-rows.ts';

type Price = (group: ClickGroup) => { cost: number; savings: number };

/**
 * A report's totals line, priced as the statistics endpoints price theirs: each pricing group's counters
 * (a campaign's, or its class of campaigns charged alike, per set-cost day) summed first and priced
 * once, in campaign order. Summing the rows' prices instead rounds with the order the rows come in, so a
 * report cut to a page first (report.service.ts pageOfClicks) and one read whole would differ by a cent.
 */
export class PricedTotals {
  readonly #parts = new Map<string, ClickGroup>();

  add(group: ClickGroup): void {
    const key = `${group.campaignId}:${group.day}`;
    const part = this.#parts.get(key);
    if (!part) {
      this.#parts.set(key, { ...group, keys: {} as ClickGroup['keys'], hour: 0, counters: { ...group.counters } });
      return;
    }
    for (const name of Object.keys(part.counters) as (keyof ClickGroup['counters'])[])
      part.counters[name] += group.counters[name];
  }

  total(price: Price): ReportGroup {
    const total: ReportGroup = { values: {}, counters: zeroReportCounters(), cost: 0, savings: 0 };
    const parts = [...this.#parts.values()].sort((a, b) => a.campaignId - b.campaignId || a.day - b.day);
    for (const part of parts) {
      for (const name of Object.keys(total.counters) as (keyof ReportGroup['counters'])[])
        total.counters[name] += part.counters[name];
      const { cost, savings } = price(part);
      total.cost += cost;
      total.savings += savings;
    }
    return total;
  }
}
