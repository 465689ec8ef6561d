// CPU per click of the click's storage write path alone, as the tracker's recorder writes it: one transaction
// per batch holding the click rows (insertClicks) and the recorder hook (StatsWriter.clicksRecorded: rollup
// journal and report cube), and the stats folder's foldJournal every few batches, on a fresh database.
// The clicks have the tracker benchmark's shape (its `full` campaign: one campaign with a traffic source and a
// flow; 10 countries, 300 cities, 200 ASNs and placements, 10 offers and paths, a per-click cost).
// Process CPU time (user + system, all threads: better-sqlite3 runs on the main thread, the WAL checkpointer
// on its own), which preemption by other processes does not inflate. To compare two commits on a shared
// machine, run this file from each tree alternately and compare the medians (--rounds in one process share
// one database, so later rounds write into a bigger one, as a server does).
//   node --import tsx bench/write-path.bench.ts [--dialect sqlite|postgres] [--clicks 12000] [--rounds 3]
//     [--batch 30] [--fold-every 8]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { insertClicks } from '../src/modules/clicks/click.repository.ts';
import { generateClickId } from '../src/modules/clicks/click-id.ts';
import type { NewClickRow } from '../src/modules/clicks/click.table.ts';
import { createStatsWriter } from '../src/modules/stats/stats-writer.ts';
import { foldJournal } from '../src/modules/stats/stats.repository.ts';
import { openStorage } from '../src/storage/open-database.ts';

const { values: flags } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'sqlite' },
    clicks: { type: 'string', default: '12000' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '30' },
    'fold-every': { type: 'string', default: '8' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    /** Also time the parts (click rows, rollup hook, commit, fold): a few µs of timer calls per batch. */
    parts: { type: 'boolean', default: false },
    /** SQL run after the migrations, to measure a schema change before writing its migration (repeatable). */
    sql: { type: 'string', multiple: true, default: [] },
  },
});
const CLICKS = Number(flags.clicks);
const ROUNDS = Number(flags.rounds);
const BATCH = Number(flags.batch);
const FOLD_EVERY = Number(flags['fold-every']);
const postgres = flags.dialect === 'postgres';

