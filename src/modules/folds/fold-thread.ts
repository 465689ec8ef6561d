import { Worker } from 'node:worker_threads';
import type { WriteTurns } from '../../storage/write-turns.ts';
import type { ReportCubeFolder, ReportCubeFolderOptions } from '../reports/report-cube-folder.ts';
import type { StatsFolder, StatsFolderOptions } from '../stats/stats-folder.ts';
import type { FoldJob, FoldThreadData, FromFoldThread, ToFoldThread } from './fold-messages.ts';

export interface FoldThreadLog {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface FoldThreadDeps {
  /** The SQLite database file (not `:memory:`: the thread opens a connection of its own). */
  path: string;
  /** SQLITE_CACHE_MB: the thread's connection gets the same page cache as the event loop's. */
  cacheMb: number;
  shard: number;
  log: FoldThreadLog;
  /** Shared with the click recorder, whose commits take turns with the thread's transactions. */
  turns: WriteTurns;
  statsFolder?: Omit<StatsFolderOptions, 'now' | 'turn'>;
  reportCubeFolder?: Omit<ReportCubeFolderOptions, 'turn'>;
  /** The folders on the event loop, should the thread die: the journal and the cube are still folded. */
  inThread(): { statsFolder: StatsFolder; reportCubeFolder: ReportCubeFolder };
  /** The module the thread runs (default fold-thread.worker; tests give one that dies). */
  entry?: URL;
}

export interface FoldThread {
  readonly statsFolder: StatsFolder;
  readonly reportCubeFolder: ReportCubeFolder;
}

interface Waiting {
  resolve(value: number): void;
  reject(error: Error): void;
}

/**
 * The rollup journal's and the report cube's folds on a worker thread with its own SQLite connection
 * (issue 24): a fold pass ran 15-60 ms of SQLite on the event loop, and every click that arrived meanwhile
 * waited for it (BENCHMARKS.md, "The tracker's latency tail"). The thread's transactions take turns with
 * the recorder's commits (write-turns.ts), so a click commit waits at most one fold transaction and the
 * event loop keeps answering meanwhile. Should the thread die, its waiting calls fail and the folders run
 * on the event loop again.
 */
export function startFoldThread(deps: FoldThreadDeps): FoldThread {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const data: FoldThreadData = {
    entry: (deps.entry ?? new URL(`./fold-thread.worker.${ext}`, import.meta.url)).href,
    path: deps.path,
    cacheMb: deps.cacheMb,
    shard: deps.shard,
    turns: deps.turns.buffer,
    statsFolder: deps.statsFolder ?? {},
    reportCubeFolder: deps.reportCubeFolder ?? {},
  };
  const worker = new Worker(new URL('../../ts-worker.mjs', import.meta.url), { workerData: data });
  // Only a call waiting for an answer keeps the process alive; the background passes never do.
  worker.unref();
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let drainedAt = Date.now();
  let started = false;
  let closing: Promise<void> | undefined;
  let fallback: ReturnType<FoldThreadDeps['inThread']> | undefined;

  const post = (message: ToFoldThread) => worker.postMessage(message);
  let dead = false;

  const ask = (job: FoldJob | 'close'): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      if (dead) {
        reject(new Error('the fold thread is closed'));
        return;
      }
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      if (waiting.size === 1) worker.ref();
      post(job === 'close' ? { type: 'close', id } : { type: 'run', id, job });
    });

  const answered = (id: number): Waiting | undefined => {
    const call = waiting.get(id);
    waiting.delete(id);
    // Closing keeps it referenced until it has exited: close() awaits that.
    if (waiting.size === 0 && !closing) worker.unref();
    return call;
  };

  worker.on('message', (message: FromFoldThread) => {
    if (message.type === 'drained') drainedAt = message.at;
    else if (message.type === 'warn') deps.log.warn(message.object, message.message);
    else if (message.type === 'done') answered(message.id)?.resolve(message.value);
    else answered(message.id)?.reject(new Error(`fold thread: ${message.message}`));
  });

  const died = (reason: string) => {
    if (dead) return;
    dead = true;
    // Its turn, if it held one, is never given back: the event loop's commits must not wait for it.
    deps.turns.disable();
    const error = new Error(`the fold thread stopped (${reason})`);
    for (const [id] of waiting) answered(id)?.reject(error);
    if (closing) return;
    fallback = deps.inThread();
    deps.log.error({ reason }, 'the fold thread stopped; folding on the event loop from now on');
    if (started) {
      fallback.statsFolder.start();
      fallback.reportCubeFolder.start();
    }
  };
  worker.on('error', (error) => died(error.message));
  worker.on('exit', (code) => died(`exit code ${code}`));

  const start = () => {
    if (started) return;
    started = true;
    if (fallback) {
      fallback.statsFolder.start();
      fallback.reportCubeFolder.start();
    } else post({ type: 'start' });
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (fallback) {
        await fallback.statsFolder.close();
        await fallback.reportCubeFolder.close();
        return;
      }
      if (dead) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      try {
        await ask('close');
      } catch {
        // It died on the way: nothing is left to close in it, and the fallback never started.
      }
      await exited;
    })();
    return closing;
  };

  // Once closed (or dead), a call runs on the event loop, as a closed folder's foldAll does: close only stops the passes.
  const run = (job: FoldJob, inThread: () => Promise<number>) => {
    if (!dead) return ask(job);
    fallback ??= deps.inThread();
    return inThread();
  };

  return {
    statsFolder: {
      start,
      behindSeconds: () =>
        fallback ? fallback.statsFolder.behindSeconds() : Math.max(0, (Date.now() - drainedAt) / 1000),
      foldAll: () => run('foldStats', () => fallback!.statsFolder.foldAll()),
      buildWeeks: async () => {
        await run('buildWeeks', () => fallback!.statsFolder.buildWeeks().then(() => 0));
      },
      close,
    },
    reportCubeFolder: {
      start,
      foldAll: () => run('foldCube', () => fallback!.reportCubeFolder.foldAll()),
      close,
    },
  };
}
