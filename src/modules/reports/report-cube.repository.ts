import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { ClickGroup, GroupColumn } from '../clicks/click-groups.repository.ts';
import { DAY } from '../stats/periods.ts';
import {
  CUBE_COUNTERS,
  CUBE_COUNTER_COLUMNS,
  CUBE_DIMENSIONS,
  CUBE_KEY_COLUMNS,
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

/**
 * A report's groups from the cube, in the shape of a GROUP BY over the clicks (click-groups.repository.ts),
 * so the report service prices and merges them alike: one GROUP BY over the range's day rows (one key range
 * per account, as the key starts with the account and the day), summed per campaign and grouped values. The
 * cube keeps days at every dimension only, so a week is the sum of its days and a grouping without os or
 * browser sums over them here: more rows read, one row written per click combination.
 */
export async function groupCube(db: Db, dialect: DialectAdapter, query: CubeQuery): Promise<ClickGroup[]> {
  if (query.from >= query.to || query.campaignIds?.length === 0) return [];
  for (const filter of query.filters) if (filter.values.length === 0) return [];
  const columns = [...new Set(query.columns)];
  const keys = ['campaign_id', ...columns, ...(query.perDay ? ['start'] : [])];
  const where: RawBuilder<unknown>[] = [
    sql`user_id = ${query.userId}`,
    sql`start >= ${query.from}`,
    sql`start < ${query.to}`,
  ];
  if (query.campaignIds) where.push(sql`campaign_id in (${sql.join(query.campaignIds)})`);
  for (const filter of query.filters) where.push(sql`${sql.ref(filter.column)} in (${sql.join(filter.values)})`);
  const sums = CUBE_COUNTERS.map((name) => sql`sum(${sql.ref(name)}) as ${sql.ref(name)}`);
  const grouped = sql`select ${sql.join(keys.map((key) => sql.ref(key)))}, ${sql.join(sums)} from report_cube where ${sql.join(where, sql` and `)} group by ${sql.join(keys.map((key) => sql.ref(key)))}`;
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
 * Deletes the cube's periods that ended at or before `cutoff` (the click retention's): at most `limit`
 * rows per statement, so the tracker's writes wait for one short batch; returns how many.
 */
export async function pruneCube(db: Db, cutoff: number, limit: number): Promise<number> {
  const result = await sql`delete from report_cube where (user_id, start, campaign_id, ${sql.join(
    CUBE_DIMENSIONS.map((name) => sql.ref(name)),
  )}, shard) in (
      select user_id, start, campaign_id, ${sql.join(CUBE_DIMENSIONS.map((name) => sql.ref(name)))}, shard
      from report_cube where start + ${DAY} <= ${cutoff} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
