// The server's resident memory while idle, over its first minute (issue 24: ≤ 200 MiB idle).
//
//   npm run bench:idle [-- --cwd TREE] [--runs 2] [--at 5,10,15,25,35,45,55,65]
//
// Starts `node bin/cloakradar.js serve` from TREE's dist/ (built if stale) on SQLite, LOG_LEVEL=warn, once to build
// the ASN index into a fresh data folder (a first start's extra work, not what a running server holds), then --runs
// times on that folder as after a restart, reading VmRSS at each --at second after /readyz answers. V8's memory
// reducer gives back the start's garbage about half a minute in: the early and the late samples are both reported,
// so a figure taken at one moment cannot pass for the other.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, readMemory, shutdown, startNode, stopChild, waitForOk } from './processes.ts';
import { describeCommit } from './report.ts';

const { values: flags } = parseArgs({
  options: {
    cwd: { type: 'string' },
    runs: { type: 'string', default: '2' },
    at: { type: 'string', default: '5,10,15,25,35,45,55,65' },
  },
  strict: true,
});
const cwd = resolve(flags.cwd ?? join(import.meta.dirname, '../..'));
const runs = Number(flags.runs);
const atSeconds = flags.at.split(',').map(Number);
if (!Number.isInteger(runs) || runs < 1 || atSeconds.some((s) => !(s > 0)))
  throw new Error('--runs is a positive integer and --at a list of positive seconds');

execFileSync(process.execPath, [join(cwd, 'scripts/build-server.mjs'), '--if-stale'], { stdio: 'inherit', cwd });
const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-idle-'));
const logDir = mkdtempSync(join(tmpdir(), 'cloakradar-idle-logs-'));

/** One start: RSS in MiB at each of `at` seconds after /readyz (none when `at` is empty). */
async function idleRun(label: string, at: readonly number[]): Promise<number[]> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'idle-bench-secret-idle-bench-secret-0123',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const started = startNode(['bin/cloakradar.js', 'serve'], env, join(logDir, `${label}.log`), cwd);
  try {
    await waitForOk(`http://127.0.0.1:${port}/readyz`, started, 120_000);
    const ready = performance.now();
    const samples: number[] = [];
    for (const second of at) {
      await sleep(Math.max(0, ready + second * 1000 - performance.now()));
      const memory = readMemory(started.pid);
      if (!memory) throw new Error(`the server exited while idle; log in ${started.logPath}`);
      samples.push(Math.round(memory.rssKb / 1024));
    }
    return samples;
  } finally {
    await stopChild(started.child);
  }
}

try {
  await idleRun('first-start', []);
  const rows: string[] = [];
  for (let run = 1; run <= runs; run++) {
    const samples = await idleRun(`run-${run}`, atSeconds);
    rows.push(`| ${run} | ${samples.join(' | ')} |`);
    console.error(`[idle] run ${run}: ${samples.join(' ')} MiB`);
  }
  console.log(
    [
      `Idle RSS, ${describeCommit(cwd)}: \`node bin/cloakradar.js serve\` from dist/, SQLite, LOG_LEVEL=warn, a data`,
      'folder whose ASN index a first start built; VmRSS (MiB) at each second after /readyz.',
      '',
      `| run | ${atSeconds.map((s) => `${s} s`).join(' | ')} |`,
      `| ---: | ${atSeconds.map(() => '---:').join(' | ')} |`,
      ...rows,
    ].join('\n'),
  );
} finally {
  await shutdown();
  rmSync(dataDir, { recursive: true, force: true });
}
