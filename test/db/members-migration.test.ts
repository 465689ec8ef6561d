import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';

/**
 * Migration 023 on existing accounts: each becomes a workspace whose registrant is its owner (a members
 * row without email: sign-in stays the users row's), and every existing API key belongs to that owner.
 */
for (const dialect of DIALECTS) {
  describe(`migration 023 on existing accounts [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(dialect);
    });
    after(async () => storage?.dispose());

    test('every account gets its owner; every key belongs to it', async () => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      assert.equal((await migrator.migrateTo('021-click-sub-ids')).error, undefined);
      const now = Date.now();
      for (const email of ['a@example.com', 'b@example.com']) {
        await sql`insert into users (email, password_hash, plan, postback_token, created_at, updated_at)
          values (${email}, 'x', 'starter', null, ${now}, ${now})`.execute(db);
      }
      for (const [userId, key] of [
        [1, 'ck_a1'],
        [1, 'ck_a2'],
        [2, 'ck_b1'],
      ] as const) {
        await sql`insert into api_keys (user_id, name, key, secret_hash, scope, created_at)
          values (${userId}, 'k', ${key}, 'x', 'write', ${now})`.execute(db);
      }
      // Every later migration runs too; what matters here is that 023 is among them.
      assert.ok((await storage.migrate()).includes('023-members'));
      const members = await storage.db
        .selectFrom('members')
        .select(['id', 'user_id', 'email', 'role', 'campaign_ids', 'accepted_at'])
        .orderBy('user_id')
        .execute();
      assert.deepEqual(
        members.map((m) => [Number(m.user_id), m.email, m.role, m.campaign_ids, Number(m.accepted_at)]),
        [
          [1, null, 'owner', null, now],
          [2, null, 'owner', null, now],
        ],
      );
      const keys = await storage.db
        .selectFrom('api_keys')
        .select(['key', 'user_id', 'member_id'])
        .orderBy('id')
        .execute();
      const ownerOf = new Map(members.map((m) => [Number(m.user_id), Number(m.id)]));
      for (const key of keys) assert.equal(Number(key.member_id), ownerOf.get(Number(key.user_id)), key.key);
      // One registrant per workspace.
      await assert.rejects(
        sql`insert into members (user_id, email, role, created_at, updated_at) values (1, null, 'owner', 0, 0)`.execute(
          db,
        ),
      );
    });
  });
}
