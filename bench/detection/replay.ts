// A quick replay of the simulator's traffic through the detection rules and the tracker's memory windows,
// without HTTP or a database: seconds instead of minutes, for trying thresholds and bigger crowds. Each
// click's visitor, window keys and claims are the tracker's own (buildVisitor, windowKeys, claimGroup); what
// it leaves out is the route, the enrichment cache and storage. `npm run bench:detection` stays the measure.
//
//   node --import tsx bench/detection/replay.ts
//   node --import tsx bench/detection/replay.ts --clicks 40000 --seed 7 \
//     --mix human-residential=12,human-mobile=12,office=12,campus=12,carrier-nat=12,click-farm=12,relay=3 \
//     --set clickFarmAddressMaxClicks=14
//
// Prints, per population, the share of clicks flagged with any fraud type but duplicate, and the recall
// of rapid_fire or click_farm for those populations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { simulateTraffic } from '../../src/demo/simulator.ts';
import { POPULATIONS, type PopulationId } from '../../src/demo/types.ts';
import {
  evaluate,
  resolveDetectionSettings,
  type DetectionSettings,
  type FraudType,
} from '../../src/detection/index.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { openIpReputation } from '../../src/intel/lists/reputation.ts';
import { claimGroup, detectionSpans, visitorHash, windowKeys } from '../../src/modules/clicks/click-tracker.service.ts';
import { buildVisitor } from '../../src/modules/clicks/visitor.ts';
import {
  BURST_RETENTION_MS,
  DUPLICATE_RETENTION_MS,
  createMemoryDetectionWindowStore,
} from '../../src/storage/counters/detection-window-store.ts';
import { createMemoryDistinctWindow } from '../../src/storage/counters/memory-distinct-window.ts';
import { createMemoryLineWindow } from '../../src/storage/counters/memory-line-window.ts';
import { BURST_TIMES_PER_KEY, createMemoryVisitorWindow } from '../../src/storage/counters/memory-visitor-window.ts';
import { loadReputationFixtures } from './fixtures.ts';
import { printUsageAndExit, wholeFlag } from './report.ts';

const { values: flags } = parseArgs({
  options: {
    clicks: { type: 'string' },
    seed: { type: 'string' },
    mix: { type: 'string' },
    set: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (flags.help) printUsageAndExit(import.meta.url);

/** "a=1,b=2" → { a: 1, b: 2 }; a bad pair ends the run with its name. */
function pairs(text: string, what: string): Record<string, number> {
  return Object.fromEntries(
    text.split(',').map((pair) => {
      const [name, value] = pair.split('=');
      const number = Number(value);
      if (!name || !Number.isFinite(number)) throw new Error(`--${what}: "${pair}" is not name=number`);
      return [name.trim(), number];
    }),
  );
}

const POPULATION_IDS = new Set<string>(POPULATIONS.map((population) => population.id));
const mix = flags.mix ? pairs(flags.mix, 'mix') : undefined;
for (const name of Object.keys(mix ?? {}))
  if (!POPULATION_IDS.has(name)) throw new Error(`--mix: no population "${name}"`);
const overrides = pairs((flags.set ?? []).join(',') || 'none=0', 'set');
delete overrides.none;
const settings: DetectionSettings = resolveDetectionSettings(overrides as Partial<DetectionSettings>);

const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-replay-'));
try {
  await loadReputationFixtures(dataDir);
  const reputation = openIpReputation({ dataDir });
  const intel = await openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-bench-intel') });
  const simulation = simulateTraffic({
    seed: wholeFlag('seed', flags.seed, 20_260_101),
    clicks: wholeFlag('clicks', flags.clicks, 20_000),
    end: Date.UTC(2026, 0, 15, 18, 0, 0),
    durationMs: 24 * 3_600_000,
    ...(mix ? { mix: mix as Partial<Record<PopulationId, number>> } : {}),
  });
  const store = createMemoryDetectionWindowStore({
    visitors: createMemoryVisitorWindow(DUPLICATE_RETENTION_MS),
    addresses: createMemoryVisitorWindow(BURST_RETENTION_MS, undefined, BURST_TIMES_PER_KEY),
    subnets: createMemoryDistinctWindow(BURST_RETENTION_MS),
    addressDevices: createMemoryDistinctWindow(BURST_RETENTION_MS),
    lines: createMemoryLineWindow(BURST_RETENTION_MS),
  });
  const found = new Map<string, Set<FraudType>>();
  for (const click of simulation.clicks) {
    const id = String(click.seq);
    const visitor = buildVisitor({
      ip: click.ip,
      method: 'GET',
      protocol: 'https',
      headers: { ...click.headers },
      query: Object.fromEntries(new URLSearchParams(click.query)),
    });
    const visitorKey = visitorHash(visitor);
    const history = await store.observe({
      keys: windowKeys(click.campaign, visitor, visitorKey),
      visitorKey,
      clickId: id,
      now: click.at,
      spans: detectionSpans(settings),
    });
    const verdict = evaluate(
      {
        visitor,
        history,
        ip: { ...intel.lookupIp(visitor.ip), reputation: reputation.lookup(visitor.ip) },
        device: intel.lookupUserAgent(visitor.userAgent),
        targeting: { allowedCountries: [], blockedCountries: [], allowedDevices: [], ipBlocklist: [] },
        accountIpLists: { allow: [], block: [] },
      },
      click.at,
      settings,
    );
    found.set(id, new Set(verdict.fraudTypes));
    for (const finding of verdict.lateFindings)
      for (const other of await claimGroup(store, click.campaign, visitor, visitorKey, finding, click.at))
        found.get(other)?.add(finding.type);
  }
  reputation.close();
  const lines = POPULATIONS.flatMap(({ id }) => {
    const clicks = simulation.clicks.filter((click) => click.population === id);
    if (clicks.length === 0) return [];
    const typesOf = (seq: number) => found.get(String(seq))!;
    const flagged = clicks.filter((click) => [...typesOf(click.seq)].some((type) => type !== 'duplicate')).length;
    const own = id === 'click-farm' ? 'click_farm' : id === 'rapid-fire' ? 'rapid_fire' : null;
    const recall = own ? clicks.filter((click) => typesOf(click.seq).has(own)).length / clicks.length : null;
    return [
      `${id.padEnd(20)} ${String(clicks.length).padStart(6)} clicks  flagged ${((100 * flagged) / clicks.length).toFixed(2).padStart(6)}%` +
        (recall === null ? '' : `  ${own} recall ${(100 * recall).toFixed(1)}%`),
    ];
  });
  console.log(lines.join('\n'));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
