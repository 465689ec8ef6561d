import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { ClickGroup, GroupColumn } from '../clicks/click-groups.repository.ts';
import { DAILY, DAY, HOUR, WEEKLY, startOfWeek } from '../stats/periods.ts';
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
}

const ID_COLUMNS = new Set<CubeDimension>(['offer_id', 'lander_id']);

/** A stretch of periods of report_cube_folded read whole: days or weeks starting in [from, to). */
interface FoldedStretch {
  readonly hours: number;
  readonly from: number;
  readonly to: number;
}

/**
 * The folded periods that make up the UTC days [from, to): the whole weeks inside it, and the days
 * before the first and after the last (at most six at each end). No week sticking out of the range is
 * read and given back: a read never touches a period that starts before `from`, so what the retention
 * pruned before the range (report-cube-plan.ts `since`) cannot be missing from it. Per day: days only.
 */
export function foldedStretches(from: number, to: number, perDay: boolean): FoldedStretch[] {
  const firstWeek = startOfWeek(from) === from ? from : startOfWeek(from) + 7 * DAY;
  const lastWeek = startOfWeek(to);
  if (perDay || firstWeek >= lastWeek) return [{ hours: DAILY, from, to }];
  const stretches: FoldedStretch[] = [];
  if (from < firstWeek) stretches.push({ hours: DAILY, from, to: firstWeek });
  stretches.push({ hours: WEEKLY, from: firstWeek, to: lastWeek });
  if (lastWeek < to) stretches.push({ hours: DAILY, from: lastWeek, to });
  return stretches;
}

/**
 * A report's groups from the cube, in the shape of a GROUP BY over the clicks (click-groups.repository.ts),
 * so the report service prices and merges them alike. One statement, so one snapshot: the folded periods
 * (report_cube_folded: whole weeks and the edge days, at the narrow grain when neither os nor browser is
 * grouped or filtered) plus every row of report_cube in the range that the background folder has not moved
 * yet (report-cube-folder.ts); a fold moves rows in one transaction, so the sum is exact at any moment.
 * Each branch is a key range (account, grain, period, start first), summed per campaign and grouped values.
 */
export async function groupCube(db: Db, dialect: DialectAdapter, query: CubeQuery): Promise<ClickGroup[]> {
  if (query.from >= query.to || query.campaignIds?.length === 0) return [];
  for (const filter of query.filters) if (filter.values.length === 0) return [];
  const columns = [...new Set(query.columns)];
  const wide = [...columns, ...query.filters.map((filter) => filter.column)].some((column) =>
    WIDE_DIMENSIONS.has(column),
  );
  const grain = wide ? FULL_GRAIN : NARROW_GRAIN;
  const keys = ['campaign_id', ...columns, ...(query.perDay ? ['start'] : [])];
  const selected = sql.join([...keys, ...CUBE_COUNTERS].map((key) => sql.ref(key)));
  const rest: RawBuilder<unknown>[] = [];
  if (query.campaignIds) rest.push(sql`campaign_id in (${sql.join(query.campaignIds)})`);
  for (const filter of query.filters) rest.push(sql`${sql.ref(filter.column)} in (${sql.join(filter.values)})`);
  const branch = (table: string, where: RawBuilder<unknown>[]) =>
    sql`select ${selected} from ${sql.table(table)} where ${sql.join([...where, ...rest], sql` and `)}`;
  const branches = foldedStretches(query.from, query.to, query.perDay).map((stretch) =>
    branch('report_cube_folded', [
      sql`user_id = ${query.userId}`,
      sql`grain = ${grain}`,
      sql`hours = ${stretch.hours}`,
      sql`start >= ${stretch.from}`,
      sql`start < ${stretch.to}`,
    ]),
  );
  branches.push(
    branch('report_cube', [sql`user_id = ${query.userId}`, sql`start >= ${query.from}`, sql`start < ${query.to}`]),
  );
  const union = sql.join(branches, sql` union all `);
  const sums = CUBE_COUNTERS.map((name) => sql`sum(${sql.ref(name)}) as ${sql.ref(name)}`);
  const grouped = sql`select ${sql.join(keys.map((key) => sql.ref(key)))}, ${sql.join(sums)} from (${union}) as p group by ${sql.join(keys.map((key) => sql.ref(key)))}`;
  // One JSON text rather than a JavaScript object per row (DialectAdapter.jsonRows).
  const values = [...keys, ...CUBE_COUNTERS].map((name) => sql.ref(`g.${name}`));
  const result = await sql<{
    rows: string | null;
  }>`select ${dialect.jsonRows(values)} as rows from (${grouped}) as g`.execute(db);
  const rows = JSON.parse(result.rows[0]?.rows ?? '[]') as Array<Array<string | number | null>>;
  const groups: ClickGroup[] = [];
  for (const row of rows) {
    // A combination whose changes net to nothing (a verdict moved, a conversion rejected) has no clicks.
    const counters = {} as ClickGroup['counters'];
    let any = false;
    CUBE_COUNTERS.forEach((name, index) => {
      const value = Number(row[keys.length + index] ?? 0);
      counters[name] = value;
      if (value !== 0 && Math.abs(value) > 1e-9) any = true;
    });
    if (!any) continue;
    const values = {} as Record<GroupColumn, string | number | null>;
    columns.forEach((column, index) => {
      const value = row[index + 1] ?? null;
      values[column] = value === '' || (ID_COLUMNS.has(column) && Number(value) === 0) ? null : value;
    });
    const start = query.perDay ? Number(row[keys.length - 1]) : 0;
    groups.push({ keys: values, campaignId: Number(row[0]), hour: start, day: start, event: '', counters });
  }
  return groups;
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
