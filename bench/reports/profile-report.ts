// One report, timed again and again on a database kept by run.ts (--keep), read only: for a CPU profile of
// the request (node --cpu-prof) or a quick A/B of the report code beside the bench.
//
//   node --import tsx bench/reports/profile-report.ts --keep /work/bench-keep --clicks 10000000 --group-by country
//   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/reports/profile-report.ts ... --requests 200
//   ... --pg postgres://postgres@127.0.0.1:5432/benchkeep: the PostgreSQL schema kept beside the manifest instead
//
//   ... --columns: reports read the columnar copy of the clicks (REPORT_COLUMNS), kept in DIR/columns-NAME
//     between runs; the sync that brings it up to date is timed first. Each run prints a digest of the
//     last answer's body: the same digest with and without --columns says the copy answered the same.
//     With --copy-in-process the copy runs on the event loop rather than its worker thread.
//
// Prints p50 / p95 of the wall time and the mean CPU time (process.cpuUsage) per request.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { openStorage } from '../../src/storage/open-database.ts';
import { DAY } from '../stats/traffic.ts';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';

const { values: flags } = parseArgs({
  options: {
    keep: { type: 'string' },
    clicks: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '20260101' },
    'group-by': { type: 'string', default: 'country' },
    requests: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    /** Times each SQL statement the requests run (better-sqlite3's all/get/run/iterate), by its text. */
    sql: { type: 'boolean', default: false },
    /**
     * Raises the account's click_stats_versions before each request (outside its time), as a fold of a late
     * conversion would: every request then misses the closed days' sums kept in memory (stats/closed-sums.ts).
     */
    miss: { type: 'boolean', default: false },
    pg: { type: 'string' },
    columns: { type: 'boolean', default: false },
    /** The copy on the event loop instead of its worker thread (report-columns-thread.ts), to compare the two. */
    'copy-in-process': { type: 'boolean', default: false },
  },
});
if (!flags.keep) throw new Error('--keep DIR is required');
const name = `reports-${flags.pg ? 'postgres' : 'sqlite'}-${flags.clicks}-s${flags.seed}`;
const manifest = JSON.parse(readFileSync(join(flags.keep, `${name}.json`), 'utf8')) as {
  from: number;
  to: number;
  main: { email: string; userId: number };
};
const statements = new Map<string, { n: number; ms: number }>();
let timing = false;
if (flags.sql) {
  const proto = Sqlite.prototype as unknown as { prepare(source: string): Record<string, unknown> };
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, source: string) {
    const statement = prepare.call(this, source);
    for (const method of ['all', 'get', 'run']) {
      const original = statement[method] as (...args: unknown[]) => unknown;
      statement[method] = (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return original.apply(statement, args);
        } finally {
          if (timing) {
            const entry = statements.get(source) ?? { n: 0, ms: 0 };
            entry.n++;
            entry.ms += performance.now() - t0;
            statements.set(source, entry);
          }
        }
      };
    }
    return statement;
  };
}
if (flags.sql && flags.pg) {
  // Wall time per statement as node-pg's client sees it (send, PostgreSQL's work, the reply parsed).
  const proto = pg.Client.prototype as unknown as { query(...args: unknown[]): unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
    const t0 = performance.now();
    const result = query.apply(this, args);
    if (timing && result instanceof Promise)
      void result.finally(() => {
        const entry = statements.get(text) ?? { n: 0, ms: 0 };
        entry.n++;
        entry.ms += performance.now() - t0;
        statements.set(text, entry);
      });
    return result;
  };
}
const storage = flags.pg
  ? openStorage(flags.pg, { schema: `bench_keep_${flags.clicks}_s${flags.seed}` })
  : openStorage(`sqlite:${join(flags.keep, `${name}.db`)}`);
const columnsDir = join(flags.keep, `columns-${name}`);
if (flags.columns) mkdirSync(columnsDir, { recursive: true });
const app = await buildApp({
  config: loadConfig({
    DATA_DIR: flags.columns ? columnsDir : mkdtempSync(join(tmpdir(), 'cloakradar-bench-data-')),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    LOG_LEVEL: 'silent',
    REPORT_COLUMNS: flags.columns ? 'on' : 'off',
    // The bench syncs when it chooses (below), never in the middle of the timed requests.
    REPORT_COLUMNS_SYNC_SECONDS: '3600',
  }),
  storage,
  logger: false,
  intel: await openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-test-intel') }),
  retention: { intervalMs: 0 },
  copyThread: !flags['copy-in-process'],
});
await app.ready();
const columns = app.services.reportColumns;
if (columns) {
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  await columns.sync();
  const cpuAfter = process.cpuUsage(cpuBefore);
  console.log(
    `columnar copy synced in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
      `(${((cpuAfter.user + cpuAfter.system) / 1e6).toFixed(1)} s CPU of this process): ${await columns.rows()} clicks, ` +
      `file ${(statSync(join(columnsDir, 'report-columns-0.duckdb')).size / 2 ** 20).toFixed(0)} MiB`,
  );
}
const signed = await app.inject({
  method: 'POST',
  url: '/api/v1/auth/token',
  payload: { email: manifest.main.email, password: 'correct horse battery' },
});
const token = signed.json<{ token: string }>().token;
const day = (instant: number) => new Date(instant).toISOString().slice(0, 10);
const url = `/api/v2/reports?from=${day(manifest.from)}&to=${day(manifest.to - DAY)}&group_by=${flags['group-by']}&limit=100`;
let digest = '';
const once = async () => {
  const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  digest = createHash('sha256').update(response.body).digest('hex').slice(0, 16);
  if (process.env.REPORT_DUMP) writeFileSync(process.env.REPORT_DUMP, response.body);
  return response.json<{ meta: { source: string; total: number } }>().meta;
};
for (let i = 0; i < Number(flags.warmup); i++) await once();
// Another connection's commit (a fold thread, another process) resets this connection's page cache: the
// requests would then read their pages again. Printed so a profile says whether that happened.
const dataVersion = async () =>
  flags.pg
    ? 'n/a'
    : (await sql<{ data_version: number }>`pragma data_version`.execute(storage.db)).rows[0]?.data_version;
const version0 = await dataVersion();
const walls: number[] = [];
const cpu0 = process.cpuUsage();
timing = true;
let meta = await once();
const lateFold = async () => {
  if (!flags.miss) return;
  await sql`insert into click_stats_versions (user_id, version) values (${manifest.main.userId}, 1)
    on conflict (user_id) do update set version = click_stats_versions.version + 1`.execute(storage.db);
};
for (let i = 0; i < Number(flags.requests); i++) {
  await lateFold();
  const t0 = performance.now();
  meta = await once();
  walls.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
console.log(`data_version ${version0} -> ${await dataVersion()}`);
walls.sort((a, b) => a - b);
const at = (q: number) => walls[Math.min(walls.length - 1, Math.ceil(q * walls.length) - 1)]!;
console.log(
  `${flags.clicks} ${flags['group-by']}: ${meta.source}, ${meta.total} rows; p50 ${at(0.5).toFixed(1)} p95 ${at(0.95).toFixed(1)} ms; cpu ${((cpu.user + cpu.system) / 1000 / (walls.length + 1)).toFixed(1)} ms/request`,
);
console.log(`digest of the last answer: ${digest}`);
for (const [source, { n, ms }] of [...statements].sort((a, b) => b[1].ms - a[1].ms))
  console.log(`${(ms / n).toFixed(2).padStart(8)} ms x ${n}: ${source.replace(/\s+/g, ' ')}`);
await app.close();
await storage.close();
