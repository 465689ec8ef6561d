import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Db } from '../../storage/database.ts';
import {
  CLICK_CONDITIONS,
  CLICK_COUNTERS,
  type ClickCondition,
  clickGroupOfRow,
  groupedColumns,
  type ClickGroup,
  type ClickGroupQuery,
  type ColumnFilter,
  type GroupColumn,
  type InsideRows,
  NUMERIC_GROUP_COLUMNS,
  type TopRows,
} from '../clicks/click-groups.repository.ts';
import { ALL_CAMPAIGNS } from '../stats/periods.ts';
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
  ...NUMERIC_GROUP_COLUMNS,
  'user_id',
  'created_at',
  'is_unique',
  'cost',
  'lp_clicked_at',
]);
const CONVERSION_COLUMNS = ['conversions', 'revenue', 'suspicious_conversions'] as const;

/** What is staged (as copied from the database); the copy's table adds each click's kind (kindSql). */
const STAGED_TYPES = [
  ...COPIED_COLUMNS.map((column) => `${column} ${NUMERIC.has(column) ? 'DOUBLE' : 'VARCHAR'}`),
  ...CONVERSION_COLUMNS.map((column) => `${column} DOUBLE`),
];
const CLICK_TYPES = [...STAGED_TYPES, 'kind UTINYINT'];
const CLICK_COLUMN_NAMES = CLICK_TYPES.map((type) => type.split(' ')[0]!);

/**
 * A click's kind: one bit per counter condition (CLICK_CONDITIONS, in their order) that it meets, worked
 * out once as it is copied. Counting fifteen counters over millions of clicks was mostly evaluating their
 * conditions on text columns, click by click; grouped by kind, a GROUP BY counts six sums and the
 * counters follow from a few dozen kinds (groupStatement).
 */
