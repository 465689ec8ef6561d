// What the report cube adds to the click transaction: the tracker's group commit (batches of 50 clicks) written
// as the recorder writes it (clicks, rollup journal, report cube), each part timed inside the same transaction,
// interleaved batch by batch so the machine's load weighs on all parts alike.
//
//   node --import tsx bench/reports/cube-write-cost.ts [--dialect sqlite|postgres] [--batches 400]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { insertClicks } from '../../src/modules/clicks/click.repository.ts';
import { createReportCubeWriter } from '../../src/modules/reports/report-cube-writer.ts';
import { StatsDelta, clickCounters } from '../../src/modules/stats/stats-delta.ts';
import { journalStats } from '../../src/modules/stats/stats.repository.ts';
import { factsOf } from '../../src/modules/stats/stats-writer.ts';
import { openStorage } from '../../src/storage/open-database.ts';
import { DAY, trafficBatches } from '../stats/traffic.ts';

const { values: flags } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'sqlite' },
    batches: { type: 'string', default: '400' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const batches = Number(flags.batches);
const dir = mkdtempSync(join(tmpdir(), 'cloakradar-cube-cost-'));
const schema = `bench_cube_${randomBytes(4).toString('hex')}`;
const storage =
  flags.dialect === 'postgres' ? openStorage(flags.pg!, { schema }) : openStorage(`sqlite:${join(dir, 'bench.db')}`);
await storage.migrate();
const cube = createReportCubeWriter(storage.dialect, 0);
const now = Math.floor(Date.now() / DAY) * DAY;
// Campaign and account rows are not needed: the click tables carry no foreign keys the batch checks.
const plan = {
  main: { userId: 1, campaignIds: Array.from({ length: 16 }, (_, i) => i + 1) },
  other: { userId: 2, campaignIds: [17, 18, 19, 20] },
  total: batches * 50,
  from: now - DAY,
  days: 1,
  seed: 7,
};
const spent = { clicks: 0, journal: 0, cube: 0 };
let clicks = 0;
for (const { clicks: rows } of trafficBatches(plan, 50)) {
  await storage.db.transaction().execute(async (trx) => {
    let t0 = performance.now();
    await insertClicks(trx, storage.dialect, rows);
    spent.clicks += performance.now() - t0;
    t0 = performance.now();
    const delta = new StatsDelta();
    for (const row of rows) {
      const facts = factsOf(row);
      delta.add(facts, clickCounters(facts));
    }
    await journalStats(trx, storage.dialect, delta);
    spent.journal += performance.now() - t0;
    t0 = performance.now();
    await cube.clicksRecorded(trx, rows);
    spent.cube += performance.now() - t0;
  });
  clicks += rows.length;
}
const per = (ms: number) => ((ms * 1000) / clicks).toFixed(1);
console.log(
  `${flags.dialect}: ${clicks} clicks in batches of 50; µs per click: clicks insert ${per(spent.clicks)}, rollup journal ${per(spent.journal)}, report cube ${per(spent.cube)} (cube = ${((spent.cube / (spent.clicks + spent.journal)) * 100).toFixed(0)}% of clicks + journal)`,
);
await storage.close();
rmSync(dir, { recursive: true, force: true });
if (flags.dialect === 'postgres') {
  const client = new pg.Client({ connectionString: flags.pg });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}
