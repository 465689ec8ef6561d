// The columnar copy of the clicks (src/modules/report-columns, issue 20): what it answers equals the
// database's own GROUP BY over the clicks at every step of its life, on both dialects: copied, then a late
// finding (the lander tag's webdriver) and a conversion (postback) on copied clicks, read from the database
// until copied again, then read from the copy once the cursor has passed them; new clicks after the
// watermark; clicks retention deleted; a copy made from another database thrown away.
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignOwnerId, forEachDialect, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';
import { beaconBody } from '../helpers/beacon-body.ts';
import type { ClickGroup, ClickGroupQuery } from '../../src/modules/clicks/click-groups.repository.ts';
import { createClickChangeNotes } from '../../src/modules/report-columns/click-changes.ts';
import { openColumnStore } from '../../src/modules/report-columns/column-store.ts';
import { startReportColumnsThread } from '../../src/modules/report-columns/report-columns-thread.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import { cityWithCountry } from '../../src/modules/stats/dimensions.ts';

const MINUTE = 60_000;
/** A fake clock the tracker, the postbacks and the copy share: clicks grow old without waiting. */
const clock = { offset: 0 };
const now = () => Date.now() + clock.offset;

/** Groups summed by their keys (a copy's answer comes in parts: the copy, the stale clicks, the newest). */
function merged(groups: readonly ClickGroup[]): Map<string, Record<string, number>> {
  const byKey = new Map<string, Record<string, number>>();
  for (const group of groups) {
    const key = JSON.stringify([group.keys, group.hour, group.day, group.event]);
    const sum = byKey.get(key) ?? {};
    for (const [name, value] of Object.entries(group.counters))
      sum[name] = Math.round(((sum[name] ?? 0) + value) * 1e6) / 1e6;
    byKey.set(key, sum);
  }
  return new Map([...byKey].sort(([a], [b]) => a.localeCompare(b)));
}

async function assertSameAsDatabase(t: TestApp, query: ClickGroupQuery, label: string) {
  const fromCopy = await t.app.services.reportColumns!.groupClicks(query);
  const fromDatabase = await t.app.services.clicks.groupClicks(query);
  assert.deepEqual(merged(fromCopy), merged(fromDatabase), label);
  return merged(fromDatabase);
}

/** Only `counters`, and only those of groups: what a ranking read (ClickGroupQuery.counters) is held to. */
const picked = (groups: readonly ClickGroup[], counters: readonly string[]) =>
  groups.map((group) => ({
    ...group,
    counters: Object.fromEntries(
      counters.map((name) => [name, group.counters[name as keyof ClickGroup['counters']]]),
    ) as unknown as ClickGroup['counters'],
  }));

/**
 * The read a report page counts in (ClickGroupQuery.inside): the copy's groups inside the rows are the
 * database's groups with those values, and the rest (grouped as usual, or together as outside) add up to
 * the rest of the database's clicks.
 */
async function assertInsideAsDatabase(t: TestApp, query: ClickGroupQuery, label: string) {
  const fromCopy = await t.app.services.reportColumns!.groupClicks(query);
  const fromDatabase = await t.app.services.clicks.groupClicks(query);
  const { columns, rows } = query.inside!;
  const wanted = new Set(rows.map((row) => JSON.stringify(row)));
  const passes = (group: ClickGroup) =>
    !group.outside && wanted.has(JSON.stringify(columns.map((column) => group.keys[column] ?? null)));
  const rest = (groups: readonly ClickGroup[]) =>
    merged(groups.map((group) => ({ ...group, keys: {} as ClickGroup['keys'] })));
  assert.deepEqual(merged(fromCopy.filter(passes)), merged(fromDatabase.filter(passes)), `${label}: inside`);
  assert.deepEqual(
    rest(fromCopy.filter((group) => !passes(group))),
    rest(fromDatabase.filter((group) => !passes(group))),
    `${label}: the rest`,
  );
  const inside = fromDatabase.filter(passes).length;
  assert.ok(inside > 0 && inside < fromDatabase.length, `${label}: some inside, some not`);
}

