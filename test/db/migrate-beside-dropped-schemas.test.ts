// Migrating while other schemas of the same PostgreSQL database come and go (tests side by side, or
// another service sharing the database): Kysely's migrator lists every table of the database, and a
// schema dropped during that listing failed our start with "schema … does not exist".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage } from '../../src/storage/open-database.ts';
import { POSTGRES_SKIP_REASON, dropPostgresSchema } from '../helpers/dialects.ts';

const PG_URL = process.env.CLOAKRADAR_TEST_PG;
const MIGRATIONS = 33;
const ROUNDS = 12;

test(
  'PostgreSQL: migrations succeed while other schemas are created and dropped',
  { skip: POSTGRES_SKIP_REASON },
  async () => {
    const churn = new pg.Client({ connectionString: PG_URL });
    await churn.connect();
    let stop = false;
    // Schemas with a few tables each, dropped as soon as made: the listing meets them half gone.
    const churning = (async () => {
      while (!stop) {
        const other = `churn_${randomBytes(5).toString('hex')}`;
        await churn.query(
          `create schema ${other}; create table ${other}.a (id serial primary key); create table ${other}.b (id serial primary key)`,
        );
        await churn.query(`drop schema ${other} cascade`);
      }
    })();
    const ours: string[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        ours.push(schema);
        const storage = openStorage(PG_URL!, { schema });
        try {
          assert.equal((await storage.migrate()).length, MIGRATIONS, `round ${round}: every migration ran`);
        } finally {
          await storage.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      for (const schema of ours) await churn.query(`drop schema if exists ${schema} cascade`);
      await churn.end();
    }
  },
);

test(
  'PostgreSQL: introspection sees our schema alone, and a second start migrates nothing',
  { skip: POSTGRES_SKIP_REASON },
  async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const first = openStorage(PG_URL!, { schema });
    const second = openStorage(PG_URL!, { schema });
    try {
      assert.equal((await first.migrate()).length, MIGRATIONS);
      assert.deepEqual(await second.migrate(), []);
      const tables = await second.db.introspection.getTables({ withInternalKyselyTables: true });
      assert.ok(
        tables.every((table) => table.schema === schema),
        'only our schema',
      );
      const names = tables.map((table) => table.name);
      for (const name of ['campaigns', 'clicks', 'click_stats_periods', 'kysely_migration', 'kysely_migration_lock'])
        assert.ok(names.includes(name), name);
      assert.ok(
        !(await second.db.introspection.getTables()).some((table) => table.name.startsWith('kysely_')),
        "Kysely's own tables only when asked for",
      );
      const id = tables.find((table) => table.name === 'campaigns')?.columns.find((column) => column.name === 'id');
      assert.deepEqual(id && { auto: id.isAutoIncrementing, nullable: id.isNullable, type: id.dataType }, {
        auto: true,
        nullable: false,
        type: 'int8',
      });
    } finally {
      await first.close();
      await second.close();
      await dropPostgresSchema(schema);
    }
  },
);
