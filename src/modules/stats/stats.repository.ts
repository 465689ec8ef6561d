import { sql, type Kysely, type RawBuilder } from 'kysely';
import { turnDue, yieldToEventLoop } from '../../keyset-pages.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import {
  COUNTER_NAMES,
  JOURNAL_COLUMNS,
  OWN_KEY_COLUMNS,
  PERIOD_KEY_COLUMNS,
  STATS_COUNTER_COLUMNS,
  type CounterName,
  type Counters,
} from './click-stats.table.ts';
import { TOTAL } from './dimensions.ts';
import {
  ALL_CAMPAIGNS,
  DAILY,
  DAY,
  HOURLY,
  WEEKLY,
  coverDays,
  coverHours,
  readableRanges,
  unfoldedRanges,
  type PeriodRange,
} from './periods.ts';
import { addSumRows, splitAtDay, type ClosedSums, type SumRow } from './closed-sums.ts';
import type { StatsDelta } from './stats-delta.ts';

/** Adds the delta's rows, with their all-campaigns and week copies, into click_stats_periods. */
export async function addStats(db: Db, dialect: DialectAdapter, delta: StatsDelta): Promise<void> {
  const rows = delta.rows();
  if (rows.length > 0)
    await dialect.addToCounters(
      db as unknown as Kysely<unknown>,
      'click_stats_periods',
      PERIOD_KEY_COLUMNS,
      STATS_COUNTER_COLUMNS,
      rows,
    );
}

const byDimension = (a: { dimension: string }, b: { dimension: string }) =>
  a.dimension < b.dimension ? -1 : a.dimension > b.dimension ? 1 : 0;

/**
 * Appends the delta's own rows to click_stats_journal, for the stats folder to add into the periods.
 * Grouped by dimension: a batch's rows land on consecutive pages in insertion order, and a report reads
 * the rows of one or two dimensions. Left in the order the clicks came, a dimension's rows were spread
 * over every page of every batch: a 2,000-click tail had a city report visit ~580 heap pages on
 * PostgreSQL for ~2,300 rows.
 */
export async function journalStats(db: Db, dialect: DialectAdapter, delta: StatsDelta): Promise<void> {
  const rows = delta.ownRows().sort(byDimension);
  if (rows.length > 0)
    await dialect.insertBatch(db as unknown as Kysely<unknown>, 'click_stats_journal', JOURNAL_COLUMNS, rows);
}

/**
 * Moves up to `limit` of the oldest journal rows into click_stats_periods, inside the caller's
 * transaction, and returns how many it moved. One INSERT … SELECT … GROUP BY adds the rows merged by
 * key, with their all-campaigns and week copies (periods.ts), under this process's `shard`: the
 * database does the merging, so no row travels to JavaScript and back (doing it there cost about three
 * times as much, most of it binding values: BENCHMARKS.md, "Measurements behind the code"). On PostgreSQL the rows are taken with
 * SKIP LOCKED, so folders on several nodes pass over each other's rows instead of waiting.
 */
