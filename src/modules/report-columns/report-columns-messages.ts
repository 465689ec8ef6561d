import type { PostgresOptions } from '../../storage/dialects/postgres.ts';
import type { ClickGroupQuery, TopRows } from '../clicks/click-groups.repository.ts';
import type { PackedClickGroups } from './packed-click-groups.ts';

/** What the copy's thread is started with (structured-cloned: no functions). */
export interface ReportColumnsThreadData {
  /** ts-worker.mjs loads it. */
  readonly entry: string;
  /** The database the clicks are read from: a SQLite file or a PostgreSQL URL, opened again by the thread. */
  readonly database:
    | {
        readonly sqlite: string;
        /** SQLITE_CACHE_MB, as the event loop's connection. */
        readonly cacheMb: number;
        /** The write turns' shared memory (write-turns.ts): the copy's few writes take them. */
        readonly turns: SharedArrayBuffer;
      }
    | { readonly postgres: string; readonly options: PostgresOptions };
  /** The DuckDB file. */
  readonly path: string;
  readonly lagMs: number;
  readonly memoryMb: number;
}

/** A call the event loop waits for the answer of. */
export type ReportColumnsCall =
  | { readonly type: 'sync' }
  | { readonly type: 'group'; readonly query: ClickGroupQuery }
  | { readonly type: 'top'; readonly query: ClickGroupQuery; readonly top: TopRows }
  | { readonly type: 'rows' }
  | { readonly type: 'close' };

/** The event loop to the copy's thread. */
export type ToReportColumnsThread =
  | { readonly type: 'start'; readonly intervalMs: number }
  | { readonly type: 'call'; readonly id: number; readonly call: ReportColumnsCall };

/** The copy's thread to the event loop. */
export type FromReportColumnsThread =
  | { readonly type: 'done'; readonly id: number; readonly value: ThreadAnswer }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  | { readonly type: 'warn'; readonly object: object; readonly message: string };

/** What a call answers: groups (packed), a top read's groups and rows (or null: none), a count, or nothing. */
export type ThreadAnswer =
  PackedClickGroups | { readonly top: PackedClickGroups; readonly rows: number } | number | null;
