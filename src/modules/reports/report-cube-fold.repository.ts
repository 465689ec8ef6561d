import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { ALL_CAMPAIGNS, DAILY, DAY, WEEKLY } from '../stats/periods.ts';
import { CUBE_COUNTERS, CUBE_DIMENSIONS, FULL_GRAIN, NARROW_GRAIN, WIDE_DIMENSIONS } from './report-cube.table.ts';

const ref = (name: string) => sql.ref(name);
const list = (names: readonly string[]) => sql.join(names.map(ref));

/** report_cube's key (migration 028), in its order: how a chunk is taken and deleted. */
const HOT_KEY = ['user_id', 'start', 'campaign_id', ...CUBE_DIMENSIONS, 'shard'] as const;
/** report_cube_folded's key (migration 029). */
const FOLDED_KEY = ['user_id', 'grain', 'hours', 'start', 'campaign_id', ...CUBE_DIMENSIONS] as const;
/** A hot row's combination without its shard: folded rows are merged over the writers' shards. */
const OWN_KEY = ['user_id', 'start', 'campaign_id', ...CUBE_DIMENSIONS] as const;

/**
 * The six copies of the merged rows (`own`), in report_cube_folded's column order: full-grain days (as
 * they are), full-grain weeks, narrow-grain days and narrow-grain weeks (os and browser folded to ''), and
 * the narrow days and weeks again over all the account's campaigns (campaign ALL_CAMPAIGNS, migration 031),
 * which a report not per campaign reads instead of every campaign's (report-cube.repository.ts groupCube).
 * Literals, not parameters: PostgreSQL must see the same expression in SELECT and GROUP BY.
 */
function copies(): RawBuilder<unknown> {
  const sums = sql.join(CUBE_COUNTERS.map((name) => sql`sum(${ref(name)})`));
  // Epoch day 0 was a Thursday, three days past a Monday (periods.ts startOfWeek).
  const week = sql`(start - ((start / ${sql.lit(DAY)} + 3) % 7) * ${sql.lit(DAY)})`;
  const full = sql.lit(FULL_GRAIN);
  const narrow = sql.lit(NARROW_GRAIN);
  const daily = sql.lit(DAILY);
  const weekly = sql.lit(WEEKLY);
  const all = sql.lit(ALL_CAMPAIGNS);
  const dims = list(CUBE_DIMENSIONS);
  const kept = CUBE_DIMENSIONS.filter((name) => !WIDE_DIMENSIONS.has(name));
  const narrowDims = sql.join(CUBE_DIMENSIONS.map((name) => (WIDE_DIMENSIONS.has(name) ? sql`''` : ref(name))));
  return sql`
    select user_id, ${full} as grain, ${daily} as hours, start, campaign_id, ${dims}, ${list(CUBE_COUNTERS)} from own
    union all select user_id, ${full}, ${weekly}, ${week}, campaign_id, ${dims}, ${sums} from own
      group by user_id, ${week}, campaign_id, ${dims}
    union all select user_id, ${narrow}, ${daily}, start, campaign_id, ${narrowDims}, ${sums} from own
      group by user_id, start, campaign_id, ${list(kept)}
    union all select user_id, ${narrow}, ${weekly}, ${week}, campaign_id, ${narrowDims}, ${sums} from own
      group by user_id, ${week}, campaign_id, ${list(kept)}
    union all select user_id, ${narrow}, ${daily}, start, ${all}, ${narrowDims}, ${sums} from own
      group by user_id, start, ${list(kept)}
    union all select user_id, ${narrow}, ${weekly}, ${week}, ${all}, ${narrowDims}, ${sums} from own
      group by user_id, ${week}, ${list(kept)}`;
}

/**
 * Moves at most `limit` of report_cube's rows whose day starts before `before` into report_cube_folded,
 * inside the caller's transaction: the removal and the addition commit together, so a report (one
 * statement over both tables) never counts a row twice or misses it. Returns how many rows were moved.
 * PostgreSQL: takes rows no other transaction holds (SKIP LOCKED): a folder on another node, or a click
 * batch upserting the same combination this instant (it keeps its row for the next pass; one that arrives
 * after the delete waits for this commit and then inserts a fresh row). SQLite has one writer at a time.
 */
export async function foldCube(trx: Db, dialect: DialectAdapter, before: number, limit: number): Promise<number> {
  const sums = sql.join(CUBE_COUNTERS.map((name) => sql`sum(${ref(name)}) as ${ref(name)}`));
  const own = sql`own as (select ${list(OWN_KEY)}, ${sums} from taken group by ${list(OWN_KEY)})`;
  // Key order, so two folders adding to the same folded rows lock them in the same order (no deadlock).
  const add = sql`insert into report_cube_folded (${list(FOLDED_KEY)}, ${list(CUBE_COUNTERS)})
    select * from (${copies()}) as copies where true order by ${sql.join(FOLDED_KEY.map((_, i) => sql.raw(String(i + 1))))}
    on conflict (${list(FOLDED_KEY)}) do update set
    ${sql.join(CUBE_COUNTERS.map((name) => sql`${ref(name)} = report_cube_folded.${ref(name)} + excluded.${ref(name)}`))}`;
  const chosen = sql`select ${list(HOT_KEY)} from report_cube where start < ${before} order by ${list(HOT_KEY)} limit ${limit}`;
  if (dialect.supportsSkipLocked) {
    // The chunk's row addresses taken once (an InitPlan), then deleted by address (a TID scan; a row locked FOR
    // UPDATE keeps its place until this commits). `(key) in (…)` could be planned as a nested-loop semi join
    // that locked the chunk again per report_cube row: minutes for a backlog when the table was last analyzed
    // near empty (as stats.repository.ts foldJournal).
    const locked = sql`select ctid from report_cube where start < ${before} order by ${list(HOT_KEY)} limit ${limit} for update skip locked`;
    const result = await sql<{ n: string | number }>`with taken as (
        delete from report_cube where ctid = any(array(${locked})) returning *
      ), ${own}, added as (${add})
      select count(*) as n from taken`.execute(trx);
    return Number(result.rows[0]?.n ?? 0);
  }
  // SQLite: the first statement takes the write lock, so the delete removes the very rows just added.
  const taken = sql`select * from report_cube where start < ${before} order by ${list(HOT_KEY)} limit ${limit}`;
  await sql`with taken as (${taken}), ${own} ${add}`.execute(trx);
  const removed = await sql`delete from report_cube where (${list(HOT_KEY)}) in (${chosen})`.execute(trx);
  return Number(removed.numAffectedRows ?? 0);
}
