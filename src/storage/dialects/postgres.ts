// The only file that imports pg.
import pg from 'pg';
import { PostgresDialect, sql } from 'kysely';
import type { DialectAdapter } from '../dialect-adapter.ts';

// Epoch-millisecond timestamps and counts are int8; they fit a JavaScript number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface PostgresOptions {
  /** Schema to create and use (tests isolate themselves this way). */
  readonly schema?: string;
  readonly maxConnections?: number;
}

export function createPostgresAdapter(connectionString: string, options: PostgresOptions = {}): DialectAdapter {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  let schemaReady: Promise<void> | undefined;
  const ensureSchema = async (): Promise<void> => {
    if (!schema) return;
    schemaReady ??= pool.query(`create schema if not exists ${schema}`).then(() => undefined);
    await schemaReady;
  };
  return {
    name: 'postgres',
    dispose: async () => undefined,
    insertBatch: async (db, table, columns, rows) => {
      const arrays = columns.map((column) => rows.map((row) => (row as Record<string, unknown>)[column.name] ?? null));
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
        select * from unnest(${sql.join(arrays.map((values, i) => sql`${values}::${sql.raw(columns[i]!.pgType)}[]`))})`.execute(db);
    },
    addToCounters: async (db, table, keys, counters, rows) => {
      if (rows.length === 0) return;
      const columns = [...keys, ...counters];
      const arrays = columns.map((column) => rows.map((row) => (row as Record<string, unknown>)[column.name] ?? null));
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
        select * from unnest(${sql.join(arrays.map((values, i) => sql`${values}::${sql.raw(columns[i]!.pgType)}[]`))})
          as batch(${sql.join(columns.map((c) => sql.ref(c.name)))})
        order by ${sql.join(keys.map((c) => sql.ref(`batch.${c.name}`)))}
        on conflict (${sql.join(keys.map((c) => sql.ref(c.name)))}) do update set
        ${sql.join(counters.map((c) => sql`${sql.ref(c.name)} = ${sql.table(table)}.${sql.ref(c.name)} + excluded.${sql.ref(c.name)}`))}`.execute(db);
    },
    kyselyDialect: new PostgresDialect({
      pool: async () => {
        await ensureSchema();
        return pool;
      },
    }),
    bigintType: 'bigint',
    doubleType: 'double precision',
    primaryKeyType: 'bigserial',
    migrationSchema: schema ?? 'public',
    primaryKey: (column) => column.primaryKey(),
    supportsRowLocks: true,
    supportsSkipLocked: true,
    isUniqueViolation: (error) => error instanceof Error && 'code' in error && error.code === '23505',
    ping: async () => {
      await pool.query('select 1');
    },
  };
}