export async function foldJournal(
  trx: Db,
  dialect: DialectAdapter,
  shard: number,
  limit: number,
  /** Start of the folder's UTC day: rows of earlier periods are late, and raise their account's click_stats_versions. */
  closedBefore: number,
): Promise<number> {
  // Shared: a week being built (buildClosedWeek) waits for the folds that read the old value, and folds
  // that start later add their days' week copies to it.
  const built = await weeksBuilt(trx, dialect.supportsRowLocks ? 'share' : undefined);
  const builtUntil = sql.lit(built.builtUntil);
  // Days of the week being built get their week copies for the keys built so far (buildClosedWeek).
  const building = (campaign: RawBuilder<unknown>) =>
    built.cursor
      ? sql` or (start < ${sql.lit(built.builtUntil + 7 * DAY)} and (user_id, dimension, ${campaign}) <= (${built.cursor.userId}, ${built.cursor.dimension}, ${built.cursor.campaignId}))`
      : sql``;
  const columns = (list: readonly { name: string }[]) => sql.join(list.map((column) => sql.ref(column.name)));
  const counters = columns(STATS_COUNTER_COLUMNS);
  const ownKey = columns(OWN_KEY_COLUMNS);
  const sums = sql.join(COUNTER_NAMES.map((name) => sql`sum(${sql.ref(name)}) as ${sql.ref(name)}`));
  // Literals, not parameters: PostgreSQL must see the same expression in SELECT and GROUP BY.
  const all = sql.lit(ALL_CAMPAIGNS);
  // Epoch day 0 was a Thursday, three days past a Monday (startOfWeek in periods.ts).
  const week = sql`(start - ((start / ${sql.lit(DAY)} + 3) % 7) * ${sql.lit(DAY)})`;
  const weekly = sql.lit(WEEKLY);
  const daily = sql.lit(DAILY);
  // The rows are merged by their own key once (`own`), and the three copies are summed from those merged
  // rows rather than from the journal's: each aggregate is a sum() of 22 counters per row it reads, and a
  // chunk's rows repeat keys (a busy campaign's hour, its countries), so the copies read fewer rows.
  // `own` is used four times, so both databases materialize it once (issue 24: the fold ~15 % cheaper on SQLite).
  // Week copies only for the weeks already built (migration 030): an open week's rows are summed from its
  // days when it ends, which halved the fold's work (BENCHMARKS.md, issue 24 part 2).
  const own = sql`own as (select ${ownKey}, ${sums} from taken group by ${ownKey})`;
  const merged = sql`
    select ${ownKey}, ${counters} from own
    union all select user_id, dimension, ${all}, hours, start, value, ${sums} from own group by user_id, dimension, hours, start, value
    union all select user_id, dimension, campaign_id, ${weekly}, ${week}, value, ${sums} from own where hours = ${daily} and (start < ${builtUntil}${building(sql`campaign_id`)}) group by user_id, dimension, campaign_id, ${week}, value
    union all select user_id, dimension, ${all}, ${weekly}, ${week}, value, ${sums} from own where hours = ${daily} and (start < ${builtUntil}${building(all)}) group by user_id, dimension, ${week}, value`;
  // Key order, so two writers of one shard (a misconfigured NODE_INDEX) lock rows in the same order.
  const add = sql`insert into click_stats_periods (${columns(PERIOD_KEY_COLUMNS)}, ${counters})
    select ${ownKey}, ${shard}, ${counters} from (${merged}) as merged
    where true order by ${ownKey}
    on conflict (${columns(PERIOD_KEY_COLUMNS)}) do update set
    ${sql.join(COUNTER_NAMES.map((name) => sql`${sql.ref(name)} = click_stats_periods.${sql.ref(name)} + excluded.${sql.ref(name)}`))}`;
  if (dialect.supportsSkipLocked) {
    // `= any(array(…))`, not `in (…)`: the ids are taken once (an InitPlan), then deleted by key. With `in`, a
    // journal last analyzed empty (a queue often is) got a nested-loop semi join that locked the chunk again for
    // every journal row: a fold of a 41k-row backlog ran for minutes (BENCHMARKS.md, "Reports", PostgreSQL).
    const result = await sql<{ n: string | number }>`with taken as (
        delete from click_stats_journal where id = any(array(select id from click_stats_journal order by id limit ${limit} for update skip locked)) returning *
      ), ${own}, added as (${add}), late as (${bumpLate(sql`taken`, closedBefore)})
      select count(*) as n from taken`.execute(trx);
    return Number(result.rows[0]?.n ?? 0);
  }
  // SQLite: one writer at a time, so the oldest rows are a range of ids nobody else is folding.
  const range = await sql<{
    lo: number | null;
    hi: number | null;
    n: number;
  }>`select min(id) as lo, max(id) as hi, count(*) as n from (select id from click_stats_journal order by id limit ${limit})`.execute(
    trx,
  );
  const { lo, hi, n } = range.rows[0] ?? { lo: null, hi: null, n: 0 };
  if (lo === null || hi === null) return 0;
  await sql`with taken as (select * from click_stats_journal where id between ${lo} and ${hi}), ${own} ${add}`.execute(
    trx,
  );
  await bumpLate(
    sql`(select user_id, start from click_stats_journal where id between ${lo} and ${hi})`,
    closedBefore,
  ).execute(trx);
  await sql`delete from click_stats_journal where id between ${lo} and ${hi}`.execute(trx);
  return Number(n);
}

