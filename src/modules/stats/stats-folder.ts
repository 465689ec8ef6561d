import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { StatsDelta } from './stats-delta.ts';
import { addStats, takeJournalRows } from './stats.repository.ts';

export interface StatsFolderLog {
  warn(object: object, message: string): void;
}

export interface StatsFolderOptions {
  /** Pause between passes once the journal is empty (default 1 s); 0 = only `foldAll` (tests). */
  readonly intervalMs?: number;
  /**
   * Journal rows per transaction (default 2,000). On SQLite a fold holds the one writer and the event
   * loop for its transaction: 2,000 rows took about 15 ms with the tracker at full speed (BENCHMARKS.md),
   * so a click waits at most that long for one; bigger chunks merge more rows per upsert.
   */
  readonly chunkRows?: number;
}

export interface StatsFolderDeps extends StatsFolderOptions {
  db: Db;
  dialect: DialectAdapter;
  log: StatsFolderLog;
  /** The process's rollup rows (click-stats.table.ts, `shard`): folders on several processes never wait on each other's row locks. */
  shard: number;
}

export interface StatsFolder {
  start(): void;
  /** Folds until the journal is empty (what a test or the bulk loader waits for); returns the rows folded. */
  foldAll(): Promise<number>;
  /** Stops after the transaction in progress; what is left stays in the journal for the next start. */
  close(): Promise<void>;
}

/** How often a failing fold is logged: the database being away is logged elsewhere already. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * Moves the rollup journal into click_stats_periods in the background: each transaction takes the
 * oldest journal rows, merges them by key (a busy campaign's hour and its countries repeat in every
 * batch) and adds them, with their all-campaigns and week copies, to the periods; removal and addition
 * commit together, so reports (which read both) never count a row twice or miss it. Any node may fold:
 * on PostgreSQL each takes rows the others have not locked.
 */
export function createStatsFolder(deps: StatsFolderDeps): StatsFolder {
  const intervalMs = deps.intervalMs ?? 1_000;
  const chunkRows = deps.chunkRows ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let closed = false;
  let lastFailureLog = 0;

  const foldChunk = () =>
    deps.db.transaction().execute(async (trx) => {
      const rows = await takeJournalRows(trx, deps.dialect, chunkRows);
      if (rows.length === 0) return 0;
      const delta = new StatsDelta(deps.shard);
      for (const row of rows) delta.addOwn(row);
      await addStats(trx, deps.dialect, delta);
      return rows.length;
    });

  /** Folds chunk after chunk, letting other work run between them, until a chunk comes back short. */
  async function foldAvailable(): Promise<number> {
    let folded = 0;
    while (!closed) {
      const rows = await foldChunk();
      folded += rows;
      if (rows < chunkRows) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return folded;
  }

  const schedule = () => {
    if (closed || intervalMs === 0) return;
    timer = setTimeout(() => {
      const pass = foldAvailable().catch((error: unknown) => {
        if (Date.now() - lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
        lastFailureLog = Date.now();
        deps.log.warn({ error: error instanceof Error ? error.message : String(error) }, 'rollup journal not folded; will retry (reports still count it)');
      });
      running = pass.finally(schedule);
    }, intervalMs);
    timer.unref();
  };

  return {
    start: schedule,
    async foldAll() {
      await running;
      let folded = 0;
      for (;;) {
        const rows = await foldChunk();
        folded += rows;
        if (rows === 0) return folded;
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
