// What the report cube's background fold (report-cube-folder.ts) costs: clicks are written as the tracker
// writes the cube (batches of 50, one upsert per combination into report_cube), and every `--fold-every`
// clicks the folder moves everything to report_cube_folded, in chunks of `--chunk` rows, each its own
// transaction, as the server's folder does. Reported: CPU of this process (on SQLite the database runs in
// it, so that is the fold's whole cost) and wall time per click folded and per row moved, and how long one
// chunk's transaction holds the database (SQLite: its one writer; a click batch may wait that long).
//
//   node --import tsx bench/cube-fold/fold-cost.ts [--dialect sqlite|postgres] [--clicks 40000] [--fold-every 5000] [--chunk 2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createReportCubeWriter } from '../../src/modules/reports/report-cube-writer.ts';
import { foldCube } from '../../src/modules/reports/report-cube-fold.repository.ts';
import { openStorage } from '../../src/storage/open-database.ts';
import { DAY, trafficBatches } from '../stats/traffic.ts';

const { values: flags } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'sqlite' },
    clicks: { type: 'string', default: '40000' },
    'fold-every': { type: 'string', default: '5000' },
    chunk: { type: 'string', default: '2000' },
    days: { type: 'string', default: '1' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const total = Number(flags.clicks);
const foldEvery = Number(flags['fold-every']);
const chunk = Number(flags.chunk);
const dir = mkdtempSync(join(tmpdir(), 'cloakradar-fold-cost-'));
const schema = `bench_fold_${randomBytes(4).toString('hex')}`;
const storage =
  flags.dialect === 'postgres' ? openStorage(flags.pg!, { schema }) : openStorage(`sqlite:${join(dir, 'bench.db')}`);
await storage.migrate();
const cube = createReportCubeWriter(storage.dialect, 0);
const now = Math.floor(Date.now() / DAY) * DAY;
const days = Number(flags.days);
const plan = {
  main: { userId: 1, campaignIds: Array.from({ length: 16 }, (_, i) => i + 1) },
  other: { userId: 2, campaignIds: [17, 18, 19, 20] },
  total,
  from: now - days * DAY,
  days,
  seed: 7,
};
const spent = { writeMs: 0, writeCpuUs: 0, foldMs: 0, foldCpuUs: 0, rows: 0, chunks: [] as number[] };
let clicks = 0;
let sinceFold = 0;

async function foldEverything() {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (;;) {
    const c0 = performance.now();
    const moved = await storage.db
      .transaction()
      .execute((trx) => foldCube(trx, storage.dialect, Number.MAX_SAFE_INTEGER, chunk));
    spent.chunks.push(performance.now() - c0);
    spent.rows += moved;
    if (moved < chunk) break;
  }
  spent.foldMs += performance.now() - t0;
  const used = process.cpuUsage(cpu);
  spent.foldCpuUs += used.user + used.system;
}

for (const { clicks: rows } of trafficBatches(plan, 50)) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await storage.db.transaction().execute((trx) => cube.clicksRecorded(trx, rows));
  spent.writeMs += performance.now() - t0;
  const used = process.cpuUsage(cpu);
  spent.writeCpuUs += used.user + used.system;
  clicks += rows.length;
  sinceFold += rows.length;
  if (sinceFold >= foldEvery) {
    sinceFold = 0;
    await foldEverything();
  }
}
await foldEverything();
const sorted = [...spent.chunks].sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
console.log(
  `${flags.dialect}: ${clicks} clicks over ${days} day(s), folded every ${foldEvery} clicks in chunks of ${chunk}: ` +
    `${spent.rows} rows moved (${(spent.rows / clicks).toFixed(2)} per click); fold per click: CPU ${((spent.foldCpuUs / clicks) as number).toFixed(1)} µs (this process), ` +
    `wall ${((spent.foldMs * 1000) / clicks).toFixed(1)} µs; per row moved: wall ${((spent.foldMs * 1000) / spent.rows).toFixed(1)} µs; ` +
    `cube write (click path, its transaction included) per click: CPU ${(spent.writeCpuUs / clicks).toFixed(1)} µs, wall ${((spent.writeMs * 1000) / clicks).toFixed(1)} µs; ` +
    `chunk transaction ms p50 ${at(0.5)} p95 ${at(0.95)} max ${sorted[sorted.length - 1]!.toFixed(1)} (${sorted.length} chunks)`,
);
await storage.close();
rmSync(dir, { recursive: true, force: true });
if (flags.dialect === 'postgres') {
  const client = new pg.Client({ connectionString: flags.pg });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}
