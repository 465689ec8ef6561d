import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { Migrator } from 'kysely/migration';
import { DIALECTS, POSTGRES_SKIP_REASON, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { bulkClickRow, insertClicksBefore013, writeClicks } from '../helpers/bulk-clicks.ts';
import { insertClicks, findClickOwner } from '../../src/modules/clicks/click.repository.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';
import { createRetentionJob } from '../../src/modules/retention/retention-job.ts';
import { weeklyPartitionName as weekOf } from '../../src/storage/dialects/postgres-partitions.ts';

const DAY = 86_400_000;
/** One clock for the whole file, so a day computed in one test is the same day in the next. */
const NOW = Date.now();
const postgres = DIALECTS.find((dialect) => dialect.name === 'postgres');
const silent = { info: () => undefined, warn: () => undefined };

/** Which table of the partitioned `clicks` holds each click. */
async function homeOf(storage: TestStorage, ids: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{
    id: string;
    home: string;
  }>`select id, tableoid::regclass::text as home from clicks`.execute(storage.db);
  const homes = new Map(rows.map((row) => [row.id, row.home]));
  return ids.map((id) => homes.get(id) ?? 'gone');
}

async function partitionNames(storage: TestStorage): Promise<string[]> {
  return (await storage.dialect.clickPartitions!.list(storage.db as unknown as Kysely<unknown>)).map((p) => p.name);
}

describe('PostgreSQL weekly partitions of clicks', { skip: postgres ? false : POSTGRES_SKIP_REASON }, () => {
  let storage: TestStorage;
  before(async () => {
    storage = openTestStorage(postgres!);
    await storage.migrate();
  });
  after(async () => storage?.dispose());

  test('the migration leaves a default partition and weekly partitions from this week to a week ahead', async () => {
    const names = await partitionNames(storage);
    assert.ok(names.includes('clicks_default'));
    for (let day = 0; day <= 7; day++) assert.ok(names.includes(weekOf(NOW + day * DAY)), `day +${day}`);
    const { rows } = await sql<{ column: string }>`
      select a.attname as column from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
       where i.indrelid = 'clicks'::regclass and i.indisprimary order by a.attnum`.execute(storage.db);
    assert.deepEqual(
      rows.map((row) => row.column),
      ['id', 'created_at'],
      'the primary key includes the partition key',
    );
  });

  test('clicks land in their week; a week without partition (far future, far past) lands in the default one', async () => {
    const now = NOW;
    const rows = [now, now + DAY, now + 400 * DAY, now - 100 * DAY].map((at) => bulkClickRow(1, 1, { at }));
    await writeClicks(storage, rows);
    assert.deepEqual(
      await homeOf(
        storage,
        rows.map((row) => row.id),
      ),
      [weekOf(now), weekOf(now + DAY), 'clicks_default', 'clicks_default'],
    );
    // Lookups by id alone still find a click whatever its partition.
    for (const row of rows) assert.equal((await findClickOwner(storage.db, row.id))?.id, row.id);
  });

  test('creating a week that the default partition already holds rows of moves them into it', async () => {
    const at = NOW - 120 * DAY;
    const rows = [bulkClickRow(1, 1, { at }), bulkClickRow(1, 1, { at: at + 1 })];
    await writeClicks(storage, rows);
    assert.deepEqual(
      await homeOf(
        storage,
        rows.map((row) => row.id),
      ),
      ['clicks_default', 'clicks_default'],
    );
    const created = await storage.dialect.clickPartitions!.ensure(storage.db as unknown as Kysely<unknown>, at, at + 1);
    assert.deepEqual(created, [weekOf(at)]);
    assert.deepEqual(
      await homeOf(
        storage,
        rows.map((row) => row.id),
      ),
      [weekOf(at), weekOf(at)],
    );
    const indexes = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_indexes where tablename = ${weekOf(at)}`.execute(storage.db);
    assert.equal(
      indexes.rows[0]!.n,
      // The primary key, (user_id, created_at), (campaign_id, created_at, id), (created_at): migration 030 dropped (campaign_id, created_at).
      4,
      'the attached partition got its share of every index, the primary key included',
    );
    await assert.rejects(
      insertClicks(storage.db, storage.dialect, [rows[0]!]),
      'the primary key holds in the moved partition',
    );
  });

  test('the retention job drops partitions entirely past the retention, deletes old strays, keeps rollups and creates weeks ahead', async () => {
    const now = NOW;
    const cutoff = now - 90 * DAY;
    // A week holding a click 98 days old ends at least 91 days ago: wholly past the retention.
    const oldAt = now - 98 * DAY;
    const straddling = cutoff + 60_000;
    const old = [bulkClickRow(2, 2, { at: oldAt }), bulkClickRow(2, 2, { at: oldAt + 1000 })];
    const kept = [bulkClickRow(2, 2, { at: straddling }), bulkClickRow(2, 2, { at: now - 10 * DAY })];
    const stray = bulkClickRow(2, 2, { at: now - 300 * DAY });
    await writeClicks(storage, [...old, ...kept, stray, bulkClickRow(2, 2, { at: cutoff - 1 })]);
    const db = storage.db as unknown as Kysely<unknown>;
    await storage.dialect.clickPartitions!.ensure(db, oldAt, straddling + 1);
    const rollups = async () => [
      ...(await storage.db
        .selectFrom('click_stats_periods')
        .selectAll()
        .where('user_id', '=', 2)
        .orderBy(['campaign_id', 'hours', 'start', 'dimension', 'value'])
        .execute()),
    ];
    const rollupsBefore = await rollups();
    assert.ok(rollupsBefore.length > 0);

    const job = createRetentionJob({
      db: storage.db,
      dialect: storage.dialect,
      log: silent,
      now: () => now,
      retentionDays: 90,
      anonymizeAfterDays: null,
      intervalMs: 0,
    });
    const run = await job.runOnce();
    await job.close();
    assert.ok(run.partitionsDropped.includes(weekOf(oldAt)));
    assert.ok(run.partitionsDropped.includes(weekOf(now - 120 * DAY)), 'and the one an earlier test created');
    assert.ok(
      !run.partitionsDropped.includes(weekOf(straddling)),
      'the week straddling the cutoff stays until it is entirely old',
    );
    for (const partition of await storage.dialect.clickPartitions!.list(db)) {
      if (partition.to !== null)
        assert.ok(partition.to > cutoff, `${partition.name} is not entirely past the retention`);
    }
    assert.ok(run.clicksDeleted >= 1, 'the strays of the default partition older than the cutoff are deleted by row');
    const { rows: leftOld } = await sql<{
      home: string;
    }>`select tableoid::regclass::text as home from clicks where created_at < ${cutoff}`.execute(storage.db);
    // Left: at most clicks of the week straddling the cutoff (here the one written a millisecond before it, unless its week ended at the cutoff).
    for (const { home } of leftOld)
      assert.equal(home, weekOf(cutoff), 'only the straddling week still holds clicks past the retention');
    assert.deepEqual(
      await homeOf(
        storage,
        [...old, stray].map((row) => row.id),
      ),
      ['gone', 'gone', 'gone'],
    );
    assert.deepEqual(
      await homeOf(
        storage,
        kept.map((row) => row.id),
      ),
      [weekOf(straddling), 'clicks_default'],
      'a recent stray stays too',
    );
    assert.deepEqual(await rollups(), rollupsBefore, 'rollups are never touched');
    const names = await partitionNames(storage);
    for (let day = 0; day <= 8; day++) assert.ok(names.includes(weekOf(now + day * DAY)), `day +${day} has its week`);
    // An insert far ahead of every partition still succeeds.
    const far = bulkClickRow(2, 2, { at: now + 5 * 365 * DAY });
    await writeClicks(storage, [far]);
    assert.deepEqual(await homeOf(storage, [far.id]), ['clicks_default']);
  });
});

describe(
  'migration 007 on a PostgreSQL database that already has clicks',
  { skip: postgres ? false : POSTGRES_SKIP_REASON },
  () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(postgres!);
    });
    after(async () => storage?.dispose());

    test('moves every click into the partition of its week', async () => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      const { error } = await migrator.migrateTo('006-fraud-reports');
      assert.equal(error, undefined);
      const now = NOW;
      const rows = [now - 400 * DAY, now - 3 * DAY, now - 3 * DAY + 5, now].map((at) => bulkClickRow(1, 1, { at }));
      await insertClicksBefore013(storage, rows);
      assert.deepEqual(await storage.migrate(), [
        '007-partition-clicks',
        '008-maintenance-jobs',
        '009-click-keyset-index',
        '010-click-stats-periods',
        '011-click-stats-journal',
        '012-covering-stats-key',
        '013-click-truncated-flag',
        '014-credentials-version',
        '015-traffic-source-loop',
        '016-postback-protection',
        '017-postbacks-and-events',
        '018-click-cost',
        '019-flows',
        '020-placement-rollups',
        '021-click-sub-ids',
        '022-click-language',
        '023-members',
        '024-fake-leads',
        '025-click-beacons',
        '026-ad-connections',
        '027-audit-log',
        '028-report-cube',
        '029-report-cube-folds',
        '030-write-path',
        '031-report-cube-all-campaigns',
        '032-click-stats-versions',
        '033-report-column-changes',
      ]);
      assert.deepEqual(
        await homeOf(
          storage,
          rows.map((row) => row.id),
        ),
        rows.map((row) => weekOf(row.created_at)),
      );
      const names = await partitionNames(storage);
      const expected = new Set([...rows.map((row) => weekOf(row.created_at)), weekOf(now), weekOf(now + 7 * DAY)]);
      assert.deepEqual(
        names.filter((name) => name !== 'clicks_default'),
        [...expected].sort(),
        'the weeks holding clicks, this week and the next',
      );
    });
  },
);

describe(
  'partition changes never hold the tracker up for long',
  { skip: postgres ? false : POSTGRES_SKIP_REASON },
  () => {
    let storage: TestStorage;
    before(async () => {
      storage = openTestStorage(postgres!);
      await storage.migrate();
    });
    after(async () => storage?.dispose());

    test('behind a long reader, dropping gives up after its lock timeout, the deletes still run, and the next run drops', async () => {
      const now = NOW;
      const oldAt = now - 120 * DAY;
      const old = bulkClickRow(3, 3, { at: oldAt });
      const stray = bulkClickRow(3, 3, { at: now - 300 * DAY });
      await writeClicks(storage, [old, stray]);
      const db = storage.db as unknown as Kysely<unknown>;
      await storage.dialect.clickPartitions!.ensure(db, oldAt, oldAt + 1);
      // A report reading clicks in a long transaction holds a shared lock on the table until it ends.
      const reader = new pg.Client({ connectionString: storage.url, options: `-c search_path=${storage.schema}` });
      await reader.connect();
      try {
        await reader.query('begin');
        await reader.query('select count(*) from clicks');
        const job = createRetentionJob({
          db: storage.db,
          dialect: storage.dialect,
          log: silent,
          now: () => now,
          retentionDays: 90,
          anonymizeAfterDays: null,
          intervalMs: 0,
        });
        const started = Date.now();
        const blocked = await job.runOnce();
        assert.ok(Date.now() - started < 5_000, 'gave up on the lock instead of waiting for the reader');
        assert.deepEqual(blocked.partitionsDropped, []);
        assert.equal(blocked.clicksDeleted, 1, 'the default partition is still cleaned');
        assert.deepEqual(await homeOf(storage, [old.id]), [weekOf(oldAt)]);
        await reader.query('commit');
        const after = await job.runOnce();
        assert.deepEqual(after.partitionsDropped, [weekOf(oldAt)]);
        assert.deepEqual(await homeOf(storage, [old.id]), ['gone']);
        await job.close();
      } finally {
        await reader.end();
      }
    });
  },
);
