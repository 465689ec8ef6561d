import { sql, type Kysely } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { COUNTER_NAMES, STATS_COUNTER_COLUMNS, STATS_KEY_COLUMNS, type ClickStatsTable, type Counters } from './click-stats.table.ts';

export async function addStats(db: Db, dialect: DialectAdapter, rows: readonly ClickStatsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await dialect.addToCounters(db as unknown as Kysely<unknown>, 'click_stats', STATS_KEY_COLUMNS, STATS_COUNTER_COLUMNS, rows);
}

export interface StatsFilter {
  userId: number;
  campaignId?: number;
  dimension: string;
  /** Epoch ms, hour-aligned; `to` exclusive. */
  from: number;
  to: number;
}

function sums(db: Db, filter: StatsFilter) {
  let query = db
    .selectFrom('click_stats')
    .where('user_id', '=', filter.userId)
    .where('dimension', '=', filter.dimension)
    .where('hour', '>=', filter.from)
    .where('hour', '<', filter.to);
  if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
  return query.select(COUNTER_NAMES.map((name) => sql<number>`coalesce(sum(${sql.ref(name)}), 0)`.as(name)));
}

const toCounters = (row: Record<string, unknown>): Counters =>
  Object.fromEntries(COUNTER_NAMES.map((name) => [name, Number(row[name] ?? 0)])) as Counters;

/** Totals per campaign (each campaign has its own cost model). */
export async function sumPerCampaign(db: Db, filter: Omit<StatsFilter, 'dimension'>): Promise<Map<number, Counters>> {
  const rows = await sums(db, { ...filter, dimension: '' }).select('campaign_id').groupBy('campaign_id').execute();
  return new Map(rows.map((row) => [Number(row.campaign_id), toCounters(row)]));
}

/** Sums per value of one dimension. */
export async function sumPerValue(db: Db, filter: StatsFilter): Promise<Array<{ value: string; counters: Counters }>> {
  const rows = await sums(db, filter).select('value').groupBy('value').execute();
  return rows.map((row) => ({ value: row.value, counters: toCounters(row) }));
}

/** Totals per UTC hour, for time-of-day and per-day views in any zone. */
export async function sumPerHour(db: Db, filter: Omit<StatsFilter, 'dimension'>): Promise<Array<{ hour: number; counters: Counters }>> {
  const rows = await sums(db, { ...filter, dimension: '' }).select('hour').groupBy('hour').execute();
  return rows.map((row) => ({ hour: Number(row.hour), counters: toCounters(row) }));
}