/**
 * Raises click_stats_versions for each account with a row of `rows` (user_id, start) before `closedBefore`:
 * in the fold's transaction, so a reader that sees the version unchanged before and after its reads saw
 * no closed day change (closed-sums.ts). Rare: a click's rows are its own day's until a late conversion
 * or finding.
 */
function bumpLate(rows: RawBuilder<unknown>, closedBefore: number) {
  // `where true`: SQLite's parser would take ON CONFLICT as a join constraint of the SELECT.
  return sql`insert into click_stats_versions (user_id, version)
    select distinct user_id, 1 from ${rows} as late_rows where start < ${closedBefore} and true
    on conflict (user_id) do update set version = click_stats_versions.version + 1`;
}

/**
 * A step of building a week stops taking more keys after this long: on SQLite it holds the one writer, and
 * click batches wait behind it (one whole week of 800k day rows took 5 s in one transaction).
 */
const WEEK_BUILD_STEP_MS = 25;

/** What is built of the weeks (migration 030): weeks before `builtUntil`, and of the next one the keys up to `cursor`. */
interface WeeksBuilt {
  builtUntil: number;
  cursor: { userId: number; dimension: string; campaignId: number } | null;
}

/**
 * The weeks built so far. `lock`: PostgreSQL's row lock on the one row, which orders folds (share) against
 * the building of a week (update).
 */
async function weeksBuilt(db: Db, lock?: 'share' | 'update'): Promise<WeeksBuilt> {
  const row = await db
    .selectFrom('click_stats_weeks')
    .selectAll()
    .where('id', '=', 1)
    .$if(lock === 'share', (query) => query.forShare())
    .$if(lock === 'update', (query) => query.forUpdate())
    .executeTakeFirstOrThrow();
  return {
    builtUntil: Number(row.built_until),
    cursor:
      row.cursor_user === null || row.cursor_dimension === null || row.cursor_campaign === null
        ? null
        : { userId: Number(row.cursor_user), dimension: row.cursor_dimension, campaignId: Number(row.cursor_campaign) },
  };
}

/**
 * The end of the weeks reports may read whole (migration 030). A stale value is safe to read with: it only
 * ever grows, and a reader that has not seen a week built reads its days, which stay.
 */
export async function weeksBuiltUntil(db: Db): Promise<number> {
  return (await weeksBuilt(db)).builtUntil;
}

/**
 * One step of building the first unbuilt week's rows, once that week is over by `now`, inside the caller's
 * transaction: the week rows of up to `groups` (user, dimension, campaign) keys (the all-campaigns' among
 * them, campaign 0), in key order, each the sums of its folded days (every shard kept under its own),
 * written over whatever partial rows the week had. The fold adds week copies to the keys built so far
 * (foldJournal), so each key's week row stays exact from the step that built it; steps keep each
 * transaction short (one whole week of a busy install held SQLite's writer for seconds). After the last key
 * the week becomes readable whole. A step takes more keys only for WEEK_BUILD_STEP_MS. Returns whether there
 * was anything to do: call again until false.
 */
