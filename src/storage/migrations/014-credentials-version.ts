import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * users.credentials_version: raised by every password change and carried by every token (claim `cv`),
 * so a token minted before the change stops working on its next request instead of living out its
 * 24 hours. Existing accounts start at 0, as do tokens without the claim.
 */
export function credentialsVersion(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('users')
        .addColumn('credentials_version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
