import { sql, type Kysely } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { COUNTER_NAMES, DAILY_KEY_COLUMNS, HOURLY_KEY_COLUMNS, STATS_COUNTER_COLUMNS, type Counters } from './click-stats.table.ts';
import type { StatsDelta } from './stats-delta.ts';

export async function addStats(db: Db, dialect: DialectAdapter, delta: StatsDelta): Promise<void> {
  const { hourly, daily } = delta.rows();
  const raw = db as unknown as Kysely<unknown>;
  if (hourly.length > 0) await dialect.addToCounters(raw, 'click_stats_hourly', HOURLY_KEY_COLUMNS, STATS_COUNTER_COLUMNS, hourly);
  if (daily.length > 0) await dialect.addToCounters(raw, 'click_stats_daily', DAILY_KEY_COLUMNS, STATS_COUNTER_COLUMNS, daily);
}

export interface StatsFilter {
  userId: number;
  campaignId?: number;
  /** Epoch ms; `to` exclusive. Hour-aligned for hourly reads, day-aligned for daily ones. */
  from: number;
  to: number;
}

const sumsOf = () => COUNTER_NAMES.map((name) => sql<number>`coalesce(sum(${sql.ref(name)}), 0)`.as(name));

const toCounters = (row: Record<string, unknown>): Counters =>
  Object.fromEntries(COUNTER_NAMES.map((name) => [name, Number(row[name] ?? 0)])) as Counters;

function hourly(db: Db, filter: StatsFilter) {
  let query = db.selectFrom('click_stats_hourly').where('user_id', '=', filter.userId).where('hour', '>=', filter.from).where('hour', '<', filter.to);
  if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
  return query.select(sumsOf());
}

/** Totals per campaign (each campaign has its own cost model). */
export async function sumPerCampaign(db: Db, filter: StatsFilter): Promise<Map<number, Counters>> {
  const rows = await hourly(db, filter).select('campaign_id').groupBy('campaign_id').execute();
  return new Map(rows.map((row) => [Number(row.campaign_id), toCounters(row)]));
}

/** Totals per UTC hour, for time-of-day and per-day views in any zone. */
export async function sumPerHour(db: Db, filter: StatsFilter): Promise<Array<{ hour: number; counters: Counters }>> {
  const rows = await hourly(db, filter).select('hour').groupBy('hour').execute();
  return rows.map((row) => ({ hour: Number(row.hour), counters: toCounters(row) }));
}

/** Sums per value of one dimension over whole UTC days. */
export async function sumPerValue(db: Db, filter: StatsFilter & { dimension: string }): Promise<Array<{ value: string; counters: Counters }>> {
  let query = db
    .selectFrom('click_stats_daily')
    .where('user_id', '=', filter.userId)
    .where('dimension', '=', filter.dimension)
    .where('day', '>=', filter.from)
    .where('day', '<', filter.to);
  if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
  const rows = await query.select(sumsOf()).select('value').groupBy('value').execute();
  return rows.map((row) => ({ value: row.value, counters: toCounters(row) }));
}
