// The only file that imports better-sqlite3.
import SqliteDatabase from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BatchColumn, DialectAdapter } from '../dialect-adapter.ts';

export function createSqliteAdapter(path: string): DialectAdapter {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  // WAL lets readers run beside the writer; NORMAL keeps every committed transaction across a
  // process crash (kill -9) and only risks the last commits on a power loss.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const statements = new Map<string, (rows: readonly object[]) => void>();
  const batchInserter = (table: string, columns: readonly BatchColumn[]) => {
    const key = `${table}(${columns.map((c) => c.name).join(',')})`;
    let insert = statements.get(key);
    if (!insert) {
      const names = columns.map((c) => c.name);
      const statement = database.prepare(
        `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')}) values (${names.map(() => '?').join(', ')})`,
      );
      insert = database.transaction((rows: readonly object[]) => {
        for (const row of rows) statement.run(names.map((n) => (row as Record<string, unknown>)[n] ?? null));
      });
      statements.set(key, insert);
    }
    return insert;
  };
  return {
    name: 'sqlite',
    // Through Kysely's connection lease, so the batch never lands inside a transaction Kysely has open.
    insertBatch: (db, table, columns, rows) => db.connection().execute(async () => batchInserter(table, columns)(rows)),
    kyselyDialect: new SqliteDialect({ database }),
    bigintType: 'integer',
    doubleType: 'real',
    primaryKeyType: 'integer',
    migrationSchema: undefined,
    primaryKey: (column) => column.primaryKey().autoIncrement(),
    isUniqueViolation: (error) =>
      error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT_UNIQUE'),
    ping: async () => {
      database.prepare('select 1').get();
    },
  };
}
