// Server CPU per click at a fixed rate, net of what the idle server spends anyway: a figure that a busy shared
// machine moves less than max req/s. At full load the server's fixed background work (timers, folds, checkpoints)
// is spread over however many clicks the machine let it serve, so µs/req there swings with the neighbours.
//
//   node --import tsx bench/tracker/marginal.ts [--cwd TREE] [--rate 400] [--duration 20] [--idle 10]
//
// Starts `node bin/cloakradar.js serve` in TREE (default this checkout; another checkout's server runs its own
// code against the same traffic), creates the benchmark's `full` campaign, sends clicks paced at --rate for 3 s
// (warm-up), measures the server's CPU with no load for --idle s, then paced at --rate for --duration s. Prints the
// gross CPU per click (all of the loaded window's CPU / clicks) and the marginal one (less the idle rate).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClientPool, createTraffic } from './traffic.ts';
import { runPaced } from './paced.ts';
import { backgroundLoad, measureCpu, shutdown } from './processes.ts';
import { startTracker } from './targets.ts';
import { describeCommit } from './report.ts';

const { values: flags } = parseArgs({
  options: {
    cwd: { type: 'string' },
    rate: { type: 'string', default: '400' },
    duration: { type: 'string', default: '20' },
    idle: { type: 'string', default: '10' },
  },
  strict: true,
});
const cwd = resolve(flags.cwd ?? join(import.meta.dirname, '../..'));
const rate = Number(flags.rate);
const durationS = Number(flags.duration);
const idleS = Number(flags.idle);

execFileSync(process.execPath, [join(cwd, 'scripts/build-server.mjs'), '--if-stale'], { stdio: 'inherit', cwd });
const target = await startTracker({ cwd, logDir: mkdtempSync(join(tmpdir(), 'cloakradar-marginal-')) });
try {
  const pool = createClientPool(50_000, 5_000);
  const traffic = createTraffic(target.campaignUuid, pool, 0x9e3779b9, target.clickQuery);
  const paced = (seconds: number) =>
    runPaced({ host: target.host, port: target.port, rate, durationS: seconds, connections: 50, next: traffic.next });
  await paced(3);
  const idleMeter = measureCpu([target.pid]);
  const idleStart = performance.now();
  await sleep(idleS * 1000);
  const idleCores = idleMeter.stop().processes[0]!;
  const idleElapsed = (performance.now() - idleStart) / 1000;
  const background = await backgroundLoad(1000);
  const meter = measureCpu([target.pid]);
  const start = performance.now();
  const result = await paced(durationS);
  const cpu = meter.stop();
  const elapsed = (performance.now() - start) / 1000;
  const cpuSeconds = cpu.processes[0]! * elapsed;
  const clicks = result.completed;
  const gross = (cpuSeconds / clicks) * 1e6;
  const marginal = ((cpuSeconds - idleCores * elapsed) / clicks) * 1e6;
  console.log(
    JSON.stringify({
      code: describeCommit(cwd),
      rate,
      clicks,
      statuses: result.statusCounts,
      idleCores: Number(idleCores.toFixed(3)),
      idleWindowS: Number(idleElapsed.toFixed(1)),
      otherCoresBefore: Number(background.toFixed(2)),
      otherCoresDuring: Number(cpu.other.toFixed(2)),
      serverCores: Number(cpu.processes[0]!.toFixed(3)),
      grossUsPerClick: Math.round(gross),
      marginalUsPerClick: Math.round(marginal),
    }),
  );
} finally {
  await target.stop();
  await shutdown();
}
