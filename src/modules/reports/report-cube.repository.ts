import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { ClickGroup, GroupColumn } from '../clicks/click-groups.repository.ts';
import { ALL_CAMPAIGNS, DAILY, DAY, HOUR, WEEKLY, startOfWeek } from '../stats/periods.ts';
import {
  CUBE_COUNTERS,
  CUBE_COUNTER_COLUMNS,
  CUBE_DIMENSIONS,
  CUBE_KEY_COLUMNS,
  FULL_GRAIN,
  NARROW_GRAIN,
  WIDE_DIMENSIONS,
  type CubeDimension,
  type ReportCubeTable,
} from './report-cube.table.ts';

/** Adds a batch's cube rows (report-cube-delta.ts) inside the caller's transaction. */
export async function addToCube(trx: Db, dialect: DialectAdapter, rows: readonly ReportCubeTable[]): Promise<void> {
  if (rows.length > 0)
    await dialect.addToCounters(
      trx as unknown as Kysely<unknown>,
      'report_cube',
      CUBE_KEY_COLUMNS,
      CUBE_COUNTER_COLUMNS,
      rows,
    );
}

export interface CubeQuery {
  readonly userId: number;
  /** Only these campaigns; all the account's when absent. */
  readonly campaignIds?: readonly number[];
  /** The UTC days read: from the day starting at `from` to the one before `to` (both whole days). */
  readonly from: number;
  readonly to: number;
  /** Grouped by, beside campaign_id. */
  readonly columns: readonly CubeDimension[];
  /** Also grouped by the period's start (the ranges are then days only). */
  readonly perDay: boolean;
  /** `column IN values`; ids as numbers, text as text, none as '' or 0. */
  readonly filters: ReadonlyArray<{ column: CubeDimension; values: readonly (string | number)[] }>;
  /**
   * All the account's campaigns (no `campaignIds`) at the narrow grain, read as the all-campaigns rows
   * (ALL_CAMPAIGNS) and these campaigns' own: groups come back under ALL_CAMPAIGNS for every other campaign
   * (the all-campaigns rows less these campaigns') and under each of these. For a report not per campaign
   * whose campaigns are not all charged alike: the biggest set charged alike is priced as one
   * (report-cube-plan.ts cubeSplit), so 1 + (the others) sets of rows are read instead of one per campaign.
   */
  readonly allBut?: readonly number[];
}

const ID_COLUMNS = new Set<CubeDimension>(['offer_id', 'lander_id']);

/** A stretch of periods of report_cube_folded read whole: days or weeks starting in [from, to). */
interface FoldedStretch {
  readonly hours: number;
  readonly from: number;
  readonly to: number;
  /** Days after the range, of the last week read whole: their rows are taken away, not added. */
  readonly subtract?: true;
}

/**
 * The folded periods that make up the UTC days [from, to): the whole weeks inside it, the days before the
 * first (at most six), and after the last either its days or, from five days on, the whole week less the
 * days after the range (one period and at most two taken away instead of five or six: when the range ends
 * today, the days taken away have no rows yet). No week sticking out before the range is read: a read never
 * touches a period that starts before `from`, so what the retention pruned before the range
 * (report-cube-plan.ts `since`) cannot be missing from it; the days after it are pruned after it. Per day:
 * days only.
 */
export function foldedStretches(from: number, to: number, perDay: boolean): FoldedStretch[] {
  const firstWeek = startOfWeek(from) === from ? from : startOfWeek(from) + 7 * DAY;
  const lastWeek = startOfWeek(to);
  if (perDay || firstWeek > lastWeek) return [{ hours: DAILY, from, to }];
  const stretches: FoldedStretch[] = [];
  if (from < firstWeek) stretches.push({ hours: DAILY, from, to: firstWeek });
  const tail = (to - lastWeek) / DAY;
  const wholeTail = tail >= 5;
  const weeksTo = wholeTail ? lastWeek + 7 * DAY : lastWeek;
  if (firstWeek < weeksTo) stretches.push({ hours: WEEKLY, from: firstWeek, to: weeksTo });
  if (wholeTail) {
    if (to < weeksTo) stretches.push({ hours: DAILY, from: to, to: weeksTo, subtract: true });
  } else if (lastWeek < to) stretches.push({ hours: DAILY, from: Math.max(from, lastWeek), to });
  return stretches;
}

