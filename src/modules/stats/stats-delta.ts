import type { FraudType } from '../../detection/index.ts';
import type { ClickRow } from '../clicks/click.table.ts';
import { COUNTER_NAMES, zeroCounters, type ClickStatsDailyTable, type ClickStatsHourlyTable, type CounterName, type Counters } from './click-stats.table.ts';
import { STORED_DIMENSIONS, dimensionValues, type ClickDimensions } from './dimensions.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export type ClickFacts = ClickDimensions & Pick<ClickRow, 'user_id' | 'campaign_id' | 'created_at'>;
export type ClickVerdictFacts = Pick<ClickRow, 'status' | 'is_unique' | 'is_verified_bot' | 'fraud_types' | 'primary_fraud_type'>;

const FRAUD_COLUMN: Readonly<Record<FraudType, CounterName>> = {
  bot: 'fraud_bot', rapid_fire: 'fraud_rapid_fire', click_farm: 'fraud_click_farm',
  datacenter: 'fraud_datacenter', vpn: 'fraud_vpn', duplicate: 'fraud_duplicate',
};

/** What one click adds to its rollups (SPEC §3: statuses partition clicks; fraud excludes verified crawlers). */
export function clickCounters(click: ClickVerdictFacts): Partial<Counters> {
  const counters: Partial<Counters> = { clicks: 1, unique_clicks: click.is_unique, [`${click.status}_clicks`]: 1 };
  if (click.is_verified_bot === 1) counters.verified_bot_clicks = 1;
  const primary = click.primary_fraud_type as FraudType | null;
  if (primary !== null && click.is_verified_bot !== 1) {
    counters.fraud_clicks = 1;
    counters[FRAUD_COLUMN[primary]] = 1;
  }
  return counters;
}

/** `after` minus `before`: what a changed verdict moves. */
export function verdictChange(before: ClickVerdictFacts, after: ClickVerdictFacts): Partial<Counters> {
  const change: Partial<Counters> = { ...clickCounters(after) };
  for (const [name, value] of Object.entries(clickCounters(before)) as [CounterName, number][]) change[name] = (change[name] ?? 0) - value;
  return change;
}

/**
 * Changes to many rollup rows, merged by key in memory first: a batch of clicks then writes one row
 * per (campaign, hour) and per (campaign, day, dimension value) it touches, not one per click.
 */
export class StatsDelta {
  readonly #hourly = new Map<string, ClickStatsHourlyTable>();
  readonly #daily = new Map<string, ClickStatsDailyTable>();

  /** Adds `counters` to the click's hour and to each of its dimension values on its day. */
  add(click: ClickFacts, counters: Partial<Counters>): this {
    const entries = Object.entries(counters).filter(([, value]) => value !== 0) as [CounterName, number][];
    if (entries.length === 0) return this;
    const hour = Math.floor(click.created_at / HOUR) * HOUR;
    const day = Math.floor(click.created_at / DAY) * DAY;
    const hourKey = `${click.user_id}\u0000${click.campaign_id}\u0000${hour}`;
    addTo(this.#hourly, hourKey, () => ({ user_id: click.user_id, campaign_id: click.campaign_id, hour, ...zeroCounters() }), entries);
    const values = dimensionValues(click);
    for (const dimension of STORED_DIMENSIONS) {
      const value = values[dimension];
      const key = `${click.user_id}\u0000${click.campaign_id}\u0000${day}\u0000${dimension}\u0000${value}`;
      addTo(this.#daily, key, () => ({ user_id: click.user_id, campaign_id: click.campaign_id, day, dimension, value, ...zeroCounters() }), entries);
    }
    return this;
  }

  /** The rows to add, without those that net to nothing. */
  rows(): { hourly: ClickStatsHourlyTable[]; daily: ClickStatsDailyTable[] } {
    return { hourly: nonZero(this.#hourly), daily: nonZero(this.#daily) };
  }
}

function addTo<T extends Counters>(rows: Map<string, T>, key: string, create: () => T, entries: readonly [CounterName, number][]): void {
  let row = rows.get(key);
  if (!row) {
    row = create();
    rows.set(key, row);
  }
  for (const [name, amount] of entries) row[name] += amount;
}

const nonZero = <T extends Counters>(rows: Map<string, T>): T[] => [...rows.values()].filter((row) => COUNTER_NAMES.some((name) => row[name] !== 0));
