import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { COUNTER_NAMES } from '../../modules/stats/click-stats.table.ts';
import { rebuildStats } from '../../modules/stats/stats-rebuild.ts';
import type { Db } from '../database.ts';
import type { DialectAdapter } from '../dialect-adapter.ts';

export function clickStats(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let table = db.schema
        .createTable('click_stats')
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('hour', dialect.bigintType, (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull());
      for (const name of COUNTER_NAMES) {
        table = table.addColumn(name, name === 'revenue' ? dialect.doubleType : dialect.bigintType, (c) => c.notNull().defaultTo(0));
      }
      // Reports filter by account and dimension, then campaign and hour: the key serves as the index.
      await table.addPrimaryKeyConstraint('click_stats_key', ['user_id', 'dimension', 'campaign_id', 'hour', 'value']).execute();
      // Clicks recorded before rollups existed are counted once, here.
      await rebuildStats(db as unknown as Db, dialect);
    },
  };
}