/**
 * A report's groups from the cube, in the shape of a GROUP BY over the clicks (click-groups.repository.ts),
 * so the report service prices and merges them alike. One statement, so one snapshot: the folded periods
 * (report_cube_folded: whole weeks and the edge days, at the narrow grain when neither os nor browser is
 * grouped or filtered) plus every row of report_cube in the range that the background folder has not moved
 * yet (report-cube-folder.ts); a fold moves rows in one transaction, so the sum is exact at any moment.
 * Each branch is a key range (account, grain, period, start first), summed per campaign and grouped values.
 * With `allBut`, the all-campaigns rows stand for every campaign (report_cube's rows are read under
 * ALL_CAMPAIGNS too), and the campaigns read apart are taken away from them here.
 */
export async function groupCube(db: Db, dialect: DialectAdapter, query: CubeQuery): Promise<ClickGroup[]> {
  if (query.from >= query.to || query.campaignIds?.length === 0) return [];
  for (const filter of query.filters) if (filter.values.length === 0) return [];
  const columns = [...new Set(query.columns)];
  const wide = [...columns, ...query.filters.map((filter) => filter.column)].some((column) =>
    WIDE_DIMENSIONS.has(column),
  );
  const grain = wide ? FULL_GRAIN : NARROW_GRAIN;
  // The all-campaigns rows are kept at the narrow grain only.
  const allBut = !wide && !query.campaignIds ? query.allBut : undefined;
  const keys = ['campaign_id', ...columns, ...(query.perDay ? ['start'] : [])];
  const values = [...columns, ...(query.perDay ? ['start'] : [])].map((key) => sql.ref(key));
  const counters = (sign: 1 | -1) =>
    CUBE_COUNTERS.map((name) => (sign === 1 ? sql.ref(name) : sql`-${sql.ref(name)} as ${sql.ref(name)}`));
  const select = (campaign: RawBuilder<unknown>, sign: 1 | -1) => sql.join([campaign, ...values, ...counters(sign)]);
  const filters: RawBuilder<unknown>[] = [];
  for (const filter of query.filters) filters.push(sql`${sql.ref(filter.column)} in (${sql.join(filter.values)})`);
  const where = (conditions: RawBuilder<unknown>[]) => sql.join([...conditions, ...filters], sql` and `);
  // Which campaigns' rows a branch reads, and under which campaign id they are summed.
  const campaignId = sql.ref('campaign_id');
  const own = (ids: readonly number[]) => sql`campaign_id in (${sql.join(ids)})`;
  const readings: Array<{ as: RawBuilder<unknown>; folded: RawBuilder<unknown>[]; hot: RawBuilder<unknown>[] }> = [];
  if (allBut) {
    // Folded: the all-campaigns rows. Not folded yet: every campaign's rows, under ALL_CAMPAIGNS.
    readings.push({
      as: sql`${sql.lit(ALL_CAMPAIGNS)} as campaign_id`,
      folded: [sql`campaign_id = ${ALL_CAMPAIGNS}`],
      hot: [],
    });
    if (allBut.length > 0) readings.push({ as: campaignId, folded: [own(allBut)], hot: [own(allBut)] });
  } else
    readings.push({
      as: campaignId,
      // Every campaign's own rows: not the narrow grain's all-campaigns ones, which sum them again.
      folded: query.campaignIds ? [own(query.campaignIds)] : [sql`campaign_id <> ${ALL_CAMPAIGNS}`],
      hot: query.campaignIds ? [own(query.campaignIds)] : [],
    });
  const branches: RawBuilder<unknown>[] = [];
  for (const reading of readings) {
    for (const stretch of foldedStretches(query.from, query.to, query.perDay))
      branches.push(
        sql`select ${select(reading.as, stretch.subtract ? -1 : 1)} from report_cube_folded where ${where([
          sql`user_id = ${query.userId}`,
          sql`grain = ${grain}`,
          sql`hours = ${stretch.hours}`,
          sql`start >= ${stretch.from}`,
          sql`start < ${stretch.to}`,
          ...reading.folded,
        ])}`,
      );
    branches.push(
      sql`select ${select(reading.as, 1)} from report_cube where ${where([
        sql`user_id = ${query.userId}`,
        sql`start >= ${query.from}`,
        sql`start < ${query.to}`,
        ...reading.hot,
      ])}`,
    );
  }
  const union = sql.join(branches, sql` union all `);
  const sums = CUBE_COUNTERS.map((name) => sql`sum(${sql.ref(name)}) as ${sql.ref(name)}`);
  const grouped = sql`select ${sql.join(keys.map((key) => sql.ref(key)))}, ${sql.join(sums)} from (${union}) as p group by ${sql.join(keys.map((key) => sql.ref(key)))}`;
  // One JSON text rather than a JavaScript object per row (DialectAdapter.jsonRows).
  const fields = [...keys, ...CUBE_COUNTERS].map((name) => sql.ref(`g.${name}`));
  const result = await sql<{
    rows: string | null;
  }>`select ${dialect.jsonRows(fields)} as rows from (${grouped}) as g`.execute(db);
  const rows = JSON.parse(result.rows[0]?.rows ?? '[]') as Array<Array<string | number | null>>;
  const groups: ClickGroup[] = [];
  // The campaigns read apart from the all-campaigns rows are taken away from them, value by value.
  const rest = new Map<string, ClickGroup>();
  const restKey = (row: ReadonlyArray<string | number | null>) => JSON.stringify(row.slice(1, keys.length));
  const apart = allBut ? new Set(allBut) : undefined;
  for (const row of rows) {
    const counters = {} as ClickGroup['counters'];
    CUBE_COUNTERS.forEach((name, index) => (counters[name] = Number(row[keys.length + index] ?? 0)));
    const group = toGroup(row, counters, columns, query.perDay, keys.length);
    if (apart && group.campaignId === ALL_CAMPAIGNS) rest.set(restKey(row), group);
    else groups.push(group);
  }
  if (apart)
    for (const row of rows) {
      if (!apart.has(Number(row[0]))) continue;
      const whole = rest.get(restKey(row));
      if (!whole) continue;
      CUBE_COUNTERS.forEach((name, index) => (whole.counters[name] -= Number(row[keys.length + index] ?? 0)));
    }
  // A combination whose changes net to nothing (a verdict moved, a conversion rejected) has no clicks.
  const counted = (group: ClickGroup) => CUBE_COUNTERS.some((name) => Math.abs(group.counters[name]) > 1e-9);
  return [...groups, ...rest.values()].filter(counted);
}