forEachDialect(
  'the columnar copy of the clicks answers as the database does',
  (ctx) => {
    let t: TestApp;
    let userId = 0;
    let uuid = '';
    const ids: string[] = [];
    let stored = 0;
    const storedClicks = async () =>
      Number(
        (
          await t.storage.db
            .selectFrom('clicks')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const query = (extra: Partial<ClickGroupQuery> = {}): ClickGroupQuery => ({
      userId,
      from: 0,
      to: now() + MINUTE,
      columns: ['sub3', 'country'],
      hourly: false,
      daily: false,
      filters: [],
      ...extra,
    });
    const everyShape = async (label: string): Promise<void> => {
      await assertSameAsDatabase(t, query(), `${label}: sub3 × country`);
      // A report page's ranking read: a few counters, campaigns not told apart.
      const ranking = query({ counters: ['clicks', 'fraud_clicks', 'revenue'], acrossCampaigns: true });
      const counters = ranking.counters!;
      assert.deepEqual(
        merged(picked(await t.app.services.reportColumns!.groupClicks(ranking), counters)),
        merged(picked(await t.app.services.clicks.groupClicks(ranking), counters)),
        `${label}: ranked by clicks, fraud and revenue`,
      );
      assert.deepEqual(
        merged(await t.app.services.reportColumns!.groupClicks(query({ counters: [] }))).size,
        merged(await t.app.services.clicks.groupClicks(query())).size,
        `${label}: ranked by value, no counter`,
      );
      await assertInsideAsDatabase(
        t,
        query({
          columns: ['sub3', 'sub1'],
          inside: {
            columns: ['sub3', 'sub1'],
            rows: [
              ['kw-1', 'a'],
              ['kw-2', 'c'],
              [null, 'a'],
              ['kw-4', null],
            ],
          },
        }),
        `${label}: a page's rows and the rest`,
      );
      await assertSameAsDatabase(t, query({ columns: ['sub1', 'device', 'status'], hourly: true }), `${label}: hourly`);
      await assertSameAsDatabase(
        t,
        query({ columns: ['sub3'], daily: true, filters: [{ column: 'sub1', values: ['a', 'b'] }] }),
        `${label}: filtered, daily`,
      );
    };

    test('clicks through the tracker are copied once older than the lag, and answer as the database does', async () => {
      t = ctx();
      const { token } = await t.signUp();
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token,
        payload: { name: 'Copied', destination_url: CLICK_DESTINATION },
      });
      assert.equal(created.statusCode, 201, created.body);
      uuid = created.json().data.uuid;
      userId = Number((await t.storage.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id);
      for (let i = 0; i < 24; i++)
        ids.push(
          await sendClick(t, uuid, {
            ip: `84.${130 + i}.${i + 1}.9`,
            query: { sub1: ['a', 'b', 'c'][i % 3]!, sub3: `kw-${i % 5}` },
          }),
        );
      const columns = t.app.services.reportColumns!;
      await columns.sync();
      assert.equal(await columns.rows(), 0, 'clicks younger than the lag are not copied');
      await everyShape('before any copy');

      stored = await storedClicks();
      assert.ok(stored >= 20, `${stored} clicks stored`);
      clock.offset += 2 * MINUTE;
      await columns.sync();
      assert.equal(await columns.rows(), stored);
      await everyShape('copied');
      const whole = await assertSameAsDatabase(t, query(), 'copied: every click');
      assert.equal(
        [...whole.values()].reduce((sum, counters) => sum + counters.clicks!, 0),
        stored,
      );
    });

    test('a late finding and a conversion on copied clicks: right before the copy catches up, and after', async () => {
      const columns = t.app.services.reportColumns!;
      const found = await t.request({
        method: 'POST',
        url: '/api/v1/beacon',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        payload: JSON.stringify(beaconBody(ids[0]!, { webdriver: true })),
      });
      assert.equal(found.statusCode, 200, found.body);
      const posted = await t.request({
        method: 'GET',
        url: `/api/v1/postback?clickid=${ids[1]}&payout=12.5&txid=t-1`,
      });
      assert.equal(posted.statusCode, 201, posted.body);
      // The finding is written by the recorder after the answer: wait until the database has it.
      for (let i = 0; i < 100; i++) {
        const row = await t.storage.db
          .selectFrom('clicks')
          .select('status')
          .where('id', '=', ids[0]!)
          .executeTakeFirst();
        if (row?.status === 'bot') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const changes = await t.storage.db.selectFrom('report_column_changes').select('click_id').execute();
      assert.deepEqual(new Set(changes.map((change) => change.click_id)), new Set([ids[0], ids[1]]));

      const before: Map<string, Record<string, number>> = await assertSameAsDatabase(
        t,
        query({ columns: ['status'] }),
        'changed, not yet copied again',
      );
      assert.ok(
        [...before.keys()].some((key) => key.includes('"bot"')),
        'the finding shows',
      );
      await columns.sync();
      await everyShape('copied again, still within the lag');
      clock.offset += 2 * MINUTE;
      await columns.sync();
      // The cursor passed the changes: the copy alone answers for those clicks now, and still the same.
      const after = await assertSameAsDatabase(t, query({ columns: ['status'] }), 'the cursor passed the changes');
      assert.deepEqual(after, before);
      const conversions = [...(await assertSameAsDatabase(t, query(), 'conversions')).values()].reduce(
        (sum, counters) => sum + counters.revenue!,
        0,
      );
      assert.equal(conversions, 12.5);
    });

    test('clicks after the watermark come from the database, in the same answer', async () => {
      ids.push(await sendClick(t, uuid, { ip: '84.200.1.9', query: { sub1: 'a', sub3: 'kw-new' } }));
      const groups = await assertSameAsDatabase(t, query(), 'a click newer than the copy');
      assert.ok([...groups.keys()].some((key) => key.includes('kw-new')));
      assert.equal(await t.app.services.reportColumns!.rows(), stored);
    });

    test('what retention deleted leaves the copy at its next sync', async () => {
      const oldest = ids.slice(0, 4);
      await t.storage.db.deleteFrom('conversions').where('click_id', 'in', oldest).execute();
      await t.storage.db.deleteFrom('clicks').where('id', 'in', oldest).execute();
      const columns = t.app.services.reportColumns!;
      await columns.sync();
      assert.equal(await columns.rows(), stored - 4);
      await everyShape('after retention');
    });

    test('another account reads none of these clicks from the copy', async () => {
      const other = await t.signUp();
      const otherId = Number(
        (await t.storage.db.selectFrom('users').select('id').where('email', '=', other.email).executeTakeFirstOrThrow())
          .id,
      );
      assert.deepEqual(await t.app.services.reportColumns!.groupClicks(query({ userId: otherId })), []);
    });
  },
  { REPORT_COLUMNS: 'on', REPORT_COLUMNS_LAG_SECONDS: '60', REPORT_COLUMNS_SYNC_SECONDS: '3600' },
  { now },
);

for (const dialect of DIALECTS)
  test(`a copy made from another database is thrown away; clicks written late are noted [${dialect.name}]`, async () => {
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cloakradar-columns-')),
      REPORT_COLUMNS: 'on',
      REPORT_COLUMNS_SYNC_SECONDS: '3600',
    };
    const first = await createTestApp(dialect, env);
    try {
      const { token } = await first.signUp();
      const created = await first.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token,
        payload: { name: 'Old', destination_url: CLICK_DESTINATION },
      });
      const campaignId = Number(created.json().data.id);
      const userId = Number((await first.storage.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id);
      const rows = Array.from({ length: 10 }, (_, i) =>
        bulkClickRow(userId, campaignId, { at: Date.UTC(2024, 0, 10) + i * MINUTE, fields: { sub3: `kw-${i}` } }),
      );
      await writeClicks(first.storage, rows);
      await first.app.services.reportColumns!.sync();
      assert.equal(await first.app.services.reportColumns!.rows(), 10);

      // What the outage spool's replay writes is older than half the lag: noted, so a copy copies it again.
      // Half the lag before 00:07 is 00:06: the six clicks made before it are noted, the four after are not.
      const notes = createClickChangeNotes({ lagMs: 120_000, now: () => Date.UTC(2024, 0, 10, 0, 7) });
      await notes.recorded(first.storage.db, rows);
      const noted = await first.storage.db.selectFrom('report_column_changes').select('click_id').execute();
      assert.deepEqual(
        noted.map((row) => row.click_id).sort(),
        rows
          .slice(0, 6)
          .map((row) => row.id)
          .sort(),
      );

      // A copy made by an earlier version, with other columns, is made again from nothing.
      const oldFile = join(mkdtempSync(join(tmpdir(), 'cloakradar-old-copy-')), 'copy.duckdb');
      const old = await DuckDBInstance.create(oldFile);
      const connection = await old.connect();
      await connection.run("create table clicks as select 'x' as id, 1::DOUBLE as user_id");
      await connection.run(
        'create table copy_state as select 5::DOUBLE as watermark, 6::DOUBLE as cursor, 7::DOUBLE as synced_at, 8::DOUBLE as epoch',
      );
      connection.closeSync();
      old.closeSync();
      const store = await openColumnStore(oldFile, first.storage.db, { memoryMb: 64 });
      try {
        assert.equal(await store.rows(), 0);
        assert.deepEqual(await store.state(), { watermark: 0, cursor: 0, syncedAt: 0, epoch: 0 });
      } finally {
        store.close();
      }
    } finally {
      await first.app.close();
      await first.storage.dispose();
    }
    // The same DATA_DIR over another (empty) database: the copy it finds is not this database's.
    const second = await createTestApp(dialect, env);
    try {
      await second.app.services.reportColumns!.sync();
      assert.equal(await second.app.services.reportColumns!.rows(), 0);
    } finally {
      await second.app.close();
      await second.storage.dispose();
    }
  });

