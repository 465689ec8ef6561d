// PostgreSQL's weekly partitions of `clicks` (migration 007, the retention job). SQLite has none.
//
// Why weeks, not days: a click is looked up by id alone (postbacks, click detail, late findings), and
// ids are random, so such a lookup cannot be pruned and probes every partition, and its cost grows with
// their number (BENCHMARKS.md, "Measurements behind the code"). With weeks,
// 90 days of retention is about 16 partitions; the
// price is that a week is dropped only once all of it is past the retention (clicks live up to 7 days
// longer than CLICK_RETENTION_DAYS).
import { sql, type Kysely } from 'kysely';
import type { ClickPartition, ClickPartitions } from '../dialect-adapter.ts';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday of the epoch: weeks run Monday to Monday, UTC (ISO weeks). */
const FIRST_MONDAY = 4 * DAY_MS;
const PARENT = 'clicks';
const DEFAULT_PARTITION = 'clicks_default';
const WEEKLY_NAME = /^clicks_w(\d{4})(\d{2})(\d{2})$/;
/**
 * Creating, attaching and detaching a partition lock `clicks` exclusively for a moment, and while such
 * a lock waits (behind a long report query), the tracker's inserts queue behind it. So wait at most
 * this long and give up: the job tries again the next hour, and partitions are made a week ahead.
 */
const LOCK_TIMEOUT = '1s';

/** `clicks_w20261123` for the week starting on Monday 2026-11-23, 00:00 UTC. */
export function weeklyPartitionName(at: number): string {
  return `clicks_w${new Date(startOfWeek(at)).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function weekOfName(name: string): number | null {
  const match = WEEKLY_NAME.exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

function startOfWeek(at: number): number {
  return Math.floor((at - FIRST_MONDAY) / WEEK_MS) * WEEK_MS + FIRST_MONDAY;
}

/** Runs `work` in the caller's transaction, or in a new one. */
function inTransaction<T>(db: Kysely<unknown>, work: (trx: Kysely<unknown>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

async function listPartitions(db: Kysely<unknown>): Promise<ClickPartition[]> {
  // The parent is resolved through search_path, like every other table name (tests run one schema each).
  const { rows } = await sql<{ name: string }>`
    select child.relname as name from pg_inherits
      join pg_class child on child.oid = pg_inherits.inhrelid
     where pg_inherits.inhparent = ${PARENT}::regclass
     order by child.relname`.execute(db);
  return rows.map(({ name }) => {
    const from = weekOfName(name);
    return from === null ? { name, from: null, to: null } : { name, from, to: from + WEEK_MS };
  });
}

/**
 * Creates the partition of one week. Rows of that week already caught by the default partition
 * (an insert before the partition existed) move into it first: PostgreSQL refuses to create a
 * partition whose rows sit in the default one.
 */
async function createWeeklyPartition(db: Kysely<unknown>, weekStart: number): Promise<void> {
  const name = weeklyPartitionName(weekStart);
  const from = weekStart;
  const to = weekStart + WEEK_MS;
  await inTransaction(db, async (trx) => {
    await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
    const stray =
      await sql`select 1 from ${sql.table(DEFAULT_PARTITION)} where created_at >= ${from} and created_at < ${to} limit 1`.execute(
        trx,
      );
    if (stray.rows.length === 0) {
      await sql`create table ${sql.table(name)} partition of ${sql.table(PARENT)} for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(
        trx,
      );
      return;
    }
    await sql`create table ${sql.table(name)} (like ${sql.table(PARENT)} including defaults)`.execute(trx);
    await sql`with moved as (delete from ${sql.table(DEFAULT_PARTITION)} where created_at >= ${from} and created_at < ${to} returning *)
      insert into ${sql.table(name)} select * from moved`.execute(trx);
    // Attaching builds the partition's share of every index of `clicks`, the primary key included.
    await sql`alter table ${sql.table(PARENT)} attach partition ${sql.table(name)} for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(
      trx,
    );
  });
}

async function ensurePartitions(db: Kysely<unknown>, from: number, to: number): Promise<string[]> {
  const existing = new Set((await listPartitions(db)).map((p) => p.name));
  const created: string[] = [];
  for (let week = startOfWeek(from); week < to; week += WEEK_MS) {
    const name = weeklyPartitionName(week);
    if (existing.has(name)) continue;
    await createWeeklyPartition(db, week);
    created.push(name);
  }
  return created;
}

async function dropPartitionsBefore(db: Kysely<unknown>, cutoff: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const partition of await listPartitions(db)) {
    if (partition.to === null || partition.to > cutoff) continue;
    await inTransaction(db, async (trx) => {
      await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
      await sql`alter table ${sql.table(PARENT)} detach partition ${sql.table(partition.name)}`.execute(trx);
      await sql`drop table ${sql.table(partition.name)}`.execute(trx);
    });
    dropped.push(partition.name);
  }
  return dropped;
}

/**
 * Migration 007: `clicks` becomes `PARTITION BY RANGE (created_at)`, one partition per UTC week plus a
 * default one, so that retention drops a week's partition instead of deleting its rows. Runs inside the
 * migration's transaction, so a failure leaves the old table as it was. The primary key must include
 * the partition key: it becomes (id, created_at); ids stay unique since they are 96+ random bits and
 * nothing upserts clicks by id.
 */
async function partitionClicksTable(db: Kysely<unknown>, now: number, daysAhead: number): Promise<void> {
  await sql`alter table clicks rename to clicks_unpartitioned`.execute(db);
  for (const index of ['clicks_pkey', 'clicks_user_time', 'clicks_campaign_time', 'clicks_time']) {
    await sql`alter index ${sql.table(index)} rename to ${sql.table(`${index}_unpartitioned`)}`.execute(db);
  }
  await sql`create table clicks (like clicks_unpartitioned including defaults) partition by range (created_at)`.execute(
    db,
  );
  await sql`alter table clicks add constraint clicks_pkey primary key (id, created_at)`.execute(db);
  await sql`create index clicks_user_time on clicks (user_id, created_at)`.execute(db);
  await sql`create index clicks_campaign_time on clicks (campaign_id, created_at)`.execute(db);
  await sql`create index clicks_time on clicks (created_at)`.execute(db);
  await sql`create table ${sql.table(DEFAULT_PARTITION)} partition of clicks default`.execute(db);
  // A partition for every week that holds clicks, then for this week and those reaching `daysAhead` ahead.
  const { rows } = await sql<{ week: number }>`
    select distinct ((created_at - ${FIRST_MONDAY}) / ${WEEK_MS}) * ${WEEK_MS} + ${FIRST_MONDAY} as week
      from clicks_unpartitioned order by 1`.execute(db);
  const weeks = new Set(rows.map((row) => Number(row.week)));
  for (let week = startOfWeek(now); week <= now + daysAhead * DAY_MS; week += WEEK_MS) weeks.add(week);
  for (const week of [...weeks].sort((a, b) => a - b)) {
    await sql`create table ${sql.table(weeklyPartitionName(week))} partition of clicks for values from (${sql.lit(week)}) to (${sql.lit(week + WEEK_MS)})`.execute(
      db,
    );
  }
  await sql`insert into clicks select * from clicks_unpartitioned`.execute(db);
  await sql`drop table clicks_unpartitioned`.execute(db);
}

export function createPostgresClickPartitions(): ClickPartitions {
  return {
    defaultPartition: DEFAULT_PARTITION,
    partitionTable: partitionClicksTable,
    list: listPartitions,
    ensure: ensurePartitions,
    dropBefore: dropPartitionsBefore,
  };
}
