// Released migrations are frozen: whatever the code around them becomes, migrating an empty database
// must store exactly the schema it stored when the snapshot was taken (test/fixtures/schema/*.json,
// written from the migrations as they were before they stopped importing live code).
// SCHEMA_SNAPSHOT=write rewrites the snapshot; only a new migration is a reason to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { DIALECTS, openTestStorage } from '../helpers/dialects.ts';
import { dumpSchema } from '../helpers/schema-dump.ts';

const SNAPSHOTS = join(import.meta.dirname, '..', 'fixtures', 'schema');

for (const dialect of DIALECTS) {
  test(`${dialect.name}: the migrations store the schema of the snapshot`, async () => {
    const storage = openTestStorage(dialect);
    try {
      await storage.migrate();
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