/** The app's own copy on its thread (no moved clock), syncing only when asked. */
const COPY_ON_THREAD = { REPORT_COLUMNS: 'on', REPORT_COLUMNS_LAG_SECONDS: '60', REPORT_COLUMNS_SYNC_SECONDS: '3600' };

/** Days of the last month (a report spans at most 366 days), from the start of a UTC day. */
const dayAt = (n: number) => Math.floor(Date.now() / 86_400_000 - 30 + n) * 86_400_000;

/** A new user and a campaign of theirs. */
async function ownCampaign(t: TestApp, name: string) {
  const { token } = await t.signUp();
  const created = await t.request({
    method: 'POST',
    url: '/api/v1/campaigns',
    token,
    payload: { name, destination_url: CLICK_DESTINATION },
  });
  const campaignId = Number(created.json().data.id);
  return { token, campaignId, userId: await campaignOwnerId(t, campaignId) };
}

/** Page `n` (3 rows) of a report of the clicks by count over the last month: each row's `shown` fields, and the total. */
async function reportPage(t: TestApp, token: string, groupBy: readonly string[], n: number) {
  const from = new Date(dayAt(0)).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  const response = await t.request({
    method: 'GET',
    url: `/api/v2/reports?from=${from}&to=${to}&group_by=${groupBy.join(',')}&metrics=clicks&limit=3&page=${n}`,
    token,
  });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json<{ data: Array<Record<string, unknown>>; meta: { total: number } }>();
  return { rows: body.data.map((row) => [...groupBy.map((name) => row[name]), row.clicks]), total: body.meta.total };
}

