// The only file that imports pg.
import pg from 'pg';
import { sql } from 'kysely';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { OwnSchemaPostgresDialect } from './postgres-introspector.ts';
import { createPostgresClickPartitions } from './postgres-partitions.ts';

// Epoch-millisecond timestamps and counts are int8; they fit a JavaScript number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface PostgresOptions {
  /** Schema to create and use (tests isolate themselves this way). */
  readonly schema?: string;
  readonly maxConnections?: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Connection trouble, not a bad query: a network error, pg's own connect timeout or lost connection,
 * or a server-side code of class 08 (connection exception), 57P (shutting down) or 53300 (too many
 * connections).
 */
function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? String(error.code) : '';
  if (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300') return true;
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection is closed|Client has encountered a connection error/i.test(
    error.message,
  );
}

export function createPostgresAdapter(connectionString: string, options: PostgresOptions = {}): DialectAdapter {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    // Fail fast when the server is away: the tracker then buffers and the API answers 503 instead of hanging.
    connectionTimeoutMillis: 2_000,
    // JIT compiles a query's plan once its estimated cost passes jit_above_cost: a report over a month of
    // rollups gets there, and compiling took longer than running it (BENCHMARKS.md). None of our queries
    // runs long enough to win it back.
    // No parallel workers either: a report's read of a month of rollups is a few index ranges of hundreds
    // of rows, but its row estimates (campaign_id in a list of 16) put its cost past parallel_setup_cost, and
    // starting two workers took 100-130 ms of a 180 ms statement whose work was 8 ms (BENCHMARKS.md, "Reports",
    // PostgreSQL). Every statement here is meant to be an index read that small.
    options: [
      '-c jit=off',
      '-c max_parallel_workers_per_gather=0',
      ...(schema ? [`-c search_path=${schema}`] : []),
    ].join(' '),
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // pg-pool drops its error listener while a client is checked out (between a transaction's statements,
  // say): a connection lost then would be an uncaught 'error' event and take the process down. The
  // failing query still gets the error, and the pool discards the broken client when it comes back.
  pool.on('connect', (client) => client.on('error', () => undefined));
  let schemaReady: Promise<void> | undefined;
  const ensureSchema = async (): Promise<void> => {
    if (!schema) return;
    schemaReady ??= pool.query(`create schema if not exists ${schema}`).then(() => undefined);
    await schemaReady;
  };
  return {
    name: 'postgres',
    clickPartitions: createPostgresClickPartitions(),
    dispose: async () => undefined,
    insertBatch: async (db, table, columns, rows) => {
      const arrays = columns.map((column) => rows.map((row) => (row as Record<string, unknown>)[column.name] ?? null));
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
        select * from unnest(${sql.join(arrays.map((values, i) => sql`${values}::${sql.raw(columns[i]!.pgType)}[]`))})`.execute(
        db,
      );
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
        ${sql.join(counters.map((c) => sql`${sql.ref(c.name)} = ${sql.table(table)}.${sql.ref(c.name)} + excluded.${sql.ref(c.name)}`))}`.execute(
        db,
      );
    },
    kyselyDialect: new OwnSchemaPostgresDialect(
      {
        pool: async () => {
          await ensureSchema();
          return pool;
        },
      },
      schema ?? 'public',
    ),
    bigintType: 'bigint',
    doubleType: 'double precision',
    primaryKeyType: 'bigserial',
    migrationSchema: schema ?? 'public',
    primaryKey: (column) => column.primaryKey(),
    // PostgreSQL has no clustered tables; index-only scans serve the rollups' key-order reads (migration 012).
    clustered: (table) => table,
    supportsRowLocks: true,
    supportsSkipLocked: true,
    // Text, not json: the driver would parse it, and the caller parses on both databases.
    jsonRows: (values) => sql<string>`coalesce(json_agg(json_build_array(${sql.join(values)})), '[]')::text`,
    vacuum: async (db, table) => {
      await sql`vacuum (skip_locked) ${sql.table(table)}`.execute(db);
    },
    isUnavailable: isConnectionError,
    isUniqueViolation: (error) => error instanceof Error && 'code' in error && error.code === '23505',
    ping: async () => {
      await pool.query('select 1');
    },
  };
}
