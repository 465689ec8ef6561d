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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ensureCampaigns, signInOrRegister } from '../../src/demo/demo-setup.ts';
import { simulateTraffic } from '../../src/demo/simulator.ts';
import { createSimulatedClock, sendClicks } from '../../src/demo/traffic-runner.ts';
import { injectTransport } from '../../src/demo/transport.ts';
import { verifyPools } from '../../src/demo/verify-pools.ts';
import type { FraudType } from '../../src/detection/index.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { openStorage } from '../../src/storage/open-database.ts';
import { describeCommit, describeMachine } from '../tracker/report.ts';
import { findings, score, type Judged, type StoredVerdict } from './accuracy.ts';
import { loadReputationFixtures } from './fixtures.ts';
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
  const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-detection-'));
  try {
    const listsLoaded = await loadReputationFixtures(dataDir);
    const intel = await openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-bench-intel') });
    const poolChecks = verifyPools(intel, 20);
    const badPools = poolChecks.filter((check) => check.matched < check.sampled);
    for (const check of badPools)
      console.warn(
        `warning: ${check.pool.id} ${check.range}: ${check.matched}/${check.sampled} sampled addresses match (e.g. ${check.example})`,
      );

    const end = Date.UTC(2026, 0, 15, 18, 0, 0);
    const simulation = simulateTraffic({ seed, clicks: clickCount, end, durationMs: hours * 3_600_000 });
    const clock = createSimulatedClock(simulation.start - 60_000);
    const config = loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: 'bench-detection-secret-0123456789abcdef',
      LOG_LEVEL: 'silent',
      TRUST_PROXY: '127.0.0.1',
      PUBLIC_URL: 'https://track.bench.test',
      INTEL_RELOAD_SECONDS: '0',
      // Crawler claims are judged with the shipped data alone: no reverse DNS (and no outside lookups).
      CRAWLER_DNS_SERVERS: 'off',
    });
    // Opened here: the verdicts are read back from the clicks table, which the app's services do not expose.
    const storage = openStorage(config.databaseUrl);
    const app = await buildApp({ config, storage, logger: false, intel, now: clock.now });
    await app.ready();
    try {
      const transport = injectTransport(app);
      const session = await signInOrRegister(transport, 'bench@cloakradar.local', 'benchmark-password', true);
      const campaigns = await ensureCampaigns(transport, session.token, simulation.campaigns, { targeted: false });
      const started = performance.now();
      let lastReport = 0;
      const outcomes = await sendClicks(simulation.clicks, {
        transport,
        clock,
        concurrency: 1,
        uuids: new Map(campaigns.map((campaign) => [campaign.key, campaign.uuid])),
        onProgress: (done) => {
          if (done - lastReport >= simulation.clicks.length / 10 || done === simulation.clicks.length) {
            lastReport = done;
            process.stderr.write(
              `bench:detection ${done.toLocaleString('en-US')}/${simulation.clicks.length.toLocaleString('en-US')} clicks\n`,
            );
          }
        },
      });
      const seconds = (performance.now() - started) / 1000;

      const rows = await storage.db
        .selectFrom('clicks')
        .select(['id', 'status', 'fraud_types', 'is_verified_bot', 'action', 'reasons', 'asn', 'as_org', 'country'])
        .execute();
      const verdicts = new Map<string, StoredVerdict>(
        rows.map((row) => [
          row.id,
          {
            status: row.status,
            fraudTypes: JSON.parse(row.fraud_types) as FraudType[],
            verified: row.is_verified_bot === 1,
            action: row.action,
            reasons: JSON.parse(row.reasons) as StoredVerdict['reasons'],
            asn: row.asn,
            asOrg: row.as_org,
            country: row.country,
          },
        ]),
      );
      const judged: Judged[] = outcomes.map((outcome) => ({
        click: outcome.click,
        httpStatus: outcome.status,
        verdict: outcome.clickId ? (verdicts.get(outcome.clickId) ?? null) : null,
      }));
      const scores = score(judged);
      const weak = findings(judged);
      const facts = {
        when: new Date().toISOString().replace('T', ' ').slice(0, 16),
        machine: describeMachine(),
        commit: describeCommit(ROOT),
        command,
        clicks: simulation.clicks.length,
        seed,
        hours,
        seconds,
        listsLoaded,
        pools: { ranges: poolChecks.length, bad: badPools.length },
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
    } finally {
      await app.close();
      await storage.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
