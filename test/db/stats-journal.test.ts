// Click batches append their rollup rows to click_stats_journal; the stats folder adds them into
// click_stats_periods. Whatever was folded, by however many folders, the periods must end up exactly
// what adding every batch directly would have made, and no journal row may be counted twice or lost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { bulkClickRow } from '../helpers/bulk-clicks.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import { COUNTER_NAMES, zeroCounters, type ClickStatsPeriodTable } from '../../src/modules/stats/click-stats.table.ts';
import { WEEKLY, startOfDay, startOfWeek } from '../../src/modules/stats/periods.ts';
import { buildClosedWeek, sumPerValue } from '../../src/modules/stats/stats.repository.ts';
import { StatsDelta, clickCounters } from '../../src/modules/stats/stats-delta.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';
import { createStatsWriter } from '../../src/modules/stats/stats-writer.ts';

const DAY = 86_400_000;
const START = Date.UTC(2024, 4, 1, 7);
const silent = { warn: () => undefined };

function traffic(count: number, seed: number): NewClickRow[] {
  return Array.from({ length: count }, (_, i) =>
    bulkClickRow(1, 1 + ((i + seed) % 3), {
      at: START + ((i * 7_919 + seed) % 9) * DAY + (i % 24) * 3_600_000,
      country: ['DE', 'FR', null][(i + seed) % 3]!,
      fraudTypes: (i + seed) % 5 === 0 ? ['bot'] : [],
      fields: { sub1: i % 4 === 0 ? null : `s${i % 7}`, city: i % 6 === 0 ? null : `Town ${i % 5}` },
    }),
  );
}

/** Rows as keys and numbers, shards summed: what reports see. */
function summed(rows: readonly ClickStatsPeriodTable[]): Map<string, string> {
  const sums = new Map<string, number[]>();
  for (const row of rows) {
    const key = [row.user_id, row.dimension, row.campaign_id, row.hours, row.start, row.value].join('|');
    const counters = sums.get(key) ?? COUNTER_NAMES.map(() => 0);
    COUNTER_NAMES.forEach((name, i) => (counters[i]! += Number(row[name])));
    sums.set(key, counters);
  }
  return new Map(
    [...sums]
      .filter(([, counters]) => counters.some((value) => value !== 0))
      .map(([key, counters]) => [key, counters.join(',')]),
  );
}

function directRows(batches: readonly NewClickRow[][]): ClickStatsPeriodTable[] {
  const delta = new StatsDelta();
  for (const click of batches.flat()) {
    delta.add(
      {
        ...click,
        country: click.country ?? null,
        city: click.city ?? null,
        os: click.os ?? null,
        browser: click.browser ?? null,
        asn: click.asn ?? null,
        as_org: click.as_org ?? null,
        referrer: click.referrer ?? null,
        sub1: click.sub1 ?? null,
        sub2: null,
        sub3: null,
        sub4: null,
        sub5: null,
        placement: click.placement ?? null,
        sub6: null,
        sub7: null,
        sub8: null,
        sub9: null,
        sub10: null,
      },
      clickCounters({ ...click, primary_fraud_type: click.primary_fraud_type ?? null }),
    );
  }
  return delta.rows();
}

