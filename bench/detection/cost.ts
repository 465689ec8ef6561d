// Detection cost: what `evaluate(input, now, settings)` costs per click with every rule, against
// baselines measured in the same run, and the memory of the in-memory detection windows.
//
//   npm run bench:detection-cost                      (re-runs itself with --expose-gc)
//   npm run bench:detection-cost -- --no-write --ips 200000
//
// Options: --inputs N (10000 distinct inputs, cycled), --rounds N (40 passes over them per sample),
// --ips N (1000000 distinct client IPs for the window memory), --no-write.
//
// Inputs are built from the demo's traffic simulator: each click's headers go through the tracker's own
// buildVisitor, its address through the bundled geo/ASN data and the Tor/VPN fixture lists, its user
// agent through the UA parser, and its history through the same memory windows the tracker keeps
// (all of that outside the timed loops).
import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simulateTraffic } from '../../src/demo/simulator.ts';
import { DEFAULT_DETECTION_SETTINGS, evaluate, type DetectionInput } from '../../src/detection/index.ts';
import { RULES } from '../../src/detection/rules/index.ts';
import { openIpIntel } from '../../src/intel/ip-intel.ts';
import { openIpReputation } from '../../src/intel/lists/reputation.ts';
import { detectionSpans, visitorHash, windowKeys } from '../../src/modules/clicks/click-tracker.service.ts';
import { observeInMemory } from '../../src/storage/counters/detection-window-store.ts';
import { buildVisitor } from '../../src/modules/clicks/visitor.ts';
import { createMemoryDistinctWindow } from '../../src/storage/counters/memory-distinct-window.ts';
import { createMemoryLineWindow } from '../../src/storage/counters/memory-line-window.ts';
import { createMemoryVisitorWindow } from '../../src/storage/counters/memory-visitor-window.ts';
import { describeCommit, describeMachine, markdownTable } from '../tracker/report.ts';
import { loadReputationFixtures } from './fixtures.ts';
import { int, printUsageAndExit, wholeFlag, writeDetectionBlock } from './report.ts';

declare const gc: (() => void) | undefined;

