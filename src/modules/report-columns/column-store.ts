import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Db } from '../../storage/database.ts';
import {
  CLICK_COUNTER_SQL,
  clickGroupOfRow,
  groupedColumns,
  type ClickGroup,
  type ClickGroupQuery,
} from '../clicks/click-groups.repository.ts';
import { COPIED_COLUMNS, type CopiedClick, type CopiedColumn } from './report-columns.repository.ts';

/**
 * The columnar copy of the clicks (issue 20): one DuckDB file per process, read for the reports that
 * neither the rollups nor the cube answer (a sub id beside a country, three levels with a city…). DuckDB
 * because those reports are a GROUP BY over millions of rows of a few columns: a column store reads only
 * those columns, compressed, on both cores, where SQLite and PostgreSQL read whole rows on one
 * (BENCHMARKS.md, "Sub-id reports from a columnar copy"). Only this file imports DuckDB.
 */

/** Copied columns held as numbers; the rest are text. Every id and time here is a safe integer, so DOUBLE. */
const NUMERIC: ReadonlySet<CopiedColumn> = new Set([
  'user_id',
  'created_at',
  'campaign_id',
  'offer_id',
  'lander_id',
  'path',
  'asn',
  'is_verified_bot',
  'is_unique',
  'cost',
  'lp_clicked_at',
]);
const CONVERSION_COLUMNS = ['conversions', 'revenue', 'suspicious_conversions'] as const;

const COLUMN_TYPES = [
  ...COPIED_COLUMNS.map((column) => `${column} ${NUMERIC.has(column) ? 'DOUBLE' : 'VARCHAR'}`),
  ...CONVERSION_COLUMNS.map((column) => `${column} DOUBLE`),
].join(', ');

/** How far the copy has got: every click made before `watermark`, every change up to `cursor`. */
export interface CopyState {
  readonly watermark: number;
  readonly cursor: number;
  /** Epoch ms of the last sync: a copy left longer than the changes are kept is made again. */
  readonly syncedAt: number;
  /** The database's number (report-columns.repository.ts columnsEpoch) the copy was made from. */
  readonly epoch: number;
}