export async function buildClosedWeek(trx: Db, dialect: DialectAdapter, now: number, groups = 200): Promise<boolean> {
  const state = await weeksBuilt(trx, dialect.supportsRowLocks ? 'update' : undefined);
  const week = state.builtUntil;
  const end = week + 7 * DAY;
  if (end > now) return false;
  const key = (list: readonly { name: string }[]) => sql.join(list.map((column) => sql.ref(column.name)));
  const sums = sql.join(COUNTER_NAMES.map((name) => sql`sum(${sql.ref(name)})`));
  let cursor = state.cursor;
  const started = performance.now();
  for (let i = 0; i < groups && (i === 0 || performance.now() - started < WEEK_BUILD_STEP_MS); i++) {
    const next = await trx
      .selectFrom('click_stats_periods')
      .select(['user_id', 'dimension', 'campaign_id'])
      .$if(cursor !== null, (query) =>
        query.where(
          (eb) => eb.refTuple('user_id', 'dimension', 'campaign_id'),
          '>',
          (eb) => eb.tuple(cursor!.userId, cursor!.dimension, cursor!.campaignId),
        ),
      )
      .orderBy('user_id')
      .orderBy('dimension')
      .orderBy('campaign_id')
      .limit(1)
      .executeTakeFirst();
    if (!next) {
      await trx
        .updateTable('click_stats_weeks')
        .set({ built_until: end, cursor_user: null, cursor_dimension: null, cursor_campaign: null })
        .where('id', '=', 1)
        .execute();
      return true;
    }
    cursor = { userId: Number(next.user_id), dimension: next.dimension, campaignId: Number(next.campaign_id) };
    await sql`insert into click_stats_periods (${key(PERIOD_KEY_COLUMNS)}, ${key(STATS_COUNTER_COLUMNS)})
      select user_id, dimension, campaign_id, ${sql.lit(WEEKLY)}, ${sql.lit(week)}, value, shard, ${sums}
      from click_stats_periods
      where user_id = ${cursor.userId} and dimension = ${cursor.dimension} and campaign_id = ${cursor.campaignId}
        and hours = ${sql.lit(DAILY)} and start >= ${sql.lit(week)} and start < ${sql.lit(end)}
      group by user_id, dimension, campaign_id, value, shard
      order by value, shard
      on conflict (${key(PERIOD_KEY_COLUMNS)}) do update set
      ${sql.join(COUNTER_NAMES.map((name) => sql`${sql.ref(name)} = excluded.${sql.ref(name)}`))}`.execute(trx);
  }
  await trx
    .updateTable('click_stats_weeks')
    .set({ cursor_user: cursor!.userId, cursor_dimension: cursor!.dimension, cursor_campaign: cursor!.campaignId })
    .where('id', '=', 1)
    .execute();
  return true;
}

/**
 * Clears the journal's dead row versions (PostgreSQL). Every fold deletes the rows it moved, and reports
 * read the journal through its index: until a vacuum, a bitmap scan visits every dead row of the range
 * again (it does not mark them dead in the index, as a plain index scan does). Autovacuum looks at a
 * table about once a minute (autovacuum_naptime), by when a busy server has left over a million, and a
 * report wading through them took a hundred times longer (BENCHMARKS.md, "Measurements behind the code").
 */
export async function vacuumJournal(db: Db, dialect: DialectAdapter): Promise<void> {
  await dialect.vacuum(db as unknown as Kysely<unknown>, 'click_stats_journal');
}

export interface StatsFilter {
  userId: number;
  /** Where the sums of closed days are kept between reads (closed-sums.ts); none: all read each time. */
  closed?: ClosedSums;
  campaignId?: number;
  /** Epoch ms; `to` exclusive. Hour-aligned for totals, day-aligned for dimension values. */
  from: number;
  to: number;
}

/** Summing only the counters a response shows: each one is an aggregate step per row read. */
const sumsOf = (names: readonly CounterName[]) =>
  names.map((name) => sql<number>`coalesce(sum(${sql.ref(name)}), 0)`.as(name));

/**
 * Counters from their values in `names` order (a missing one is 0). A plain loop: Object.fromEntries over
 * mapped pairs took more than twice as long for a city breakdown (BENCHMARKS.md, "Measurements behind the code").
 */
function countersOf<N extends CounterName>(values: readonly unknown[], names: readonly N[]): Pick<Counters, N> {
  const counters = {} as Pick<Counters, N>;
  for (let i = 0; i < names.length; i++) counters[names[i]!] = Number(values[i] ?? 0);
  return counters;
}

