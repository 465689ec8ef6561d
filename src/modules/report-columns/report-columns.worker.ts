// The columnar copy's thread (report-columns-thread.ts starts it through ts-worker.mjs): its own connection
// to the database, the DuckDB file, and the copy's syncs and reads (report-columns.service.ts).
import { Kysely } from 'kysely';
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { createPostgresAdapter } from '../../storage/dialects/postgres.ts';
import { createSqliteAdapter } from '../../storage/dialects/sqlite.ts';
import { createWriteTurns, inBlockingTurn } from '../../storage/write-turns.ts';
import { groupClicks } from '../clicks/click-groups.repository.ts';
import type {
  FromReportColumnsThread,
  ReportColumnsCall,
  ReportColumnsThreadData,
  ThreadAnswer,
  ToReportColumnsThread,
} from './report-columns-messages.ts';
import { packClickGroups } from './packed-click-groups.ts';
import { openReportColumns, type ReportColumns } from './report-columns.service.ts';

const data = workerData as ReportColumnsThreadData;
const port = parentPort!;
const post = (message: FromReportColumnsThread) => port.postMessage(message);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const source = data.database;
const dialect: DialectAdapter =
  'sqlite' in source
    ? createSqliteAdapter(source.sqlite, { checkpointer: false, cacheMb: source.cacheMb })
    : // One connection: the copy reads a step at a time.
      createPostgresAdapter(source.postgres, { ...source.options, maxConnections: 1 });
const db = new Kysely<Database>({ dialect: dialect.kyselyDialect });
// Its few writes take the SQLite write turns (the event loop commits clicks meanwhile); PostgreSQL needs none.
const turn = 'sqlite' in source ? inBlockingTurn(createWriteTurns(source.turns)) : undefined;
const log = { warn: (object: object, message: string) => post({ type: 'warn', object, message }) };

const opened: Promise<ReportColumns> = openReportColumns({
  db,
  path: data.path,
  lagMs: data.lagMs,
  memoryMb: data.memoryMb,
  groupClicks: (query) => groupClicks(db, query),
  log,
  turn,
});

/** An answer and the buffers it moves (packed groups' typed arrays). */
async function answer(call: ReportColumnsCall): Promise<{ value: ThreadAnswer; transfer: ArrayBuffer[] }> {
  const columns = await opened;
  switch (call.type) {
    case 'sync':
      await columns.sync();
      return { value: null, transfer: [] };
    case 'group': {
      const { packed, transfer } = packClickGroups(await columns.groupClicks(call.query), call.query);
      return { value: packed, transfer };
    }
    case 'top': {
      const top = await columns.topGroups(call.query, call.top);
      if (!top) return { value: null, transfer: [] };
      const { packed, transfer } = packClickGroups(top.groups, call.query);
      return { value: { top: packed, rows: top.rows }, transfer };
    }
    case 'rows':
      return { value: await columns.rows(), transfer: [] };
    case 'close':
      await columns.close();
      await db.destroy();
      await dialect.dispose();
      return { value: null, transfer: [] };
  }
}

port.on('message', (message: ToReportColumnsThread) => {
  if (message.type === 'start') {
    opened.then(
      (columns) => columns.start(message.intervalMs),
      (error: unknown) => log.warn({ err: errorText(error) }, 'the columnar copy did not open'),
    );
    return;
  }
  const { id, call } = message;
  void answer(call)
    .then(
      ({ value, transfer }) =>
        port.postMessage({ type: 'done', id, value } satisfies FromReportColumnsThread, transfer),
      (error: unknown) => post({ type: 'failed', id, message: errorText(error) }),
    )
    .finally(() => {
      // Closed or not, the thread ends: the event loop waits for it to exit.
      if (call.type === 'close') port.close();
    });
});
