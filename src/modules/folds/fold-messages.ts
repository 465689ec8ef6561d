import type { ReportCubeFolderOptions } from '../reports/report-cube-folder.ts';
import type { StatsFolderOptions } from '../stats/stats-folder.ts';

/** What the fold thread is started with (structured-cloned: no functions). */
export interface FoldThreadData {
  /** ts-worker.mjs loads it. */
  readonly entry: string;
  /** The SQLite database file. */
  readonly path: string;
  /** Its page cache in MiB (SQLITE_CACHE_MB), as the event loop's connection. */
  readonly cacheMb: number;
  readonly shard: number;
  /** The write turns' shared memory (write-turns.ts). */
  readonly turns: SharedArrayBuffer;
  readonly statsFolder: Omit<StatsFolderOptions, 'now' | 'turn'>;
  readonly reportCubeFolder: Omit<ReportCubeFolderOptions, 'turn'>;
}

export type FoldJob = 'foldStats' | 'foldCube' | 'buildWeeks';

/** The event loop to the fold thread. */
export type ToFoldThread =
  { type: 'start' } | { type: 'run'; id: number; job: FoldJob } | { type: 'close'; id: number };

/** The fold thread to the event loop. */
export type FromFoldThread =
  | { type: 'done'; id: number; value: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'drained'; at: number }
  | { type: 'warn'; object: object; message: string };