/** The columns a report sums by. */
type SumKey = 'start' | 'campaign_id' | 'value';

/**
 * The counters of `rows` summed per `keys`, fetched as one JSON text (DialectAdapter.jsonRows): each
 * result row comes back as its keys' values and its counters in `names` order. With `versionOf`, also
 * that account's click_stats_versions number, read in the same statement, so from the same snapshot as
 * the sums (closed-sums.ts); 0 without.
 */
async function sumBy<N extends CounterName>(
  db: Db,
  dialect: DialectAdapter,
  rows: NonNullable<ReturnType<typeof periodRows>>,
  keys: readonly SumKey[],
  names: readonly N[],
  versionOf?: number,
) {
  const grouped = db.selectFrom(rows.as('p')).select(keys).select(sumsOf(names)).groupBy(keys).as('g');
  const columns = [...keys, ...names].map((column) => sql.ref(`g.${column}`));
  const result = await db
    .selectFrom(grouped)
    .select(dialect.jsonRows(columns).as('rows'))
    .$if(versionOf !== undefined, (query) =>
      query.select((eb) =>
        eb.selectFrom('click_stats_versions').select('version').where('user_id', '=', versionOf!).as('version'),
      ),
    )
    .executeTakeFirst();
  const version = Number((result as { version?: number | string | null } | undefined)?.version ?? 0);
  const parsed = JSON.parse(result?.rows ?? '[]') as unknown[][];
  const sums: Array<{ keys: unknown[]; counters: Pick<Counters, N> }> = [];
  for (const [index, row] of parsed.entries()) {
    if (turnDue(index)) await yieldToEventLoop();
    sums.push({ keys: row.slice(0, keys.length), counters: countersOf(row.slice(keys.length), names) });
  }
  return { sums, version };
}

/**
 * The counters of the rows of `query`'s periods and of the journal, summed per `keys`: sumBy over
 * periodRows, with the closed days' part kept in `closed` under the account's click_stats_versions
 * number (closed-sums.ts). Each statement reads the number from its own snapshot: the open days and the
 * journal are added to kept sums only when read under the same number, i.e. when no fold has changed a
 * closed day (and so moved its rows out of the journal this read takes whole) since the sums were read.
 * Otherwise the read is one statement over everything, as without `closed`.
 */
async function sumPeriods<N extends CounterName>(
  db: Db,
  dialect: DialectAdapter,
  query: PeriodQuery,
  keys: readonly SumKey[],
  names: readonly N[],
  closed: ClosedSums | undefined,
): Promise<Array<SumRow<Pick<Counters, N>>>> {
  const whole = async () => {
    const rows = periodRows(db, query, keys, names);
    return rows ? (await sumBy(db, dialect, rows, keys, names)).sums : [];
  };
  if (!closed || query.campaignIds.length === 0) return whole();
  const split = splitAtDay(query.ranges, closed.closedBefore());
  if (split.closed.length === 0) return whole();
  const live = periodRows(db, { ...query, ranges: split.open }, keys, names, unfoldedRanges(query.ranges));
  if (!live) return whole();
  const now = await sumBy(db, dialect, live, keys, names, query.userId);
  const cacheKey = JSON.stringify([query.userId, query.dimensions, query.campaignIds, split.closed, keys, names]);
  let past = closed.get<Pick<Counters, N>>(cacheKey, now.version);
  if (!past) {
    const rows = periodRows(db, { ...query, ranges: split.closed }, keys, names, []);
    const read = rows ? await sumBy(db, dialect, rows, keys, names, query.userId) : { sums: [], version: now.version };
    closed.set(cacheKey, read.version, read.sums);
    if (read.version !== now.version) return whole();
    past = read.sums;
  }
  return addSumRows(past, now.sums, keys.length, names);
}

