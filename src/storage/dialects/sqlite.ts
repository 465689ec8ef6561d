// The only file that imports better-sqlite3.
import SqliteDatabase from 'better-sqlite3';
import { SqliteDialect, sql, type Kysely, type SqliteDialectConfig } from 'kysely';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchColumn, DialectAdapter } from '../dialect-adapter.ts';
import { createWriteTurns, type WriteTurns } from '../write-turns.ts';

const CHECKPOINT_INTERVAL_MS = 1_000;
/**
 * The log's size past which the checkpoint thread copies its last frames in a write turn so that the
 * log starts over (sqlite-checkpoint.worker.mjs); also the size a rewound log's file is cut back to. At
 * 64 MiB that turn came every second at full load and doubled the paced p99; at 256 every few seconds.
 */
const WAL_LIMIT_BYTES = 256 * 1024 * 1024;
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;
/** Rows per rollup upsert statement (22 columns each: well under SQLite's 32,766 parameters). */
const COUNTER_ROWS = 32;
/**
 * Statements kept compiled per SQL text. The hot path's texts are few and fixed (begin, commit, the
 * queries of a click batch); `in (?, ?, …)` lists of varying length and the API's reports make the rest,
 * which the bound pushes out oldest first.
 */
const STATEMENT_CACHE_SIZE = 200;

/**
 * The database as Kysely sees it, preparing each SQL text once. Kysely's SQLite driver prepares every
 * statement anew, `begin` and `commit` included: compiling them took more of a click batch's time than
 * running them (issue 24's profile: prepare 2.5 % of the server's busy time). Reusing a statement is safe
 * here: Kysely runs one query at a time on the connection (its mutex), so no two uses overlap.
 */
