import type { FraudType } from '../../detection/index.ts';
import type { ClickRow } from '../clicks/click.table.ts';
import {
  COUNTER_NAMES,
  zeroCounters,
  type ClickStatsPeriodTable,
  type CounterName,
  type Counters,
} from './click-stats.table.ts';
import { STORED_DIMENSIONS, TOTAL, dimensionValues, type ClickDimensions } from './dimensions.ts';
import { ALL_CAMPAIGNS, DAILY, HOURLY, WEEKLY, startOfDay, startOfHour, startOfWeek } from './periods.ts';

export type ClickFacts = ClickDimensions & Pick<ClickRow, 'user_id' | 'campaign_id' | 'created_at'>;
export type ClickVerdictFacts = Pick<
  ClickRow,
  'status' | 'is_unique' | 'is_verified_bot' | 'fraud_types' | 'primary_fraud_type'
> &
  Partial<Pick<ClickRow, 'cost' | 'cost_source'>>;

const FRAUD_COLUMN: Readonly<Record<FraudType, CounterName>> = {
  bot: 'fraud_bot',
  rapid_fire: 'fraud_rapid_fire',
  click_farm: 'fraud_click_farm',
  datacenter: 'fraud_datacenter',
  vpn: 'fraud_vpn',
  duplicate: 'fraud_duplicate',
};

/**
 * What one click adds to its rollups (SPEC §3: statuses partition clicks; fraud excludes verified
 * crawlers). A click priced by its source's cost parameter counts as priced with its own cost; any
 * other click is charged under its campaign's model when a report reads it (formulas.ts costOf).
 */
export function clickCounters(click: ClickVerdictFacts): Partial<Counters> {
  const counters: Partial<Counters> = { clicks: 1, unique_clicks: click.is_unique, [`${click.status}_clicks`]: 1 };
  if (click.is_verified_bot === 1) counters.verified_bot_clicks = 1;
  const priced = click.cost_source === 'param' && typeof click.cost === 'number' ? click.cost : null;
  if (priced !== null) {
    counters.priced_clicks = 1;
    counters.priced_cost = priced;
  }
  const primary = click.primary_fraud_type as FraudType | null;
  if (primary !== null && click.is_verified_bot !== 1) {
    counters.fraud_clicks = 1;
    counters[FRAUD_COLUMN[primary]] = 1;
    if (priced !== null) {
      counters.fraud_priced_clicks = 1;
      counters.fraud_priced_cost = priced;
    }
  }
  return counters;
}

/** `after` minus `before`: what a changed verdict moves. */
export function verdictChange(before: ClickVerdictFacts, after: ClickVerdictFacts): Partial<Counters> {
  const change: Partial<Counters> = { ...clickCounters(after) };
  for (const [name, value] of Object.entries(clickCounters(before)) as [CounterName, number][])
    change[name] = (change[name] ?? 0) - value;
  return change;
}

/**
 * Changes to many rollup rows, merged by key in memory first: a batch of clicks then writes one row
 * per (campaign, period, dimension value) it touches, not one per click.
 */
export class StatsDelta {
  /** The campaigns' own hours and days; the other periods are derived from them in rows(). */
  readonly #own = new Map<string, ClickStatsPeriodTable>();

  /** Adds `counters` to the click's campaign's totals for its hour and day, and to each dimension value it has on its day. */
  add(click: ClickFacts, counters: Partial<Counters>): this {
    const entries = nonZeroEntries(counters);
    if (entries.length === 0) return this;
    const hour = startOfHour(click.created_at);
    const day = startOfDay(click.created_at);
    // The key's campaign and period part, built once per click rather than once per dimension value.
    const owner = `${click.user_id}\u0000${click.campaign_id}\u0000`;
    this.#addOwn(`${owner}${HOURLY}\u0000${hour}\u0000\u0000`, click, HOURLY, hour, TOTAL, TOTAL, entries);
    const dayKey = `${owner}${DAILY}\u0000${day}\u0000`;
    this.#addOwn(`${dayKey}\u0000`, click, DAILY, day, TOTAL, TOTAL, entries);
    const values = dimensionValues(click);
    // No row for a click without a value (no sub3, no referrer): a report finds those as its totals
    // minus its values. Most clicks lack most sub ids, so this keeps a batch's rows (and the pages its
    // transaction writes) down.
    for (const dimension of STORED_DIMENSIONS) {
      const value = values[dimension];
      if (value !== '')
        this.#addOwn(`${dayKey}${dimension}\u0000${value}`, click, DAILY, day, dimension, value, entries);
    }
    return this;
  }