export interface ColumnStore {
  state(): Promise<CopyState>;
  /**
   * In one transaction: drops `removed` clicks (the ones copied again are among them), adds `clicks`,
   * drops clicks made before `before`, and moves the state on.
   */
  apply(change: {
    readonly clicks: readonly CopiedClick[];
    readonly removed?: readonly string[];
    readonly before?: number;
    readonly state: Partial<CopyState>;
  }): Promise<void>;
  /** Throws everything away (another database, or a copy left too long) and starts at `state`. */
  reset(state: CopyState): Promise<void>;
  /** The groups of a click GROUP BY over the copy's clicks in [from, to), less the clicks `stale`. */
  group(query: ClickGroupQuery, stale: readonly string[]): Promise<ClickGroup[]>;
  rows(): Promise<number>;
  close(): void;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

export async function openColumnStore(path: string, db: Db, options: { memoryMb: number }): Promise<ColumnStore> {
  const instance = await DuckDBInstance.create(path, {
    memory_limit: `${options.memoryMb}MB`,
    // Two cores on the machines this is measured on; more threads would only contend with the tracker.
    threads: '2',
  });
  const connection = await instance.connect();
  await connection.run(`create table if not exists clicks (${COLUMN_TYPES})`);
  await connection.run(
    'create table if not exists copy_state (watermark DOUBLE, cursor DOUBLE, synced_at DOUBLE, epoch DOUBLE)',
  );
  // Staging tables: filled by an appender outside the transaction, moved in inside it, emptied after.
  await connection.run(`create or replace table staged (${COLUMN_TYPES})`);
  await connection.run('create or replace table stale (id VARCHAR)');
  const counters = compiledCounters(db);

  const readState = async (): Promise<CopyState> => {
    const rows = (await connection.runAndReadAll('select * from copy_state')).getRowObjectsJS();
    const row = rows[0];
    if (!row) return { watermark: 0, cursor: 0, syncedAt: 0, epoch: 0 };
    return {
      watermark: Number(row.watermark),
      cursor: Number(row.cursor),
      syncedAt: Number(row.synced_at),
      epoch: Number(row.epoch),
    };
  };

  const writeState = async (state: CopyState) => {
    await connection.run('delete from copy_state');
    await connection.run('insert into copy_state values (?, ?, ?, ?)', [
      state.watermark,
      state.cursor,
      state.syncedAt,
      state.epoch,
    ]);
  };

  const inTransaction = async (work: () => Promise<void>) => {
    await connection.run('begin transaction');
    try {
      await work();
      await connection.run('commit');
    } catch (error) {
      await connection.run('rollback');
      throw error;
    }
  };

  return {
    state: readState,

    async apply({ clicks, removed = [], before, state }) {
      await stage(connection, clicks, removed);
      const current = await readState();
      await inTransaction(async () => {
        if (removed.length > 0) await connection.run('delete from clicks where id in (select id from stale)');
        if (before !== undefined) await connection.run('delete from clicks where created_at < ?', [before]);
        await connection.run('insert into clicks select * from staged');
        await writeState({ ...current, ...state });
      });
      await connection.run('delete from staged');
      await connection.run('delete from stale');
    },

    async reset(state) {
      await inTransaction(async () => {
        await connection.run('delete from clicks');
        await writeState(state);
      });
    },

    async group(query, stale) {
      await stage(connection, [], stale);
      try {
        const { text, values } = groupStatement(query, counters);
        const reader = await connection.runAndReadAll(text, values);
        return reader.getRowObjectsJS().map((row) => clickGroupOfRow(row, query));
      } finally {
        await connection.run('delete from stale');
      }
    },

    async rows() {
      const reader = await connection.runAndReadAll('select count(*)::DOUBLE as n from clicks');
      return Number(reader.getRowObjectsJS()[0]?.n ?? 0);
    },

    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Fills the staging tables through appenders: DuckDB's bulk path, many times faster than INSERTs. */
async function stage(connection: DuckDBConnection, clicks: readonly CopiedClick[], stale: readonly string[]) {
  if (clicks.length > 0) {
    const appender = await connection.createAppender('staged');
    try {
      for (const click of clicks) {
        for (const column of COPIED_COLUMNS) appendValue(appender, click[column], NUMERIC.has(column));
        for (const column of CONVERSION_COLUMNS) appender.appendDouble(Number(click[column] ?? 0));
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
  if (stale.length > 0) {
    const appender = await connection.createAppender('stale');
    try {
      for (const id of stale) {
        appender.appendVarchar(id);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
}

function appendValue(appender: DuckDBAppender, value: string | number | null, numeric: boolean): void {
  if (value === null || value === undefined) appender.appendNull();
  else if (numeric) appender.appendDouble(Number(value));
  else appender.appendVarchar(String(value));
}

/**
 * The counters as click-groups.repository.ts counts them, compiled once from the same expressions: the
 * copy counts exactly what a GROUP BY over the clicks counts. They carry no parameters, and both of our
 * dialects quote names as DuckDB does.
 */
function compiledCounters(db: Db): string[] {
  const counters = Object.entries(CLICK_COUNTER_SQL).map(([name, expression]) => {
    const compiled = expression.compile(db);
    if (compiled.parameters.length > 0) throw new Error(`the ${name} counter has parameters`);
    return `${compiled.sql} as ${name}`;
  });
  return [
    ...counters,
    'sum(c.conversions) as conversions',
    'sum(c.revenue) as revenue',
    'sum(c.suspicious_conversions) as suspicious_conversions',
  ];
}

/** The GROUP BY of click-groups.repository.ts groupClicks, over the copy (no events: those read the database). */
function groupStatement(query: ClickGroupQuery, counters: readonly string[]): { text: string; values: DuckDBValue[] } {
  if (query.events) throw new Error('the columnar copy has no conversion events');
  // Whole numbers from our own tables, written into the text as click-groups.repository.ts writes them.
  const alike = [...(query.pricedAlike ?? [])].filter(([id, like]) => id !== like);
  const campaign =
    alike.length > 0
      ? `(case c.campaign_id ${alike.map(([id, like]) => `when ${Number(id)} then ${Number(like)}`).join(' ')} else c.campaign_id end)`
      : 'c.campaign_id';
  const keys: string[] = groupedColumns(query).map((column) => (column === 'campaign_id' ? campaign : `c.${column}`));
  if (query.hourly) keys.push(`floor(c.created_at / ${HOUR})`);
  if (query.daily) keys.push(`floor(c.created_at / ${DAY})`);
  const values: DuckDBValue[] = [query.userId, query.from, query.to];
  const where = ['c.user_id = ?', 'c.created_at >= ?', 'c.created_at < ?', 'c.id not in (select id from stale)'];
  const list = (items: readonly (string | number)[], numeric: boolean) => {
    for (const item of items) values.push(numeric ? Number(item) : String(item));
    return items.map(() => '?').join(', ');
  };
  // Empty lists never reach here: the caller answers those with no groups, as groupClicks does.
  if (query.campaignIds) where.push(`c.campaign_id in (${list(query.campaignIds, true)})`);
  if (query.ids) where.push(`c.id in (${list(query.ids, false)})`);
  for (const filter of query.filters)
    where.push(`c.${filter.column} in (${list(filter.values, NUMERIC.has(filter.column))})`);
  const selected = keys.map((key, index) => `${key} as k${index}`);
  const text = `select ${[...selected, ...counters].join(', ')} from clicks c where ${where.join(' and ')}
    group by ${keys.join(', ')}`;
  return { text, values };
}
