import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { COUNTER_NAMES_004 } from './004-click-stats.counters.ts';

const COUNTER_NAMES = COUNTER_NAMES_004;

export function clickStats(dialect: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let hourly = db.schema
        .createTable('click_stats_hourly')
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('hour', dialect.bigintType, (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull());
      let daily = db.schema
        .createTable('click_stats_daily')
        .addColumn('user_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('dimension', 'text', (c) => c.notNull())
        .addColumn('campaign_id', dialect.bigintType, (c) => c.notNull())
        .addColumn('day', dialect.bigintType, (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull());
      for (const name of COUNTER_NAMES) {
        const type = name === 'revenue' ? dialect.doubleType : dialect.bigintType;
        hourly = hourly.addColumn(name, type, (c) => c.notNull().defaultTo(0));
        daily = daily.addColumn(name, type, (c) => c.notNull().defaultTo(0));
      }
      // The keys are the indexes reports read by (account, then dimension, campaign and time), and the
      // tables are stored in key order where the database can (SQLite WITHOUT ROWID): a range read is
      // then one sequential stretch instead of a lookup per row.
      await dialect
        .clustered(hourly.addPrimaryKeyConstraint('click_stats_hourly_key', ['user_id', 'hour', 'campaign_id']))
        .execute();
      await dialect
        .clustered(
          daily.addPrimaryKeyConstraint('click_stats_daily_key', [
            'user_id',
            'dimension',
            'campaign_id',
            'day',
            'value',
          ]),
        )
        .execute();
      // Clicks recorded before rollups existed are counted once by migration 010, which replaced the
      // daily rows with the layout the rollup writer now writes (it used to be done here).
    },
  };
}
