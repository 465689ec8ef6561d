// Released migrations are frozen: whatever the code around them becomes, migrating an empty database
// must store exactly the schema it stored when the snapshot was taken (test/fixtures/schema/*.json,
// written from the migrations as they were before they stopped importing live code).
// The snapshot is of the migrations through SNAPSHOT_THROUGH, so later migrations never need it rewritten
// (and rewriting it could hide a change to a released one). SCHEMA_SNAPSHOT=write rewrites it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { allMigrations } from '../../src/storage/migrations/index.ts';
import { DIALECTS, openTestStorage } from '../helpers/dialects.ts';
import { dumpSchema } from '../helpers/schema-dump.ts';

const SNAPSHOTS = join(import.meta.dirname, '..', 'fixtures', 'schema');
/** The last migration the snapshot covers: the ones frozen when it was taken. */
const SNAPSHOT_THROUGH = '012-covering-stats-key';

for (const dialect of DIALECTS) {
  test(`${dialect.name}: the migrations store the schema of the snapshot`, async () => {
    const storage = openTestStorage(dialect);
    try {
      const migrator = new Migrator({
        db: storage.db as unknown as Kysely<unknown>,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      const { error } = await migrator.migrateTo(SNAPSHOT_THROUGH);
      assert.equal(error, undefined);
      const schema = await dumpSchema(storage.db as unknown as Kysely<unknown>, dialect.name, storage.schema);
      const file = join(SNAPSHOTS, `${dialect.name}.json`);
      if (process.env.SCHEMA_SNAPSHOT === 'write') {
        mkdirSync(SNAPSHOTS, { recursive: true });
        writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
      }
      assert.deepEqual(schema, JSON.parse(readFileSync(file, 'utf8')));
      // The snapshot covers what matters: the rollups' table, with its key.
      assert.ok(schema.tables.click_stats_periods?.primaryKey.includes('shard'));
    } finally {
      await storage.dispose();
    }
  });
}
