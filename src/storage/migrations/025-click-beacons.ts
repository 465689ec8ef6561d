import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The lander tag (SPEC §10):
 * - clicks.beacon: the facts the page's tag reported (a JSON object of SPEC §10's fields only, plus the
 *   page view it came from and when), null until one comes. On the click's own row, so retention and
 *   IP anonymisation treat it exactly as the click, and on PostgreSQL the column reaches every partition.
 * - campaigns.require_beacon: a missing beacon counts as fraud on this campaign (smallint 0/1, as the
 *   other booleans).
 */
export function clickBeacons(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('clicks').addColumn('beacon', 'text').execute();
      await db.schema
        .alterTable('campaigns')
        .addColumn('require_beacon', 'smallint', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