// Measuring heap needs a collector we can call: re-run this file with --expose-gc when it is missing.
if (typeof gc !== 'function') {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
const collect = gc!;

const ROOT = resolve(import.meta.dirname, '../..');
const { values: flags } = parseArgs({
  options: {
    inputs: { type: 'string' },
    rounds: { type: 'string' },
    ips: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (flags.help) printUsageAndExit(import.meta.url);
const inputCount = wholeFlag('inputs', flags.inputs, 10_000);
const rounds = wholeFlag('rounds', flags.rounds, 40);
const ipCount = wholeFlag('ips', flags.ips, 1_000_000);
const command = `npm run bench:detection-cost${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

// ---- inputs -----------------------------------------------------------------------------------------------

async function buildInputs(): Promise<{ inputs: DetectionInput[]; times: number[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-cost-'));
  try {
    await loadReputationFixtures(dataDir);
    const reputation = openIpReputation({ dataDir });
    const intel = await openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-bench-intel') });
    const end = Date.UTC(2026, 0, 15, 18);
    const simulation = simulateTraffic({ seed: 7, clicks: inputCount, end, durationMs: 24 * 3_600_000 });
    const visitors = createMemoryVisitorWindow(86_400_000);
    const addresses = createMemoryVisitorWindow(86_400_000);
    const subnets = createMemoryDistinctWindow(86_400_000);
    const addressDevices = createMemoryDistinctWindow(86_400_000);
    const lines = createMemoryLineWindow(86_400_000);
    const settings = DEFAULT_DETECTION_SETTINGS;
    const inputs: DetectionInput[] = [];
    const times: number[] = [];
    for (const click of simulation.clicks) {
      const visitor = buildVisitor({
        ip: click.ip,
        method: 'GET',
        protocol: 'https',
        headers: { ...click.headers },
        query: Object.fromEntries(new URLSearchParams(click.query)),
      });
      const visitorKey = visitorHash(visitor);
      const history = observeInMemory(
        { visitors, addresses, subnets, addressDevices, lines },
        {
          keys: windowKeys(click.campaign, visitor, visitorKey),
          visitorKey,
          now: click.at,
          spans: detectionSpans(settings),
        },
      );
      inputs.push({
        visitor,
        history,
        ip: { ...intel.lookupIp(visitor.ip), reputation: reputation.lookup(visitor.ip) },
        device: intel.lookupUserAgent(visitor.userAgent),
        targeting: { allowedCountries: [], blockedCountries: [], allowedDevices: [], ipBlocklist: [] },
        accountIpLists: { allow: [], block: [] },
      });
      times.push(click.at);
    }
    reputation.close();
    return { inputs, times };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- timing -----------------------------------------------------------------------------------------------

/** Median over `samples` of the ns per call of `body(i)` over rounds × inputs calls. */
function measure(count: number, body: (i: number) => number, samples = 7): { nsPerCall: number; sink: number } {
  let sink = 0;
  for (let i = 0; i < count * 2; i++) sink ^= body(i % count);
  const results: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (let i = 0; i < count; i++) sink ^= body(i);
    results.push(Number(process.hrtime.bigint() - start) / (rounds * count));
  }
  results.sort((a, b) => a - b);
  return { nsPerCall: results[Math.floor(results.length / 2)]!, sink };
}

const us = (ns: number) => (ns / 1000).toFixed(ns < 1000 ? 3 : 2);

// ---- window memory ----------------------------------------------------------------------------------------

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
];

/** The i-th of `ipCount` distinct public-looking IPv4 addresses: an odd multiplier is a bijection mod 2^32. */
const nthIp = (i: number) => {
  const n = (Math.imul(i + 0x01000000, 0x9e3779b1) >>> 0) | 0x01000000;
  return `${((n >>> 24) % 223) + 1}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
};

interface WindowMemory {
  name: string;
  keys: number;
  bytes: number;
  heapBefore: number;
  heapAfter: number;
  nsPerHit: number;
  /** Over the first and the last tenth of the hits: a window at its key cap evicts on every hit. */
  nsFirstTenth: number;
  nsLastTenth: number;
}

function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Times the hits of one fill: all of them, the first tenth and the last tenth. */
function createHitTimer(total: number) {
  const marks: bigint[] = [];
  const at = [0, Math.floor(total / 10), total - Math.floor(total / 10), total];
  return {
    tick(i: number) {
      if (at.includes(i)) marks[at.indexOf(i)] = process.hrtime.bigint();
    },
    result() {
      const span = (a: number, b: number) => Number(marks[b]! - marks[a]!) / Math.max(1, at[b]! - at[a]!);
      return { nsPerHit: span(0, 3), nsFirstTenth: span(0, 1), nsLastTenth: span(2, 3) };
    },
  };
}

/** Fills one kind of window as the tracker does for `count` distinct visitors spread over an hour. */
function measureWindow(
  name: string,
  count: number,
  fill: (tick: (i: number) => void) => { readonly size: number },
): WindowMemory {
  const before = heapAfterGc();
  const timer = createHitTimer(count);
  const window = fill(timer.tick);
  const after = heapAfterGc();
  // Read after the second measurement, so the window is still alive when the heap is measured.
  return { name, keys: window.size, bytes: after - before, heapBefore: before, heapAfter: after, ...timer.result() };
}

function windowMemory(count: number, maxKeys?: { visitors: number; subnets: number }): WindowMemory[] {
  const hourStart = Date.UTC(2026, 0, 15, 12);
  const at = (i: number) => hourStart + Math.floor((i * 3_600_000) / count);
  const results: WindowMemory[] = [];
  // Each window alone, then dropped, so one measurement does not carry the other's garbage.
  results.push(
    measureWindow('visitors (duplicates): campaign + hash of IP and user agent', count, (tick) => {
      const window = createMemoryVisitorWindow(86_400_000, maxKeys?.visitors);
      for (let i = 0; i < count; i++) {
        tick(i);
        const ip = nthIp(i);
        window.hit(
          `${i % 3}:${hash('sha256', `${ip}\n${USER_AGENTS[i & 3]}`, 'base64url').slice(0, 22)}`,
          at(i),
          DEFAULT_DETECTION_SETTINGS.duplicateWindowMs,
        );
      }
      tick(count);
      return window;
    }),
  );
  results.push(
    measureWindow('addresses (rapid fire): campaign + IP', count, (tick) => {
      const window = createMemoryVisitorWindow(86_400_000, maxKeys?.visitors);
      for (let i = 0; i < count; i++) {
        tick(i);
        window.hit(`${i % 3}:${nthIp(i)}`, at(i), DEFAULT_DETECTION_SETTINGS.rapidFireWindowMs);
      }
      tick(count);
      return window;
    }),
  );
  results.push(
    measureWindow('subnets (click farms): campaign + /24, user-agent hashes', count, (tick) => {
      const window = createMemoryDistinctWindow(86_400_000, maxKeys?.subnets);
      for (let i = 0; i < count; i++) {
        tick(i);
        const ip = nthIp(i);
        window.hit(
          `${i % 3}:${ip.slice(0, ip.lastIndexOf('.'))}.0/24`,
          hash('sha1', USER_AGENTS[i & 3]!, 'base64url').slice(0, 12),
          at(i),
          DEFAULT_DETECTION_SETTINGS.clickFarmWindowMs,
        );
      }
      tick(count);
      return window;
    }),
  );
  return results;
}

// ---- main -------------------------------------------------------------------------------------------------

const { inputs, times } = await buildInputs();
const count = inputs.length;
const settings = DEFAULT_DETECTION_SETTINGS;
const now = (i: number) => times[i]!;

const empty = measure(count, (i) => inputs[i]!.visitor.userAgent.length);
const building = measure(count, (i) => {
  const { visitor, ip, device, history, targeting, accountIpLists } = inputs[i]!;
  const input = { visitor, ip: { ...ip }, device, history: { ...history }, targeting, accountIpLists };
  return input.visitor.ip.length;
});
const full = measure(count, (i) => evaluate(inputs[i]!, now(i), settings).fraudScore);
const perRule = RULES.map((rule) => ({
  name: rule.name,
  ...measure(count, (i) => rule.evaluate(inputs[i]!, { now: now(i), settings } as never).length, 5),
}));
const flagged = inputs.filter((input, i) => evaluate(input, now(i), settings).fraudTypes.length > 0).length;

collect();
const windows = windowMemory(ipCount);

const machine = describeMachine();
const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const section = [
  `Measured ${when} UTC on ${machine}; code ${describeCommit(ROOT)}.`,
  '',
  `Command: \`${command}\``,
  '',
  `Settings: ${int(count)} distinct \`DetectionInput\`s from the demo's simulator (seed 7, a day of traffic, ${int(flagged)} of them flagged), cycled ${rounds} times per sample, median of 7 samples after a warm-up pass; ` +
    "each built outside the timed loop through the tracker's own `buildVisitor`, the bundled geo/ASN data, the Tor/VPN fixture lists and the same memory windows as the tracker. Default detection settings, no targeting.",
  '',
  markdownTable(
    ['per click', 'µs', '× empty loop'],
    [
      ['empty loop (read one field of the input)', us(empty.nsPerCall), '1'],
      [
        'build the input object (what the tracker does before evaluate)',
        us(building.nsPerCall),
        (building.nsPerCall / empty.nsPerCall).toFixed(1),
      ],
      [
        `**evaluate() with all ${RULES.length} rules**`,
        `**${us(full.nsPerCall)}**`,
        (full.nsPerCall / empty.nsPerCall).toFixed(1),
      ],
      ...perRule.map((rule) => [
        `rule ${rule.name} alone`,
        us(rule.nsPerCall),
        (rule.nsPerCall / empty.nsPerCall).toFixed(1),
      ]),
    ],
  ),
  '',
  `**Window memory**: ${int(ipCount)} distinct client IPs in one hour (spread evenly, 3 campaigns, 4 user agents), each window alone, heap used after two forced GCs before and after (\`--expose-gc\`). The visitor windows keep at most 1,000,000 keys and the subnet window 100,000, forgetting the least recently seen first.`,
  '',
  markdownTable(
    [
      'window',
      'keys kept',
      'heap used before → after (MiB)',
      'window (MiB)',
      'bytes per key',
      'µs per hit (all)',
      'first 10% of hits',
      'last 10% of hits',
    ],
    windows.map((window) => [
      window.name,
      int(window.keys),
      `${mib(window.heapBefore)} → ${mib(window.heapAfter)}`,
      mib(window.bytes),
      window.keys === 0 ? '–' : int(window.bytes / window.keys),
      us(window.nsPerHit),
      us(window.nsFirstTenth),
      us(window.nsLastTenth),
    ]),
  ),
  '',
  'µs per hit include building the key as the tracker does (a SHA-256 or SHA-1 of the user agent, string concatenation). ' +
    'A window at its key cap forgets one key on every new one: the subnet window reaches its cap of 100,000 keys once that many distinct /24s (per campaign) have clicked, and its last-tenth column is the cost from then on.',
  '',
  `All three together (what one tracker node holds after such an hour): ${mib(windows.reduce((sum, window) => sum + window.bytes, 0))} MiB.`,
].join('\n');

console.log(`## Detection cost\n\n${section}`);
if (!flags['no-write']) {
  writeDetectionBlock(join(ROOT, 'BENCHMARKS.md'), 'cost', section);
  console.log('\nBENCHMARKS.md: "## Detection cost" written.');
}
