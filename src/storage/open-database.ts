import { Kysely } from 'kysely';
import type { Database, Db } from './database.ts';
import type { DialectAdapter } from './dialect-adapter.ts';
import { createSqliteAdapter } from './dialects/sqlite.ts';
import { createPostgresAdapter, type PostgresOptions } from './dialects/postgres.ts';
import { migrateToLatest } from './migrations/index.ts';
import type { WriteTurns } from './write-turns.ts';

export interface Storage {
  readonly db: Db;
  readonly dialect: DialectAdapter;
  /** SQLite: the database file, which another connection (a worker thread's) can open; absent otherwise. */
  readonly sqliteFile?: string;
  /**
   * SQLite: turns at the database's one write lock, taken by the checkpoint thread when the log must start
   * over; a fold thread and the click recorder take them too.
   */
  readonly writeTurns?: WriteTurns;
  /** PostgreSQL: what it was opened with, so a worker thread can open a pool of its own; absent otherwise. */
  readonly postgres?: { readonly url: string; readonly options: PostgresOptions };
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export interface StorageOptions extends PostgresOptions {
  /** SQLite's page cache per connection in MiB (SQLITE_CACHE_MB); its default when absent. */
  sqliteCacheMb?: number;
}

/** Picks the dialect from the URL: `postgres://…` or `sqlite:<path>`. */
export function openStorage(databaseUrl: string, options: StorageOptions = {}): Storage {
  const { sqliteCacheMb, ...postgres } = options;
  const sqlitePath = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : null;
  const sqlite =
    sqlitePath === null
      ? undefined
      : createSqliteAdapter(sqlitePath, sqliteCacheMb === undefined ? {} : { cacheMb: sqliteCacheMb });
  const dialect = sqlite ?? createPostgresAdapter(databaseUrl, postgres);
  const db = new Kysely<Database>({ dialect: dialect.kyselyDialect });
  return {
    db,
    dialect,
    ...(sqlite?.writeTurns ? { writeTurns: sqlite.writeTurns } : {}),
    // `:memory:` and `file:` URIs: no second connection reaches the same database.
    ...(sqlitePath !== null && sqlitePath !== ':memory:' && !sqlitePath.startsWith('file:')
      ? { sqliteFile: sqlitePath }
      : {}),
    ...(sqlitePath === null ? { postgres: { url: databaseUrl, options: postgres } } : {}),
    migrate: () => migrateToLatest(db as unknown as Kysely<unknown>, dialect),
    close: async () => {
      // Kysely's destroy ends the pool/database through the dialect driver.
      await db.destroy();
      await dialect.dispose();
    },
  };
}
