import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';

/**
 * Every database test runs once per dialect (as kysely's own suite does). PostgreSQL joins when
 * CLOAKRADAR_TEST_PG names a server (.ci/run always sets it); each storage gets a schema of its own.
 */
export interface TestDialect {
  readonly name: 'sqlite' | 'postgres';
  /** A DATABASE_URL for a fresh, empty database, plus how to throw it away. */
  fresh(): { url: string; schema?: string; drop(): Promise<void> };
}

const PG_URL = process.env.CLOAKRADAR_TEST_PG;

const sqlite: TestDialect = {
  name: 'sqlite',
  fresh: () => ({
    url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'cloakradar-')), 'test.db')}`,
    drop: async () => undefined,
  }),
};

const postgres: TestDialect = {
  name: 'postgres',
  fresh: () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    return {
      url: PG_URL!,
      schema,
      drop: () => dropPostgresSchema(schema),
    };
  },
};

/** Drops a test's own PostgreSQL schema (name made by the test, never by input) with everything in it. */
export async function dropPostgresSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL database of its own (`prefix_<random>`), for server processes, which take a
 * DATABASE_URL rather than a schema; `drop()` removes it.
 */
export async function createPostgresDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A DATABASE_URL of a fresh database of the dialect: a file in `dataDir`, or a PostgreSQL database. */
export async function freshDatabaseUrl(
  dialect: TestDialect['name'],
  dataDir: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { url: `sqlite:${join(dataDir, `${prefix}.db`)}`, drop: async () => undefined };
  return createPostgresDatabase(prefix);
}

export const DIALECTS: readonly TestDialect[] = PG_URL ? [sqlite, postgres] : [sqlite];
export const POSTGRES_SKIP_REASON = PG_URL ? false : 'CLOAKRADAR_TEST_PG is not set: PostgreSQL runs skipped';

export interface TestStorage extends Storage {
  readonly url: string;
  readonly schema?: string;
  dispose(): Promise<void>;
}

export function openTestStorage(dialect: TestDialect): TestStorage {
  const database = dialect.fresh();
  const storage = openStorage(database.url, { schema: database.schema });
  return {
    ...storage,
    url: database.url,
    schema: database.schema,
    dispose: async () => {
      await storage.close();
      await database.drop();
    },
  };
}