for (const dialect of DIALECTS)
  test(`on its own thread the copy answers as the database does; should the thread die, the database answers [${dialect.name}]`, async () => {
    // The app's own copy is on its thread too (no moved clock): the report API below reads it.
    const t = await createTestApp(dialect, COPY_ON_THREAD);
    const errors: string[] = [];
    const log = { warn: () => undefined, error: (_object: object, message: string) => errors.push(message) };
    const { sqliteFile, writeTurns, postgres } = t.storage;
    const database =
      sqliteFile !== undefined && writeTurns
        ? { sqlite: sqliteFile, cacheMb: 8, turns: writeTurns.buffer }
        : { postgres: postgres!.url, options: postgres!.options };
    const threadOf = (entry?: URL) =>
      startReportColumnsThread({
        database,
        path: join(mkdtempSync(join(tmpdir(), 'cloakradar-columns-')), 'copy.duckdb'),
        lagMs: 60_000,
        memoryMb: 64,
        groupClicks: (query) => t.app.services.clicks.groupClicks(query),
        log,
        ...(entry ? { entry } : {}),
      });
    try {
      const { token, campaignId, userId } = await ownCampaign(t, 'Threaded');
      const rows = Array.from({ length: 40 }, (_, i) =>
        bulkClickRow(userId, campaignId, {
          at: dayAt(10) + i * MINUTE,
          fields: { sub3: `kw-${i % 7}`, sub1: ['a', 'b', null][i % 3]!, country: ['US', 'DE'][i % 2]! },
        }),
      );
      const more = (sub3: string, sub1: string | null, n: number, at: number) =>
        Array.from({ length: n }, (_, i) =>
          bulkClickRow(userId, campaignId, { at: at + i * 1000, fields: { sub3, sub1 } }),
        );
      await writeClicks(t.storage, [
        ...rows,
        ...more('top', 'a', 30, dayAt(11)),
        ...more('second', '', 10, dayAt(12)),
        ...more('second', null, 10, dayAt(13)),
        ...more('rising', 'b', 15, dayAt(14)),
        ...more('late', 'c', 10, dayAt(15)),
        // Longer than a report shows a value, and before the range asked below until the last check.
        ...more('x'.repeat(250), 'a', 1, Date.now() - 400 * 86_400_000),
      ]);
      const query: ClickGroupQuery = {
        userId,
        from: dayAt(0),
        to: Date.now() + 60 * MINUTE,
        columns: ['sub3', 'sub1'],
        hourly: false,
        daily: false,
        filters: [],
      };

      const thread = threadOf();
      try {
        await thread.sync();
        assert.equal(await thread.rows(), 116);
        const same = async (asked: ClickGroupQuery, label: string) =>
          assert.deepEqual(
            merged(await thread.groupClicks(asked)),
            merged(await t.app.services.clicks.groupClicks(asked)),
            label,
          );
        await same(query, 'sub3 × sub1');
        await same({ ...query, columns: ['country'], daily: true }, 'country, daily');
        const inside = await thread.groupClicks({
          ...query,
          inside: {
            columns: ['sub3', 'sub1'],
            rows: [
              ['kw-1', 'a'],
              ['kw-2', null],
            ],
          },
        });
        const kept = inside.filter((group) => !group.outside);
        assert.deepEqual(kept.map((group) => [group.keys.sub3, group.keys.sub1, group.counters.clicks]).sort(), [
          ['kw-1', 'a', 2],
          ['kw-2', null, 2],
        ]);
        assert.equal(
          inside.reduce((sum, group) => sum + group.counters.clicks, 0),
          115,
          'the rest counted outside',
        );

        // A ranking read cut to its top rows: every row that can be on the first page, with its whole count.
        const ranking: ClickGroupQuery = { ...query, counters: ['clicks'], acrossCampaigns: true };
        const top = { counter: 'clicks', count: 3, emptyIsNone: ['sub3', 'sub1'], cut: ['sub3'], cutAt: 200 } as const;
        const byRow = (groups: readonly ClickGroup[]) => {
          const counts = new Map<string, number>();
          for (const group of groups) {
            const key = JSON.stringify([group.keys.sub3 || null, group.keys.sub1 || null]);
            counts.set(key, (counts.get(key) ?? 0) + group.counters.clicks);
          }
          return counts;
        };
        const assertTop = async (label: string, first: string[]) => {
          const whole = byRow(await t.app.services.clicks.groupClicks(ranking));
          const cut = await thread.topGroups(ranking, top);
          assert.ok(cut, `${label}: a top read`);
          assert.equal(cut.rows, whole.size, `${label}: every row counted`);
          const counted = byRow(cut.groups);
          assert.ok(counted.size < whole.size, `${label}: fewer rows read (${counted.size} of ${whole.size})`);
          const least = [...whole.values()].sort((a, b) => b - a)[top.count - 1]!;
          for (const [key, count] of whole)
            if (count >= least) assert.equal(counted.get(key), count, `${label}: ${key} read whole`);
          const leading = [...counted].sort((a, b) => b[1] - a[1]).slice(0, top.count);
          assert.deepEqual(
            leading.map(([key]) => key),
            first,
            label,
          );
        };
        await assertTop('copied', ['["top","a"]', '["second",null]', '["rising","b"]']);
        // Clicks newer than the copy lift rows past others, one from below the copy's own top: the database's part counts.
        await writeClicks(t.storage, [
          ...more('rising', 'b', 6, Date.now() - 20_000),
          ...more('late', 'c', 12, Date.now() - 12_000),
        ]);
        await assertTop('newer clicks', ['["top","a"]', '["late","c"]', '["rising","b"]']);
        // The report's pages from the app's copy: ranked on the top rows, the page's rows counted whole ('' and
        // null as one row), every row in the total.
        await t.app.services.reportColumns!.sync();
        const page = (n: number) => reportPage(t, token, ['sub3', 'sub1'], n);
        const whole = byRow(await t.app.services.clicks.groupClicks(ranking));
        assert.deepEqual(await page(1), {
          rows: [
            ['top', 'a', 30],
            ['late', 'c', 22],
            ['rising', 'b', 21],
          ],
          total: whole.size,
        });
        assert.deepEqual((await page(2)).rows[0], ['second', null, 20]);
        // A value longer than a report shows it, copied or not: rows could merge, so no top read.
        assert.equal(await thread.topGroups({ ...ranking, from: 0 }, top), undefined, 'a long value in the copy');
        await writeClicks(t.storage, more('y'.repeat(250), 'a', 1, Date.now() - 4_000));
        assert.equal(await thread.topGroups(ranking, top), undefined, 'a long value in the newest clicks');
      } finally {
        await thread.close();
      }
      assert.deepEqual(errors, [], 'closing is no death');

      const dying = threadOf(new URL('../fixtures/dying-copy-thread.mjs', import.meta.url));
      await assert.rejects(dying.rows(), /stopped/);
      assert.deepEqual(
        merged(await dying.groupClicks(query)),
        merged(await t.app.services.clicks.groupClicks(query)),
        'the database answers',
      );
      await dying.sync();
      assert.equal(await dying.rows(), 0);
      assert.equal(errors.length, 1, errors.join());
      await dying.close();
    } finally {
      await t.app.close();
      await t.storage.dispose();
    }
  });

