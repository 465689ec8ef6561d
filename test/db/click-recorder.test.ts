// The click recorder against a SQLite database that really refuses writes: a second connection holds
// the write lock (BEGIN EXCLUSIVE), as another process or a stuck checkpoint would. No storage is mocked.
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { EventBus } from '../../src/events.ts';
import {
  createClickRecorder,
  type ClickRecorder,
  type RecorderOptions,
} from '../../src/modules/clicks/click-recorder.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import type { LateFinding } from '../../src/detection/index.ts';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { bulkClickRow } from '../helpers/bulk-clicks.ts';

const sqliteDialect = DIALECTS.find((dialect) => dialect.name === 'sqlite')!;
const BURST: LateFinding = {
  type: 'rapid_fire',
  message: 'Recognised later: a burst',
  score: 80,
  group: 'ip',
  withinMs: 60_000,
};

/** Another connection holding SQLite's write lock: every write of the recorder's connection gets SQLITE_BUSY. */
function lockDatabase(url: string): () => void {
  const other = new SqliteDatabase(url.slice('sqlite:'.length));
  other.exec('begin exclusive');
  return () => {
    other.exec('rollback');
    other.close();
  };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('click recorder on a database that refuses writes [sqlite]', () => {
  let storage: TestStorage;
  let recorder: ClickRecorder | undefined;
  let unlock: (() => void) | undefined;
  const log = { lost: [] as number[], amendFailed: 0, availability: [] as boolean[], recordedHook: 0 };

  const open = (options: RecorderOptions = {}) => {
    recorder = createClickRecorder(storage.db, storage.dialect, new EventBus(), {
      commitWaitMs: 300,
      retryMs: 30,
      maxRetryMs: 60,
      hooks: {
        clicksRecorded: async (_trx, rows) => {
          log.recordedHook += rows.length;
        },
      },
      onLost: (count) => log.lost.push(count),
      onAmendFailed: () => (log.amendFailed += 1),
      onAvailability: (available) => log.availability.push(available),
      ...options,
    });
    return recorder;
  };
  const rows = (count: number): NewClickRow[] =>
    Array.from({ length: count }, (_, i) => bulkClickRow(1, 1, { at: Date.now() + i }));
  const storedIds = async () =>
    (await storage.db.selectFrom('clicks').select('id').execute()).map((row) => row.id).sort();

  beforeEach(async () => {
    storage = openTestStorage(sqliteDialect);
    await storage.migrate();
    // A locked write fails at once instead of blocking the event loop for the default 5 s.
    await sql`pragma busy_timeout = 0`.execute(storage.db);
    Object.assign(log, { lost: [], amendFailed: 0, availability: [], recordedHook: 0 });
  });
  afterEach(async () => {
    unlock?.();
    unlock = undefined;
    await recorder?.close();
    recorder = undefined;
    await storage.dispose();
  });
  after(() => undefined);

  test('an outage buffers clicks without waiting, and every one is stored once when the lock goes', async () => {
    const r = open();
    const before = rows(3);
    for (const row of before) assert.equal(await r.record(row), 'committed');

    unlock = lockDatabase(storage.url);
    const during = rows(20);
    const started = performance.now();
    const outcomes = await Promise.all(during.map((row) => r.record(row)));
    assert.deepEqual(new Set(outcomes), new Set(['buffered']));
    assert.ok(performance.now() - started < 300, 'the first failed batch answers before the commit wait');
    assert.deepEqual(r.status(), { available: false, buffered: 20, lost: 0 });
    // Once storage is known to be away, a click is buffered at once, without a commit attempt.
    const late = rows(1)[0]!;
    assert.equal(await r.record(late), 'buffered');
    assert.equal(r.status().buffered, 21);
    assert.deepEqual(log.availability, [false]);

    unlock();
    unlock = undefined;
    await until(() => r.status().buffered === 0 && r.status().available);
    assert.deepEqual(log.availability, [false, true]);
    assert.deepEqual(await storedIds(), [...before, ...during, late].map((row) => row.id).sort());
    assert.equal(log.recordedHook, 24, 'the rollup hook ran once per stored click');
    assert.deepEqual(log.lost, []);
  });

  test('clicks beyond the buffer are counted as lost, reported, and the rest are stored', async () => {
    const r = open({ maxBuffered: 5 });
    unlock = lockDatabase(storage.url);
    const during = rows(8);
    const outcomes = await Promise.all(during.map((row) => r.record(row)));
    assert.ok(outcomes.every((outcome) => outcome === 'buffered'));
    const extra = rows(2);
    for (const row of extra) await r.record(row);
    assert.deepEqual(r.status(), { available: false, buffered: 5, lost: 5 });
    assert.equal(
      log.lost.reduce((a, b) => a + b, 0),
      5,
      'every lost click was reported',
    );

    unlock();
    unlock = undefined;
    await until(() => r.status().buffered === 0 && r.status().available);
    // The oldest ones are kept: a buffer that is full turns new clicks away, not stored ones.
    assert.deepEqual(
      await storedIds(),
      during
        .slice(0, 5)
        .map((row) => row.id)
        .sort(),
    );
    assert.equal(r.status().lost, 5);
  });

  test('amendments wait for the outage with their clicks; beyond the cap they are reported, not dropped silently', async () => {
    const r = open();
    const stored = rows(2);
    for (const row of stored) assert.equal(await r.record(row), 'committed');
    unlock = lockDatabase(storage.url);
    const buffered = rows(1)[0]!;
    assert.equal(await r.record(buffered), 'buffered');
    // The burst revealed by later clicks flags the earlier ones; the first amendment is kept, the cap is 10,000.
    r.amend({ ids: [stored[0]!.id, buffered.id], finding: BURST });
    for (let i = 0; i < 10_004; i++) r.amend({ ids: [`clk_missing${i}`], finding: BURST });
    await until(() => log.amendFailed > 0, 2_000).catch(() => undefined);
    assert.ok(log.amendFailed > 0, 'amendments past the cap are reported');

    unlock();
    unlock = undefined;
    await until(() => r.status().buffered === 0 && r.status().available);
    await r.close();
    recorder = undefined;
    const flagged = await storage.db
      .selectFrom('clicks')
      .select(['id', 'primary_fraud_type'])
      .where('primary_fraud_type', '=', 'rapid_fire')
      .execute();
    assert.deepEqual(flagged.map((row) => row.id).sort(), [stored[0]!.id, buffered.id].sort());
  });

  test('a batch that comes back after an ambiguous commit is not stored twice nor refused as a whole', async () => {
    // A commit whose answer was lost (the connection dropped after COMMIT) leaves some clicks of a
    // buffered batch already stored; retrying them must store the rest, not lose the batch on the duplicates.
    const r = open();
    const already = rows(2);
    await storage.db.transaction().execute(async (trx) => {
      const { insertClicks } = await import('../../src/modules/clicks/click.repository.ts');
      await insertClicks(trx, storage.dialect, already);
    });
    unlock = lockDatabase(storage.url);
    const fresh = rows(3);
    for (const row of [...fresh, ...already]) assert.equal(await r.record(row), 'buffered');
    unlock();
    unlock = undefined;
    await until(() => r.status().buffered === 0 && r.status().available);
    assert.deepEqual(await storedIds(), [...already, ...fresh].map((row) => row.id).sort());
    assert.equal(r.status().lost, 0, 'nothing was lost');
    assert.equal(log.recordedHook, 3, 'the rollups count the stored ones once');
  });
});
