// Reports benchmark: GET /api/v2/reports at one, two and three levels, beside the naive GROUP BY over the raw
// clicks of the same report, at one or more sizes, on both dialects.
//
//   npm run bench:reports                                     1M and 10M clicks, SQLite and PostgreSQL
//   npm run bench:reports -- --clicks 200000 --dialects sqlite --no-write
//
// Options: --clicks N,N (1000000,10000000), --dialects sqlite,postgres (both), --requests N (30 per report, after
// 2 warm-up requests), --budget S (20: seconds per report, after which a slow report stops at what it has, 3
// requests at least), --batch N (50000 clicks per load transaction), --pg URL (each run gets a fresh schema,
// dropped after), --no-write (BENCHMARKS.md is left alone).
//
// For each size and dialect: a fresh database, an enterprise account and a second account with 20
// campaigns, a month of clicks loaded by the statistics benchmark's bulk loader (bench/stats: clicks,
// conversions and rollups, as the recorder writes them); then each report is timed through buildApp +
// app.inject with the account's token, and the naive GROUP BY of the same report (one statement over the
// raw clicks and their conversions, no rollups) on the same data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { createAccountService } from '../../src/modules/accounts/account.service.ts';
import { createTokenSigner } from '../../src/modules/accounts/token.ts';
import { groupClicks } from '../../src/modules/clicks/click-groups.repository.ts';
import { clickGroupQuery } from '../../src/modules/reports/report-clicks.ts';
import { parseReportRequest } from '../../src/modules/reports/report-query.ts';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { printUsageAndExit } from '../detection/report.ts';
import { describeCommit, describeMachine } from '../tracker/report.ts';
import { loadTraffic } from '../stats/loader.ts';
import { percentiles, type Latency } from '../stats/report.ts';
import { DAY } from '../stats/traffic.ts';
import { renderReports, writeReportsBlock, type ReportTiming, type ReportsRun } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-01';

const { values: flags } = parseArgs({
  options: {
    clicks: { type: 'string', default: '1000000,10000000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    requests: { type: 'string', default: '30' },
    budget: { type: 'string', default: '20' },
    batch: { type: 'string', default: '50000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'no-write': { type: 'boolean', default: false },
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

interface Database {
  storage: Storage;
  drop(): Promise<void>;
}

function openDatabase(dialect: 'sqlite' | 'postgres'): Database {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-reports-'));
    return {
      storage: openStorage(`sqlite:${join(dir, 'bench.db')}`),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_reports_${randomBytes(4).toString('hex')}`;
  return {
    storage: openStorage(flags.pg, { schema }),
    drop: async () => {
      const client = new pg.Client({ connectionString: flags.pg });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** An enterprise account (its plan allows the requests) with `campaigns` campaigns, charged cpc or cpm. */
async function tenant(app: FastifyInstance, storage: Storage, email: string, campaigns: number) {
  const accounts = createAccountService({ db: storage.db, tokens: createTokenSigner(JWT_SECRET) });
  const registered = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password: 'correct horse battery' },
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
  return { userId: account.id, campaignIds, token };
}

/** Runs `once` until `requests` samples or the budget is spent (MIN_REQUESTS at least), after the warm-up. */
async function sample(once: () => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < requests && (samples.length < MIN_REQUESTS || performance.now() - started < budgetMs)) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

async function runOne(dialect: 'sqlite' | 'postgres', size: number): Promise<ReportsRun> {
  const database = openDatabase(dialect);
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
    const main = await tenant(app, storage, 'bench-main@example.com', 16);
    const other = await tenant(app, storage, 'bench-other@example.com', 4);
    const to = Math.floor(Date.now() / DAY) * DAY;
    const from = to - 30 * DAY;
    let last = 0;
    const load = await loadTraffic(
      storage,
      { main, other, total: size, from, days: 30, seed: 20260101 },
      batch,
      (done) => {
        if (done - last >= size / 10) {
          last = done;
          console.error(`  ${dialect} ${size}: ${done.toLocaleString('en-US')} clicks loaded`);
        }
      },
    );
    // The report cube's size (its cardinality): its day rows (its only rows), both accounts.
    const cube = await storage.db
      .selectFrom('report_cube')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cubeRows = { 'full days': Number(cube.n) };
    console.error(`  ${dialect} ${size}: cube ${JSON.stringify(cubeRows)}`);
    await app.services.reportCubeFolder.foldAll(); // as the server's background folder would have by now
    const day = (instant: number) => new Date(instant).toISOString().slice(0, 10);
    const range = `from=${day(from)}&to=${day(to - DAY)}`;
    const timings: ReportTiming[] = [];
    for (const report of REPORTS) {
      const url = `/api/v2/reports?${range}&group_by=${report.groupBy}&limit=100`;
      let source = '';
      let rows = 0;
      const api = await sample(async () => {
        const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${main.token}` } });
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
        const body = response.json<{ meta: { source: string; total: number } }>();
        source = body.meta.source;
        rows = body.meta.total;
      });
      // The naive baseline: the report's GROUP BY over the raw clicks of the range, every request.
      const spec = parseReportRequest({ group_by: report.groupBy });
      const naiveQuery = clickGroupQuery(spec, { userId: main.userId, from, to }, false);
      const naive = await sample(() => groupClicks(storage.db, naiveQuery));
      timings.push({ ...report, source, rows, api, naive });
      console.error(
        `  ${dialect} ${size} ${report.groupBy}: ${source} p50 ${api.p50.toFixed(1)} p95 ${api.p95.toFixed(1)} ms; naive p50 ${naive.p50.toFixed(0)} ms`,
      );
    }
    return {
      dialect,
      clicks: size,
      loadSeconds: load.seconds,
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
    runs.push(await runOne(dialect, size));
    const block = renderReports(runs, {
      command,
      machine: describeMachine(),
      commit: describeCommit(ROOT),
      measuredAt: new Date().toISOString().slice(0, 16).replace('T', ' '),
    });
    if (!flags['no-write']) writeReportsBlock(join(ROOT, 'BENCHMARKS.md'), block);
    else console.log(block);
  }
