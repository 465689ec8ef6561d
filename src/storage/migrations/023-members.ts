import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';

/**
 * Teams (SPEC section 11): an account is a workspace and `users.id` stays its key everywhere, so API
 * clients of the reference see no change. `members` holds who may act in it. The registering user is
 * the row whose email is null: their email and password stay in `users` (sign-in, PATCH /account). An
 * invited member has their own email and, once the invitation is accepted, their own password; only the
 * invitation token's SHA-256 is stored. `campaign_ids` (JSON array) limits a member to some campaigns;
 * null is all of them. Every existing account gets its owner row, and every existing API key belongs to
 * that owner.
 */
export function members(dialect: DialectAdapter): Migration {
  const big = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('members')
        .addColumn('id', dialect.primaryKeyType, dialect.primaryKey)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('email', 'varchar(320)')
        .addColumn('password_hash', 'text')
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('campaign_ids', 'text')
        .addColumn('credentials_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('invitation_hash', 'varchar(64)')
        .addColumn('invitation_expires_at', big)
        .addColumn('accepted_at', big)
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('members_user').on('members').columns(['user_id', 'id']).execute();
      // An email signs in to one place: unique over every workspace (nulls, the registrants, are distinct).
      await db.schema.createIndex('members_email').unique().on('members').column('email').execute();
      await db.schema.createIndex('members_invitation').unique().on('members').column('invitation_hash').execute();
      // One registrant row per workspace.
      await sql`create unique index members_registrant on members (user_id) where email is null`.execute(db);
      await sql`insert into members (user_id, email, password_hash, role, campaign_ids, credentials_version,
          invitation_hash, invitation_expires_at, accepted_at, created_at, updated_at)
        select id, null, null, 'owner', null, 0, null, null, created_at, created_at, created_at from users`.execute(db);

      await db.schema.alterTable('api_keys').addColumn('member_id', big).execute();
      await sql`update api_keys set member_id =
        (select m.id from members m where m.user_id = api_keys.user_id and m.email is null)`.execute(db);
    },
  };
}