const KIND_BITS = new Map((Object.keys(CLICK_CONDITIONS) as ClickCondition[]).map((name, index) => [name, 1 << index]));
// A UTINYINT holds eight.
if (KIND_BITS.size > 8) throw new Error('a click kind has a bit per counter condition: at most eight');

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
  /**
   * The same GROUP BY (`query` a ranking read, one counter) cut to its top (TopRows), each group a row: those
   * with at least the `count`th largest value less `slack` (what the database holds beside the copy may add
   * to a row), with how many rows there are and how many of them are among `shared`. Undefined when a
   * value is longer than the report shows it (rows could merge).
   */
  top(
    query: ClickGroupQuery,
    stale: readonly string[],
    top: TopRows,
    beside: { readonly slack: number; readonly shared: InsideRows },
  ): Promise<{ groups: ClickGroup[]; rows: number; shared: number } | undefined>;
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
  // A copy made with other columns (an earlier version) is made again.
  const existing = (
    await connection.runAndReadAll(
      "select column_name from information_schema.columns where table_name = 'clicks' order by ordinal_position",
    )
  )
    .getRowObjectsJS()
    .map((row) => String(row.column_name));
  if (existing.length > 0 && existing.join() !== CLICK_COLUMN_NAMES.join()) {
    await connection.run('drop table clicks');
    await connection.run('drop table if exists copy_state');
  }
  await connection.run(`create table if not exists clicks (${CLICK_TYPES.join(', ')})`);
  await connection.run(
    'create table if not exists copy_state (watermark DOUBLE, cursor DOUBLE, synced_at DOUBLE, epoch DOUBLE)',
  );
  // Staging tables: filled by an appender outside the transaction, moved in inside it, emptied after.
  await connection.run(`create or replace table staged (${STAGED_TYPES.join(', ')})`);
  await connection.run('create or replace table stale (id VARCHAR)');
  const kind = kindSql(db);

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
        await connection.run(`insert into clicks select c.*, ${kind} from staged c`);
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
        const { text, values } = groupStatement(query, stale.length > 0);
        const reader = await connection.runAndReadAll(text, values);
        const inside = query.inside;
        // Where each of the page's columns goes among the keys k0…
        const placed = groupedColumns(query).flatMap((column, index) => {
          const at = inside ? inside.columns.indexOf(column) : -1;
          return at >= 0 ? [{ key: `k${index}`, at }] : [];
        });
        return reader.getRowObjectsJS().map((row) => {
          if (!inside) return clickGroupOfRow(withStoredCity(row, query), query);
          // A page's row number back to its values (null outside the page's rows).
          const values = row.i === null ? undefined : inside.rows[Number(row.i)];
          for (const { key, at } of placed) row[key] = values?.[at] ?? null;
          const group = clickGroupOfRow(row, query);
          return values ? group : { ...group, outside: true };
        });
      } finally {
        await connection.run('delete from stale');
      }
    },

    async top(query, stale, top, { slack, shared }) {
      await stage(connection, [], stale);
      try {
        const counted = { ...query, counters: [top.counter] };
        const { text, values } = groupStatement(counted, stale.length > 0, new Set(top.emptyIsNone));
        const keys = groupedColumns(query);
        const key = (column: GroupColumn) => `g.k${keys.indexOf(column)}`;
        const sharedSql =
          shared.rows.length > 0 ? `select count(*) from g join ${pageRows(shared, values, key)}` : 'select 0';
        // A key is the stored value itself: one longer than cutAt shows among the groups (bytes, not characters:
        // a superset, so never wrong), where a pass over the clicks took a tenth of the read.
        const long = top.cut.map((column) => `strlen(${key(column)}) > ${Number(top.cutAt)}`);
        const longSql = long.length > 0 ? `select count(*) from g where ${long.join(' or ')}` : 'select 0';
        values.push(slack);
        // A counter with no click of its kind sums to null, which counts as 0 (clickGroupOfRow).
        const v = `coalesce(g.${top.counter}, 0)`;
        const reader = await connection.runAndReadAll(
          `with g as materialized (${text}),
          t as (select ${v} as v from g order by 1 desc limit 1 offset ${Math.max(0, Math.floor(top.count) - 1)})
          select g.*, (select count(*) from g)::DOUBLE as total_rows, (${sharedSql})::DOUBLE as shared_rows,
            (${longSql})::DOUBLE as long_rows
          from g where ${v} >= coalesce((select v from t), 0) - ?`,
          values,
        );
        const rows = reader.getRowObjectsJS();
        if (Number(rows[0]?.long_rows ?? 0) > 0) return undefined;
        return {
          groups: rows.map((row) => clickGroupOfRow(withStoredCity(row, counted), counted)),
          rows: Number(rows[0]?.total_rows ?? 0),
          shared: Number(rows[0]?.shared_rows ?? 0),
        };
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
 * The kind of a staged click `c`, from the conditions the database's GROUP BY counts by, compiled once:
 * the copy counts exactly what a GROUP BY over the clicks counts. They carry no parameters, and both of
 * our dialects quote names as DuckDB does.
 */
function kindSql(db: Db): string {
  const bits = [...KIND_BITS].map(([name, bit]) => {
    const compiled = CLICK_CONDITIONS[name].compile(db);
    if (compiled.parameters.length > 0) throw new Error(`the ${name} condition has parameters`);
    return `(case when ${compiled.sql} then ${bit} else 0 end)`;
  });
  return `(${bits.join(' + ')})::UTINYINT`;
}

/** The click counters, each the sum of what it adds up (n: clicks, u: is_unique, s: cost) over the kinds it counts. */
const COUNTER_OF_KINDS = Object.entries(CLICK_COUNTERS).map(([name, { of, when }]) => {
  const sum = `sum(${of === 'click' ? 'n' : of === 'unique' ? 'u' : 's'})`;
  const mask = when.reduce((bits, condition) => bits | KIND_BITS.get(condition)!, 0);
  return { name, sql: mask === 0 ? sum : `${sum} filter (where kind & ${mask} = ${mask})` };
});
/** The counters that need no kind: counted straight from the clicks. */
const DIRECT_COUNTERS = new Map<string, string>([
  ['clicks', 'count(*)'],
  ['unique_clicks', 'sum(c.is_unique)'],
  ...CONVERSION_COLUMNS.map((name) => [name, `sum(c.${name})`] as const),
]);

/** stats/dimensions.ts cityWithCountry in SQL, uncut (null for none): the top read refuses a longer one. */
const CITY_ROW = (city: string, country: string) =>
  `(case when coalesce(${city}, '') = '' then null else ${city} || ', ' || coalesce(${country}, '??') end)`;
const RAW_CITY = 'raw_city';
const RAW_COUNTRY = 'raw_country';

/** Whether a read keys the city by its row (ClickGroupQuery.cityShown), not the page's rows standing for it. */
export function keyedAsCity(query: ClickGroupQuery): boolean {
  return query.cityShown === true && query.columns.includes('city') && !query.inside?.columns.includes('city');
}

/** A row keyed by its city row (keyedAsCity) with the city's and country's stored values back in their keys. */
function withStoredCity(row: Record<string, unknown>, query: ClickGroupQuery): Record<string, unknown> {
  if (!keyedAsCity(query)) return row;
  const columns = groupedColumns(query);
  row[`k${columns.indexOf('city')}`] = row[RAW_CITY];
  const country = columns.indexOf('country');
  if (country >= 0) row[`k${country}`] = row[RAW_COUNTRY];
  return row;
}

/** The counters a read sums, by name. */
const countersOf = (query: ClickGroupQuery): string[] =>
  (query.counters ?? [...COUNTER_OF_KINDS.map(({ name }) => name), ...CONVERSION_COLUMNS]).map(String);

/**
 * A read keyed by city row (keyedAsCity): grouped by the city and its country apart first, then those groups (a few
 * tens of thousands) merged by the row they show, with any one's stored values (withStoredCity). Joining the text
 * for each of millions of clicks took twice as long.
 */
function cityRowsStatement(
  query: ClickGroupQuery,
  hasStale: boolean,
  emptyIsNone: ReadonlySet<GroupColumn>,
): { text: string; values: DuckDBValue[] } {
  const { text, values } = groupStatement({ ...query, cityShown: false }, hasStale, emptyIsNone);
  const columns = groupedColumns(query);
  const city = `k${columns.indexOf('city')}`;
  const country = `k${columns.indexOf('country')}`;
  const times = Number(query.hourly === true) + Number(query.daily === true);
  const others = [
    ...columns.map((_, index) => `k${index}`),
    ...Array.from({ length: times }, (_, n) => `k${columns.length + n}`),
  ].filter((name) => name !== city && name !== country);
  const keys = [`${CITY_ROW(city, country)} as ${city}`, ...others];
  const raw = [`any_value(${city}) as ${RAW_CITY}`, `any_value(${country}) as ${RAW_COUNTRY}`];
  const sums = countersOf(query).map((name) => `sum(${name}) as ${name}`);
  // By position: the outer names are the inner's, and a name in GROUP BY would mean the inner column.
  const positions = keys.map((_, at) => String(at + 1)).join(', ');
  return { text: `select ${[...keys, ...raw, ...sums].join(', ')} from (${text}) r group by ${positions}`, values };
}

/** The GROUP BY of click-groups.repository.ts groupClicks, over the copy (no events: those read the database). */
function groupStatement(
  query: ClickGroupQuery,
  hasStale: boolean,
  emptyIsNone: ReadonlySet<GroupColumn> = new Set(),
): { text: string; values: DuckDBValue[] } {
  if (query.events) throw new Error('the columnar copy has no conversion events');
  if (keyedAsCity(query)) return cityRowsStatement(query, hasStale, emptyIsNone);
  const inside = query.inside;
  // Whole numbers from our own tables, written into the text as click-groups.repository.ts writes them.
  const alike = [...(query.pricedAlike ?? [])].filter(([id, like]) => id !== like);
  const campaign = query.acrossCampaigns
    ? `${ALL_CAMPAIGNS}`
    : alike.length > 0
      ? `(case c.campaign_id ${alike.map(([id, like]) => `when ${Number(id)} then ${Number(like)}`).join(' ')} else c.campaign_id end)`
      : 'c.campaign_id';
  // Keys k0… as groupClicks names them; a column of `inside` is no key: the page's row number (i) stands for it.
  const keys: Array<{ name: string; sql: string; constant?: boolean }> = [];
  groupedColumns(query).forEach((column, index) => {
    if (column === 'campaign_id') keys.push({ name: 'k0', sql: campaign, constant: query.acrossCampaigns === true });
    else if (!inside?.columns.includes(column))
      keys.push({ name: `k${index}`, sql: emptyIsNone.has(column) ? `nullif(c.${column}, '')` : `c.${column}` });
  });
  let next = groupedColumns(query).length;
  if (query.hourly) keys.push({ name: `k${next++}`, sql: `floor(c.created_at / ${HOUR})` });
  if (query.daily) keys.push({ name: `k${next}`, sql: `floor(c.created_at / ${DAY})` });
  const joined = inside !== undefined && inside.columns.length > 0 && inside.rows.length > 0;
  if (inside)
    keys.push(
      joined
        ? { name: 'i', sql: 'p.i' }
        : // No column: every click is in the page's one row; no row: none is.
          { name: 'i', sql: inside.columns.length === 0 && inside.rows.length > 0 ? '0' : 'null', constant: true },
    );
  const selected = keys.map(({ name, sql }) => `${sql} as ${name}`);
  // Grouped by the select list's names; a constant is selected, not grouped by.
  const grouping = keys.filter((key) => !key.constant).map(({ name }) => name);

  const values: DuckDBValue[] = [];
  const join = joined
    ? ` left join ${pageRows(inside, values, (column) => `c.${column}`, query.cityShown === true)}`
    : '';
  values.push(query.userId, query.from, query.to);
  const list: ListOf = (items, numeric) => {
    for (const item of items) values.push(numeric ? Number(item) : String(item));
    return items.map(() => '?').join(', ');
  };
  const conditions = ['c.user_id = ?', 'c.created_at >= ?', 'c.created_at < ?'];
  // Only when some clicks are stale: the anti-join costs a tenth of a second over millions of clicks.
  if (hasStale) conditions.push('c.id not in (select id from stale)');
  // Empty lists never reach here: the caller answers those with no groups, as groupClicks does.
  if (query.campaignIds) conditions.push(`c.campaign_id in (${list(query.campaignIds, true)})`);
  if (query.ids) conditions.push(`c.id in (${list(query.ids, false)})`);
  for (const filter of query.filters) conditions.push(inList(filter, list));
  const from = `from clicks c${join} where ${conditions.join(' and ')}`;
  const groupBy = (names: readonly string[]) => (names.length > 0 ? `group by ${names.join(', ')}` : '');

  const wanted = countersOf(query);
  if (wanted.every((name) => DIRECT_COUNTERS.has(name))) {
    const counted = wanted.map((name) => `${DIRECT_COUNTERS.get(name)!} as ${name}`);
    return { text: `select ${[...selected, ...counted].join(', ')} ${from} ${groupBy(grouping)}`, values };
  }
  // Per kind first, then the counters from the kinds' sums.
  const sums = ['c.kind as kind', 'count(*) as n', 'sum(c.is_unique) as u', 'sum(c.cost) as s'];
  sums.push(...CONVERSION_COLUMNS.map((name) => `sum(c.${name}) as ${name}`));
  const perKind = `select ${[...selected, ...sums].join(', ')} ${from} ${groupBy([...grouping, 'kind'])}`;
  const outer = keys.map(({ name, sql, constant }) => (constant ? `${sql} as ${name}` : name));
  const counters = [
    ...COUNTER_OF_KINDS.filter(({ name }) => wanted.includes(name)).map(({ name, sql }) => `${sql} as ${name}`),
    ...CONVERSION_COLUMNS.filter((name) => wanted.includes(name)).map((name) => `sum(${name}) as ${name}`),
  ];
  return {
    text: `select ${[...outer, ...counters].join(', ')} from (${perKind}) g ${groupBy(grouping)}`,
    values,
  };
}

/**
 * The rows of ClickGroupQuery.inside, numbered, to left-join the clicks `c` with (null matching null):
 * a hash join on the page's few hundred rows, where testing each click's values against lists of values
 * took up to 0.8 s over 8M clicks, and grouping by the row's number, not its text, halves the rest.
 */
function pageRows(
  inside: InsideRows,
  values: DuckDBValue[],
  matched: (column: GroupColumn) => string,
  cityShown = false,
): string {
  const city = inside.columns.indexOf('city');
  const country = inside.columns.indexOf('country');
  const asCity = cityShown && city >= 0 && country >= 0;
  const types = inside.columns.map((column) => (NUMERIC.has(column) ? 'DOUBLE' : 'VARCHAR'));
  const seen = new Set<string>();
  const rows: string[] = [];
  inside.rows.forEach((row, index) => {
    let shown = row;
    if (asCity) {
      // A city row (ClickGroupQuery.cityShown): its name ('' as none) and the country it shows ('??' for none),
      // no country for no name.
      const name = row[city] === '' ? null : (row[city] ?? null);
      shown = row.map((value, at) =>
        at === city ? name : at === country ? (name === null ? null : (value ?? '??')) : value,
      );
      // Rows that show alike are one (any places the same values back), or a click would join, and count, twice.
      const key = JSON.stringify(shown);
      if (seen.has(key)) return;
      seen.add(key);
    }
    shown.forEach((value, at) =>
      values.push(value === null ? null : types[at] === 'DOUBLE' ? Number(value) : String(value)),
    );
    rows.push(`(${[...types.map((type) => `?::${type}`), String(index)].join(', ')})`);
  });
  const names = [...inside.columns.map((_, at) => `v${at}`), 'i'];
  // As a city row: the name and the country cityWithCountry shows with it, none for no name (a country code holds
  // no ', ', so the two texts are equal when these are). Equalities only: a hash join, where an OR took 3 s.
  const name = `nullif(${matched('city')}, '')`;
  const on = inside.columns.map((column, at) => {
    const clicks =
      asCity && column === 'city'
        ? name
        : asCity && column === 'country'
          ? `(case when ${name} is null then null else coalesce(${matched('country')}, '??') end)`
          : matched(column);
    return `${clicks} is not distinct from p.v${at}`;
  });
  return `(values ${rows.join(', ')}) p(${names.join(', ')}) on ${on.join(' and ')}`;
}

type ListOf = (items: readonly (string | number)[], numeric: boolean) => string;

/** `column IN values`, or null too (ColumnFilter.orNull); false for a filter that matches nothing. */
function inList(filter: ColumnFilter, list: ListOf): string {
  const column = `c.${filter.column}`;
  const listed =
    filter.values.length > 0 ? `${column} in (${list(filter.values, NUMERIC.has(filter.column))})` : undefined;
  const isNull = filter.orNull ? `${column} is null` : undefined;
  return listed && isNull ? `(${listed} or ${isNull})` : (listed ?? isNull ?? 'false');
}
