// Reports benchmark: GET /api/v2/reports at one, two and three levels, beside the naive GROUP BY over the raw
// clicks of the same report, at one or more sizes, on both dialects.
//
//   npm run bench:reports                                     1M and 10M clicks, SQLite and PostgreSQL
//   npm run bench:reports -- --clicks 200000 --dialects sqlite --no-write
//
// Options: --clicks N,N (1000000,10000000), --dialects sqlite,postgres (both), --requests N (30 per report, after
// 2 warm-up requests), --budget S (20: seconds per report, after which a slow report stops at what it has, 3
// requests at least; one whose warm-up alone took longer is reported by that one request), --batch N (50000 clicks per load transaction), --pg URL (each run gets a fresh schema,
// dropped after), --no-write (BENCHMARKS.md is left alone), --seed N (20260101: the traffic's).
//   --keep DIR: the loaded database (SQLite file, PostgreSQL schema) is kept, with a manifest in DIR, and the next
//     run of the same dialect, size and seed reuses it (buildApp runs the migrations added since) instead of
//     loading again. --load-only: load (or find loaded) and stop, to start the big loads ahead of the code.
//   --naive-timeout S (60): the naive GROUP BY's budget per report; it runs in a child process (naive-child.ts)
//     that is killed after it (PostgreSQL: statement_timeout too), and is then reported as "> S s". Its samples are
//     capped: 3 (after 1 warm-up) below 10M clicks, 1 (no warm-up) from 10M. --skip-naive: not run (an A/B of
//     the report code on a kept database, where the naive statement is the same on both sides).
//   --loader fast|old (fast): the bulk loader, bench/stats/fast-loader.ts (--chunk N clicks per transaction, 500000)
//     or the reference it is checked against, bench/stats/loader.ts (--batch); both give the same database
//     (bench/stats/loader-identity.ts). --stop-after N (with --load-only): the plan's first N clicks only, its
//     load left partial, to profile a big plan's load (the phases printed).
//   --only A;B: only these group_by lists (e.g. "day;placement,day").
//   --sqlite-cache-mb N: SQLite's page cache (SQLITE_CACHE_MB's default when absent), for an A/B of its size.
//
// For each size and dialect: a fresh database, an enterprise account and a second account with 20
// campaigns, a month of clicks loaded by the statistics benchmark's bulk loader (bench/stats: clicks,
// conversions and rollups, as the recorder writes them); then each report is timed through buildApp +
// app.inject with the account's token, and the naive GROUP BY of the same report (one statement over the
// raw clicks and their conversions, no rollups) on the same data.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { createAccountService } from '../../src/modules/accounts/account.service.ts';
import { createTokenSigner } from '../../src/modules/accounts/token.ts';
import { clickGroupQuery } from '../../src/modules/reports/report-clicks.ts';
import { parseReportRequest } from '../../src/modules/reports/report-query.ts';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { printUsageAndExit } from '../detection/report.ts';
import { describeCommit, describeMachine } from '../tracker/report.ts';
import { loadTraffic } from '../stats/loader.ts';
import { loadTrafficFast } from '../stats/fast-loader.ts';
import { percentiles, type Latency } from '../stats/report.ts';
import { DAY } from '../stats/traffic.ts';
import type { NaiveJob } from './naive-child.ts';
import { renderReports, writeReportsBlock, type ReportTiming, type ReportsRun } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-01';
const PASSWORD = 'correct horse battery';

