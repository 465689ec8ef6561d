// The fold thread (src/modules/folds/fold-thread.ts): folds on a worker thread with its own SQLite
// connection, taking turns with the event loop's click commits. A call is answered once its fold is
// committed, a thread that dies fails its callers instead of leaving them waiting, and close lets the
// fold under way finish before the thread stops.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { bulkClickRow } from '../helpers/bulk-clicks.ts';
import { insertClicks } from '../../src/modules/clicks/click.repository.ts';
import { startFoldThread, type FoldThread } from '../../src/modules/folds/fold-thread.ts';
import { createReportCubeFolder } from '../../src/modules/reports/report-cube-folder.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';
import { TOTAL } from '../../src/modules/stats/dimensions.ts';
import { ALL_CAMPAIGNS, HOURLY } from '../../src/modules/stats/periods.ts';
import { createStatsWriter } from '../../src/modules/stats/stats-writer.ts';
import { createWriteTurns, type WriteTurns } from '../../src/storage/write-turns.ts';

const DAY = 86_400_000;
const START = Date.UTC(2024, 4, 1, 7);

describe('fold thread [sqlite]', () => {
  let storage: TestStorage;
  const errors: string[] = [];
  const log = { warn: () => undefined, error: (_: object, message: string) => void errors.push(message) };

  before(async () => {
    storage = openTestStorage(DIALECTS.find((dialect) => dialect.name === 'sqlite')!);
    await storage.migrate();
  });
  after(async () => storage?.dispose());

  const inThread = () => ({
    statsFolder: createStatsFolder({ db: storage.db, dialect: storage.dialect, log, shard: 0, intervalMs: 0 }),
    reportCubeFolder: createReportCubeFolder({ db: storage.db, dialect: storage.dialect, log, intervalMs: 0 }),
  });
  const start = (turns: WriteTurns, entry?: URL): FoldThread =>
    startFoldThread({
      path: storage.sqliteFile!,
      cacheMb: 16,
      shard: 0,
      log,
      turns,
      statsFolder: { intervalMs: 0 },
      reportCubeFolder: { intervalMs: 0 },
      inThread,
      ...(entry ? { entry } : {}),
    });

  let seed = 0;
  /** A click batch as the recorder commits it: rows, rollup journal and cube in one transaction, in a turn. */
  const commitBatch = (turns: WriteTurns, count: number) => {
    const rows = Array.from({ length: count }, (_, i) =>
      bulkClickRow(1, 1 + (i % 3), {
        at: START + ((seed + i) % 5) * DAY + (i % 24) * 3_600_000,
        country: ['DE', 'FR', 'US'][(seed + i) % 3]!,
        fields: { sub1: `s${(seed + i) % 11}` },
      }),
    );
    seed += count;
    const writer = createStatsWriter(storage.dialect);
    return turns.during(() =>
      storage.db.transaction().execute(async (trx) => {
        await insertClicks(trx, storage.dialect, rows);
        await writer.clicksRecorded(trx, rows);
      }),
    );
  };
  const journalRows = async () => (await storage.db.selectFrom('click_stats_journal').select('id').execute()).length;
  const clicksInPeriods = async () =>
    Number(
      (
        await storage.db
          .selectFrom('click_stats_periods')
          .select((eb) => eb.fn.sum<number>('clicks').as('clicks'))
          .where('dimension', '=', TOTAL)
          .where('campaign_id', '!=', ALL_CAMPAIGNS)
          .where('hours', '=', HOURLY)
          .executeTakeFirst()
      )?.clicks ?? 0,
    );

  test('a fold is answered once committed, while the event loop commits click batches between its transactions', async () => {
    const turns = createWriteTurns();
    const thread = start(turns);
    try {
      await commitBatch(turns, 200);
      assert.ok((await journalRows()) > 100);
      const folded = await thread.statsFolder.foldAll();
      assert.ok(folded > 100, `rows folded (${folded})`);
      // Read on the event loop's own connection: the thread's commit is visible the moment it answers.
      assert.equal(await journalRows(), 0);
      assert.equal(await clicksInPeriods(), 200);

      // Folds and click commits at once: every click counted exactly once, no SQLITE_BUSY on either side.
      const writes = Array.from({ length: 20 }, () => commitBatch(turns, 30));
      const folds = [thread.statsFolder.foldAll(), thread.reportCubeFolder.foldAll()];
      await Promise.all([...writes, ...folds]);
      await thread.statsFolder.foldAll();
      assert.equal(await journalRows(), 0);
      assert.equal(await clicksInPeriods(), 800);
    } finally {
      await thread.statsFolder.close();
      await thread.reportCubeFolder.close();
    }
  });

  test('close lets the fold under way finish, then stops the thread; later calls fold on the event loop', async () => {
    const turns = createWriteTurns();
    const thread = start(turns);
    await commitBatch(turns, 300);
    const folding = thread.statsFolder.foldAll();
    const closing = thread.statsFolder.close();
    const folded = await folding;
    await closing;
    await thread.reportCubeFolder.close();
    assert.ok(folded > 0, `the fold under way finished (${folded} rows)`);
    assert.equal(await journalRows(), 0);
    // The thread is gone: no turn waits for it, and a call is served on the event loop.
    await commitBatch(turns, 10);
    assert.ok((await thread.statsFolder.foldAll()) > 0);
    assert.equal(await journalRows(), 0);
    assert.deepEqual(errors, []);
  });

  test('a thread that dies fails its callers instead of hanging them, and frees the turn it held', async () => {
    const turns = createWriteTurns();
    const thread = start(turns, new URL('../fixtures/dying-fold-thread.mjs', import.meta.url));
    // The fixture takes the turn as it starts (ticket 0, served at once) and holds it: a commit waits for it.
    const state = new Int32Array(turns.buffer);
    const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number) => { value: unknown } })
      .waitAsync;
    if (Atomics.load(state, 0) === 0) await waitAsync(state, 0, 0).value;
    let committed = false;
    const commit = commitBatch(turns, 10).then(() => (committed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(committed, false, 'the commit waits for the turn the thread holds');
    await assert.rejects(thread.statsFolder.foldAll(), /the fold thread stopped \(exit code 3\)/);
    await commit;
    assert.deepEqual(errors, ['the fold thread stopped; folding on the event loop from now on']);
    // Folding goes on, on the event loop.
    assert.ok((await thread.statsFolder.foldAll()) > 0);
    assert.equal(await journalRows(), 0);
    await thread.statsFolder.close();
    await thread.reportCubeFolder.close();
  });
});