function toGroup(
  row: ReadonlyArray<string | number | null>,
  counters: ClickGroup['counters'],
  columns: readonly CubeDimension[],
  perDay: boolean,
  keyCount: number,
): ClickGroup {
  const values = {} as Record<GroupColumn, string | number | null>;
  columns.forEach((column, index) => {
    const value = row[index + 1] ?? null;
    values[column] = value === '' || (ID_COLUMNS.has(column) && Number(value) === 0) ? null : value;
  });
  const start = perDay ? Number(row[keyCount - 1]) : 0;
  return { keys: values, campaignId: Number(row[0]), hour: start, day: start, event: '', counters };
}

/**
 * Deletes the cube's periods that ended at or before `cutoff` (the click retention's), not folded
 * (report_cube) and folded (report_cube_folded; a week is kept until its last day is due): at most `limit`
 * rows per statement, so the tracker's writes wait for one short batch; returns how many (< limit: done).
 */
export async function pruneCube(db: Db, cutoff: number, limit: number): Promise<number> {
  const dims = sql.join(CUBE_DIMENSIONS.map((name) => sql.ref(name)));
  const hot = await sql`delete from report_cube where (user_id, start, campaign_id, ${dims}, shard) in (
      select user_id, start, campaign_id, ${dims}, shard
      from report_cube where start + ${DAY} <= ${cutoff} limit ${limit})`.execute(db);
  const hotRows = Number(hot.numAffectedRows ?? 0);
  if (hotRows >= limit) return hotRows;
  const folded =
    await sql`delete from report_cube_folded where (user_id, grain, hours, start, campaign_id, ${dims}) in (
      select user_id, grain, hours, start, campaign_id, ${dims}
      from report_cube_folded where start + hours * ${HOUR} <= ${cutoff} limit ${limit - hotRows})`.execute(db);
  return hotRows + Number(folded.numAffectedRows ?? 0);
}
