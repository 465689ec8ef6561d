import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { buildClosedWeek, foldJournal, vacuumJournal } from './stats.repository.ts';
import { startOfDay } from './periods.ts';

export interface StatsFolderLog {
  warn(object: object, message: string): void;
}

export interface StatsFolderOptions {
  /** Pause between passes once the journal is empty (default 250 ms: reports read what is not folded yet row by row, so the journal is kept to a fraction of a second of traffic); 0 = only `foldAll` (tests). */
  readonly intervalMs?: number;
  /**
   * Journal rows per transaction (default 1,000, about 140 clicks' worth). On SQLite a fold holds the one
   * writer for its transaction, so a click batch may wait for one: larger chunks merge more cheaply per row
   * but hold the writer longer (BENCHMARKS.md, "Measurements behind the code").
   */
  readonly chunkRows?: number;
  /** The clock that says when a week is over and its rows can be built (default Date.now). */
  readonly now?: () => number;
  /**
   * Runs each transaction in a turn at the write lock (fold-thread.ts: a fold on a worker thread takes
   * turns with the event loop's click commits); default: runs it as it comes.
   */
  readonly turn?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface StatsFolderDeps extends StatsFolderOptions {
  db: Db;
  dialect: DialectAdapter;
  log: StatsFolderLog;
  /** The process's rollup rows (click-stats.table.ts, `shard`): folders on several processes never wait on each other's row locks. */
  shard: number;
  /** The journal was found drained (a fold thread reports it to the event loop's `behindSeconds`). */
  onDrained?(at: number): void;
}

export interface StatsFolder {
  start(): void;
  /** Seconds since the folder last found the journal drained: grows while the database is away or folding falls behind. */
  behindSeconds(): number;
  /** Folds until the journal is empty (what a test or the bulk loader waits for); returns the rows folded. */
  foldAll(): Promise<number>;
  /** Builds the week rows of the weeks that are over (the background passes do it after folding). */
  buildWeeks(): Promise<void>;
  /** Stops after the transaction in progress; what is left stays in the journal for the next start. */
  close(): Promise<void>;
}

/**
 * How often, at most, the journal's dead rows are cleared after a pass that folded some (vacuumJournal):
 * a report reads the dead rows of up to a second of traffic (~25k journal rows at the tracker's full
 * speed on PostgreSQL), and a vacuum of that many takes PostgreSQL a few milliseconds.
 */
const VACUUM_INTERVAL_MS = 1_000;
/** How often the passes look for a week that is over (buildClosedWeek). */
const WEEK_CHECK_INTERVAL_MS = 60_000;
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
  const intervalMs = deps.intervalMs ?? 250;
  const chunkRows = deps.chunkRows ?? 1_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let closed = false;
  let lastFailureLog = 0;
  let drainedAt = Date.now();
  let vacuumedAt = 0;
  /**
   * Whether the journal may hold dead rows no vacuum has cleared: rows folded since the last one, and at the
   * start (a bulk load, or the process before this one, may have left up to millions; vacuumJournal).
   */
  let unvacuumed = true;
  const drained = () => {
    drainedAt = Date.now();
    deps.onDrained?.(drainedAt);
  };

  const now = deps.now ?? Date.now;
  const turn = deps.turn ?? ((work) => work());
  const foldChunk = () =>
    turn(() =>
      deps.db.transaction().execute((trx) => foldJournal(trx, deps.dialect, deps.shard, chunkRows, startOfDay(now()))),
    );

  let weeksCheckedAt = 0;

  /**
   * Builds the weeks that are over (a server that was stopped may have several), a short transaction a step,
   * resting between steps as long as the last one took, as the fold does with a backlog.
   */
  async function buildWeeks(): Promise<void> {
    while (!closed) {
      const started = performance.now();
      if (!(await turn(() => deps.db.transaction().execute((trx) => buildClosedWeek(trx, deps.dialect, now())))))
        return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, performance.now() - started)));
    }
  }

  /**
   * Folds chunk after chunk until one comes back short, resting between chunks as long as the last one
   * took: a backlog (after a burst, or a restart) is worked off with at most half of the writer's time,
   * never in one long stretch that click batches queue behind.
   */
  async function foldAvailable(): Promise<number> {
    let folded = 0;
    while (!closed) {
      const started = performance.now();
      const rows = await foldChunk();
      folded += rows;
      if (rows < chunkRows) {
        drained();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, performance.now() - started)));
    }
    return folded;
  }

  const schedule = () => {
    if (closed || intervalMs === 0) return;
    timer = setTimeout(() => {
      const pass = foldAvailable()
        .then(async (folded) => {
          // A week ends once a week: looking once a minute is plenty.
          if (Date.now() - weeksCheckedAt >= WEEK_CHECK_INTERVAL_MS) {
            weeksCheckedAt = Date.now();
            await buildWeeks();
          }
          // Not only after a pass that folded: the last passes of a burst fold within a second of a vacuum,
          // and their dead rows stayed until the next traffic (for good after a bulk load on a server without
          // autovacuum), each pass's scan of the journal's key wading through them: 440 ms a pass for 100k
          // dead rows on PostgreSQL, four times a second (BENCHMARKS.md, "Reports", PostgreSQL).
          unvacuumed ||= folded > 0;
          if (!unvacuumed || Date.now() - vacuumedAt < VACUUM_INTERVAL_MS) return;
          vacuumedAt = Date.now();
          await turn(() => vacuumJournal(deps.db, deps.dialect));
          unvacuumed = false;
        })
        .catch((error: unknown) => {
          if (Date.now() - lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
          lastFailureLog = Date.now();
          deps.log.warn(
            { error: error instanceof Error ? error.message : String(error) },
            'rollup journal not folded; will retry (reports still count it)',
          );
        });
      running = pass.finally(schedule);
    }, intervalMs);
    timer.unref();
  };

  return {
    start: schedule,
    buildWeeks,
    behindSeconds: () => Math.max(0, (Date.now() - drainedAt) / 1000),
    async foldAll() {
      await running;
      let folded = 0;
      for (;;) {
        const rows = await foldChunk();
        folded += rows;
        unvacuumed ||= rows > 0;
        if (rows === 0) {
          drained();
          return folded;
        }
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
