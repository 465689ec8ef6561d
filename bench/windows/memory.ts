// Bytes per key of the detection windows: fills each window as the tracker does (one click per key, a
// minted click id, keys built the tracker's way) and measures the heap plus the typed arrays' buffers
// after forced GCs, before and after. Also the µs per hit (key building included).
//   npm run bench:windows-memory -- --keys 1000000 [--no-write]
import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateClickId } from '../../src/modules/clicks/click-id.ts';
import { createMemoryDistinctWindow } from '../../src/storage/counters/memory-distinct-window.ts';
import { createMemoryVisitorWindow } from '../../src/storage/counters/memory-visitor-window.ts';
import { createMemoryLineWindow } from '../../src/storage/counters/memory-line-window.ts';
import { windowBytes, windowLimits } from '../../src/storage/counters/memory-window-budget.ts';
import { createMemoryWindowSet } from '../../src/storage/counters/memory-window-set.ts';
import { observeInMemory, type DetectionSpans } from '../../src/storage/counters/detection-window-store.ts';
import { describeCommit, describeMachine, markdownTable } from '../tracker/report.ts';
import { writeMarkedBlock } from '../detection/report.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  // Forced collections need --expose-gc: re-run this file with it.
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
const collect = gc;

const { values: flags } = parseArgs({
  options: {
    keys: { type: 'string', default: '1000000' },
    // DETECTION_WINDOW_MEMORY_MB whose four windows are filled to their limits (0: skip).
    budget: { type: 'string', default: '160' },
    'no-write': { type: 'boolean', default: false },
  },
});
const KEYS = Number(flags.keys);
if (!Number.isInteger(KEYS) || KEYS < 1000) throw new Error('--keys must be a whole number of at least 1000');
const BUDGET_MB = Number(flags.budget);
const ROOT = resolve(import.meta.dirname, '../..');
const HOUR = 3_600_000;
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
];

/** A public-looking IPv4 address per index (distinct for the first 16 million). */
function nthIp(i: number): string {
  return `${11 + ((i >>> 16) & 0xff)}.${(i >>> 8) & 0xff}.${i & 0xff}.${7 + ((i >>> 24) & 0x7f)}`;
}

function memoryAfterGc(): number {
  collect();
  collect();
  const usage = process.memoryUsage();
  // Typed arrays live outside the heap: both count.
  return usage.heapUsed + usage.arrayBuffers;
}

interface Result {
  name: string;
  keys: number;
  bytes: number;
  usPerHit: number;
}

function measure(name: string, fill: () => { readonly size: number }, hits = KEYS): Result {
  const before = memoryAfterGc();
  const started = process.hrtime.bigint();
  const window = fill();
  const elapsed = Number(process.hrtime.bigint() - started) / 1000;
  const after = memoryAfterGc();
  return { name, keys: window.size, bytes: after - before, usPerHit: elapsed / hits };
}

