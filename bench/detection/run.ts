// Detection accuracy benchmark: the demo's traffic simulator, bigger, through the real tracking
// pipeline, every verdict compared with its label.
//
//   npm run bench:detection                              20,000 clicks over a simulated day, seed 20260101
//   npm run bench:detection -- --clicks 5000 --seed 7 --no-write
//
// Options: --clicks N (20000), --seed N (20260101), --hours H (24: the simulated period), --examples N
// (12: weak spots listed), --no-write (BENCHMARKS.md is left alone), --verbose (full headers of every example),
// --dump FILE (scores and every finding as JSON, for digging).
//
// Clicks go through buildApp + app.inject one at a time (the same routes, visitor building, enrichment,
// detection and group commit as a real request, without sockets), on SQLite in a temporary folder, with
// TRUST_PROXY=127.0.0.1 so the simulated X-Forwarded-For counts. The app reads a simulated clock set to
// each click's time: a day of traffic replays in about a minute and the detection windows see its real
// gaps. The Tor and VPN fixtures of src/demo/fixtures are loaded through `intel update`'s code path.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeCommit, describeMachine } from '../tracker/report.ts';
import { findings, score } from './accuracy.ts';
import { runThroughTracker } from './pipeline.ts';
import { renderAccuracy, renderConsole } from './render.ts';
import { printUsageAndExit, wholeFlag, writeDetectionBlock } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const { values: flags } = parseArgs({
  options: {
    clicks: { type: 'string' },
    seed: { type: 'string' },
    hours: { type: 'string' },
    examples: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    dump: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (flags.help) printUsageAndExit(import.meta.url);

const clickCount = wholeFlag('clicks', flags.clicks, 20_000);
const seed = wholeFlag('seed', flags.seed, 20_260_101);
const hours = wholeFlag('hours', flags.hours, 24);
const exampleCount = wholeFlag('examples', flags.examples, 12);
const command = `npm run bench:detection${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

async function main(): Promise<void> {
  const run = await runThroughTracker({ clicks: clickCount, seed, hours });
  for (const check of run.badPools)
    console.warn(
      `warning: ${check.pool.id} ${check.range}: ${check.matched}/${check.sampled} sampled addresses match (e.g. ${check.example})`,
    );
  const scores = score(run.judged);
  const weak = findings(run.judged);
  const facts = {
    when: new Date().toISOString().replace('T', ' ').slice(0, 16),
    machine: describeMachine(),
    commit: describeCommit(ROOT),
    command,
    clicks: run.clicks,
    seed,
    hours,
    seconds: run.seconds,
    listsLoaded: run.listsLoaded,
    pools: { ranges: run.poolChecks.length, bad: run.badPools.length },
  };
  console.log(
    `## Detection accuracy\n\n${renderConsole(scores, weak, facts, { examples: exampleCount, verbose: flags.verbose })}`,
  );
  if (!flags['no-write']) {
    writeDetectionBlock(
      join(ROOT, 'BENCHMARKS.md'),
      'accuracy',
      renderAccuracy(scores, weak, facts, { examples: exampleCount }),
    );
    console.log('\nBENCHMARKS.md: "## Detection accuracy" written.');
  }
  if (flags.dump) writeFileSync(flags.dump, JSON.stringify({ scores, findings: weak }, null, 1));
}

await main();
