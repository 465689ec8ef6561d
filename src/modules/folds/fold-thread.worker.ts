// The fold thread's body (fold-thread.ts starts it through ts-worker.mjs): its own SQLite connection, the
// rollup journal's and the report cube's folders, each transaction in a turn shared with the event loop.
import { Kysely } from 'kysely';
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from '../../storage/database.ts';
import { createSqliteAdapter } from '../../storage/dialects/sqlite.ts';
import { createWriteTurns, inBlockingTurn } from '../../storage/write-turns.ts';
import { createReportCubeFolder } from '../reports/report-cube-folder.ts';
import { createStatsFolder } from '../stats/stats-folder.ts';
import type { FoldJob, FoldThreadData, FromFoldThread, ToFoldThread } from './fold-messages.ts';

const data = workerData as FoldThreadData;
const port = parentPort!;
const post = (message: FromFoldThread) => port.postMessage(message);

const dialect = createSqliteAdapter(data.path, { checkpointer: false, cacheMb: data.cacheMb });
const db = new Kysely<Database>({ dialect: dialect.kyselyDialect });
const turn = inBlockingTurn(createWriteTurns(data.turns));
const log = { warn: (object: object, message: string) => post({ type: 'warn', object, message }) };
const statsFolder = createStatsFolder({
  ...data.statsFolder,
  db,
  dialect,
  log,
  shard: data.shard,
  turn,
  onDrained: (at) => post({ type: 'drained', at }),
});
const reportCubeFolder = createReportCubeFolder({ ...data.reportCubeFolder, db, dialect, log, turn });

const jobs: Record<FoldJob, () => Promise<number>> = {
  foldStats: () => statsFolder.foldAll(),
  foldCube: () => reportCubeFolder.foldAll(),
  buildWeeks: () => statsFolder.buildWeeks().then(() => 0),
};

/** Calls under way: closing waits for them, so none is cut off in the middle of a transaction. */
const running = new Set<Promise<unknown>>();

port.on('message', (message: ToFoldThread) => {
  if (message.type === 'start') {
    statsFolder.start();
    reportCubeFolder.start();
    return;
  }
  const { id } = message;
  const work =
    message.type === 'run'
      ? jobs[message.job]()
      : (async () => {
          await Promise.allSettled(running);
          await statsFolder.close();
          await reportCubeFolder.close();
          await db.destroy();
          await dialect.dispose();
          return 0;
        })();
  running.add(work);
  const finished = () => running.delete(work);
  work.then(finished, finished);
  work.then(
    (value) => {
      post({ type: 'done', id, value });
      if (message.type === 'close') port.close();
    },
    (error: unknown) => post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) }),
  );
});
