import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Traffic sources say what their network appends to the tracking URL and how it wants conversions
 * back (SPEC section 7); clicks keep the network's own click id and the placement they came from.
 * Plain added columns with defaults: existing rows need no rewrite on either dialect, and on
 * PostgreSQL a column added to the partitioned `clicks` reaches every partition.
 */
export function trafficSourceLoop(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('traffic_sources').addColumn('cost_param', 'varchar(64)').execute();
      await db.schema.alterTable('traffic_sources').addColumn('placement_param', 'varchar(64)').execute();
      await db.schema.alterTable('traffic_sources').addColumn('postback_url', 'text').execute();
      await db.schema
        .alterTable('traffic_sources')
        .addColumn('postback_statuses', 'text', (c) => c.notNull().defaultTo('["approved"]'))
        .execute();
      await db.schema
        .alterTable('traffic_sources')
        .addColumn('postback_fraudulent', 'smallint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('traffic_sources').addColumn('template', 'varchar(32)').execute();
      await db.schema.alterTable('clicks').addColumn('external_id', 'text').execute();
      await db.schema.alterTable('clicks').addColumn('placement', 'text').execute();
    },
  };
}