function cachingStatements(database: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sqlText) {
      // Kysely begins with a deferred `begin`: a transaction that reads first and writes later then fails
      // at once (SQLITE_BUSY_SNAPSHOT, no busy wait) when another connection of the process (the fold
      // thread, fold-thread.ts) committed in between. `begin immediate` takes the write lock up front.
      const text = sqlText === 'begin' ? 'begin immediate' : sqlText;
      let statement = cache.get(text);
      if (statement) {
        // Most recently used last, so the first key is the one to evict.
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

/**
 * SQLite checkpoints on the committing connection by default, every 1,000 WAL pages: a copy and an
 * fsync in the middle of the click path. A worker thread takes that job; should it ever die, the
 * connection checkpoints by itself again so the log cannot grow without bound.
 */
function startCheckpointer(
  database: SqliteDatabase.Database,
  path: string,
  turns: WriteTurns,
  restartBytes: number,
): Worker {
  database.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(new URL('./sqlite-checkpoint.worker.mjs', import.meta.url), {
    workerData: { path, intervalMs: CHECKPOINT_INTERVAL_MS, restartBytes, turns: turns.buffer },
  });
  worker.unref();
  const fallBack = () => {
    if (database.open) database.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.once('error', fallBack);
  worker.once('exit', fallBack);
  return worker;
}

/**
 * The database holds webhook secrets and visitors' addresses: owner-only (0600), whatever the umask.
 * SQLite would create it 0644 under the usual umask, and gives its -wal and -shm files the database
 * file's own mode, so creating the file 0600 before SQLite opens it covers all three; a database an
 * older version left readable is closed down here too.
 */
export function restrictDatabaseFiles(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'wx', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

export interface SqliteAdapterOptions {
  /**
   * Whether this connection starts the checkpoint thread (default true). A second connection of the same
   * process (the fold thread's) leaves checkpoints to the first.
   */
  readonly checkpointer?: boolean;
  /** Page cache in MiB (SQLITE_CACHE_MB; config.ts has the same default). */
  readonly cacheMb?: number;
  /** The log's limit (default 256 MiB; tests use less). */
  readonly walLimitBytes?: number;
}

/** The SQLite adapter: with a checkpoint thread, the write turns it shares with the process's writers. */
export interface SqliteAdapter extends DialectAdapter {
  readonly writeTurns?: WriteTurns;
}

export function createSqliteAdapter(path: string, options: SqliteAdapterOptions = {}): SqliteAdapter {
  // `file:` URIs and other special names are left to SQLite.
  if (path !== ':memory:' && !path.startsWith('file:')) restrictDatabaseFiles(path);
  const database = new SqliteDatabase(path);
  // WAL lets readers run beside the writer; NORMAL keeps every committed transaction across a
  // process crash (kill -9) and only risks the last commits on a power loss.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Page cache (SQLITE_CACHE_MB): click ids are time-prefixed, so their index grows at its end and a
  // small cache keeps the pages writes touch; the OS keeps the rest of the file (BENCHMARKS.md).
  database.pragma(`cache_size = -${Math.round((options.cacheMb ?? 16) * 1024)}`);
  // A log rewound after a busy spell keeps its file's size unless cut back (the fold thread's connection too).
  const walLimitBytes = options.walLimitBytes ?? WAL_LIMIT_BYTES;
  database.pragma(`journal_size_limit = ${walLimitBytes}`);
  if (options.checkpointer === false) database.pragma('wal_autocheckpoint = 0');
  const writeTurns = path === ':memory:' || options.checkpointer === false ? undefined : createWriteTurns();
  const checkpointer = writeTurns && startCheckpointer(database, path, writeTurns, walLimitBytes);
  /**
   * Runs `write` in a transaction of its own, or straight in the caller's when one is open (the click batch's):
   * better-sqlite3 would nest a savepoint, two more statements per call, and the caller's transaction rolls
   * back as a whole on any error anyway.
   */
  const atomic = (write: (rows: readonly object[]) => void) => {
    const inOwn = database.transaction(write);
    return (rows: readonly object[]) => (database.inTransaction ? write(rows) : inOwn(rows));
  };
  const statements = new Map<string, (rows: readonly object[]) => void>();
  const batchInserter = (table: string, columns: readonly BatchColumn[]) => {
    const key = `${table}(${columns.map((c) => c.name).join(',')})`;
    let insert = statements.get(key);
    if (!insert) {
      const names = columns.map((c) => c.name);
      const statement = database.prepare(
        `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')}) values (${names.map(() => '?').join(', ')})`,
      );
      // One array of values, refilled per row: better-sqlite3 binds it during run() and keeps no reference.
      const values: unknown[] = new Array<unknown>(names.length).fill(null);
      insert = atomic((rows) => {
        for (const row of rows) {
          const record = row as Record<string, unknown>;
          for (let i = 0; i < names.length; i++) values[i] = record[names[i]!] ?? null;
          statement.run(values);
        }
      });
      statements.set(key, insert);
    }
    return insert;
  };
  const counterAdders = new Map<string, (rows: readonly object[]) => void>();
  const counterAdder = (table: string, keys: readonly BatchColumn[], counters: readonly BatchColumn[]) => {
    const key = `${table}(${keys.map((c) => c.name).join(',')}|${counters.map((c) => c.name).join(',')})`;
    let add = counterAdders.get(key);
    if (!add) {
      const names = [...keys, ...counters].map((c) => c.name);
      // Rows go COUNTER_ROWS to a statement: one statement run per row cost about as much in binding and
      // stepping as the upsert itself (a click batch adds a few hundred rollup rows).
      const upsert = (rows: number) =>
        database.prepare(
          `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')}) values ${Array.from({ length: rows }, () => `(${names.map(() => '?').join(', ')})`).join(', ')}
           on conflict (${keys.map((c) => `"${c.name}"`).join(', ')}) do update set
           ${counters.map((c) => `"${c.name}" = "${table}"."${c.name}" + excluded."${c.name}"`).join(', ')}`,
        );
      const many = upsert(COUNTER_ROWS);
      const one = upsert(1);
      // The values of COUNTER_ROWS rows and of one, refilled per statement run (no array per run).
      const manyValues: unknown[] = new Array<unknown>(COUNTER_ROWS * names.length).fill(null);
      const oneValues: unknown[] = new Array<unknown>(names.length).fill(null);
      const fill = (values: unknown[], rows: readonly object[], from: number, count: number) => {
        let at = 0;
        for (let r = from; r < from + count; r++) {
          const record = rows[r] as Record<string, unknown>;
          for (let i = 0; i < names.length; i++) values[at++] = record[names[i]!] ?? null;
        }
        return values;
      };
      add = atomic((rows) => {
        let at = 0;
        for (; at + COUNTER_ROWS <= rows.length; at += COUNTER_ROWS) many.run(fill(manyValues, rows, at, COUNTER_ROWS));
        for (; at < rows.length; at++) one.run(fill(oneValues, rows, at, 1));
      });
      counterAdders.set(key, add);
    }
    return add;
  };
  // Inside a Kysely transaction the connection is already ours (better-sqlite3 nests with a savepoint);
  // outside one, Kysely's lease keeps the statements from landing inside someone else's transaction.
  const onConnection = (db: Kysely<unknown>, run: () => void): Promise<void> =>
    db.isTransaction ? Promise.resolve().then(run) : db.connection().execute(async () => run());
  return {
    name: 'sqlite',
    writeTurns,
    // One table: retention deletes old rows in small batches instead.
    clickPartitions: null,
    addToCounters: (db, table, keys, counters, rows) =>
      onConnection(db, () => counterAdder(table, keys, counters)(rows)),
    dispose: async () => {
      if (!checkpointer) return;
      const exited = new Promise((resolve) => checkpointer.once('exit', resolve));
      // Unref'd so it never holds the process open, it must be ref'd again for its exit to be awaited.
      checkpointer.ref();
      checkpointer.postMessage('stop');
      await exited;
    },
    // Through Kysely's connection lease, so the batch never lands inside a transaction Kysely has open.
    insertBatch: (db, table, columns, rows) => onConnection(db, () => batchInserter(table, columns)(rows)),
    kyselyDialect: new SqliteDialect({ database: cachingStatements(database) }),
    bigintType: 'integer',
    doubleType: 'real',
    primaryKeyType: 'integer',
    migrationSchema: undefined,
    primaryKey: (column) => column.primaryKey().autoIncrement(),
    clustered: (table) => table.modifyEnd(sql`without rowid`),
    supportsRowLocks: false,
    supportsSkipLocked: false,
    jsonRows: (values) => sql<string>`json_group_array(json_array(${sql.join(values)}))`,
    vacuum: async () => undefined,
    isUnavailable: (error) =>
      error instanceof Error &&
      'code' in error &&
      /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL)/.test(String(error.code)),
    isUniqueViolation: (error) =>
      error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT_UNIQUE'),
    ping: async () => {
      database.prepare('select 1').get();
    },
  };
}
