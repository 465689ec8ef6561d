// storage/compiled-once.ts: a query compiled once per dialect runs with each call's own values, inside and
// outside a transaction, and refuses a value written into the query instead of given as a slot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { compiledOnce } from '../../src/storage/compiled-once.ts';
import { DIALECTS, openTestStorage } from '../helpers/dialects.ts';

interface Probe {
  compiled_once_probe: { id: string; n: number };
}

const byIds = compiledOnce((db: Kysely<Probe>, slot) =>
  db
    .selectFrom('compiled_once_probe')
    .select(['id', 'n'])
    .where('id', 'in', [slot<string>(0), slot<string>(1)])
    .orderBy('id'),
);
const setN = compiledOnce((db: Kysely<Probe>, slot) =>
  db
    .updateTable('compiled_once_probe')
    .set({ n: slot<number>(1) })
    .where('id', '=', slot<string>(0)),
);

for (const dialect of DIALECTS) {
  test(`a query compiled once runs with each call's values [${dialect.name}]`, async (t) => {
    const storage = openTestStorage(dialect);
    t.after(() => storage.dispose());
    const db = storage.db as unknown as Kysely<Probe>;
    await sql`create table compiled_once_probe (id text primary key, n integer not null)`.execute(db);
    await db
      .insertInto('compiled_once_probe')
      .values([
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
        { id: 'c', n: 3 },
      ])
      .execute();

    assert.deepEqual((await byIds(db, ['a', 'c'])).rows, [
      { id: 'a', n: 1 },
      { id: 'c', n: 3 },
    ]);
    // Other values, same compiled query: nothing of the first call's values is kept.
    assert.deepEqual((await byIds(db, ['b', 'zz'])).rows, [{ id: 'b', n: 2 }]);

    await db.transaction().execute(async (trx) => {
      await setN(trx, ['b', 20]);
      await setN(trx, ['c', 30]);
      assert.deepEqual((await byIds(trx, ['b', 'c'])).rows, [
        { id: 'b', n: 20 },
        { id: 'c', n: 30 },
      ]);
    });
    assert.deepEqual((await byIds(db, ['a', 'b'])).rows, [
      { id: 'a', n: 1 },
      { id: 'b', n: 20 },
    ]);

    const frozen = compiledOnce((probe: Kysely<Probe>) =>
      probe.selectFrom('compiled_once_probe').select('id').where('id', '=', 'a'),
    );
    await assert.rejects(() => frozen(db, []), /not given as a slot/);
  });
}