interface PeriodQuery {
  userId: number;
  dimensions: readonly string[];
  campaignIds: readonly number[];
  ranges: readonly PeriodRange[];
}

/** `ranges` as they can be read now: the weeks not built yet (weeksBuiltUntil) as their days. */
async function readable(
  db: Db,
  ranges: readonly PeriodRange[],
  closed: ClosedSums | undefined,
): Promise<readonly PeriodRange[]> {
  if (!ranges.some((range) => range.hours === WEEKLY)) return ranges;
  const builtUntil = closed ? await closed.weeksBuiltUntil(() => weeksBuiltUntil(db)) : await weeksBuiltUntil(db);
  return readableRanges(ranges, builtUntil);
}

/**
 * The rows of some periods, for some campaigns (or ALL_CAMPAIGNS): one UNION ALL branch per stretch of
 * periods of one length, so each branch is a key-range read (an OR of ranges may be planned as one wide scan).
 */
function periodRows(
  db: Db,
  query: PeriodQuery,
  columns: readonly SumKey[],
  names: readonly CounterName[],
  /** The unfolded rows to add: by default those of `query.ranges`. */
  journalRanges: readonly PeriodRange[] = unfoldedRanges(query.ranges),
) {
  if (query.campaignIds.length === 0) return undefined;
  const counters = (range: PeriodRange) =>
    range.subtract ? names.map((name) => sql<number>`-${sql.ref(name)}`.as(name)) : names;
  const periods = (range: PeriodRange) =>
    db
      .selectFrom('click_stats_periods')
      .select([...columns, ...counters(range)])
      .where('user_id', '=', query.userId)
      .where('dimension', 'in', query.dimensions)
      .where('campaign_id', 'in', query.campaignIds)
      .where('hours', '=', range.hours)
      .where('start', '>=', range.from)
      .where('start', '<', range.to);
  // The same span's rows not folded yet: only campaigns' own hours and days (unfoldedRanges), and for all
  // campaigns every campaign's. Read in the same statement, so from the same snapshot as the periods: a
  // fold commits its removal from the journal with its addition to the periods.
  // ALL_CAMPAIGNS' share of the journal is every campaign's rows, under ALL_CAMPAIGNS (so a read of the
  // all-campaigns rows beside some campaigns' own, as splitByTerms does, gets each unfolded row in both).
  const allCampaigns = query.campaignIds.includes(ALL_CAMPAIGNS);
  const own = query.campaignIds.filter((id) => id !== ALL_CAMPAIGNS);
  const journal = (range: PeriodRange, ids: readonly number[] | undefined) =>
    db
      .selectFrom('click_stats_journal')
      .select(
        columns.map((column) =>
          column === 'campaign_id' && !ids ? sql<number>`${sql.lit(ALL_CAMPAIGNS)}`.as('campaign_id') : column,
        ),
      )
      .select(names)
      .where('user_id', '=', query.userId)
      .where('dimension', 'in', query.dimensions)
      .$if(ids !== undefined, (branch) => branch.where('campaign_id', 'in', ids!))
      .where('hours', '=', range.hours)
      .where('start', '>=', range.from)
      .where('start', '<', range.to);
  const journals = [...(allCampaigns ? [undefined] : []), ...(own.length > 0 ? [own] : [])];
  // The two tables share these column names and types; Kysely types a builder by its table, so one is cast to the other.
  const branches = [
    ...query.ranges.map(periods),
    ...journalRanges.flatMap((range) =>
      journals.map((ids) => journal(range, ids) as unknown as ReturnType<typeof periods>),
    ),
  ];
  const [first, ...rest] = branches;
  return first ? rest.reduce((union, branch) => union.unionAll(branch), first) : undefined;
}

/**
 * Totals per campaign (each campaign has its own cost model) over an hour-aligned range: whole weeks and
 * days, and hours at the ends when the range starts or ends off midnight UTC (a time zone). `campaignIds`
 * are the campaigns to read, every one of the account's when the filter names none.
 */
