// Migration 010 replaces the hourly and daily rollups with rollups per period: what it backfills must be
// exactly what the rollup writer now writes for the same clicks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';
import { bulkClickRow, insertClicksBefore013 } from '../helpers/bulk-clicks.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import {
  COUNTER_NAMES,
  STATS_COUNTER_COLUMNS,
  type ClickStatsPeriodTable,
} from '../../src/modules/stats/click-stats.table.ts';
import { StatsDelta, clickCounters } from '../../src/modules/stats/stats-delta.ts';
import type { BatchColumn } from '../../src/storage/dialect-adapter.ts';
import { allMigrations } from '../../src/storage/migrations/index.ts';
import { COUNTER_NAMES_004 } from '../../src/storage/migrations/004-click-stats.counters.ts';

/** The counters the old rollup tables had: migration 017 added the priced ones later. */
const OLD_COUNTER_COLUMNS = STATS_COUNTER_COLUMNS.filter((column) =>
  (COUNTER_NAMES_004 as readonly string[]).includes(column.name),
);

const DAY = 86_400_000;
const START = Date.UTC(2024, 4, 1, 7);

function traffic(): NewClickRow[] {
  return Array.from({ length: 300 }, (_, i) =>
    bulkClickRow(1, 1 + (i % 3), {
      at: START + ((i * 7_919) % 23) * DAY + (i % 24) * 3_600_000,
      country: ['DE', 'FR', null][i % 3 === 0 ? 2 : i % 2]!,
      fraudTypes: i % 5 === 0 ? ['bot'] : [],
      fields: { sub1: i % 4 === 0 ? null : `s${i % 7}`, city: i % 6 === 0 ? null : `Town ${i % 5}` },
    }),
  );
}

/** What the writer adds for these clicks, and a conversion of 7.50 on every tenth. */
function writerRows(clicks: readonly NewClickRow[], withConversions: boolean): ClickStatsPeriodTable[] {
  const facts = (click: NewClickRow) => ({
    ...click,
    country: click.country ?? null,
    city: click.city ?? null,
    os: click.os ?? null,
    browser: click.browser ?? null,
    asn: click.asn ?? null,
    as_org: click.as_org ?? null,
    referrer: click.referrer ?? null,
    sub1: click.sub1 ?? null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    placement: null,
    sub6: null,
    sub7: null,
    sub8: null,
    sub9: null,
    sub10: null,
  });
  const delta = new StatsDelta();
  for (const click of clicks)
    delta.add(facts(click), clickCounters({ ...click, primary_fraud_type: click.primary_fraud_type ?? null }));
  if (withConversions)
    for (const click of clicks.filter((_, i) => i % 10 === 0))
      delta.add(facts(click), { conversions: 1, revenue: 7.5 });
  return delta.rows();
}

const keyOf = (row: ClickStatsPeriodTable) =>
  [row.user_id, row.dimension, row.campaign_id, row.hours, row.start, row.value].join('|');
const normalised = (rows: readonly ClickStatsPeriodTable[]) =>
  [...rows]
    .map((row) => ({ key: keyOf(row), ...Object.fromEntries(COUNTER_NAMES.map((name) => [name, Number(row[name])])) }))
    .sort((a, b) => a.key.localeCompare(b.key));

const OLD_HOURLY_KEYS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'hour', pgType: 'bigint' },
  { name: 'campaign_id', pgType: 'bigint' },
];
const OLD_DAILY_KEYS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'dimension', pgType: 'text' },
  { name: 'campaign_id', pgType: 'bigint' },
  { name: 'day', pgType: 'bigint' },
  { name: 'value', pgType: 'text' },
];

