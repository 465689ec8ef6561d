import type { FraudType } from '../../detection/index.ts';
import type { ClickRow } from '../clicks/click.table.ts';
import {
  COUNTER_NAMES,
  emptyPeriodRow,
  type ClickStatsPeriodTable,
  type CounterName,
  type Counters,
} from './click-stats.table.ts';
import { STORED_DIMENSIONS, TOTAL, fillDimensionValues, type ClickDimensions } from './dimensions.ts';
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

const STORED_INDEX: ReadonlyMap<string, number> = new Map(STORED_DIMENSIONS.map((dimension, i) => [dimension, i]));

/**
 * One campaign's rows of one UTC day in a delta: its hours' totals, the day's total and the day's rows per
 * dimension value. A click finds its rows under its day's key and then by value: one key string per click
 * instead of one per dimension it has a value in (about a dozen; issue 24's profile).
 */
interface DayRows {
  readonly hours: Map<number, ClickStatsPeriodTable>;
  total: ClickStatsPeriodTable | undefined;
  /** Per STORED_DIMENSIONS index. */
  readonly stored: Map<string, ClickStatsPeriodTable>[];
  /** Dimensions kept for conversions only (`event`), by name. */
  readonly other: Map<string, Map<string, ClickStatsPeriodTable>>;
}

/**
 * Changes to many rollup rows, merged by key in memory first: a batch of clicks then writes one row
 * per (campaign, period, dimension value) it touches, not one per click.
 */
export class StatsDelta {
  /** The campaigns' own hours and days, by (user, campaign, day); the other periods are derived from them in rows(). */
  readonly #days = new Map<string, DayRows>();
  /** The values of the click being added (fillDimensionValues), one array for the delta's life. */
  readonly #values: string[] = [];
  /** The counters of the click being added that change anything, reused from click to click. */
  readonly #names: CounterName[] = [];
  readonly #amounts: number[] = [];
  #moved = 0;

  /** Adds `counters` to the click's campaign's totals for its hour and day, and to each dimension value it has on its day. */
  add(click: ClickFacts, counters: Partial<Counters>): this {
    if (!this.#take(counters)) return this;
    const hour = startOfHour(click.created_at);
    const day = startOfDay(click.created_at);
    const rows = this.#dayOf(click, day);
    let hourRow = rows.hours.get(hour);
    if (!hourRow) rows.hours.set(hour, (hourRow = newRow(click, HOURLY, hour, TOTAL, TOTAL)));
    this.#addTo(hourRow);
    this.#addTo((rows.total ??= newRow(click, DAILY, day, TOTAL, TOTAL)));
    const values = fillDimensionValues(click, this.#values);
    // No row for a click without a value (no sub3, no referrer): a report finds those as its totals
    // minus its values. Most clicks lack most sub ids, so this keeps a batch's rows (and the pages its
    // transaction writes) down.
    for (let i = 0; i < STORED_DIMENSIONS.length; i++) {
      const value = values[i]!;
      if (value === '') continue;
      const byValue = rows.stored[i]!;
      let row = byValue.get(value);
      if (!row) byValue.set(value, (row = newRow(click, DAILY, day, STORED_DIMENSIONS[i]!, value)));
      this.#addTo(row);
    }
    return this;
  }

  /**
   * Adds `counters` under one value of a dimension the click itself has no value in (a conversion's
   * event), on the click's day only: the totals already hold them through add().
   */
  addValue(click: ClickFacts, dimension: string, value: string, counters: Partial<Counters>): this {
    if (!this.#take(counters)) return this;
    const day = startOfDay(click.created_at);
    const rows = this.#dayOf(click, day);
    // A stored dimension's value shares add()'s row, so rows() never holds one key twice.
    const stored = STORED_INDEX.get(dimension);
    let byValue = stored === undefined ? rows.other.get(dimension) : rows.stored[stored];
    if (!byValue) rows.other.set(dimension, (byValue = new Map()));
    let row = byValue.get(value);
    if (!row) byValue.set(value, (row = newRow(click, DAILY, day, dimension, value)));
    this.#addTo(row);
    return this;
  }

  #dayOf(click: ClickFacts, day: number): DayRows {
    const key = `${click.user_id}\u0000${click.campaign_id}\u0000${day}`;
    let rows = this.#days.get(key);
    if (!rows) {
      rows = {
        hours: new Map(),
        total: undefined,
        stored: STORED_DIMENSIONS.map(() => new Map<string, ClickStatsPeriodTable>()),
        other: new Map(),
      };
      this.#days.set(key, rows);
    }
    return rows;
  }

  /** Keeps the counters that change anything for #addTo; false when none does. A plain loop: once per click. */
  #take(counters: Partial<Counters>): boolean {
    let moved = 0;
    for (const name in counters) {
      const amount = counters[name as CounterName];
      if (amount !== undefined && amount !== 0) {
        this.#names[moved] = name as CounterName;
        this.#amounts[moved] = amount;
        moved++;
      }
    }
    this.#moved = moved;
    return moved > 0;
  }

  #addTo(row: ClickStatsPeriodTable): void {
    for (let i = 0; i < this.#moved; i++) row[this.#names[i]!] += this.#amounts[i]!;
  }

  /** Every own row, hours first, then each day's total and values. */
  #ownAll(): ClickStatsPeriodTable[] {
    const all: ClickStatsPeriodTable[] = [];
    for (const rows of this.#days.values()) {
      for (const row of rows.hours.values()) all.push(row);
      if (rows.total) all.push(rows.total);
      for (const byValue of rows.stored) for (const row of byValue.values()) all.push(row);
      for (const byValue of rows.other.values()) for (const row of byValue.values()) all.push(row);
    }
    return all;
  }

  /** The campaigns' own hour and day rows, without those that net to nothing: what the click transactions journal. */
  ownRows(): ClickStatsPeriodTable[] {
    return this.#ownAll().filter(movesAny);
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
    return [...own, ...[...derived.values()].filter(movesAny)];
  }
}

/** Shard 0: rows added straight into the periods (the migration's rebuild); folded rows take the folder's. */
const newRow = (click: ClickFacts, hours: number, start: number, dimension: string, value: string) =>
  emptyPeriodRow(click.user_id, dimension, click.campaign_id, hours, start, value, 0);

const movesAny = (row: Counters): boolean => COUNTER_NAMES.some((name) => row[name] !== 0);
