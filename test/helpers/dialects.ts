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
  fresh: () => ({ url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'cloakradar-')), 'test.db')}`, drop: async () => undefined }),
};

const postgres: TestDialect = {
  name: 'postgres',
  fresh: () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    return {
      url: PG_URL!,
      schema,
      drop: async () => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      },
    };
  },
};

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
