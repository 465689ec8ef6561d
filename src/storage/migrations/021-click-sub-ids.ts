import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The sub ids a click stores beyond the reference's sub1…sub5 (SPEC section 9). */
const ADDED_SUB_IDS = ['sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;

/**
 * sub6…sub10 (SPEC section 9): buyers pass more of the ad's structure (placement, creative, keyword
 * match type…) than five fields hold. Plain nullable text columns like sub1…sub5: existing rows need
 * no rewrite on either dialect, and on PostgreSQL a column added to the partitioned `clicks` reaches
 * every partition. Their rollups need no schema: click_stats_periods keys any dimension by name.
 */
export function clickSubIds(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const column of ADDED_SUB_IDS) await db.schema.alterTable('clicks').addColumn(column, 'text').execute();
    },
  };
}
