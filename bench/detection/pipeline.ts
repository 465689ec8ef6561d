// One simulated run through the real tracking pipeline, shared by the accuracy run (run.ts) and the
// threshold curve (curve.ts): simulate, send every click through buildApp + app.inject on SQLite in a
// temporary folder with a simulated clock, read the stored verdicts back beside their labels.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ensureCampaigns, signInOrRegister } from '../../src/demo/demo-setup.ts';
import { simulateTraffic } from '../../src/demo/simulator.ts';
import { createSimulatedClock, sendClicks } from '../../src/demo/traffic-runner.ts';
import { injectTransport } from '../../src/demo/transport.ts';
import type { PopulationId } from '../../src/demo/types.ts';
import { verifyPools, type PoolCheck } from '../../src/demo/verify-pools.ts';
import type { FraudType } from '../../src/detection/index.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { openStorage } from '../../src/storage/open-database.ts';
import type { Judged, StoredVerdict } from './accuracy.ts';
import { loadReputationFixtures } from './fixtures.ts';

export interface PipelineOptions {
  readonly clicks: number;
  readonly seed: number;
  readonly hours: number;
  /** Relative shares per population (the simulator's default mix when absent). */
  readonly mix?: Partial<Record<PopulationId, number>>;
  /** Detection thresholds in the API's form (snake_case), set on the account before the first click. */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Progress on stderr, every tenth of the clicks. */
  readonly progressLabel?: string;
}

export interface PipelineRun {
  readonly judged: Judged[];
  readonly clicks: number;
  readonly seconds: number;
  readonly listsLoaded: string;
  readonly poolChecks: PoolCheck[];
  readonly badPools: PoolCheck[];
}

export async function runThroughTracker(options: PipelineOptions): Promise<PipelineRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-detection-'));
  try {
    const listsLoaded = await loadReputationFixtures(dataDir);
    const intel = await openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-bench-intel') });
    const poolChecks = verifyPools(intel, 20);
    const badPools = poolChecks.filter((check) => check.matched < check.sampled);
    const end = Date.UTC(2026, 0, 15, 18, 0, 0);
    const simulation = simulateTraffic({
      seed: options.seed,
      clicks: options.clicks,
      end,
      durationMs: options.hours * 3_600_000,
      ...(options.mix ? { mix: options.mix } : {}),
    });
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
    const storage = openStorage(config.databaseUrl, { sqliteCacheMb: config.sqliteCacheMb });
    const app = await buildApp({ config, storage, logger: false, intel, now: clock.now });
    await app.ready();
    try {
      const transport = injectTransport(app);
      const session = await signInOrRegister(transport, 'bench@cloakradar.local', 'benchmark-password', true);
      if (options.thresholds) {
        const response = await transport.request(
          'PUT',
          '/api/v1/detection-settings',
          { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
          JSON.stringify({ thresholds: options.thresholds }),
        );
        if (response.status !== 200) throw new Error(`detection settings refused: ${response.status} ${response.body}`);
      }
      const campaigns = await ensureCampaigns(transport, session.token, simulation.campaigns, { targeted: false });
      const started = performance.now();
      let lastReport = 0;
      const total = simulation.clicks.length;
      const outcomes = await sendClicks(simulation.clicks, {
        transport,
        clock,
        concurrency: 1,
        uuids: new Map(campaigns.map((campaign) => [campaign.key, campaign.uuid])),
        onProgress: (done) => {
          if (done - lastReport >= total / 10 || done === total) {
            lastReport = done;
            process.stderr.write(
              `${options.progressLabel ?? 'bench:detection'} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} clicks\n`,
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
      return { judged, clicks: total, seconds, listsLoaded, poolChecks, badPools };
    } finally {
      await app.close();
      await storage.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
