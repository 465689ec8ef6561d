// Statistics benchmark: rollups against the naive raw-click GROUP BY, at two sizes, on both dialects.
//
//   npm run bench:stats                                         1M and 10M clicks, SQLite and PostgreSQL
//   npm run bench:stats -- --sizes 1000000 --dialects sqlite --no-write
//
// Options: --sizes N,N (1000000,10000000), --dialects sqlite,postgres (both), --requests N (100 per endpoint,
// after 5 warm-up requests), --budget S (30: seconds per endpoint, after which a slow endpoint stops at
// what it has, 5 requests at least), --naive-runs N (5 up to 1M clicks, 2 above: the naive query is slow),
// --batch N (50000 clicks per load transaction), --unfolded N (2000: the last clicks, left in the rollup journal
// while reports are timed, as on a server at ~8k clicks/s between two passes of its folder), --dead-rows N (25000:
// on PostgreSQL, deleted journal rows left for the timings, as a second of folding at full speed leaves them), --pg URL (postgres://postgres@127.0.0.1:5432/test; each
// run gets a fresh schema, dropped after), --keep (the databases are not dropped), --no-csv (skip the fraud report), --no-write (BENCHMARKS.md is
// left alone), --json FILE (the raw results), --merge A.json,B.json [--command TEXT] (write BENCHMARKS.md
// from the raw results of earlier runs, e.g. two sizes run side by side, and nothing else).
//
// For each size and dialect: a fresh database, an enterprise account (measured) and a second account,
// 20 campaigns created through the API; then the bulk loader writes a month of clicks with their
// rollups as the recorder does; then every stats and analytics endpoint is timed through buildApp +
// app.inject with the account's token, and the naive GROUP BY over the raw clicks is timed on the same
// data; then a month-long fraud report of the busiest campaign is generated and its CSV downloaded over
// a real socket while memory is sampled. BENCHMARKS.md is rewritten after every step, so a run cut short
// still leaves what it measured.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { createAccountService } from '../../src/modules/accounts/account.service.ts';
import { createTokenSigner } from '../../src/modules/accounts/token.ts';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { printUsageAndExit } from '../detection/report.ts';
import { describeCommit, describeMachine } from '../tracker/report.ts';
import { loadTraffic } from './loader.ts';
import { naiveQuery, type NaiveGroup } from './naive.ts';
import {
  percentiles,
  renderStats,
  writeStatsBlock,
  type EndpointResult,
  type FraudCsvResult,
  type RunResult,
} from './report.ts';
import { DAY, type Tenant } from './traffic.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-01';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    requests: { type: 'string', default: '100' },
    budget: { type: 'string', default: '30' },
    'naive-runs': { type: 'string' },
    batch: { type: 'string', default: '50000' },
    unfolded: { type: 'string', default: '2000' },
    'dead-rows': { type: 'string', default: '25000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'no-csv': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
    merge: { type: 'string' },
    command: { type: 'string' },
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
const sizes = flags.sizes.split(',').map((s) => whole('sizes', s.trim()));
const dialects = flags.dialects.split(',').map((d) => d.trim());
for (const d of dialects) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--dialects: unknown dialect "${d}"`);
const requests = whole('requests', flags.requests);
const batch = whole('batch', flags.batch);
const unfolded = flags.unfolded === '0' ? 0 : whole('unfolded', flags.unfolded);
const deadRows = flags['dead-rows'] === '0' ? 0 : whole('dead-rows', flags['dead-rows']);
const budgetMs = whole('budget', flags.budget) * 1000;
const WARMUP = 5;
/** Fewer requests than asked when an endpoint is slow: at least this many, then stop once the budget is spent. */
const MIN_REQUESTS = 5;
const command = `npm run bench:stats${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const gc = (globalThis as { gc?: () => void }).gc;

/** The enterprise plan allows 1,000 API requests a minute: stay under it with one request per 65 ms at most. */
let nextSlot = 0;
async function paced<T>(run: () => Promise<T>): Promise<T> {
  const wait = nextSlot - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  nextSlot = performance.now() + 65;
  return run();
}

interface Database {
  storage: Storage;
  url: string;
  /** Where it is, for --keep: the file, or the PostgreSQL schema. */
  where: string;
  size(): Promise<number>;
  drop(): Promise<void>;
}

function openDatabase(dialect: 'sqlite' | 'postgres'): Database {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-stats-'));
    const file = join(dir, 'bench.db');
    return {
      storage: openStorage(`sqlite:${file}`),
      url: `sqlite:${file}`,
      where: file,
      size: async () =>
        ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0), 0),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_stats_${randomBytes(4).toString('hex')}`;
  const storage = openStorage(flags.pg, { schema });
  const admin = async <T>(run: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: flags.pg });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  return {
    storage,
    url: flags.pg,
    where: `schema ${schema} of ${flags.pg}`,
    size: () =>
      admin(async (client) => {
        const { rows } = await client.query(
          `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
          [schema],
        );
        return Number(rows[0].n);
      }),
    drop: () => admin((client) => client.query(`drop schema if exists ${schema} cascade`).then(() => undefined)),
  };
}

