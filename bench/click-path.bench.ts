// CPU per click outside storage and HTTP: the visitor built from the request, then the tracker's whole
// track() (enrichment, windows, detection, destination, click row) with a recorder that stores nothing.
// The traffic is the tracker bench's own (bench/tracker/traffic.ts): Chrome navigation headers, 55,000
// client addresses, a varying gclid. Load-insensitive enough to compare two commits on a shared machine:
// run it for each, alternating (see --rounds), and compare the medians.
// Run: node --import tsx bench/click-path.bench.ts [--clicks 100000] [--rounds 5] [--data-dir DIR]
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseQuery } from 'fast-querystring';
import { DEFAULT_DETECTION_SETTINGS } from '../src/detection/settings.ts';
import { openIpIntel } from '../src/intel/ip-intel.ts';
import { openIpReputation } from '../src/intel/lists/reputation.ts';
import type { TrackedCampaign } from '../src/modules/campaigns/campaign-cache.ts';
import { createClickTracker } from '../src/modules/clicks/click-tracker.service.ts';
import type { ClickRecorder } from '../src/modules/clicks/click-recorder.ts';
import type { NewClickRow } from '../src/modules/clicks/click.table.ts';
import { buildVisitor } from '../src/modules/clicks/visitor.ts';
import { createMemoryWindowSet } from '../src/storage/counters/memory-window-set.ts';
import { createClientPool, createTraffic } from './tracker/traffic.ts';

const { values: args } = parseArgs({
  options: {
    clicks: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    'data-dir': { type: 'string', default: join(tmpdir(), 'cloakradar-click-path-bench') },
  },
});
const CLICKS = Number(args.clicks);
const ROUNDS = Number(args.rounds);
const dataDir = args['data-dir'];
mkdirSync(dataDir, { recursive: true });

// The requests, built before timing: Fastify's work (parsing the line, headers and query) is not measured here.
interface Request {
  readonly ip: string;
  readonly headers: Record<string, string>;
  readonly query: Record<string, unknown>;
}
const traffic = createTraffic('bench', createClientPool(50_000, 5_000));
const requests: Request[] = Array.from({ length: CLICKS }, () => {
  const { path, headers } = traffic.next();
  const { 'x-forwarded-for': ip, ...rest } = headers;
  return { ip: ip!, headers: rest, query: parseQuery(path.slice(path.indexOf('?') + 1)) as Record<string, unknown> };
});

const campaign: TrackedCampaign = Object.freeze({
  id: 1,
  userId: 1,
  uuid: 'bench',
  status: 'active',
  destinationUrl: 'https://offer.example/landing?click={clickid}&c={country}',
  targeting: Object.freeze({ allowedCountries: [], blockedCountries: [], allowedDevices: [], ipBlocklist: [] }),
  fraudAction: 'monitor',
  blockedFraudTypes: new Set<string>(),
  costModel: 'cpc',
  costValue: 0,
  source: null,
  flow: null,
});

const profile = Object.freeze({
  settings: DEFAULT_DETECTION_SETTINGS,
  ipLists: Object.freeze({ allow: [], block: [] }),
});

const intel = await openIpIntel({ dataDir, cacheSize: { ip: 131_072 } });
const reputation = openIpReputation({ dataDir });
let sink = 0;
const recorder: ClickRecorder = {
  record: (row: NewClickRow) => {
    sink += row.fraud_score;
    return Promise.resolve('committed' as const);
  },
  amend: () => undefined,
  status: () => ({}) as ReturnType<ClickRecorder['status']>,
  recover: () => Promise.resolve(0),
  close: () => Promise.resolve(),
};

function newTracker() {
  const windows = createMemoryWindowSet();
  return createClickTracker({
    intel,
    reputation: (ip) => reputation.lookup(ip),
    profile: () => Promise.resolve(profile),
    recorder,
    windows,
    onWindowsFailed: (error) => {
      throw error;
    },
  });
}

async function round(): Promise<number> {
  const tracker = newTracker();
  // Clicks a second apart from a fixed start: the windows see realistic spacing, and each round the same.
  let now = Date.UTC(2026, 0, 1);
  // CPU time (user + system) of this process, not wall time: on a shared machine other processes take
  // turns on the cores, which stretches wall time but not the work a click costs.
  const started = process.cpuUsage();
  for (const request of requests) {
    const visitor = buildVisitor({ ...request, method: 'GET', protocol: 'https' });
    const click = await tracker.track(campaign, visitor, (now += 10));
    if (click.destination !== null) sink++;
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / CLICKS;
}

await round(); // warm-up: JIT, the LRU caches
const results: number[] = [];
for (let i = 0; i < ROUNDS; i++) results.push(await round());
results.sort((a, b) => a - b);
const median = results[Math.floor(results.length / 2)]!;
console.log(
  `click path: ${CLICKS.toLocaleString('en')} clicks × ${ROUNDS} rounds: median ${median.toFixed(1)} µs CPU/click ` +
    `(min ${results[0]!.toFixed(1)}, max ${results.at(-1)!.toFixed(1)}) [sink ${sink % 10}]`,
);