const { values: flags } = parseArgs({
  options: {
    clicks: { type: 'string', default: '1000000,10000000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    requests: { type: 'string', default: '30' },
    budget: { type: 'string', default: '20' },
    batch: { type: 'string', default: '50000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'no-write': { type: 'boolean', default: false },
    keep: { type: 'string' },
    'load-only': { type: 'boolean', default: false },
    'naive-timeout': { type: 'string', default: '60' },
    'skip-naive': { type: 'boolean', default: false },
    only: { type: 'string' },
    seed: { type: 'string', default: '20260101' },
    loader: { type: 'string', default: 'fast' },
    chunk: { type: 'string', default: '500000' },
    'stop-after': { type: 'string' },
    'sqlite-cache-mb': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (flags.help) printUsageAndExit(import.meta.url);

const whole = (name: string, value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return Number(value);
};
const sizes = flags.clicks.split(',').map((s) => whole('clicks', s.trim()));
const dialects = flags.dialects.split(',').map((d) => d.trim());
for (const d of dialects) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--dialects: unknown dialect "${d}"`);
const requests = whole('requests', flags.requests);
const budgetMs = whole('budget', flags.budget) * 1000;
const batch = whole('batch', flags.batch);
const seed = whole('seed', flags.seed);
if (flags.loader !== 'fast' && flags.loader !== 'old')
  throw new Error(`--loader must be fast or old, got "${flags.loader}"`);
const chunk = whole('chunk', flags.chunk);
const stopAfter = flags['stop-after'] === undefined ? undefined : whole('stop-after', flags['stop-after']);
if (stopAfter !== undefined && !flags['load-only']) throw new Error('--stop-after needs --load-only');
const sqliteCacheMb =
  flags['sqlite-cache-mb'] === undefined ? undefined : whole('sqlite-cache-mb', flags['sqlite-cache-mb']);
const naiveTimeoutMs = whole('naive-timeout', flags['naive-timeout']) * 1000;
const keepDir = flags.keep === undefined ? undefined : resolve(flags.keep);
if (flags['load-only'] && !keepDir) throw new Error('--load-only needs --keep DIR');
const WARMUP = 2;
const MIN_REQUESTS = 3;
const command = `npm run bench:reports${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

/** The reports timed: what the issue names (one level, the common pairs, three levels, sub ids). */
const REPORTS: ReadonlyArray<{ level: string; groupBy: string }> = [
  { level: '1', groupBy: 'campaign' },
  { level: '1', groupBy: 'country' },
  { level: '1', groupBy: 'sub3' },
  { level: '1', groupBy: 'day' },
  { level: '2', groupBy: 'campaign,country' },
  { level: '2', groupBy: 'campaign,day' },
  { level: '2', groupBy: 'offer,device' },
  { level: '2', groupBy: 'placement,day' },
  { level: '2', groupBy: 'country,device' },
  { level: '3', groupBy: 'campaign,country,device' },
  { level: 'sub id', groupBy: 'sub3,country' },
];

type Dialect = 'sqlite' | 'postgres';

interface Tenant {
  userId: number;
  campaignIds: number[];
  email: string;
}

/**
 * What a kept database holds, written once its load has finished (so a half-loaded one is never timed); a
 * `.partial` manifest is written before the load, so a load stopped half-way is carried on (loadTraffic
 * `stored`) rather than started again.
 */
interface Manifest {
  dialect: Dialect;
  clicks: number;
  seed: number;
  from: number;
  to: number;
  loadSeconds: number;
  main: Tenant;
  other: Tenant;
}

interface Database {
  storage: Storage;
  /** Set when a kept database of this dialect, size and seed was found: its data is there. */
  manifest?: Manifest;
  /** A kept database whose load stopped: its plan (loadSeconds: the time spent before, if known). */
  partial?: Manifest;
  /** Called before a load: a kept database records its plan, so a stopped load can be carried on. */
  started?(plan: Manifest): void;
  /** Called after a load: a kept database records what it holds. */
  loaded(manifest: Manifest): void;
  drop(): Promise<void>;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: flags.pg });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/** Where a dialect's database is: a SQLite URL or a PostgreSQL URL and schema. */
interface Location {
  url: string;
  schema?: string;
}

async function openDatabase(dialect: Dialect, size: number): Promise<Database & { location: Location }> {
  if (keepDir) {
    mkdirSync(keepDir, { recursive: true });
    const name = `reports-${dialect}-${size}-s${seed}`;
    const manifestPath = join(keepDir, `${name}.json`);
    const file = join(keepDir, `${name}.db`);
    const schema = `bench_keep_${size}_s${seed}`;
    const location: Location = dialect === 'sqlite' ? { url: `sqlite:${file}` } : { url: flags.pg, schema };
    const partialPath = join(keepDir, `${name}.partial.json`);
    const read = (path: string) =>
      existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : undefined;
    const manifest = read(manifestPath);
    const partial = manifest ? undefined : read(partialPath);
    if (!manifest && !partial) {
      // Nothing kept, or a load that left no plan: start from nothing.
      if (dialect === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      else await dropSchema(schema);
    }
    return {
      storage: openStorage(location.url, location.schema ? { schema: location.schema } : { sqliteCacheMb }),
      location,
      manifest,
      partial,
      started: (plan) => writeFileSync(partialPath, JSON.stringify(plan, null, 2)),
      loaded: (done) => {
        writeFileSync(manifestPath, JSON.stringify(done, null, 2));
        rmSync(partialPath, { force: true });
      },
      drop: async () => {},
    };
  }
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-reports-'));
    const url = `sqlite:${join(dir, 'bench.db')}`;
    return {
      storage: openStorage(url, { sqliteCacheMb }),
      location: { url },
      loaded: () => {},
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_reports_${randomBytes(4).toString('hex')}`;
  return {
    storage: openStorage(flags.pg, { schema }),
    location: { url: flags.pg, schema },
    loaded: () => {},
    drop: () => dropSchema(schema),
  };
}

/** A kept account's token: signed in again with the password it was registered with. */
async function signIn(app: FastifyInstance, tenant: Tenant) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { email: tenant.email, password: PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in ${tenant.email}: ${response.statusCode} ${response.body}`);
  return { ...tenant, token: response.json<{ token: string }>().token };
}

/** The naive GROUP BY in a child process (naive-child.ts), killed after the budget: its samples, or undefined. */
function naiveSamples(location: Location, job: Omit<NaiveJob, 'url' | 'schema' | 'timeoutMs'>) {
  return new Promise<number[] | undefined>((done) => {
    const payload: NaiveJob = { ...location, ...job, timeoutMs: naiveTimeoutMs };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'naive-child.ts'), JSON.stringify(payload)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // The child's start (tsx, opening the database) is not in its samples; it gets 15 s beside the budget.
    const timer = setTimeout(() => child.kill('SIGKILL'), naiveTimeoutMs + 15_000);
    child.on('close', () => {
      clearTimeout(timer);
      const last = out.trim().split('\n').filter(Boolean).at(-1);
      const runs = last ? (JSON.parse(last) as { samples: number[]; warmups: number[] }) : undefined;
      const samples = runs && runs.samples.length > 0 ? runs.samples : runs?.warmups;
      done(samples && samples.length > 0 ? samples : undefined);
    });
  });
}

/** An enterprise account (its plan allows the requests) with `campaigns` campaigns, charged cpc or cpm. */
async function tenant(app: FastifyInstance, storage: Storage, email: string, campaigns: number) {
  const accounts = createAccountService({ db: storage.db, tokens: createTokenSigner(JWT_SECRET) });
  const registered = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password: PASSWORD },
  });
  const token = registered.json<{ token: string }>().token;
  const account = await accounts.setPlan(email, 'enterprise');
  const campaignIds: number[] = [];
  for (let i = 0; i < campaigns; i++) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        name: `Campaign ${i + 1}`,
        destination_url: 'https://example.com/?cid={clickid}',
        cost_model: i % 4 === 3 ? 'cpm' : 'cpc',
        cost_value: i % 4 === 3 ? 2.5 : 0.4,
      },
    });
    campaignIds.push(response.json<{ data: { id: number } }>().data.id);
  }
  return { userId: account.id, campaignIds, token, email };
}