async function postgresVersion(): Promise<string | undefined> {
  try {
    const client = new pg.Client({ connectionString: flags.pg });
    await client.connect();
    const { rows } = await client.query('show server_version');
    await client.end();
    return `PostgreSQL ${String(rows[0].server_version).split(' ')[0]}`;
  } catch {
    return undefined;
  }
}

/** One API request, paced; `ms` is the request's own time (from inject to the parsed answer), not the wait for its slot. */
async function timedApi(
  app: FastifyInstance,
  token: string,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
): Promise<{ data: unknown; ms: number }> {
  return paced(async () => {
    const t0 = performance.now();
    const response = await app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    const data = response.json<{ data: unknown }>().data;
    return { data, ms: performance.now() - t0 };
  });
}

async function api(
  app: FastifyInstance,
  token: string,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
): Promise<unknown> {
  return (await timedApi(app, token, method, url, payload)).data;
}

async function register(app: FastifyInstance, email: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password: 'correct horse battery' },
  });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.body}`);
  return response.json<{ token: string }>().token;
}

async function setUp(
  app: FastifyInstance,
  storage: Storage,
): Promise<{ main: Tenant & { token: string }; other: Tenant }> {
  const accounts = createAccountService({ db: storage.db, tokens: createTokenSigner(JWT_SECRET) });
  const tenant = async (email: string, campaigns: number) => {
    const token = await register(app, email);
    const account = await accounts.setPlan(email, 'enterprise');
    const campaignIds: number[] = [];
    for (let i = 0; i < campaigns; i++) {
      const data = (await api(app, token, 'POST', '/api/v1/campaigns', {
        name: `Campaign ${i + 1}`,
        destination_url: 'https://example.com/?cid={clickid}',
        cost_model: i % 4 === 3 ? 'cpm' : 'cpc',
        cost_value: i % 4 === 3 ? 2.5 : 0.4,
      })) as { id: number };
      campaignIds.push(data.id);
    }
    return { userId: account.id, campaignIds, token };
  };
  return { main: await tenant('bench-main@example.com', 16), other: await tenant('bench-other@example.com', 4) };
}

interface Endpoint {
  name: string;
  url: string;
  naive: { group: NaiveGroup; campaignId?: number };
}

function endpoints(busiest: number, range: string): Endpoint[] {
  const analytics = (path: string, group: NaiveGroup): Endpoint => ({
    name: `GET /api/v2/analytics/${path}`,
    url: `/api/v2/analytics/${path}?${range}`,
    naive: { group },
  });
  return [
    { name: 'GET /api/v1/stats', url: `/api/v1/stats?${range}`, naive: { group: 'campaign' } },
    {
      name: 'GET /api/v1/campaigns/{id}/stats',
      url: `/api/v1/campaigns/${busiest}/stats?${range}`,
      naive: { group: 'campaign', campaignId: busiest },
    },
    analytics('countries', 'country'),
    analytics('devices', 'device'),
    analytics('os', 'os'),
    analytics('browser', 'browser'),
    analytics('city', 'city'),
    {
      name: 'GET /api/v2/analytics/city?campaign_id={id}',
      url: `/api/v2/analytics/city?${range}&campaign_id=${busiest}`,
      naive: { group: 'city', campaignId: busiest },
    },
    analytics('sub1', 'sub1'),
    analytics('hour', 'hour'),
    analytics('day', 'day'),
    { name: 'GET /api/v2/fraud/stats', url: `/api/v2/fraud/stats?${range}`, naive: { group: 'campaign' } },
  ];
}

const elapsedMs = async (run: () => Promise<unknown>) => {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
};

/** Streams the CSV over a real socket, counting bytes and records, while memory is sampled every 50 ms. */
async function downloadCsv(
  app: FastifyInstance,
  token: string,
  id: number,
): Promise<Omit<FraudCsvResult, 'campaignClicks' | 'jobSeconds'>> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  gc?.();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  };
  const timer = setInterval(sample, 50);
  const t0 = performance.now();
  const { bytes, records } = await paced(
    () =>
      new Promise<{ bytes: number; records: number }>((done, fail) => {
        const request = http.get(
          {
            host: '127.0.0.1',
            port,
            path: `/api/v2/fraud/report/${id}/csv`,
            headers: { authorization: `Bearer ${token}` },
          },
          (response) => {
            if (response.statusCode !== 200) fail(new Error(`CSV download: ${response.statusCode}`));
            let bytes = 0;
            let records = 0;
            response.on('data', (chunk: Buffer) => {
              bytes += chunk.length;
              for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) records++;
            });
            response.on('end', () => done({ bytes, records }));
            response.on('error', fail);
          },
        );
        request.on('error', fail);
      }),
  );
  const streamSeconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  sample();
  const MiB = 2 ** 20;
  return {
    rows: records - 1,
    bytes,
    streamSeconds,
    rssBeforeMiB: before.rss / MiB,
    rssPeakMiB: rssPeak / MiB,
    heapBeforeMiB: before.heapUsed / MiB,
    heapPeakMiB: heapPeak / MiB,
  };
}

async function fraudReport(
  app: FastifyInstance,
  storage: Storage,
  token: string,
  userId: number,
  campaignId: number,
  fromDay: string,
  toDay: string,
): Promise<FraudCsvResult> {
  const t0 = performance.now();
  const created = (await api(app, token, 'POST', '/api/v2/fraud/report', {
    campaign_id: campaignId,
    from: fromDay,
    to: toDay,
    platform: 'google',
  })) as { id: number };
  let report: { status: string; error: string | null; summary: { rows: number; total_clicks: number } | null };
  for (;;) {
    report = (await api(app, token, 'GET', `/api/v2/fraud/report/${created.id}`)) as typeof report;
    if (report.status !== 'processing') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const jobSeconds = (performance.now() - t0) / 1000;
  if (report.status !== 'ready') throw new Error(`fraud report ${created.id}: ${report.status} ${report.error}`);
  const download = await downloadCsv(app, token, created.id);
  if (download.rows !== report.summary!.rows)
    throw new Error(`CSV has ${download.rows} rows, the summary says ${report.summary!.rows}`);
  void storage;
  void userId;
  return { ...download, campaignClicks: report.summary!.total_clicks, jobSeconds };
}

async function runOne(
  dialect: 'sqlite' | 'postgres',
  size: number,
  intel: Awaited<ReturnType<typeof openIpIntel>>,
): Promise<RunResult> {
  const database = openDatabase(dialect);
  const { storage } = database;
  const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-stats-data-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    JWT_SECRET,
    PUBLIC_URL: 'http://track.test',
    LOG_LEVEL: 'silent',
  });
  // No folder of its own: the journal keeps the unfolded tail of the load while the reports are timed.
  const app = await buildApp({ config, storage, logger: false, intel, statsFolder: { intervalMs: 0 } });
  try {
    await app.ready();
    const { main, other } = await setUp(app, storage);
    const today = Math.floor(Date.now() / DAY) * DAY;
    const from = today - 29 * DAY;
    const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
    const range = `from=${iso(from)}&to=${iso(today)}`;

    const label = `${dialect} ${size.toLocaleString('en-US')}`;
    let lastPrint = 0;
    const load = await loadTraffic(
      storage,
      { main, other, total: size, from, days: 30, seed: 20_260_101 },
      batch,
      (done) => {
        if (performance.now() - lastPrint > 10_000) {
          lastPrint = performance.now();
          console.log(`  [${label}] loaded ${done.toLocaleString('en-US')} clicks`);
        }
      },
      unfolded,
    );
    // What autovacuum and the checkpointer do on their own in the minutes after a bulk load (vacuum the
    // inserted clicks, clear the rollups' dead row versions, analyze; write the load's gigabytes of dirty
    // pages out): done here so that neither runs in the middle of the timings.
    if (dialect === 'postgres') {
      await sql`vacuum (analyze) clicks, conversions, click_stats_periods, click_stats_journal`.execute(storage.db);
      await sql`checkpoint`.execute(storage.db);
    }
    // SQLite's likewise: the checkpoint thread copies the load's write-ahead log (tens of GiB at 10M: the
    // loader writes far faster than a server records clicks) into the database file over the next minutes;
    // copied here, so that the timings neither share the disk with it nor look pages up in a log that long.
    if (dialect === 'sqlite') {
      const logMiB = (await database.size()) / 2 ** 20;
      // A TRUNCATE checkpoint gives up (busy = 1) while the server's own checkpoint thread is copying the
      // log: asked again until it completes, so the timings never start beside a log tens of GiB long.
      let busy = 1;
      for (let attempt = 0; attempt < 120 && busy !== 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
        busy = Number(
          (await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(storage.db)).rows[0]?.busy ?? 1,
        );
      }
      if (busy !== 0) throw new Error('the write-ahead log could not be checkpointed in 2 minutes');
      console.log(
        `  [${label}] checkpointed the write-ahead log: database and log ${logMiB.toFixed(0)} → ${((await database.size()) / 2 ** 20).toFixed(0)} MiB`,
      );
    }
    // What a live server's journal also holds on PostgreSQL: the dead versions of the rows folded since the
    // folder's last vacuum (at most a second ago, stats-folder.ts), which a report's index scan still visits.
    // Emulated by that many rows of the journal's own keys, written and deleted.
    if (dialect === 'postgres' && deadRows > 0) {
      const { top } = (
        await sql<{ top: number }>`select coalesce(max(id), 0) as top from click_stats_journal`.execute(storage.db)
      ).rows[0]!;
      await sql`insert into click_stats_journal (user_id, dimension, campaign_id, hours, start, value)
        select user_id, dimension, campaign_id, hours, start, value from click_stats_journal, generate_series(1, ${Math.ceil(deadRows / Math.max(1, load.journalRows))}) limit ${deadRows}`.execute(
        storage.db,
      );
      await sql`delete from click_stats_journal where id > ${top}`.execute(storage.db);
    }
    const dbMiB = (await database.size()) / 2 ** 20;
    console.log(
      `  [${label}] load: ${load.clicks.toLocaleString('en-US')} clicks, ${load.conversions.toLocaleString('en-US')} conversions, ` +
        `${load.rollupRows.toLocaleString('en-US')} rollup rows (+ ${load.journalRows.toLocaleString('en-US')} in the journal) in ${load.seconds.toFixed(1)} s (${Math.round(load.clicks / load.seconds).toLocaleString('en-US')} clicks/s, ` +
        `${load.generateSeconds.toFixed(1)} s generating), ${dbMiB.toFixed(0)} MiB`,
    );

    const busiest = main.campaignIds[0]!;
    const naiveRuns = flags['naive-runs'] ? whole('naive-runs', flags['naive-runs']) : size > 1_000_000 ? 2 : 5;
    const results: EndpointResult[] = [];
    for (const endpoint of endpoints(busiest, range)) {
      const warmupEnd = performance.now() + budgetMs / 3;
      for (let i = 0; i < WARMUP && (i === 0 || performance.now() < warmupEnd); i++)
        await api(app, main.token, 'GET', endpoint.url);
      const samples: number[] = [];
      let body: unknown;
      const end = performance.now() + budgetMs;
      for (let i = 0; i < requests && (i < MIN_REQUESTS || performance.now() < end); i++) {
        const answer = await timedApi(app, main.token, 'GET', endpoint.url);
        samples.push(answer.ms);
        body = answer.data;
      }
      const naiveSamples: number[] = [];
      let naiveRows: Array<Record<string, unknown>> = [];
      for (let i = 0; i < naiveRuns; i++) {
        naiveSamples.push(
          await elapsedMs(
            async () =>
              (naiveRows = await naiveQuery(storage.db, {
                userId: main.userId,
                from,
                toExclusive: today + DAY,
                ...endpoint.naive,
              })),
          ),
        );
      }
      // Both ways must count the same clicks, or the comparison means nothing.
      const naiveClicks = naiveRows.reduce((sum, row) => sum + Number(row.clicks), 0);
      const apiClicks = Array.isArray(body)
        ? (body as Array<{ clicks: number }>).reduce((sum, row) => sum + row.clicks, 0)
        : ((body as { clicks?: number; total_clicks?: number }).clicks ??
          (body as { total_clicks: number }).total_clicks);
      const limited = Array.isArray(body) && (body as unknown[]).length === 100;
      if (!limited && apiClicks !== naiveClicks)
        throw new Error(`${endpoint.name}: rollups count ${apiClicks} clicks, the raw clicks ${naiveClicks}`);
      const result = { name: endpoint.name, api: percentiles(samples), naive: percentiles(naiveSamples) };
      results.push(result);
      console.log(
        `  [${label}] ${endpoint.name.padEnd(36)} p50 ${result.api.p50.toFixed(2)} ms  p95 ${result.api.p95.toFixed(2)} ms   naive p50 ${result.naive.p50.toFixed(0)} ms`,
      );
    }

    let fraudCsv: FraudCsvResult | undefined;
    if (!flags['no-csv']) {
      fraudCsv = await fraudReport(app, storage, main.token, main.userId, busiest, iso(from), iso(today));
      console.log(
        `  [${label}] fraud CSV: ${fraudCsv.rows.toLocaleString('en-US')} rows in ${fraudCsv.streamSeconds.toFixed(1)} s ` +
          `(${Math.round(fraudCsv.rows / fraudCsv.streamSeconds).toLocaleString('en-US')} rows/s; job ${fraudCsv.jobSeconds.toFixed(1)} s), ` +
          `RSS ${fraudCsv.rssBeforeMiB.toFixed(0)} → ${fraudCsv.rssPeakMiB.toFixed(0)} MiB, heap ${fraudCsv.heapBeforeMiB.toFixed(0)} → ${fraudCsv.heapPeakMiB.toFixed(0)} MiB`,
      );
    }
    return {
      dialect,
      size,
      load: { ...load, dbMiB, unfoldedClicks: unfolded },
      endpoints: results,
      fraudCsv,
      requests,
      budgetSeconds: budgetMs / 1000,
      naiveRuns,
    };
  } finally {
    await app.close();
    await storage.close();
    // --keep: the database stays for poking at (its path or schema is printed).
    if (flags.keep) console.log(`  kept: ${database.where}`);
    else await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `--merge a.json,b.json`: writes the section from the raw results of earlier runs (say, sizes run side by side). */
async function merge(files: string[]): Promise<void> {
  const results = files
    .flatMap((file) => JSON.parse(readFileSync(file, 'utf8')) as RunResult[])
    .sort((a, b) => a.size - b.size || a.dialect.localeCompare(b.dialect));
  writeStatsBlock(
    join(ROOT, 'BENCHMARKS.md'),
    renderStats(results, {
      machine: describeMachine(),
      commit: describeCommit(ROOT),
      command: flags.command ?? command,
      date: new Date().toISOString().slice(0, 10),
      postgresVersion: results.some((r) => r.dialect === 'postgres') ? await postgresVersion() : undefined,
    }),
  );
  console.log(`BENCHMARKS.md written from ${files.join(', ')}`);
}

async function main(): Promise<void> {
  if (flags.merge) return merge(flags.merge.split(','));
  const started = Date.now();
  const intel = await openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-test-intel') });
  const context = {
    machine: describeMachine(),
    commit: describeCommit(ROOT),
    command,
    date: new Date().toISOString().slice(0, 10),
    postgresVersion: dialects.includes('postgres') ? await postgresVersion() : undefined,
  };
  const results: RunResult[] = [];
  const publish = (note?: string) => {
    if (flags.json) writeFileSync(flags.json, JSON.stringify(results, null, 2));
    if (!flags['no-write']) writeStatsBlock(join(ROOT, 'BENCHMARKS.md'), renderStats(results, { ...context, note }));
  };
  for (const size of [...sizes].sort((a, b) => a - b)) {
    for (const dialect of dialects as ('sqlite' | 'postgres')[]) {
      console.log(`${dialect}, ${size.toLocaleString('en-US')} clicks`);
      results.push(await runOne(dialect, size, intel));
      publish(
        results.length < sizes.length * dialects.length
          ? '_Run in progress: sizes and dialects still to come are missing._'
          : undefined,
      );
    }
  }
  publish();
  console.log(
    `done in ${((Date.now() - started) / 60_000).toFixed(1)} min${flags['no-write'] ? '' : '; BENCHMARKS.md updated'}`,
  );
}

await main();
