// Load test: the tracking URL as fast as it goes for a minute, while the API and the dashboard keep
// answering. Their latency is measured alone first (the baseline) and then under the load, in one run.
//
//   npm run bench:load                      60 s of load on SQLite
//   npm run bench:load -- --duration 20 --connections 32 --no-write
//
// The server is `cloakradar serve` in its own process (as in bench:tracker); autocannon drives the
// tracker with realistic visitors (bench/tracker/traffic.ts); a probe sends one API or dashboard
// request every 100 ms (the account is on the enterprise plan, 1,000 requests a minute, so the
// probe is never throttled) and records each latency.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPhase } from '../tracker/load.ts';
import { percentile } from '../tracker/paced.ts';
import { shutdown } from '../tracker/processes.ts';
import { describeCommit, describeMachine, markdownTable } from '../tracker/report.ts';
import { startTracker } from '../tracker/targets.ts';
import { createClientPool, createTraffic } from '../tracker/traffic.ts';
import { printUsageAndExit, wholeFlag, writeMarkedBlock } from '../detection/report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    baseline: { type: 'string' },
    connections: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (flags.help) printUsageAndExit(import.meta.url);
const durationS = wholeFlag('duration', flags.duration, 60);
const baselineS = wholeFlag('baseline', flags.baseline, 15);
const connections = wholeFlag('connections', flags.connections, 64);
const command = `npm run bench:load${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

interface Probe {
  readonly name: string;
  readonly path: string;
  readonly api: boolean;
}

const PROBES: readonly Probe[] = [
  { name: 'GET /api/v1/campaigns', path: '/api/v1/campaigns', api: true },
  { name: 'GET /api/v1/stats', path: '/api/v1/stats', api: true },
  { name: 'GET /api/v2/analytics/countries', path: '/api/v2/analytics/countries', api: true },
  { name: 'GET /api/v1/clicks', path: '/api/v1/clicks', api: true },
  { name: 'GET / (dashboard)', path: '/', api: false },
];

/** One request every `everyMs`, round robin over the probes, until `until()` says stop. */
async function probe(base: string, token: string, everyMs: number, until: () => boolean) {
  const latencies = new Map<string, number[]>(PROBES.map((p) => [p.name, []]));
  const failures = new Map<string, number>(PROBES.map((p) => [p.name, 0]));
  for (let i = 0; !until(); i++) {
    const target = PROBES[i % PROBES.length]!;
    const started = performance.now();
    try {
      const response = await fetch(`${base}${target.path}`, { headers: target.api ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (response.status !== 200) failures.set(target.name, (failures.get(target.name) ?? 0) + 1);
      else latencies.get(target.name)!.push(performance.now() - started);
    } catch {
      failures.set(target.name, (failures.get(target.name) ?? 0) + 1);
    }
    const spent = performance.now() - started;
    if (spent < everyMs) await sleep(everyMs - spent);
  }
  return { latencies, failures };
}

const summary = (values: number[]) => {
  const sorted = Float64Array.from(values).sort();
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');

async function main(): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-load-'));
  const target = await startTracker({ cwd: ROOT, logDir });
  target.setPlan!('enterprise');
  const base = `http://${target.host}:${target.port}`;
  const token = target.token!;
  const pool = createClientPool(50_000, 10_000);
  const url = `${base}/c/${target.campaignUuid}`;
  // Warm the tracker and give the API something to report.
  await runPhase({ url, connections: 8, durationS: 3, traffic: createTraffic(target.campaignUuid, pool, 1), recordLatencies: false });

  process.stderr.write(`bench:load baseline: API and dashboard alone for ${baselineS} s\n`);
  const baselineEnd = Date.now() + baselineS * 1000;
  const alone = await probe(base, token, 100, () => Date.now() > baselineEnd);

  process.stderr.write(`bench:load: tracker at full speed (${connections} connections) for ${durationS} s, probing the API meanwhile\n`);
  let loading = true;
  const underLoad = probe(base, token, 100, () => !loading);
  const load = await runPhase({ url, connections, durationS, traffic: createTraffic(target.campaignUuid, pool, 2), recordLatencies: true });
  loading = false;
  const loaded = await underLoad;
  const stored = await target.countClicksInDatabase();
  await target.stop();

  const rows = PROBES.map((p) => {
    const a = summary(alone.latencies.get(p.name)!);
    const b = summary(loaded.latencies.get(p.name)!);
    return [p.name, String(a.n), ms(a.p50), ms(a.p95), String(b.n), ms(b.p50), ms(b.p95), ms(b.p99), String(loaded.failures.get(p.name) ?? 0)];
  });
  const table = markdownTable(['request', 'alone: n', 'p50 ms', 'p95 ms', 'under load: n', 'p50 ms', 'p95 ms', 'p99 ms', 'failures under load'], rows);
  const facts = [
    `Measured ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC on ${describeMachine()}; code ${describeCommit(ROOT)}.`,
    '',
    `Command: \`${command}\``,
    '',
    `Setup: \`cloakradar serve\` on SQLite in its own process; autocannon with ${connections} connections sends realistic visitors (60,000 addresses, real browser headers) to one campaign's tracking URL for ${durationS} s; meanwhile a probe sends one request every 100 ms, round robin over the requests below, with an enterprise account's token. The baseline is the same probe for ${baselineS} s with no load, in the same run.`,
    '',
    `Tracker under the test: ${Math.round(load.rps).toLocaleString('en-US')} clicks/s for ${load.durationS.toFixed(0)} s (${load.completed.toLocaleString('en-US')} redirected, ${load.failures} failures), p50 ${ms(load.p50)} ms, p99 ${ms(load.p99)} ms; ${stored?.toLocaleString('en-US') ?? '?'} clicks in the database at the end.`,
    '',
    table,
  ].join('\n');
  console.log(`## Load\n\n${facts}`);
  if (!flags['no-write']) {
    writeMarkedBlock(join(ROOT, 'BENCHMARKS.md'), 'load', '## Load: the tracker at full speed while the API answers', facts);
    console.log('\nBENCHMARKS.md: "## Load: the tracker at full speed while the API answers" written.');
  }
}

try {
  await main();
} finally {
  await shutdown();
}