for (const dialect of DIALECTS) {
  describe(`migration 010, rollups per period [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(dialect);
    });
    after(async () => storage?.dispose());

    const migrateTo = async (name: string) => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      const { error } = await migrator.migrateTo(name);
      assert.equal(error, undefined);
    };
    const periods = async () =>
      normalised((await storage.db.selectFrom('click_stats_periods').selectAll().execute()) as ClickStatsPeriodTable[]);

    test('a database from before migration 004 (clicks, no rollups) is counted from its clicks', async () => {
      await migrateTo('003-detection-settings');
      const clicks = traffic();
      await insertClicksBefore013(storage, clicks);
      // Conversions as migration 002 stored them: 7.50 on every tenth click counts, a rejected one does not.
      await sql`insert into users (email, password_hash, plan, created_at, updated_at)
        values ('a@example.com', 'x', 'free', 0, 0)`.execute(storage.db);
      const conversion = (click: NewClickRow, status: string) =>
        sql`insert into conversions (user_id, campaign_id, click_id, dedupe_key, payout, status, created_at, updated_at)
          values (${click.user_id}, ${click.campaign_id}, ${click.id}, ${`click:${click.id}`}, 7.5, ${status}, 0, 0)`.execute(
          storage.db,
        );
      for (const [i, click] of clicks.entries())
        if (i % 10 === 0) await conversion(click, 'approved');
        else if (i % 10 === 1) await conversion(click, 'rejected');
      await storage.migrate();
      assert.deepEqual(await periods(), normalised(writerRows(clicks, true)));
    });
  });

  describe(`migration 010 from hourly and daily rollups [${dialect.name}]`, () => {
    let storage: TestStorage;
    before(() => {
      storage = openTestStorage(dialect);
    });
    after(async () => storage?.dispose());

    test('the old rows become exactly the rows the writer now writes, weeks and all campaigns included', async () => {
      const db = storage.db as unknown as Kysely<unknown>;
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations(storage.dialect) },
        migrationTableSchema: storage.dialect.migrationSchema,
      });
      assert.equal((await migrator.migrateTo('009-click-keyset-index')).error, undefined);
      const expected = writerRows(traffic(), true);
      // The old layout: each campaign's totals per hour, and its dimension values per day.
      const own = expected.filter((row) => row.campaign_id !== 0);
      const counters = (row: ClickStatsPeriodTable) =>
        Object.fromEntries(COUNTER_NAMES_004.map((name) => [name, row[name]]));
      const hourly = own
        .filter((row) => row.hours === 1)
        .map((row) => ({ user_id: row.user_id, hour: row.start, campaign_id: row.campaign_id, ...counters(row) }));
      const daily = own
        .filter((row) => row.hours === 24 && row.dimension !== '')
        .map((row) => ({
          user_id: row.user_id,
          dimension: row.dimension,
          campaign_id: row.campaign_id,
          day: row.start,
          value: row.value,
          ...counters(row),
        }));
      // The old writer also kept a row for clicks without a value: none of these has a sub5.
      for (const row of own.filter((row) => row.hours === 24 && row.dimension === ''))
        daily.push({ ...row, day: row.start, dimension: 'sub5' });
      assert.ok(hourly.length > 0 && daily.length > 0);
      await storage.dialect.addToCounters(db, 'click_stats_hourly', OLD_HOURLY_KEYS, OLD_COUNTER_COLUMNS, hourly);
      await storage.dialect.addToCounters(db, 'click_stats_daily', OLD_DAILY_KEYS, OLD_COUNTER_COLUMNS, daily);

      assert.deepEqual(await storage.migrate(), [
        '010-click-stats-periods',
        '011-click-stats-journal',
        '012-covering-stats-key',
        '013-click-truncated-flag',
        '014-credentials-version',
        '015-traffic-source-loop',
        '016-postback-protection',
        '017-postbacks-and-events',
        '018-click-cost',
        '019-flows',
        '020-placement-rollups',
        '021-click-sub-ids',
        '022-click-language',
        '023-members',
        '024-fake-leads',
        '025-click-beacons',
        '026-ad-connections',
        '027-audit-log',
        '028-report-cube',
        '029-report-cube-folds',
        '030-write-path',
        '031-report-cube-all-campaigns',
        '032-click-stats-versions',
        '033-report-column-changes',
      ]);
      const rows = normalised(
        (await storage.db.selectFrom('click_stats_periods').selectAll().execute()) as ClickStatsPeriodTable[],
      );
      assert.deepEqual(rows, normalised(expected));
      assert.ok(
        expected.some((row) => row.hours === 168 && row.campaign_id === 0),
        'weeks of all campaigns are among them',
      );
      if (dialect.name === 'postgres') {
        // Migrations 012, 018, 019 and 024: reports read the counters (priced ones, lp_clicks and suspicious_conversions included) from the key's index alone.
        const index = await sql<{
          def: string;
        }>`select indexdef as def from pg_indexes where indexname = 'click_stats_periods_key' and schemaname = current_schema()`.execute(
          storage.db,
        );
        assert.match(
          index.rows[0]?.def ?? '',
          /\(user_id, dimension, campaign_id, hours, start, value, shard\) INCLUDE \(clicks, unique_clicks, .*, conversions, revenue, priced_clicks, priced_cost, fraud_priced_clicks, fraud_priced_cost, lp_clicks, suspicious_conversions\)/,
        );
      }
    });
  });
}