for (const dialect of DIALECTS)
  test(`a city report is ranked on the copy's top rows, a city with its country and no name in any country one row each [${dialect.name}]`, async () => {
    const t = await createTestApp(dialect, COPY_ON_THREAD);
    try {
      const { token, campaignId, userId } = await ownCampaign(t, 'Cities');
      let minute = 0;
      // A minute apart on a day of the range, or a second apart from `at` (the newest: never past today's end).
      const clicks = (city: string | null, country: string | null, n: number, at?: number) =>
        Array.from({ length: n }, (_, i) =>
          bulkClickRow(userId, campaignId, {
            at: at === undefined ? dayAt(10) + minute++ * MINUTE : at + i * 1000,
            country,
            fields: { city, sub2: 'k' },
          }),
        );
      await writeClicks(t.storage, [
        // No name: one row of 24 clicks, no more than 3 in any one country.
        ...['US', 'DE', 'FR', 'GB', 'ES', 'PL', 'NL', 'SE'].flatMap((country, i) =>
          clicks(i % 2 === 0 ? null : '', country, 3),
        ),
        ...clicks('Paris', 'FR', 10),
        ...clicks('Paris', 'US', 9),
        ...clicks('Springfield', null, 5),
        ...clicks('Springfield', '??', 1),
        ...Array.from({ length: 20 }, (_, i) => clicks(`Town ${i}`, 'DE', 1)).flat(),
      ]);
      await t.app.services.reportColumns!.sync();
      const page = (n: number) => reportPage(t, token, ['city', 'sub2'], n);
      assert.deepEqual(await page(1), {
        rows: [
          [null, 'k', 24],
          ['Paris, FR', 'k', 10],
          ['Paris, US', 'k', 9],
        ],
        total: 24,
      });
      // A name with no country and with '??' show alike: one row.
      assert.deepEqual((await page(2)).rows[0], ['Springfield, ??', 'k', 6]);

      // The read behind it keyed the rows as shown and read only the top ones (a page of 3: 4 rows at most).
      const ranking: ClickGroupQuery = {
        userId,
        from: dayAt(0),
        to: Date.now() + 60 * MINUTE,
        columns: ['city', 'country', 'sub2'],
        hourly: false,
        daily: false,
        filters: [],
        counters: ['clicks'],
        acrossCampaigns: true,
        cityShown: true,
      };
      const top = { counter: 'clicks', count: 3, emptyIsNone: ['sub2'], cut: ['city', 'sub2'], cutAt: 200 } as const;
      const cut = await t.app.services.reportColumns!.topGroups(ranking, top);
      assert.ok(cut, 'a top read');
      assert.equal(cut.rows, 24);
      assert.deepEqual(
        cut.groups
          .map((group) => [group.keys.city ? `${group.keys.city}, ${group.keys.country}` : null, group.counters.clicks])
          .sort(),
        [
          [null, 24],
          ['Paris, FR', 10],
          ['Paris, US', 9],
        ].sort(),
      );

      // Every counter, per hour and day, keyed as shown: the same rows as the database's groups merged by value.
      const shownRows = (groups: readonly ClickGroup[]) => {
        const rows = new Map<string, Record<string, number>>();
        for (const group of groups) {
          const key = JSON.stringify([
            cityWithCountry(group.keys.city, group.keys.country),
            group.keys.sub2,
            group.hour,
            group.day,
          ]);
          const sum = rows.get(key) ?? {};
          for (const [name, value] of Object.entries(group.counters)) sum[name] = (sum[name] ?? 0) + value;
          rows.set(key, sum);
        }
        return new Map([...rows].sort(([a], [b]) => a.localeCompare(b)));
      };
      const everyCounter = { ...ranking, counters: undefined, acrossCampaigns: false, hourly: true, daily: true };
      const fromCopy = shownRows(await t.app.services.reportColumns!.groupClicks(everyCounter));
      assert.equal(fromCopy.size, 24, 'a row each (the towns past the first hour too)');
      assert.deepEqual(fromCopy, shownRows(await t.app.services.clicks.groupClicks(everyCounter)));

      // Clicks newer than the copy, from the database: nameless ones in a country the copy has none of.
      await writeClicks(t.storage, [
        ...clicks(null, 'IT', 4, Date.now() - 20_000),
        ...clicks('Paris', 'US', 2, Date.now() - 10_000),
      ]);
      assert.deepEqual(await page(1), {
        rows: [
          [null, 'k', 28],
          ['Paris, US', 'k', 11],
          ['Paris, FR', 'k', 10],
        ],
        total: 24,
      });
    } finally {
      await t.app.close();
      await t.storage.dispose();
    }
  });