const at = (i: number) => Date.UTC(2026, 0, 15, 12) + Math.floor((i * HOUR) / KEYS);
const visitorKey = (i: number) => hash('sha256', `${nthIp(i)}\n${USER_AGENTS[i & 3]}`, 'base64url').slice(0, 22);
const results: Result[] = [
  measure('visitors (duplicates): campaign + visitor hash, 1 click', () => {
    const window = createMemoryVisitorWindow(24 * HOUR, KEYS);
    for (let i = 0; i < KEYS; i++) window.hit(`${i % 3}:${visitorKey(i)}`, at(i), HOUR, generateClickId());
    return window;
  }),
  measure('addresses (rapid fire): campaign + IP, 1 click', () => {
    const window = createMemoryVisitorWindow(HOUR, KEYS, 128);
    for (let i = 0; i < KEYS; i++) window.hit(`${i % 3}:${nthIp(i)}`, at(i), 60_000, generateClickId());
    return window;
  }),
  measure('address devices (farm behind one line): campaign + IP, 1 visitor hash', () => {
    const window = createMemoryDistinctWindow(HOUR, KEYS);
    for (let i = 0; i < KEYS; i++) window.hit(`${i % 3}:${nthIp(i)}`, visitorKey(i), at(i), HOUR);
    return window;
  }),
  measure('subnets (click farms): campaign + /24, 4 devices of 1 click each', () => {
    const window = createMemoryDistinctWindow(HOUR, KEYS);
    // Four addresses of one /24 per key, each a device with one click.
    for (let i = 0; i < KEYS; i++) {
      const ip = nthIp(i >>> 2);
      window.hit(
        `${(i >>> 2) % 3}:${ip.slice(0, ip.lastIndexOf('.'))}.0/24:${i >>> 2}`,
        `${i & 3}`,
        at(i),
        HOUR,
        generateClickId(),
      );
    }
    return window;
  }),
  measure('lines (farm over several lines): campaign + /24, 1 line', () => {
    const window = createMemoryLineWindow(HOUR, KEYS);
    for (let i = 0; i < KEYS; i++) {
      const ip = nthIp(i);
      window.record(`${i % 3}:${ip.slice(0, ip.lastIndexOf('.'))}.0/24:${i}`, `${i % 3}:${ip}`, 1, at(i), HOUR);
    }
    return window;
  }),
];
// The tracker's five windows at the limits of DETECTION_WINDOW_MEMORY_MB, driven past every one of them by
// the tracker's own call (observeInMemory): first busy traffic (half the address limit, four addresses a /24,
// four browsers an address, 24 clicks an address: the click and member limits bind), then wide traffic
// (twice the address limit, one click each: the key limits bind). What a node holds at the cap.
if (!Number.isInteger(BUDGET_MB) || BUDGET_MB < 0) throw new Error('--budget must be a whole number of MiB');
const capNotes: string[] = [];
if (BUDGET_MB > 0) {
  const spans: DetectionSpans = {
    duplicateMs: 24 * HOUR,
    burstMs: HOUR,
    shortMs: 60_000,
    farmMs: HOUR,
    historyMs: HOUR,
  };
  const limits = windowLimits(BUDGET_MB);
  const busy = Math.floor(limits.addresses.keys / 2);
  const wide = limits.addresses.keys * 2;
  const phases = [
    { addresses: busy, clicks: busy * 24 },
    { addresses: wide, clicks: wide },
  ];
  const clicks = phases.reduce((sum, phase) => sum + phase.clicks, 0);
  /** Four addresses a /24 (the windows see only strings: these need not be routable). */
  const address = (a: number) => `${11 + (a >>> 18)}.${(a >>> 10) & 0xff}.${(a >>> 2) & 0xff}.${(a & 3) + 1}`;
  results.push(
    measure(
      `all five at the limits of DETECTION_WINDOW_MEMORY_MB=${BUDGET_MB}, driven past them`,
      () => {
        const set = createMemoryWindowSet(BUDGET_MB);
        let i = 0;
        for (const [n, phase] of phases.entries()) {
          for (let k = 0; k < phase.clicks; k++, i++) {
            const a = (k % phase.addresses) + n * busy;
            const ip = address(a);
            const visitor = visitorKey(a * 4 + ((k / phase.addresses) & 3));
            observeInMemory(set.windows, {
              keys: { device: `1:${visitor}`, ip: `1:${ip}`, subnet: `1:${ip.slice(0, ip.lastIndexOf('.'))}.0/24` },
              visitorKey: visitor,
              clickId: generateClickId(),
              now: Date.UTC(2026, 0, 15, 12) + Math.floor((i * HOUR) / 2 / clicks),
              spans,
            });
          }
          capNotes.push(
            `After phase ${n + 1} (${i.toLocaleString('en-US')} clicks), held: ${JSON.stringify(set.stats())}.`,
          );
        }
        capNotes.unshift(
          `Limits of ${BUDGET_MB} MiB: ${JSON.stringify(set.limits)}; the typed arrays at those limits hold at most ` +
            `${(windowBytes(set.limits) / 2 ** 20).toFixed(1)} MiB.`,
        );
        const stats = Object.values(set.stats());
        return { size: stats.reduce((sum, window) => sum + window.keys, 0), set };
      },
      clicks,
    ),
  );
}

const rows = results.map((r) => [
  r.name,
  r.keys.toLocaleString('en-US'),
  (r.bytes / 2 ** 20).toFixed(1),
  Math.round(r.bytes / r.keys).toLocaleString('en-US'),
  r.usPerHit.toFixed(2),
]);
const table = markdownTable(['window', 'keys kept', 'window (MiB)', 'bytes per key', 'µs per hit'], rows);
console.log(table);
for (const note of capNotes) console.log(`\n${note}`);
if (!flags['no-write']) {
  const block = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()}; code ${describeCommit(ROOT)}.`,
    '',
    `Command: \`npm run bench:windows-memory -- --keys ${KEYS} --budget ${BUDGET_MB}\``,
    '',
    table,
    ...capNotes.flatMap((note) => ['', note]),
  ].join('\n');
  writeMarkedBlock(resolve(ROOT, 'BENCHMARKS.md'), 'windows:memory', '## Detection window memory', block);
}