/** mulberry32: the same clicks in every run, so two trees write the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'CA', 'JP', 'ES', 'IT'];
const DEVICES = ['desktop', 'mobile', 'mobile', 'tablet'];
const OSES = ['Windows', 'macOS', 'Android', 'iOS'];
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FRAUD = ['datacenter', 'vpn', 'duplicate', 'bot'] as const;

/** `count` clicks from `start`, 2,000 a second (the tracker's rate on SQLite), in time order. */
function clickRows(rand: () => number, start: number, count: number): NewClickRow[] {
  return Array.from({ length: count }, (_, i) => {
    const country = COUNTRIES[Math.floor(rand() * rand() * COUNTRIES.length)]!;
    const device = DEVICES[Math.floor(rand() * DEVICES.length)]!;
    const fraud = rand() < 0.15 ? FRAUD[Math.floor(rand() * FRAUD.length)]! : null;
    const status = fraud === 'bot' || fraud === 'datacenter' ? 'bot' : fraud === 'vpn' ? 'vpn' : 'real';
    const path = 1 + Math.floor(rand() * 10);
    const gclid = randomBytes(12).toString('hex');
    const visitor = randomBytes(8).toString('hex');
    const zone = `z${Math.floor(rand() * 200)}`;
    return {
      id: generateClickId(start + Math.floor(i / 2)),
      user_id: 1,
      campaign_id: 1,
      created_at: start + Math.floor(i / 2),
      ip: `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
      country,
      region: null,
      city: `${country} City ${Math.floor(rand() * 30)}`,
      asn: 3_000 + Math.floor(rand() * 200),
      as_org: `AS org ${Math.floor(rand() * 200)}`,
      device,
      os: OSES[Math.floor(rand() * OSES.length)]!,
      browser: 'Chrome',
      user_agent: UA,
      referrer: null,
      query: JSON.stringify({ sub1: 'bench', cost: '0.0042', zoneid: zone, visitor_id: visitor, gclid }),
      sub1: 'bench',
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      sub6: null,
      sub7: null,
      sub8: null,
      sub9: null,
      sub10: null,
      platform_click_id: gclid,
      external_id: visitor,
      placement: zone,
      cost: 0.0042,
      cost_source: 'param',
      status,
      is_bot: status === 'bot' ? 1 : 0,
      is_vpn: status === 'vpn' ? 1 : 0,
      is_verified_bot: 0,
      is_unique: fraud === 'duplicate' ? 0 : 1,
      fraud_types: JSON.stringify(fraud ? [fraud] : []),
      primary_fraud_type: fraud,
      fraud_score: fraud ? 80 : 0,
      reasons: JSON.stringify(fraud ? [{ type: fraud, message: `${fraud} reason` }] : []),
      action: 'redirected',
      visitor_hash: visitor,
      truncated: 0,
      rule: 'default',
      path,
      lander_id: null,
      offer_id: path,
      lp_clicked_at: null,
      language: 'en',
      beacon: null,
    };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'cloakradar-write-path-'));
const schema = `bench_write_${randomBytes(4).toString('hex')}`;
// One connection on PostgreSQL: the loop runs one statement at a time anyway, and its one server process's CPU
// time is then the database's share of the write path.
const storage = postgres
  ? openStorage(flags.pg!, { schema, maxConnections: 1 })
  : openStorage(`sqlite:${join(dir, 'bench.db')}`);
await storage.migrate();
for (const statement of flags.sql) await sql.raw(statement).execute(storage.db);
const stats = createStatsWriter(storage.dialect, 0);
const rand = random(24);
// Now: the clicks of a live server fall in the current (open) week.
let clock = Date.now();

/** CPU µs per click of each part, summed over the measured rounds (--parts). */
const parts = { clicks: 0, rollups: 0, commit: 0, fold: 0 };
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** PostgreSQL: the server process of the one connection (same machine: its CPU time is in /proc). */
const backends = postgres
  ? [(await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(storage.db)).rows[0]!.pid]
  : [];
/** User + system time of those processes, in µs (clock ticks of 10 ms: enough over thousands of clicks). */
const databaseCpu = () =>
  backends.reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) * 10_000;
  }, 0);
const databaseSpent: number[] = [];

async function round(): Promise<number> {
  const rows = clickRows(rand, clock, CLICKS);
  clock += CLICKS;
  const started = cpu();
  const databaseStarted = databaseCpu();
  let batches = 0;
  for (let at = 0; at < rows.length; at += BATCH) {
    const batch = rows.slice(at, at + BATCH);
    let t = 0;
    const split = (part: keyof typeof parts) => {
      if (!flags.parts) return;
      const now = cpu();
      parts[part] += now - t;
      t = now;
    };
    await storage.db.transaction().execute(async (trx) => {
      if (flags.parts) t = cpu();
      await insertClicks(trx, storage.dialect, batch);
      split('clicks');
      await stats.clicksRecorded(trx, batch);
      split('rollups');
    });
    split('commit');
    if (++batches % FOLD_EVERY === 0) {
      if (flags.parts) t = cpu();
      await storage.db.transaction().execute((trx) => foldJournal(trx, storage.dialect, 0, 1_000, Date.now()));
      split('fold');
    }
  }
  while (
    (await storage.db.transaction().execute((trx) => foldJournal(trx, storage.dialect, 0, 1_000, Date.now()))) > 0
  );
  databaseSpent.push((databaseCpu() - databaseStarted) / CLICKS);
  return (cpu() - started) / CLICKS;
}

await round(); // warm-up: JIT, statement caches
for (const part of Object.keys(parts) as (keyof typeof parts)[]) parts[part] = 0;
const results: number[] = [];
for (let i = 0; i < ROUNDS; i++) results.push(await round());
const sorted = [...results].sort((a, b) => a - b);
console.log(
  `write path (${flags.dialect}, batches of ${BATCH}, fold every ${FOLD_EVERY}): ${CLICKS} clicks × ${ROUNDS}: ` +
    `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} µs CPU/click (${results.map((r) => r.toFixed(1)).join(', ')})`,
);
if (postgres) {
  const measured = databaseSpent.slice(1);
  console.log(
    `PostgreSQL server processes: median ${[...measured].sort((a, b) => a - b)[Math.floor(measured.length / 2)]!.toFixed(1)} µs CPU/click (${measured.map((r) => r.toFixed(1)).join(', ')})`,
  );
}
if (flags.parts)
  console.log(
    Object.entries(parts)
      .map(([part, spent]) => `${part} ${(spent / CLICKS / ROUNDS).toFixed(1)}`)
      .join(', ') + ' µs CPU/click (fold: the periodic folds only)',
  );
await storage.close();
rmSync(dir, { recursive: true, force: true });
if (postgres) {
  const client = new pg.Client({ connectionString: flags.pg });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}