export async function sumPerCampaign<N extends CounterName = CounterName>(
  db: Db,
  dialect: DialectAdapter,
  filter: StatsFilter,
  campaignIds: readonly number[],
  names: readonly N[] = COUNTER_NAMES as readonly CounterName[] as readonly N[],
): Promise<Map<number, Pick<Counters, N>>> {
  const ids = filter.campaignId === undefined ? campaignIds : [filter.campaignId];
  const sums = await sumPeriods(
    db,
    dialect,
    {
      userId: filter.userId,
      dimensions: [TOTAL],
      campaignIds: ids,
      ranges: await readable(db, coverHours(filter.from, filter.to), filter.closed),
    },
    ['campaign_id'],
    names,
    filter.closed,
  );
  return new Map(sums.map((row) => [Number(row.keys[0]), row.counters]));
}

/**
 * Totals per UTC hour, for time-of-day and per-day views in any zone; per UTC day (`period` DAILY, a
 * day-aligned range) where the zone's days are UTC days: 24 times fewer rows.
 */
export async function sumPerHour<N extends CounterName>(
  db: Db,
  dialect: DialectAdapter,
  filter: StatsFilter,
  names: readonly N[],
  period: typeof HOURLY | typeof DAILY = HOURLY,
): Promise<Array<{ hour: number; counters: Pick<Counters, N> }>> {
  const ranges = filter.from < filter.to ? [{ hours: period, from: filter.from, to: filter.to }] : [];
  // One row per hour and writing process (shard): summed per hour.
  const hours = await sumPeriods(
    db,
    dialect,
    { userId: filter.userId, dimensions: [TOTAL], campaignIds: [filter.campaignId ?? ALL_CAMPAIGNS], ranges },
    ['start'],
    names,
    filter.closed,
  );
  return hours.map((row) => ({ hour: Number(row.keys[0]), counters: row.counters }));
}

/**
 * Sums per value of one dimension over whole UTC days, from the ALL_CAMPAIGNS rows unless the filter
 * names a campaign. Clicks without a value have no rows of their own (stats-delta.ts): they are the
 * totals of the same periods minus the values, under ''. Values and totals come from one statement, so
 * from one snapshot: a click batch committed between two reads would skew the difference. `names`
 * must include clicks.
 */
export async function sumPerValue<N extends CounterName>(
  db: Db,
  dialect: DialectAdapter,
  filter: StatsFilter & { dimension: string },
  names: readonly N[],
  /** A conversion dimension (event): values are kept by their conversions, and there is no '' remainder. */
  conversionsOnly = false,
): Promise<Array<{ value: string; counters: Pick<Counters, N> }>> {
  const query = {
    userId: filter.userId,
    dimensions: [filter.dimension, TOTAL],
    campaignIds: [filter.campaignId ?? ALL_CAMPAIGNS],
    ranges: await readable(db, coverDays(filter.from, filter.to), filter.closed),
  };
  // Grouped by value alone: the totals' rows are the only ones whose value is '' (a dimension has no rows
  // for ''), and each key column less in the database's sort made a city breakdown ~15% cheaper on SQLite.
  const sums = (await sumPeriods(db, dialect, query, ['value'], names, filter.closed)).map((row) => ({
    value: String(row.keys[0]),
    counters: row.counters,
  }));
  // A value seen only on days taken away from a week (periods.ts) sums to no clicks: it has none in the range.
  const kept = (counters: Partial<Counters>) =>
    conversionsOnly ? counters.conversions !== 0 || counters.revenue !== 0 : counters.clicks !== 0;
  const values = sums.filter((row) => row.value !== TOTAL && kept(row.counters));
  if (conversionsOnly) return values;
  const unvalued = { ...(sums.find((row) => row.value === TOTAL)?.counters ?? countersOf([], names)) };
  for (const { counters } of values) for (const name of names) unvalued[name] -= counters[name];
  if (((unvalued as Partial<Counters>).clicks ?? 0) > 0) values.push({ value: '', counters: unvalued });
  return values;
}

