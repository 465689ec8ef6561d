import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The visitor's language (SPEC section 9's `language` report dimension): the primary tag of the first
 * Accept-Language entry, as flow rules read it. A plain nullable text column: existing rows need no
 * rewrite on either dialect (they read as no language), and on PostgreSQL a column added to the
 * partitioned `clicks` reaches every partition.
 */
export function clickLanguage(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('clicks').addColumn('language', 'text').execute();
    },
  };
}
