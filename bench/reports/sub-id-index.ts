// What a covering index would buy a sub-id pair report (`sub3,country`, read from the raw clicks) and what it
// would cost the click path, on SQLite:
// - read: on a copy of a database kept by `npm run bench:reports -- --keep DIR`, the report's GROUP BY timed
//   before and after an index on the clicks holding every column it reads (so SQLite never visits the table
//   rows), and the index's build time and size;
// - write: the tracker's batches of 50 clicks inserted into two fresh databases, one with the index, alternated
//   batch by batch so the machine's load weighs on both alike: µs per click, each.
//
//   node --import tsx bench/reports/sub-id-index.ts --keep DIR [--clicks 1000000] [--samples 3] [--batches 400]
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { groupClicks } from '../../src/modules/clicks/click-groups.repository.ts';
import { insertClicks } from '../../src/modules/clicks/click.repository.ts';
import { clickGroupQuery } from '../../src/modules/reports/report-clicks.ts';
import { parseReportRequest } from '../../src/modules/reports/report-query.ts';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { percentiles } from '../stats/report.ts';
import { DAY, trafficBatches } from '../stats/traffic.ts';

const { values: flags } = parseArgs({
  options: {
    keep: { type: 'string' },
    clicks: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '20260101' },
    samples: { type: 'string', default: '3' },
    batches: { type: 'string', default: '400' },
    'group-by': { type: 'string', default: 'sub3,country' },
  },
});
if (!flags.keep) throw new Error('--keep DIR: where bench:reports kept its SQLite database');
const samples = Number(flags.samples);

/** Every click column the report's GROUP BY reads, after the (user_id, created_at) range it scans. */
const INDEX = sql`create index clicks_sub_id_cover on clicks (user_id, created_at, sub3, country, campaign_id, status,
  is_unique, primary_fraud_type, is_verified_bot, cost_source, cost, lp_clicked_at, id)`;

const pages = async (storage: Storage) => {
  const count = await sql<{ page_count: number }>`pragma page_count`.execute(storage.db);
  const size = await sql<{ page_size: number }>`pragma page_size`.execute(storage.db);
  return Number(count.rows[0]!.page_count) * Number(size.rows[0]!.page_size);
};

// Read side.
const name = `reports-sqlite-${flags.clicks}-s${flags.seed}`;
const manifest = JSON.parse(readFileSync(join(flags.keep, `${name}.json`), 'utf8')) as {
  from: number;
  to: number;
  main: { userId: number };
};
const dir = mkdtempSync(join(tmpdir(), 'cloakradar-sub-id-'));
copyFileSync(join(flags.keep, `${name}.db`), join(dir, 'copy.db'));
const copy = openStorage(`sqlite:${join(dir, 'copy.db')}`);
const query = clickGroupQuery(
  parseReportRequest({ group_by: flags['group-by'] }),
  { userId: manifest.main.userId, from: manifest.from, to: manifest.to },
  false,
);
const time = async () => {
  await groupClicks(copy.db, query);
  const runs: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await groupClicks(copy.db, query);
    runs.push(performance.now() - t0);
  }
  return percentiles(runs);
};
const before = await time();
const sizeBefore = await pages(copy);
const t0 = performance.now();
await INDEX.execute(copy.db);
const buildMs = performance.now() - t0;
const indexBytes = (await pages(copy)) - sizeBefore;
const after = await time();
await copy.close();

// Write side.
const fresh = async (indexed: boolean) => {
  const storage = openStorage(`sqlite:${join(dir, `${indexed ? 'with' : 'without'}.db`)}`);
  await storage.migrate();
  if (indexed) await INDEX.execute(storage.db);
  return storage;
};
const without = await fresh(false);
const withIndex = await fresh(true);
const now = Math.floor(Date.now() / DAY) * DAY;
const batches = Number(flags.batches);
const plan = {
  main: { userId: 1, campaignIds: Array.from({ length: 16 }, (_, i) => i + 1) },
  other: { userId: 2, campaignIds: [17, 18, 19, 20] },
  total: batches * 50,
  from: now - DAY,
  days: 1,
  seed: 7,
};
const spent = { without: 0, with: 0 };
let clicks = 0;
let turn = 0;
for (const unit of trafficBatches(plan, 50)) {
  const write = async (storage: Storage, side: 'without' | 'with', rows: typeof unit.clicks) => {
    const started = performance.now();
    await storage.db.transaction().execute((trx) => insertClicks(trx, storage.dialect, rows));
    spent[side] += performance.now() - started;
  };
  // Both databases get the same clicks (ids are unique per database), in alternating order.
  const sides: Array<['without' | 'with', Storage]> = [
    ['without', without],
    ['with', withIndex],
  ];
  if (turn++ % 2 === 1) sides.reverse();
  for (const [side, storage] of sides) await write(storage, side, unit.clicks);
  clicks += unit.clicks.length;
}
await without.close();
await withIndex.close();
rmSync(dir, { recursive: true, force: true });

const round = (value: number) => Math.round(value * 10) / 10;
console.log(
  JSON.stringify(
    {
      groupBy: flags['group-by'],
      clicksInDatabase: Number(flags.clicks),
      read: {
        beforeMs: { p50: round(before.p50), max: round(before.max), n: before.n },
        afterMs: { p50: round(after.p50), max: round(after.max), n: after.n },
        buildSeconds: round(buildMs / 1000),
        indexMiB: round(indexBytes / 2 ** 20),
      },
      write: {
        clicks,
        insertMicrosPerClick: {
          without: round((spent.without * 1000) / clicks),
          with: round((spent.with * 1000) / clicks),
        },
      },
    },
    null,
    2,
  ),
);