/**
 * Totals per campaign and UTC hour over [from, to): the hours a day's set cost is shared out over, campaign
 * by campaign; per campaign and UTC day with `period` DAILY (a day-aligned range), as sumPerHour.
 */
export async function sumPerCampaignHour<N extends CounterName>(
  db: Db,
  dialect: DialectAdapter,
  filter: { userId: number; campaignIds: readonly number[]; from: number; to: number; closed?: ClosedSums },
  names: readonly N[],
  period: typeof HOURLY | typeof DAILY = HOURLY,
): Promise<Array<{ campaignId: number; hour: number; counters: Pick<Counters, N> }>> {
  const ranges = filter.from < filter.to ? [{ hours: period, from: filter.from, to: filter.to }] : [];
  const sums = await sumPeriods(
    db,
    dialect,
    { userId: filter.userId, dimensions: [TOTAL], campaignIds: filter.campaignIds, ranges },
    ['campaign_id', 'start'],
    names,
    filter.closed,
  );
  return sums.map((row) => ({ campaignId: Number(row.keys[0]), hour: Number(row.keys[1]), counters: row.counters }));
}

/**
 * Sums per campaign and value of one dimension (and per UTC day with `perDay`, whose `ranges` are then
 * days only), each campaign's clicks without a value under '' as sumPerValue has them. For reports whose
 * campaigns are charged differently (each has its own cost model) and for days with a set cost.
 */
export async function sumPerCampaignValue<N extends CounterName>(
  db: Db,
  dialect: DialectAdapter,
  query: {
    userId: number;
    dimension: string;
    campaignIds: readonly number[];
    ranges: readonly PeriodRange[];
    perDay: boolean;
    closed?: ClosedSums;
  },
  names: readonly N[],
  /** A conversion dimension (event): values are kept by their conversions, and there is no '' remainder. */
  conversionsOnly = false,
): Promise<Array<{ campaignId: number; day: number; value: string; counters: Pick<Counters, N> }>> {
  const keys: SumKey[] = query.perDay ? ['campaign_id', 'start', 'value'] : ['campaign_id', 'value'];
  const sums = await sumPeriods(
    db,
    dialect,
    {
      userId: query.userId,
      dimensions: [query.dimension, TOTAL],
      campaignIds: query.campaignIds,
      ranges: await readable(db, query.ranges, query.closed),
    },
    keys,
    names,
    query.closed,
  );
  const groups = new Map<
    string,
    { total?: Pick<Counters, N>; values: Array<{ value: string; counters: Pick<Counters, N> }> }
  >();
  for (const [index, row] of sums.entries()) {
    if (turnDue(index)) await yieldToEventLoop();
    const campaignId = Number(row.keys[0]);
    const day = query.perDay ? Number(row.keys[1]) : 0;
    const value = String(row.keys[keys.length - 1]);
    const key = `${campaignId}\u0000${day}`;
    let group = groups.get(key);
    if (!group) {
      group = { values: [] };
      groups.set(key, group);
    }
    const counters = row.counters as Partial<Counters>;
    if (value === TOTAL) group.total = row.counters;
    else if (conversionsOnly ? counters.conversions !== 0 || counters.revenue !== 0 : counters.clicks !== 0)
      group.values.push({ value, counters: row.counters });
  }
  const result: Array<{ campaignId: number; day: number; value: string; counters: Pick<Counters, N> }> = [];
  let index = 0;
  for (const [key, group] of groups) {
    if (turnDue(index++)) await yieldToEventLoop();
    const [campaignId, day] = key.split('\u0000').map(Number) as [number, number];
    const unvalued = { ...(group.total ?? countersOf([], names)) };
    for (const { counters } of group.values) for (const name of names) unvalued[name] -= counters[name];
    for (const { value, counters } of group.values) result.push({ campaignId, day, value, counters });
    if (!conversionsOnly && ((unvalued as Partial<Counters>).clicks ?? 0) > 0)
      result.push({ campaignId, day, value: '', counters: unvalued });
  }
  return result;
}
