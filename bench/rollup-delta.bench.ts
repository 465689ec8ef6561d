// CPU per click of building a click batch's rollup and report-cube deltas (StatsWriter.clicksRecorded's
// in-memory part, no database): what the click transaction spends before its statements run.
//   node --import tsx bench/rollup-delta.bench.ts [--clicks 200000] [--batch 30] [--rounds 5]
import { parseArgs } from 'node:util';
import type { NewClickRow } from '../src/modules/clicks/click.table.ts';
import { factsOf } from '../src/modules/stats/stats-writer.ts';
import { StatsDelta, clickCounters } from '../src/modules/stats/stats-delta.ts';
import { ReportCubeDelta } from '../src/modules/reports/report-cube-delta.ts';

const { values: flags } = parseArgs({
  options: {
    clicks: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '5' },
  },
});
const CLICKS = Number(flags.clicks);
const BATCH = Number(flags.batch);

let seed = 7;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  return seed / 4_294_967_296;
};
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'CA', 'JP', 'ES', 'IT'];
const start = Date.now();
const rows: NewClickRow[] = Array.from({ length: CLICKS }, (_, i) => {
  const country = COUNTRIES[Math.floor(rand() * rand() * COUNTRIES.length)]!;
  const fraud = rand() < 0.15 ? 'datacenter' : null;
  const path = 1 + Math.floor(rand() * 10);
  return {
    id: `clk_${i}`,
    user_id: 1,
    campaign_id: 1,
    created_at: start + Math.floor(i / 2),
    ip: '1.2.3.4',
    country,
    region: null,
    city: `${country} City ${Math.floor(rand() * 30)}`,
    asn: 3_000 + Math.floor(rand() * 200),
    as_org: `AS org ${Math.floor(rand() * 200)}`,
    device: 'desktop',
    os: 'Windows',
    browser: 'Chrome',
    user_agent: 'UA',
    referrer: null,
    query: '{}',
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
    platform_click_id: null,
    external_id: null,
    placement: `z${Math.floor(rand() * 200)}`,
    cost: 0.0042,
    cost_source: 'param',
    status: fraud ? 'bot' : 'real',
    is_bot: fraud ? 1 : 0,
    is_vpn: 0,
    is_verified_bot: 0,
    is_unique: 1,
    fraud_types: fraud ? '["datacenter"]' : '[]',
    primary_fraud_type: fraud,
    fraud_score: fraud ? 80 : 0,
    reasons: '[]',
    action: 'redirected',
    visitor_hash: 'v',
    truncated: 0,
    rule: 'default',
    path,
    lander_id: null,
    offer_id: path,
    lp_clicked_at: null,
    language: 'en',
    beacon: null,
  } as NewClickRow;
});

let sink = 0;
const results: string[] = [];
for (let round = 0; round <= Number(flags.rounds); round++) {
  const t = process.cpuUsage();
  for (let at = 0; at < rows.length; at += BATCH) {
    const batch = rows.slice(at, at + BATCH);
    const delta = new StatsDelta();
    for (const row of batch) {
      const facts = factsOf(row);
      delta.add(facts, clickCounters(facts));
    }
    sink += delta.ownRows().length;
    const cube = new ReportCubeDelta(0);
    for (const row of batch)
      cube.add(
        row,
        clickCounters({
          status: row.status,
          is_unique: row.is_unique,
          is_verified_bot: row.is_verified_bot,
          fraud_types: row.fraud_types,
          primary_fraud_type: row.primary_fraud_type ?? null,
          cost: row.cost ?? null,
          cost_source: row.cost_source ?? null,
        }),
      );
    sink += cube.rows().length;
  }
  const used = process.cpuUsage(t);
  if (round > 0) results.push((((used.user + used.system) / CLICKS) as number).toFixed(2));
}
console.log(`rollup + cube deltas, batches of ${BATCH}: µs CPU/click per round ${results.join(', ')} (rows ${sink})`);
