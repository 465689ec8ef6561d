// The only file that imports better-sqlite3.
import SqliteDatabase from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DialectAdapter } from '../dialect-adapter.ts';

export function createSqliteAdapter(path: string): DialectAdapter {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  // WAL lets readers run beside the writer; NORMAL keeps every committed transaction across a
  // process crash (kill -9) and only risks the last commits on a power loss.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return {
    name: 'sqlite',
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