  /**
   * Adds `counters` under one value of a dimension the click itself has no value in (a conversion's
   * event), on the click's day only: the totals already hold them through add().
   */
  addValue(click: ClickFacts, dimension: string, value: string, counters: Partial<Counters>): this {
    const entries = nonZeroEntries(counters);
    if (entries.length === 0) return this;
    const start = startOfDay(click.created_at);
    const key = `${click.user_id}\u0000${click.campaign_id}\u0000${DAILY}\u0000${start}\u0000${dimension}\u0000${value}`;
    this.#addOwn(key, click, DAILY, start, dimension, value, entries);
    return this;
  }

  /** Adds `entries` to the own row under `key` (campaign, period and value, as in rows()), made on first use. */
  #addOwn(
    key: string,
    click: ClickFacts,
    hours: number,
    start: number,
    dimension: string,
    value: string,
    entries: readonly [CounterName, number][],
  ): void {
    let row = this.#own.get(key);
    if (!row) {
      // Shard 0: rows added straight into the periods (the migration's rebuild); folded rows take the folder's.
      row = {
        user_id: click.user_id,
        dimension,
        campaign_id: click.campaign_id,
        hours,
        start,
        value,
        shard: 0,
        ...zeroCounters(),
      };
      this.#own.set(key, row);
    }
    for (const [name, amount] of entries) row[name] += amount;
  }

  /** The campaigns' own hour and day rows, without those that net to nothing: what the click transactions journal. */
  ownRows(): ClickStatsPeriodTable[] {
    return nonZero(this.#own);
  }

  /**
   * The rows to add, without those that net to nothing: each campaign row also goes to ALL_CAMPAIGNS,
   * and each day row to its week (periods.ts). Derived here from the merged rows, not per click, so the
   * extra periods cost a pass over the batch's rows rather than over its clicks.
   */
  rows(): ClickStatsPeriodTable[] {
    const own = this.ownRows();
    // The derived rows never share a key with the campaigns' own hours and days: those go out as they are.
    const derived = new Map<string, ClickStatsPeriodTable>();
    const derive = (row: ClickStatsPeriodTable, campaignId: number, hours: number, start: number) => {
      const key = `${row.user_id}\u0000${campaignId}\u0000${hours}\u0000${start}\u0000${row.dimension}\u0000${row.value}`;
      const period = derived.get(key);
      if (!period) {
        derived.set(key, { ...row, campaign_id: campaignId, hours, start });
        return;
      }
      for (const name of COUNTER_NAMES) period[name] += row[name];
    };
    for (const row of own) {
      derive(row, ALL_CAMPAIGNS, row.hours, row.start);
      if (row.hours !== DAILY) continue;
      const week = startOfWeek(row.start);
      derive(row, row.campaign_id, WEEKLY, week);
      derive(row, ALL_CAMPAIGNS, WEEKLY, week);
    }
    return [...own, ...nonZero(derived)];
  }
}

/** The counters that change anything; a plain loop, as this runs once per click. */
function nonZeroEntries(counters: Partial<Counters>): [CounterName, number][] {
  const entries: [CounterName, number][] = [];
  for (const name in counters) {
    const amount = counters[name as CounterName];
    if (amount !== undefined && amount !== 0) entries.push([name as CounterName, amount]);
  }
  return entries;
}

const nonZero = <T extends Counters>(rows: Map<string, T>): T[] =>
  [...rows.values()].filter((row) => COUNTER_NAMES.some((name) => row[name] !== 0));
