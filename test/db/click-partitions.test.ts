import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { DIALECTS, POSTGRES_SKIP_REASON, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import { insertClicks, findClickOwner } from '../../src/modules/clicks/click.repository.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';
import { createRetentionJob } from '../../src/modules/retention/retention-job.ts';

const DAY = 86_400_000;
/** One clock for the whole file, so a day computed in one test is the same day in the next. */
const NOW = Date.now();
const postgres = DIALECTS.find((dialect) => dialect.name === 'postgres');
const dayName = (at: number) => `clicks_p${new Date(at).toISOString().slice(0, 10).replaceAll('-', '')}`;
const silent = { info: () => undefined, warn: () => undefined };

/** Which table of the partitioned `clicks` holds each click. */
async function homeOf(storage: TestStorage, ids: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ id: string; home: string }>`select id, tableoid::regclass::text as home from clicks`.execute(storage.db);
  const homes = new Map(rows.map((row) => [row.id, row.home]));
  return ids.map((id) => homes.get(id) ?? 'gone');
}

async function partitionNames(storage: TestStorage): Promise<string[]> {
  return (await storage.dialect.clickPartitions!.list(storage.db as unknown as Kysely<unknown>)).map((p) => p.name);
}

describe('PostgreSQL daily partitions of clicks', { skip: postgres ? false : POSTGRES_SKIP_REASON }, () => {
  let storage: TestStorage;
  before(async () => {
    storage = openTestStorage(postgres!);
    await storage.migrate();
  });
  after(async () => storage?.dispose());

  test('the migration leaves a default partition and daily partitions from today to a week ahead', async () => {
    const names = await partitionNames(storage);
    assert.ok(names.includes('clicks_default'));
    for (let day = 0; day <= 7; day++) assert.ok(names.includes(dayName(NOW + day * DAY)), `day +${day}`);
    const { rows } = await sql<{ column: string }>`
      select a.attname as column from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
       where i.indrelid = 'clicks'::regclass and i.indisprimary order by a.attnum`.execute(storage.db);
    assert.deepEqual(rows.map((row) => row.column), ['id', 'created_at'], 'the primary key includes the partition key');
  });

  test('clicks land in their day; a day without partition (far future, far past) lands in the default one', async () => {
    const now = NOW;
    const rows = [now, now + DAY, now + 400 * DAY, now - 100 * DAY].map((at) => bulkClickRow(1, 1, { at }));
    await writeClicks(storage, rows);
    assert.deepEqual(await homeOf(storage, rows.map((row) => row.id)), [dayName(now), dayName(now + DAY), 'clicks_default', 'clicks_default']);
    // Lookups by id alone still find a click whatever its partition.
    for (const row of rows) assert.equal((await findClickOwner(storage.db, row.id))?.id, row.id);
  });

  test('creating a day that the default partition already holds rows of moves them into it', async () => {
    const at = NOW - 120 * DAY;
    const rows = [bulkClickRow(1, 1, { at }), bulkClickRow(1, 1, { at: at + 1 })];
    await writeClicks(storage, rows);
    assert.deepEqual(await homeOf(storage, rows.map((row) => row.id)), ['clicks_default', 'clicks_default']);
    const created = await storage.dialect.clickPartitions!.ensure(storage.db as unknown as Kysely<unknown>, at, at + 1);
    assert.deepEqual(created, [dayName(at)]);
    assert.deepEqual(await homeOf(storage, rows.map((row) => row.id)), [dayName(at), dayName(at)]);
    const indexes = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where tablename = ${dayName(at)}`.execute(storage.db);
    assert.equal(indexes.rows[0]!.n, 4, 'the attached partition got its share of every index, the primary key included');
    await assert.rejects(insertClicks(storage.db, storage.dialect, [rows[0]!]), 'the primary key holds in the moved partition');
  });

  test('the retention job drops partitions entirely past the retention, deletes old strays, keeps rollups and creates days ahead', async () => {
    const now = NOW;
    const oldDay = now - 95 * DAY;
    const straddling = now - 90 * DAY + 60_000;
    const old = [bulkClickRow(2, 2, { at: oldDay }), bulkClickRow(2, 2, { at: oldDay + 1000 })];
    const kept = [bulkClickRow(2, 2, { at: straddling }), bulkClickRow(2, 2, { at: now - 10 * DAY })];
    const stray = bulkClickRow(2, 2, { at: now - 300 * DAY });
    await writeClicks(storage, [...old, ...kept, stray]);
    const db = storage.db as unknown as Kysely<unknown>;
    await storage.dialect.clickPartitions!.ensure(db, oldDay, now - 89 * DAY);
    const rollups = async () => storage.db.selectFrom('click_stats').selectAll().where('user_id', '=', 2).orderBy(['hour', 'dimension', 'value']).execute();
    const rollupsBefore = await rollups();
    assert.ok(rollupsBefore.length > 0);

    const job = createRetentionJob({ db: storage.db, dialect: storage.dialect, log: silent, now: () => now, retentionDays: 90, anonymizeAfterDays: null, intervalMs: 0 });
    const run = await job.runOnce();
    await job.close();
    assert.ok(run.partitionsDropped.includes(dayName(oldDay)));
    assert.ok(run.partitionsDropped.includes(dayName(now - 120 * DAY)), 'and the one an earlier test created');
    assert.ok(!run.partitionsDropped.includes(dayName(straddling)), 'the day straddling the cutoff stays until it is entirely old');
    assert.deepEqual(run.partitionsCreated, [dayName(now + 8 * DAY)]);
    assert.equal(run.clicksDeleted, 2, 'the strays of the default partition older than the cutoff: 300 and 100 days old');
    assert.deepEqual(await homeOf(storage, [...old, stray].map((row) => row.id)), ['gone', 'gone', 'gone']);
    assert.deepEqual(await homeOf(storage, kept.map((row) => row.id)), [dayName(straddling), 'clicks_default'], 'a recent stray stays too');
    assert.deepEqual(await rollups(), rollupsBefore, 'rollups are never touched');
    const names = await partitionNames(storage);
    for (let day = 0; day <= 8; day++) assert.ok(names.includes(dayName(now + day * DAY)), `day +${day} exists`);
    // An insert far ahead of every partition still succeeds.
    const far = bulkClickRow(2, 2, { at: now + 5 * 365 * DAY });
    await writeClicks(storage, [far]);
    assert.deepEqual(await homeOf(storage, [far.id]), ['clicks_default']);
  });
});

describe('migration 007 on a PostgreSQL database that already has clicks', { skip: postgres ? false : POSTGRES_SKIP_REASON }, () => {
  let storage: TestStorage;
  before(() => {
    storage = openTestStorage(postgres!);
  });
  after(async () => storage?.dispose());

  test('moves every click into the partition of its day', async () => {
    const db = storage.db as unknown as Kysely<unknown>;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => allMigrations(storage.dialect) }, migrationTableSchema: storage.dialect.migrationSchema });
    const { error } = await migrator.migrateTo('006-fraud-reports');
    assert.equal(error, undefined);
    const now = NOW;
    const rows = [now - 400 * DAY, now - 3 * DAY, now - 3 * DAY + 5, now].map((at) => bulkClickRow(1, 1, { at }));
    await insertClicks(storage.db, storage.dialect, rows);
    assert.deepEqual(await storage.migrate(), ['007-partition-clicks', '008-maintenance-jobs']);
    assert.deepEqual(await homeOf(storage, rows.map((row) => row.id)), rows.map((row) => dayName(row.created_at)));
    const names = await partitionNames(storage);
    assert.ok(names.includes(dayName(now + 7 * DAY)));
    assert.equal(names.filter((name) => name !== 'clicks_default').length, 2 + 8, 'the two older days with clicks, then today and seven ahead');
  });
});