/** Runs `once` until `requests` samples or the budget is spent (MIN_REQUESTS at least), after the warm-up. */
async function sample(once: () => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < WARMUP; i++) {
    const t0 = performance.now();
    await once();
    // A report slower than the whole budget (raw clicks at 10M) is not run five times: its warm-up is its sample.
    const took = performance.now() - t0;
    if (took > budgetMs) return percentiles([took]);
  }
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < requests && (samples.length < MIN_REQUESTS || performance.now() - started < budgetMs)) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

async function runOne(dialect: Dialect, size: number): Promise<ReportsRun | undefined> {
  const database = await openDatabase(dialect, size);
  const { storage } = database;
  const app = await buildApp({
    config: loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cloakradar-bench-data-')),
      JWT_SECRET,
      LOG_LEVEL: 'silent',
    }),
    storage,
    logger: false,
    intel: await openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-test-intel') }),
    retention: { intervalMs: 0 },
  });
  try {
    await app.ready();
    let manifest = database.manifest;
    if (manifest) {
      console.error(
        `  ${dialect} ${size}: reusing the kept database (loaded in ${Math.round(manifest.loadSeconds)} s)`,
      );
    } else {
      const strip = ({ userId, campaignIds, email }: Tenant) => ({ userId, campaignIds, email });
      const partial = database.partial;
      const mainTenant = partial ? partial.main : strip(await tenant(app, storage, 'bench-main@example.com', 16));
      const otherTenant = partial ? partial.other : strip(await tenant(app, storage, 'bench-other@example.com', 4));
      const to = partial?.to ?? Math.floor(Date.now() / DAY) * DAY;
      const from = partial?.from ?? to - 30 * DAY;
      const plan = { dialect, clicks: size, seed, from, to, loadSeconds: 0, main: mainTenant, other: otherTenant };
      database.started?.(plan);
      // A stopped load: its whole batches are stored, carried on from there.
      const stored = partial
        ? Number(
            (
              await storage.db
                .selectFrom('clicks')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          )
        : 0;
      if (partial) console.error(`  ${dialect} ${size}: carrying on a stopped load from ${stored} clicks`);
      let last = stored;
      // A bulk load on SQLite: a cache that holds the growing indexes (10M clicks is several GB) and no
      // sync per commit (a crash during the load reloads anyway), put back for the reads timed after it.
      if (dialect === 'sqlite') await sql`pragma cache_size = -2000000`.execute(storage.db);
      if (dialect === 'sqlite') await sql`pragma synchronous = OFF`.execute(storage.db);
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const trafficPlan = { main: mainTenant, other: otherTenant, total: size, from, days: 30, seed };
      const onProgress = (done: number) => {
        if (done - last >= size / 20) {
          last = done;
          const rate = (done - stored) / ((performance.now() - started) / 1000);
          console.error(
            `  ${dialect} ${size}: ${done.toLocaleString('en-US')} clicks loaded, ${Math.round(rate)} clicks/s`,
          );
        }
      };
      const load =
        flags.loader === 'old'
          ? await loadTraffic(storage, trafficPlan, batch, onProgress, 0, stored, stopAfter)
          : await loadTrafficFast(storage, trafficPlan, onProgress, { chunk, stored, limit: stopAfter });
      if (dialect === 'sqlite') await sql`pragma cache_size = -65536`.execute(storage.db);
      if (dialect === 'sqlite') await sql`pragma synchronous = NORMAL`.execute(storage.db);
      const cpu = process.cpuUsage(cpuBefore);
      // The process's CPU (every thread, the app's background folders included): on a shared machine the wall
      // time says more about the neighbours than about the loader.
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      manifest = { ...plan, loadSeconds: (partial?.loadSeconds ?? 0) + load.seconds };
      // Stopped early on purpose: left partial (a later run carries it on).
      if (load.clicks >= size) database.loaded(manifest);
      console.error(
        `  ${dialect} ${size}: loaded in ${Math.round(load.seconds)} s (${Math.round((load.clicks - stored) / load.seconds)} clicks/s, ${flags.loader} loader, CPU ${cpuSeconds.toFixed(1)} s = ${Math.round((cpuSeconds * 1e6) / Math.max(1, load.clicks - stored))} µs/click, generating ${Math.round(load.generateSeconds)} s; ${Object.entries(
          load.phases,
        )
          .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
          .join(', ')})`,
      );
    }
    // What a server's autovacuum would have done by now (the shared test server runs with autovacuum off): planner
    // statistics (without them PostgreSQL planned the naive GROUP BY so badly that it ran > 120 s at 1M on an idle
    // machine, 366 ms after ANALYZE), and the dead row versions the load's folds left cleared and the pages marked
    // all-visible. Unvacuumed, the rollups held 736k dead versions beside 860k live ones at 1M: every report's
    // index read visited four times the entries, and its "index-only" scans read the table for every row.
    if (dialect === 'postgres')
      for (const { tablename } of (
        await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema()`.execute(
          storage.db,
        )
      ).rows)
        await sql`vacuum (analyze) ${sql.table(tablename)}`.execute(storage.db);
    if (flags['load-only']) return undefined;
    const { from, to } = manifest;
    const main = await signIn(app, manifest.main);
    const foldStarted = performance.now();
    await app.services.reportCubeFolder.foldAll(); // as the server's background folder would have by now
    console.error(`  ${dialect} ${size}: cube folded in ${Math.round((performance.now() - foldStarted) / 1000)} s`);
    // The report cube's size (its cardinality), both accounts: the day rows left unfolded, and the folded
    // rows per grain (0 every dimension, 1 narrow) and period (24 days, 168 weeks).
    const unfolded = await storage.db
      .selectFrom('report_cube')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cubeRows: Record<string, number> = { 'unfolded days': Number(unfolded.n) };
    // The narrow grain's all-campaigns rows (campaign 0, migration 031) apart from the campaigns' own.
    for (const row of await storage.db
      .selectFrom('report_cube_folded')
      .select([
        'grain',
        'hours',
        (eb) => eb.fn.max(eb.case().when('campaign_id', '=', 0).then(1).else(0).end()).as('all'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .groupBy(['grain', 'hours', (eb) => eb.case().when('campaign_id', '=', 0).then(1).else(0).end()])
      .orderBy('grain')
      .orderBy('hours')
      .execute())
      cubeRows[
        `${Number(row.grain) === 0 ? 'full' : 'narrow'}${Number(row.all) === 1 ? ' all-campaigns' : ''} ${Number(row.hours) === 24 ? 'days' : 'weeks'}`
      ] = Number(row.n);
    console.error(`  ${dialect} ${size}: cube ${JSON.stringify(cubeRows)}`);
    const day = (instant: number) => new Date(instant).toISOString().slice(0, 10);
    const range = `from=${day(from)}&to=${day(to - DAY)}`;
    const timings: ReportTiming[] = [];
    const only = flags.only?.split(';');
    const reports = REPORTS.filter((each) => !only || only.includes(each.groupBy));
    const request = async (report: (typeof REPORTS)[number]) => {
      const url = `/api/v2/reports?${range}&group_by=${report.groupBy}&limit=100`;
      const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${main.token}` } });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json<{ meta: { source: string; total: number } }>().meta;
    };
    // One request of each report before any is timed: the code every report runs (the HTTP path, the rollup
    // read) is then as warm for the first report as for the last, and for the first size as for the second (the
    // 10M size, timed first, took up to twice 1M's p95 for the same rows read).
    for (const report of reports) await request(report);
    // Every report timed before any naive GROUP BY runs: an 18 s scan of 10M clicks in the child process between
    // two timed reports left the next one 1.5–3× slower at p95 (2026-12-06, same code, with and without --skip-naive).
    const apis = new Map<string, { source: string; rows: number; api: Latency }>();
    for (const report of reports) {
      let meta = { source: '', total: 0 };
      const api = await sample(async () => {
        meta = await request(report);
      });
      apis.set(report.groupBy, { source: meta.source, rows: meta.total, api });
    }
    for (const report of reports) {
      const { source, rows, api } = apis.get(report.groupBy)!;
      // The naive baseline: the report's GROUP BY over the raw clicks of the range, every request.
      const spec = parseReportRequest({ group_by: report.groupBy });
      const naiveQuery = clickGroupQuery(spec, { userId: main.userId, from, to }, false);
      const big = size >= 10_000_000;
      const naiveRun = flags['skip-naive']
        ? undefined
        : await naiveSamples(database.location, {
            query: naiveQuery,
            warmup: big ? 0 : 1,
            samples: big ? 1 : 3,
          });
      const naive = naiveRun ? percentiles(naiveRun) : { p50: NaN, p95: NaN, max: NaN, n: 0 };
      const naiveOverS = naiveRun || flags['skip-naive'] ? {} : { naiveOverS: naiveTimeoutMs / 1000 };
      timings.push({ ...report, source, rows, api, naive, ...naiveOverS });
      console.error(
        `  ${dialect} ${size} ${report.groupBy}: ${source} p50 ${api.p50.toFixed(1)} p95 ${api.p95.toFixed(1)} ms; naive p50 ${naiveRun ? `${naive.p50.toFixed(0)} ms` : `> ${naiveTimeoutMs / 1000} s`}`,
      );
    }
    return {
      dialect,
      clicks: size,
      loadSeconds: manifest.loadSeconds,
      cubeRows,
      timings,
    };
  } finally {
    await app.close();
    await storage.close();
    await database.drop();
  }
}

const runs: ReportsRun[] = [];
for (const size of sizes)
  for (const dialect of dialects as ('sqlite' | 'postgres')[]) {
    const run = await runOne(dialect, size);
    if (!run) continue;
    runs.push(run);
    const block = renderReports(runs, {
      command,
      machine: describeMachine(),
      commit: describeCommit(ROOT),
      measuredAt: new Date().toISOString().slice(0, 16).replace('T', ' '),
    });
    if (!flags['no-write']) writeReportsBlock(join(ROOT, 'BENCHMARKS.md'), block);
    else console.log(block);
  }
