import type { Kysely } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { startOfDay } from '../stats/periods.ts';
import { foldCube } from './report-cube-fold.repository.ts';

export interface ReportCubeFolderLog {
  warn(object: object, message: string): void;
}

export interface ReportCubeFolderOptions {
  /**
   * Pause between passes (default 10 s; 0 = only `foldAll`, for tests and the benchmarks). A pass folds
   * the rows of days that have ended: the previous day's once after midnight, and the deltas late verdicts,
   * conversions and lander clicks add to old days, within seconds of their writing.
   */
  readonly intervalMs?: number;
  /**
   * How often today's rows are folded too (default 5 min). The tracker upserts today's rows all day; folding
   * them every pass would move each combination about once per click at ordinary rates, while every
   * five minutes a busy combination is moved once for all its clicks of those minutes. Reads add the rows
   * not folded yet, so this bounds them to five minutes' combinations (plus what late changes added).
   */
  readonly todayEveryMs?: number;
  /**
   * report_cube rows per transaction (default 500). On SQLite a chunk holds the one writer for its
   * transaction, so a click batch may wait for one: 500 rows are ~10 ms of CPU, 2,000 ~25 ms for ~15 % less
   * CPU per row (bench/cube-fold/fold-cost.ts; BENCHMARKS.md, "## Reports" notes).
   */
  readonly chunkRows?: number;
  /** Runs each transaction in a turn at the write lock (see StatsFolderOptions.turn); default: as it comes. */
  readonly turn?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface ReportCubeFolderDeps extends ReportCubeFolderOptions {
  db: Db;
  dialect: DialectAdapter;
  log: ReportCubeFolderLog;
  now?: () => number;
}

export interface ReportCubeFolder {
  start(): void;
  /** Folds every row, today's included, until none is left; returns how many were moved. */
  foldAll(): Promise<number>;
  /** Stops after the transaction in progress; what is left stays in report_cube for the next start. */
  close(): Promise<void>;
}

/** How often a failing fold is logged: the database being away is logged elsewhere already. */
const FAILURE_LOG_INTERVAL_MS = 60_000;
/** Every row: a day start no row reaches. */
const EVERYTHING = Number.MAX_SAFE_INTEGER;

/**
 * Moves report_cube's rows (one full-grain day row per combination and writer, written in the click
 * transaction) into report_cube_folded (days and weeks, full and narrow grain, merged over writers) in
 * the background, in bounded chunks, so the click path keeps its single upsert and reports read few rows.
 * Reports read both tables in one statement and each chunk moves rows in one transaction, so a report is
 * exact whatever has been folded. Any process may fold: on PostgreSQL each takes rows nobody else holds.
 */
export function createReportCubeFolder(deps: ReportCubeFolderDeps): ReportCubeFolder {
  const intervalMs = deps.intervalMs ?? 10_000;
  const todayEveryMs = deps.todayEveryMs ?? 300_000;
  const chunkRows = deps.chunkRows ?? 500;
  const now = deps.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let closed = false;
  let lastFailureLog = 0;
  let todayFoldedAt = 0;
  /**
   * Whether report_cube may hold dead rows no vacuum has cleared: rows were moved since the last one, or this
   * process has just started (the one before may have folded without the vacuum after).
   */
  let unvacuumed = true;
  const vacuum = async () => {
    await turn(() => deps.dialect.vacuum(deps.db as unknown as Kysely<unknown>, 'report_cube'));
    unvacuumed = false;
  };

  const turn = deps.turn ?? ((work) => work());
  const foldChunk = (before: number) =>
    turn(() => deps.db.transaction().execute((trx) => foldCube(trx, deps.dialect, before, chunkRows)));

  /**
   * Chunk after chunk until one comes back short, resting between chunks as long as the last one took:
   * a backlog (the day after midnight, a restart) takes at most half of the writer's time.
   */
  async function foldBefore(before: number): Promise<number> {
    let folded = 0;
    while (!closed) {
      const started = performance.now();
      const rows = await foldChunk(before);
      folded += rows;
      if (rows < chunkRows) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, performance.now() - started)));
    }
    return folded;
  }

  const pass = async () => {
    const at = now();
    const today = at - todayFoldedAt >= todayEveryMs;
    const folded = await foldBefore(today ? EVERYTHING : startOfDay(at));
    if (today) todayFoldedAt = at;
    // PostgreSQL: every moved row left a dead version that a report's scan of the unfolded rows would visit
    // until autovacuum comes by (about a minute, or never where it is off); the table is small once folded, so
    // clearing it is cheap. Also on the first pass: 104k dead rows a bulk load's last folds left were 3,400
    // index pages that every cube report's bitmap scan read (PostgreSQL 1M; BENCHMARKS.md, "Reports").
    unvacuumed ||= folded > 0;
    if (unvacuumed) await vacuum();
  };

  const schedule = () => {
    if (closed || intervalMs === 0) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((error: unknown) => {
          if (Date.now() - lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
          lastFailureLog = Date.now();
          deps.log.warn(
            { error: error instanceof Error ? error.message : String(error) },
            'report cube not folded; will retry (reports still count its rows)',
          );
        })
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };

  return {
    start() {
      // Today's rows wait one todayEveryMs after a start, like every later fold of them.
      todayFoldedAt = now();
      schedule();
    },
    async foldAll() {
      await running;
      let folded = 0;
      for (;;) {
        const rows = await foldChunk(EVERYTHING);
        folded += rows;
        if (rows > 0) continue;
        // As a pass does: the moved rows' dead versions would be visited by every cube read until a vacuum.
        unvacuumed ||= folded > 0;
        if (unvacuumed) await vacuum();
        return folded;
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