for (const dialect of DIALECTS) {
  describe(`rollup journal and its folder [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(async () => {
      storage = openTestStorage(dialect);
      await storage.migrate();
    });
    after(async () => storage?.dispose());

    const journalCount = async () => (await storage.db.selectFrom('click_stats_journal').select('id').execute()).length;
    const periods = async () =>
      summed((await storage.db.selectFrom('click_stats_periods').selectAll().execute()) as ClickStatsPeriodTable[]);

    test('folders in small chunks, two at once, add exactly what the batches journaled', async () => {
      const writer = createStatsWriter(storage.dialect);
      const batches = Array.from({ length: 12 }, (_, i) => traffic(40, i));
      const firstIds: number[] = [];
      for (const batch of batches) {
        firstIds.push(
          Number(
            (await sql<{ top: number | null }>`select max(id) as top from click_stats_journal`.execute(storage.db))
              .rows[0]?.top ?? 0,
          ) + 1,
        );
        await storage.db.transaction().execute((trx) => writer.clicksRecorded(trx, batch));
      }
      const journaled = await journalCount();
      assert.ok(journaled > 100, `the batches journaled their rows (${journaled})`);
      // A batch's rows of one dimension are written next to each other (so on neighbouring pages): reports read one or two dimensions.
      const journal = await storage.db
        .selectFrom('click_stats_journal')
        .select(['id', 'dimension'])
        .orderBy('id')
        .execute();
      for (const [i, first] of firstIds.entries()) {
        const dimensions = journal
          .filter((row) => row.id >= first && (i + 1 === firstIds.length || row.id < firstIds[i + 1]!))
          .map((row) => row.dimension);
        assert.ok(new Set(dimensions).size > 3, `batch ${i} journaled several dimensions`);
        assert.deepEqual(dimensions, [...dimensions].sort(), `batch ${i}'s rows are grouped by dimension`);
      }
      assert.equal((await periods()).size, 0, 'nothing reaches the periods in the click transaction');

      // Chunks smaller than the journal, two folders of different processes at once.
      const folders = [1, 2].map((shard) =>
        createStatsFolder({
          db: storage.db,
          dialect: storage.dialect,
          log: silent,
          shard,
          intervalMs: 0,
          chunkRows: 37,
        }),
      );
      const folded = await Promise.all(folders.map((folder) => folder.foldAll()));
      assert.equal(folded[0]! + folded[1]!, journaled, 'every journal row folded once');
      assert.equal(await journalCount(), 0);
      assert.deepEqual(await periods(), summed(directRows(batches)));
    });

    test('the folder runs on its own schedule and stops cleanly', async () => {
      const writer = createStatsWriter(storage.dialect);
      const before = await periods();
      const batch = traffic(30, 99);
      await storage.db.transaction().execute((trx) => writer.clicksRecorded(trx, batch));
      assert.ok((await journalCount()) > 0);
      const vacuums = async () =>
        Number(
          (
            await sql<{
              n: number;
            }>`select vacuum_count as n from pg_stat_user_tables where relid = 'click_stats_journal'::regclass`.execute(
              storage.db,
            )
          ).rows[0]?.n ?? 0,
        );
      const vacuumsBefore = dialect.name === 'postgres' ? await vacuums() : 0;
      const folder = createStatsFolder({
        db: storage.db,
        dialect: storage.dialect,
        log: silent,
        shard: 0,
        intervalMs: 20,
      });
      folder.start();
      const deadline = Date.now() + 5_000;
      while ((await journalCount()) > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      // On PostgreSQL the pass that folded also clears the rows it deleted (vacuumJournal).
      while (dialect.name === 'postgres' && (await vacuums()) === vacuumsBefore && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await folder.close();
      assert.equal(await journalCount(), 0, 'folded without being asked');
      if (dialect.name === 'postgres')
        assert.ok((await vacuums()) > vacuumsBefore, 'the journal was vacuumed after the fold');
      const folded = await periods();
      for (const [key, counters] of summed(directRows([batch]))) {
        const was = before.get(key)?.split(',').map(Number) ?? COUNTER_NAMES.map(() => 0);
        const now = folded.get(key)!.split(',').map(Number);
        assert.deepEqual(
          now.map((value, i) => value - was[i]!),
          counters.split(',').map(Number),
          key,
        );
      }
    });
    test('a folder started over dead journal rows (a bulk load, the process before) vacuums them though it folds none', async () => {
      const writer = createStatsWriter(storage.dialect);
      await storage.db.transaction().execute((trx) => writer.clicksRecorded(trx, traffic(30, 7)));
      // Folded by a folder that never runs a pass: the journal is empty, its deleted rows left behind.
      const loader = createStatsFolder({
        db: storage.db,
        dialect: storage.dialect,
        log: silent,
        shard: 0,
        intervalMs: 0,
      });
      assert.ok((await loader.foldAll()) > 0);
      assert.equal(await journalCount(), 0);
      const vacuums = async () =>
        Number(
          (
            await sql<{
              n: number;
            }>`select vacuum_count as n from pg_stat_user_tables where relid = 'click_stats_journal'::regclass`.execute(
              storage.db,
            )
          ).rows[0]?.n ?? 0,
        );
      const vacuumsBefore = dialect.name === 'postgres' ? await vacuums() : 0;
      const folder = createStatsFolder({
        db: storage.db,
        dialect: storage.dialect,
        log: silent,
        shard: 0,
        intervalMs: 20,
      });
      folder.start();
      const deadline = Date.now() + 5_000;
      // Its passes find nothing to fold; before, none of them ever vacuumed, and every one scanned the dead rows.
      while (dialect.name === 'postgres' && (await vacuums()) === vacuumsBefore && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await folder.close();
      if (dialect.name === 'postgres') assert.ok((await vacuums()) > vacuumsBefore, 'the journal was vacuumed');
      assert.equal(await journalCount(), 0);
    });

    test('statements run without parallel workers (PostgreSQL): their start cost more than a report read', async (t) => {
      if (dialect.name !== 'postgres') return t.skip('PostgreSQL only');
      const setting = await sql<{
        value: string;
      }>`select current_setting('max_parallel_workers_per_gather') as value`.execute(storage.db);
      assert.equal(setting.rows[0]?.value, '0');
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`week rows built when the week is over (migration 030) [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(async () => {
      storage = openTestStorage(dialect);
      await storage.migrate();
    });
    after(async () => storage?.dispose());

    const WEEK = 7 * DAY;
    const MONDAY = startOfWeek(startOfDay(START));
    const periodRows = async () =>
      (await storage.db.selectFrom('click_stats_periods').selectAll().execute()) as ClickStatsPeriodTable[];
    const build = (now: number, groups?: number) =>
      storage.db.transaction().execute((trx) => buildClosedWeek(trx, storage.dialect, now, groups));
    /** What a report over [from, to) counts per country, read through the periods the weeks built allow. */
    const countries = async (from: number, to: number) =>
      new Map(
        (await sumPerValue(storage.db, storage.dialect, { userId: 1, from, to, dimension: 'country' }, ['clicks'])).map(
          (row) => [row.value, row.counters.clicks],
        ),
      );
    const counted = (clicks: readonly NewClickRow[], from: number, to: number) => {
      const counts = new Map<string, number>();
      for (const click of clicks)
        if (click.created_at >= from && click.created_at < to)
          counts.set(click.country ?? '', (counts.get(click.country ?? '') ?? 0) + 1);
      return counts;
    };

    test('the fold leaves open weeks to their days; building sums them exactly, and later changes reach them', async () => {
      // The clicks' two weeks are still open: only what came before is built.
      await storage.db.updateTable('click_stats_weeks').set({ built_until: MONDAY }).execute();
      const writer = createStatsWriter(storage.dialect);
      const folder = createStatsFolder({
        db: storage.db,
        dialect: storage.dialect,
        log: silent,
        shard: 0,
        intervalMs: 0,
      });
      const batches = Array.from({ length: 6 }, (_, i) => traffic(40, i));
      for (const batch of batches) await storage.db.transaction().execute((trx) => writer.clicksRecorded(trx, batch));
      await folder.foldAll();
      const weekRows = (rows: readonly ClickStatsPeriodTable[]) => rows.filter((row) => row.hours === WEEKLY);
      assert.deepEqual(weekRows(await periodRows()), [], 'no week rows while the weeks are open');
      const spanned = Math.max(...batches.flat().map((click) => click.created_at));
      assert.ok(spanned >= MONDAY + WEEK, 'the clicks reach into the second week');
      // Reports read the open weeks as days: exact before any week is built (a 10-day range covers a week whole).
      const range = [MONDAY + DAY, MONDAY + 11 * DAY] as const;
      assert.deepEqual(await countries(...range), counted(batches.flat(), ...range));

      // A partial row the fold kept before this migration is written over, not added to.
      await storage.db
        .insertInto('click_stats_periods')
        .values({
          ...zeroCounters(),
          user_id: 1,
          dimension: '',
          campaign_id: 0,
          hours: WEEKLY,
          start: MONDAY,
          value: '',
          shard: 0,
          clicks: 5,
        })
        .execute();
      assert.equal(await build(MONDAY + WEEK - 1), false, 'a week is built only once it is over');
      // A few keys at a time, and a batch folded between two steps: the keys built already get its week copies.
      const now = MONDAY + 2 * WEEK + DAY;
      assert.equal(await build(now, 3), true);
      const between = traffic(20, 55);
      await storage.db.transaction().execute((trx) => writer.clicksRecorded(trx, between));
      await folder.foldAll();
      let steps = 1;
      while (await build(now, 3)) steps++;
      assert.ok(steps > 4, `built in steps (${steps})`);
      assert.equal(await build(now), false, 'the third week is not over');
      const state = await storage.db.selectFrom('click_stats_weeks').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual(
        [Number(state.built_until), state.cursor_user, state.cursor_dimension, state.cursor_campaign],
        [MONDAY + 2 * WEEK, null, null, null],
      );
      batches.push(between);
      assert.ok(weekRows(await periodRows()).length > 0, 'the weeks have their rows now');
      assert.deepEqual(summed(await periodRows()), summed(directRows(batches)), 'exactly what the fold used to add');
      assert.deepEqual(await countries(...range), counted(batches.flat(), ...range), 'the report reads the week whole');

      // A change to a built week (a late batch, as a conversion or a late finding would be) reaches its week row.
      const late = traffic(25, 77);
      await storage.db.transaction().execute((trx) => writer.clicksRecorded(trx, late));
      await folder.foldAll();
      assert.deepEqual(summed(await periodRows()), summed(directRows([...batches, late])));
      assert.deepEqual(await countries(...range), counted([...batches, late].flat(), ...range));
    });
  });
}
