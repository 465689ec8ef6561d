// Load test: the tracking URL as fast as it goes for a minute, while the API and the dashboard keep
// answering. Their latency is measured alone first (the baseline) and then under the load, in one run.
//
//   npm run bench:load                      60 s of load on SQLite
//   npm run bench:load -- --duration 20 --connections 32 --no-write
//   npm run bench:load -- --probe inline    the probe in the main thread, beside autocannon (before 2026-11-28)
//
// The server is `cloakradar serve` in its own process (as in bench:tracker); autocannon drives the
// tracker with realistic visitors (bench/tracker/traffic.ts); a probe, in a worker thread of its own
// so that autocannon's callbacks do not delay its timings, sends one API or dashboard request every
// 100 ms (the account is on the enterprise plan, 1,000 requests a minute, so the probe is never
// throttled) and records each latency. Run it under the shared lock on a shared machine:
//   flock /tmp/cloakradar-bench.lock npm run bench:load
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { runPhase } from '../tracker/load.ts';
import { percentile } from '../tracker/paced.ts';
import { shutdown } from '../tracker/processes.ts';
import { describeCommit, describeMachine, markdownTable } from '../tracker/report.ts';
import { startTracker } from '../tracker/targets.ts';
import { createClientPool, createTraffic } from '../tracker/traffic.ts';
import { printUsageAndExit, wholeFlag, writeMarkedBlock } from '../detection/report.ts';
import { PROBES, probe, type ProbeResult } from './probe.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    baseline: { type: 'string' },
    connections: { type: 'string' },
    probe: { type: 'string', default: 'thread' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (flags.help) printUsageAndExit(import.meta.url);
const durationS = wholeFlag('duration', flags.duration, 60);
const baselineS = wholeFlag('baseline', flags.baseline, 15);
const connections = wholeFlag('connections', flags.connections, 64);
if (flags.probe !== 'thread' && flags.probe !== 'inline')
  throw new Error(`--probe is thread or inline, got ${flags.probe}`);
const probeInThread = flags.probe === 'thread';
const command = `npm run bench:load${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

/** Starts the probe (in its worker thread, or inline with --probe inline); stop() ends it and gives its result. */
function startProbe(base: string, token: string, everyMs: number): { stop(): Promise<ProbeResult> } {
  if (!probeInThread) {
    let stopped = false;
    const running = probe(base, token, everyMs, () => stopped);
    return { stop: () => ((stopped = true), running) };
  }
  // A worker does not inherit the main thread's tsx hooks: it registers them before loading the probe.
  const entry = JSON.stringify(new URL('./probe.worker.ts', import.meta.url).href);
  const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`, {
    eval: true,
    workerData: { base, token, everyMs },
  });
  const result = new Promise<ProbeResult>((resolve, reject) => {
    worker.once('message', (message: { result: ProbeResult }) => resolve(message.result));
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const value = await result;
      await worker.terminate();
      return value;
    },
  };
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
  await runPhase({
    url,
    connections: 8,
    durationS: 3,
    traffic: createTraffic(target.campaignUuid, pool, 1),
    recordLatencies: false,
  });

  process.stderr.write(`bench:load baseline: API and dashboard alone for ${baselineS} s\n`);
  const aloneProbe = startProbe(base, token, 100);
  await new Promise((resolve) => setTimeout(resolve, baselineS * 1000));
  const alone = await aloneProbe.stop();

  process.stderr.write(
    `bench:load: tracker at full speed (${connections} connections) for ${durationS} s, probing the API meanwhile\n`,
  );
  const underLoad = startProbe(base, token, 100);
  const load = await runPhase({
    url,
    connections,
    durationS,
    traffic: createTraffic(target.campaignUuid, pool, 2),
    recordLatencies: true,
  });
  const loaded = await underLoad.stop();
  const stored = await target.countClicksInDatabase();
  await target.stop();

  const rows = PROBES.map((p) => {
    const a = summary(alone.latencies[p.name]!);
    const b = summary(loaded.latencies[p.name]!);
    return [
      p.name,
      String(a.n),
      ms(a.p50),
      ms(a.p95),
      String(b.n),
      ms(b.p50),
      ms(b.p95),
      ms(b.p99),
      String(loaded.failures[p.name] ?? 0),
    ];
  });
  const table = markdownTable(
    ['request', 'alone: n', 'p50 ms', 'p95 ms', 'under load: n', 'p50 ms', 'p95 ms', 'p99 ms', 'failures under load'],
    rows,
  );
  const facts = [
    `Measured ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC on ${describeMachine()}; code ${describeCommit(ROOT)}.`,
    '',
    `Command: \`${command}\``,
    '',
    `Setup: \`cloakradar serve\` on SQLite in its own process; autocannon with ${connections} connections sends realistic visitors (60,000 addresses, real browser headers) to one campaign's tracking URL for ${durationS} s; meanwhile a probe (${probeInThread ? 'in a worker thread of its own' : 'in the main thread, beside autocannon'}) sends one request every 100 ms, round robin over the requests below, with an enterprise account's token. The baseline is the same probe for ${baselineS} s with no load, in the same run.`,
    '',
    `Tracker under the test: ${Math.round(load.rps).toLocaleString('en-US')} clicks/s for ${load.durationS.toFixed(0)} s (${load.completed.toLocaleString('en-US')} redirected, ${load.failures} failures), p50 ${ms(load.p50)} ms, p99 ${ms(load.p99)} ms; ${stored?.toLocaleString('en-US') ?? '?'} clicks in the database at the end.`,
    '',
    table,
  ].join('\n');
  console.log(`## Load\n\n${facts}`);
  if (!flags['no-write']) {
    writeMarkedBlock(
      join(ROOT, 'BENCHMARKS.md'),
      'load',
      '## Load: the tracker at full speed while the API answers',
      facts,
    );
    console.log('\nBENCHMARKS.md: "## Load: the tracker at full speed while the API answers" written.');
  }
}

try {
  await main();
} finally {
  await shutdown();
}
