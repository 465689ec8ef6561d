import { sql, type Kysely } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { COUNTER_NAMES, HOURLY_KEY_COLUMNS, PERIOD_KEY_COLUMNS, STATS_COUNTER_COLUMNS, type CounterName, type Counters } from './click-stats.table.ts';
import { TOTAL } from './dimensions.ts';
import { ALL_CAMPAIGNS, DAY, coverDays } from './periods.ts';
import type { StatsDelta } from './stats-delta.ts';

export async function addStats(db: Db, dialect: DialectAdapter, delta: StatsDelta): Promise<void> {
  const { hourly, periods } = delta.rows();
  const raw = db as unknown as Kysely<unknown>;
  if (hourly.length > 0) await dialect.addToCounters(raw, 'click_stats_hourly', HOURLY_KEY_COLUMNS, STATS_COUNTER_COLUMNS, hourly);
  if (periods.length > 0) await dialect.addToCounters(raw, 'click_stats_periods', PERIOD_KEY_COLUMNS, STATS_COUNTER_COLUMNS, periods);
}

export interface StatsFilter {
  userId: number;
  campaignId?: number;
  /** Epoch ms; `to` exclusive. Hour-aligned for hourly reads, day-aligned for daily ones. */
  from: number;
  to: number;
}

/** Summing only the counters a response shows: each one is an aggregate step per row read. */
const sumsOf = (names: readonly CounterName[]) => names.map((name) => sql<number>`coalesce(sum(${sql.ref(name)}), 0)`.as(name));

const countersOf = <N extends CounterName>(row: Record<string, unknown>, names: readonly N[]): Pick<Counters, N> =>
  Object.fromEntries(names.map((name) => [name, Number(row[name] ?? 0)])) as Pick<Counters, N>;

function hourly(db: Db, filter: StatsFilter, names: readonly CounterName[]) {
  let query = db.selectFrom('click_stats_hourly').where('user_id', '=', filter.userId).where('hour', '>=', filter.from).where('hour', '<', filter.to);
  if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
  return query.select(sumsOf(names));
}

/**
 * The period rows of whole UTC days [from, to) for some campaigns (or ALL_CAMPAIGNS): whole weeks, then
 * days at the ends, each a key-range read (one UNION ALL branch each, so every branch seeks its range).
 */
function periodRows(db: Db, where: { userId: number; dimension: string; campaignIds: readonly number[]; from: number; to: number }, names: readonly CounterName[]) {
  const branches = coverDays(where.from, where.to).map((range) =>
    db
      .selectFrom('click_stats_periods')
      .select(['campaign_id', 'value', ...names])
      .where('user_id', '=', where.userId)
      .where('dimension', '=', where.dimension)
      .where('campaign_id', 'in', where.campaignIds)
      .where('days', '=', range.days)
      .where('day', '>=', range.from)
      .where('day', '<', range.to),
  );
  const [first, ...rest] = branches;
  return first && where.campaignIds.length > 0 ? rest.reduce((union, branch) => union.unionAll(branch), first) : undefined;
}

function addInto(sums: Map<number, Counters>, campaignId: number, row: Record<string, unknown>): void {
  let sum = sums.get(campaignId);
  if (!sum) sums.set(campaignId, (sum = countersOf({}, COUNTER_NAMES)));
  for (const name of COUNTER_NAMES) sum[name] += Number(row[name] ?? 0);
}

/**
 * Totals per campaign (each campaign has its own cost model) over an hour-aligned range: its whole UTC
 * days from the periods' totals, the hours before the first and after the last from the hourly rows
 * (only when the range starts or ends off midnight UTC: a time zone). `campaignIds` are the campaigns to
 * read, every one of the account's when the filter names none.
 */
export async function sumPerCampaign(db: Db, filter: StatsFilter, campaignIds: readonly number[]): Promise<Map<number, Counters>> {
  const ids = filter.campaignId === undefined ? campaignIds : [filter.campaignId];
  const firstDay = Math.ceil(filter.from / DAY) * DAY;
  const lastDay = Math.floor(filter.to / DAY) * DAY;
  const sums = new Map<number, Counters>();
  if (firstDay >= lastDay) {
    for (const row of await hourly(db, filter, COUNTER_NAMES).select('campaign_id').groupBy('campaign_id').execute()) addInto(sums, Number(row.campaign_id), row);
    return sums;
  }
  const edges = [{ from: filter.from, to: firstDay }, { from: lastDay, to: filter.to }].filter((edge) => edge.from < edge.to);
  const days = periodRows(db, { userId: filter.userId, dimension: TOTAL, campaignIds: ids, from: firstDay, to: lastDay }, COUNTER_NAMES);
  const reads = [
    ...edges.map((edge) => hourly(db, { ...filter, ...edge }, COUNTER_NAMES).select('campaign_id').groupBy('campaign_id').execute()),
    days ? db.selectFrom(days.as('p')).select('campaign_id').select(sumsOf(COUNTER_NAMES)).groupBy('campaign_id').execute() : Promise.resolve([]),
  ];
  for (const rows of await Promise.all(reads)) for (const row of rows) addInto(sums, Number(row.campaign_id), row);
  return sums;
}

/** Totals per UTC hour, for time-of-day and per-day views in any zone. */
export async function sumPerHour<N extends CounterName>(db: Db, filter: StatsFilter, names: readonly N[]): Promise<Array<{ hour: number; counters: Pick<Counters, N> }>> {
  const rows = await hourly(db, filter, names).select('hour').groupBy('hour').execute();
  return rows.map((row) => ({ hour: Number(row.hour), counters: countersOf(row, names) }));
}

/** Sums per value of one dimension over whole UTC days, read from the ALL_CAMPAIGNS rows unless the filter names a campaign. */
export async function sumPerValue<N extends CounterName>(
  db: Db,
  filter: StatsFilter & { dimension: string },
  names: readonly N[],
): Promise<Array<{ value: string; counters: Pick<Counters, N> }>> {
  const rows = periodRows(db, { userId: filter.userId, dimension: filter.dimension, campaignIds: [filter.campaignId ?? ALL_CAMPAIGNS], from: filter.from, to: filter.to }, names);
  if (!rows) return [];
  const sums = await db.selectFrom(rows.as('p')).select('value').select(sumsOf(names)).groupBy('value').execute();
  return sums.map((row) => ({ value: row.value, counters: countersOf(row, names) }));
}
