// The outage spool of the click recorder, against a SQLite database that really refuses writes (another
// connection holds the write lock) and real files (a real ENOSPC from /dev/full). No storage is mocked.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { EventBus } from '../../src/events.ts';
import {
  createClickRecorder,
  type ClickRecorder,
  type RecorderOptions,
} from '../../src/modules/clicks/click-recorder.ts';
import { openClickSpool, type ClickSpool } from '../../src/modules/clicks/click-spool.ts';
import { insertClicks } from '../../src/modules/clicks/click.repository.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import { DIALECTS, POSTGRES_SKIP_REASON, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { bulkClickRow } from '../helpers/bulk-clicks.ts';

const sqliteDialect = DIALECTS.find((dialect) => dialect.name === 'sqlite')!;

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

describe('the click spool: a crash during an outage loses no acknowledged click [sqlite]', () => {
  let storage: TestStorage;
  let dir: string;
  let spoolPath: string;
  let unlock: (() => void) | undefined;
  const open: ClickRecorder[] = [];
  const log = { recordedHook: 0, stopped: [] as string[], lost: 0, leftOnSpool: 0 };

  const recorder = (spool: ClickSpool, options: RecorderOptions = {}) => {
    const r = createClickRecorder(storage.db, storage.dialect, new EventBus(), {
      commitWaitMs: 300,
      retryMs: 30,
      maxRetryMs: 60,
      hooks: {
        clicksRecorded: async (_trx, rows) => {
          log.recordedHook += rows.length;
        },
      },
      onLost: (count) => (log.lost += count),
      onLeftOnSpool: (count) => (log.leftOnSpool += count),
      spool,
      ...options,
    });
    open.push(r);
    return r;
  };
  const spoolAt = (path: string, maxBytes = 0) =>
    openClickSpool(path, { maxBytes, onStopped: (error) => log.stopped.push(error.message) });
  const rows = (count: number): NewClickRow[] =>
    Array.from({ length: count }, (_, i) => bulkClickRow(1, 1, { at: Date.now() + i }));
  const storedIds = async () =>
    (await storage.db.selectFrom('clicks').select('id').execute()).map((row) => row.id).sort();
  const spoolLines = () =>
    readFileSync(spoolPath, 'utf8')
      .split('\n')
      .filter((line) => line !== '');

  beforeEach(async () => {
    storage = openTestStorage(sqliteDialect);
    await storage.migrate();
    await sql`pragma busy_timeout = 0`.execute(storage.db);
    dir = mkdtempSync(join(tmpdir(), 'cloakradar-spool-'));
    spoolPath = join(dir, 'spool', 'clicks-0.jsonl');
    Object.assign(log, { recordedHook: 0, stopped: [], lost: 0, leftOnSpool: 0 });
  });
  afterEach(async () => {
    unlock?.();
    unlock = undefined;
    for (const r of open.splice(0)) await r.close();
    await storage.dispose();
  });

  test('every buffered click is on disk when its redirect is told; a new recorder stores each once and empties the file', async () => {
    // The first process: a retry delay longer than the test, so it never writes again; it "crashes" by
    // being abandoned with its buffer unflushed, its file as a kill -9 leaves it.
    const first = recorder(spoolAt(spoolPath), { retryMs: 3_600_000, maxRetryMs: 3_600_000 });
    const committed = rows(2);
    for (const row of committed) assert.equal(await first.record(row), 'committed');
    assert.equal(existsSync(spoolPath), false, 'nothing is spooled while storage answers');

    unlock = lockDatabase(storage.url);
    const during = rows(30);
    const outcomes = await Promise.all(
      during.map(async (row) => {
        const outcome = await first.record(row);
        // Acknowledged: the click must already be in the file, fsync'd.
        assert.ok(readFileSync(spoolPath, 'utf8').includes(row.id), 'on the spool before its redirect');
        return outcome;
      }),
    );
    assert.ok(outcomes.every((outcome) => outcome === 'buffered'));
    assert.equal(spoolLines().length, 30);
    assert.equal(first.status().spool?.clicks, 30);
    open.splice(open.indexOf(first), 1);
    unlock();
    unlock = undefined;

    // Two of them were stored after all (a commit whose answer was lost) and a write was cut by the crash.
    await storage.db.transaction().execute((trx) => insertClicks(trx, storage.dialect, during.slice(0, 2)));
    appendFileSync(spoolPath, '{"id":"clk_torn","user_i');

    const second = recorder(spoolAt(spoolPath));
    assert.equal(await second.recover(), 30);
    assert.deepEqual(await storedIds(), [...committed, ...during].map((row) => row.id).sort(), 'each click once');
    assert.equal(log.recordedHook, 2 + 28, 'the rollups counted the replayed clicks once');
    await until(() => second.status().spool?.bytes === 0);
    assert.equal(statSync(spoolPath).size, 0, 'the file is emptied once its clicks are stored');
    assert.deepEqual(second.status().spool, { clicks: 0, bytes: 0, error: null });
    assert.equal(second.status().lost, 0);

    // Replaying again (a crash right after the replay's commit, before the file was emptied) stores nothing twice.
    appendFileSync(spoolPath, `${JSON.stringify(during[5])}\n`);
    const third = recorder(spoolAt(spoolPath));
    assert.equal(await third.recover(), 1);
    assert.equal((await storedIds()).length, 32);
    assert.equal(log.recordedHook, 30);
  });

  test('spooled clicks keep sub6…sub10; a line spooled before they existed replays with them empty', async () => {
    const withSubs = bulkClickRow(1, 1, { at: Date.now(), fields: { sub1: 's1', sub6: 's6', sub10: '=s10' } });
    const spool = spoolAt(spoolPath);
    await spool.append([withSubs]);
    await spool.close();
    // A line as a release before migration 017 wrote it: no sub6…sub10 keys at all.
    const older = bulkClickRow(1, 1, { at: Date.now() + 1 });
    assert.equal('sub6' in older, false);
    appendFileSync(spoolPath, `${JSON.stringify(older)}\n`);

    const replay = recorder(spoolAt(spoolPath));
    assert.equal(await replay.recover(), 2);
    const stored = await storage.db
      .selectFrom('clicks')
      .select(['id', 'sub1', 'sub6', 'sub7', 'sub10'])
      .orderBy('created_at')
      .execute();
    assert.deepEqual(stored, [
      { id: withSubs.id, sub1: 's1', sub6: 's6', sub7: null, sub10: '=s10' },
      { id: older.id, sub1: null, sub6: null, sub7: null, sub10: null },
    ]);
  });

  test('a shutdown while storage is away leaves the clicks on the spool, not lost; the next start stores them', async () => {
    const first = recorder(spoolAt(spoolPath));
    unlock = lockDatabase(storage.url);
    const during = rows(5);
    for (const row of during) assert.equal(await first.record(row), 'buffered');
    await first.close();
    open.splice(open.indexOf(first), 1);
    assert.equal(log.leftOnSpool, 5);
    assert.equal(log.lost, 0);
    unlock();
    unlock = undefined;
    const second = recorder(spoolAt(spoolPath));
    assert.equal(await second.recover(), 5);
    assert.deepEqual(await storedIds(), during.map((row) => row.id).sort());
  });

  test('a spool at its size limit stops with one log line and says so; clicks stay in memory and are stored', async () => {
    const r = recorder(spoolAt(spoolPath, 4_000));
    unlock = lockDatabase(storage.url);
    const during = rows(20);
    for (const row of during) assert.equal(await r.record(row), 'buffered');
    assert.equal(log.stopped.length, 1, log.stopped.join('\n'));
    assert.match(log.stopped[0]!, /limit of 4000 bytes/);
    const status = r.status().spool!;
    assert.match(String(status.error), /limit/);
    assert.ok(status.bytes <= 4_000 && status.clicks > 0 && status.clicks < 20, JSON.stringify(status));
    assert.equal(r.status().buffered, 20);

    unlock();
    unlock = undefined;
    await until(() => r.status().buffered === 0 && r.status().spool?.bytes === 0);
    assert.equal((await storedIds()).length, 20);
    assert.equal(r.status().spool?.error, null, 'an emptied spool takes clicks again');
  });

  test('a full disk (ENOSPC) stops the spool with one log line; redirects go on', async () => {
    // /dev/full answers every write with ENOSPC: a real full disk, not a stand-in.
    const r = recorder(spoolAt('/dev/full'));
    unlock = lockDatabase(storage.url);
    for (const row of rows(10)) assert.equal(await r.record(row), 'buffered');
    assert.equal(log.stopped.length, 1);
    assert.match(log.stopped[0]!, /ENOSPC|no space/i);
    assert.match(String(r.status().spool?.error), /ENOSPC|no space/i);
    assert.equal(r.status().buffered, 10);
    unlock();
    unlock = undefined;
    await until(() => r.status().buffered === 0);
    assert.equal((await storedIds()).length, 10);
  });
});

describe('the click spool when PostgreSQL is slow, not away [postgres]', { skip: POSTGRES_SKIP_REASON }, () => {
  const postgres = DIALECTS.find((dialect) => dialect.name === 'postgres')!;
  let storage: TestStorage;
  const recorders: ClickRecorder[] = [];
  beforeEach(async () => {
    storage = openTestStorage(postgres);
    await storage.migrate();
  });
  afterEach(async () => {
    for (const r of recorders.splice(0)) await r.close();
    await storage.dispose();
  });

  test('a click redirected while its commit still waits is on the spool first; committed, it is not stored twice by a replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-spool-'));
    const path = join(dir, 'clicks-0.jsonl');
    let recorded = 0;
    const open = (spoolPath: string) => {
      const r = createClickRecorder(storage.db, storage.dialect, new EventBus(), {
        commitWaitMs: 200,
        retryMs: 30,
        maxRetryMs: 60,
        hooks: {
          clicksRecorded: async (_trx, rows) => {
            recorded += rows.length;
          },
        },
        spool: openClickSpool(spoolPath, { maxBytes: 0, onStopped: () => undefined }),
      });
      recorders.push(r);
      return r;
    };
    // Another session holds a lock every insert into clicks waits for: a database that answers, slowly.
    const locker = new pg.Client({ connectionString: process.env.CLOAKRADAR_TEST_PG });
    await locker.connect();
    try {
      await locker.query(`begin; lock table ${storage.schema}.clicks in exclusive mode`);
      const r = open(path);
      const row = bulkClickRow(1, 1, { at: Date.now() });
      const started = performance.now();
      assert.equal(await r.record(row), 'buffered', 'the redirect does not wait for the commit');
      assert.ok(performance.now() - started >= 200);
      assert.ok(readFileSync(path, 'utf8').includes(row.id), 'but the click is on disk before it goes');
      // What a kill -9 at this moment would leave behind.
      const crashed = join(dir, 'crashed.jsonl');
      copyFileSync(path, crashed);

      await locker.query('commit');
      await until(() => r.status().spool?.bytes === 0);
      assert.equal(statSync(path).size, 0, 'committed, the click leaves the spool');
      assert.equal(recorded, 1);

      const replay = open(crashed);
      assert.equal(await replay.recover(), 1);
      const stored = await storage.db.selectFrom('clicks').select('id').execute();
      assert.deepEqual(
        stored.map((click) => click.id),
        [row.id],
        'the replay finds it stored and stores it once',
      );
      assert.equal(recorded, 1, 'and counts it once');
      await until(() => replay.status().spool?.bytes === 0);
      assert.equal(statSync(crashed).size, 0, 'and empties the file');
    } finally {
      await locker.end();
    }
  });
});
