// The detection windows alone over a long soak, in process: the tracker soak's traffic (bench/tracker:
// 50,000 IPv4 + 5,000 IPv6 client addresses, three Chrome user agents, one campaign) through the tracker's own
// call (observeInMemory) on the window set the tracker builds, on a simulated clock, with the process's memory
// at every tenth. Shows where the windows' memory goes and that it stops at the cap, without HTTP and SQLite
// (a 10,000,000-click soak takes minutes instead of hours).
//   node --expose-gc --import tsx bench/windows/soak.ts --clicks 10000000 --mb 200 [--rate 1000]
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { generateClickId } from '../../src/modules/clicks/click-id.ts';
import { observeInMemory, type DetectionSpans } from '../../src/storage/counters/detection-window-store.ts';
import { createMemoryWindowSet } from '../../src/storage/counters/memory-window-set.ts';
import { createClientPool, createRandom } from '../tracker/traffic.ts';

const { values: flags } = parseArgs({
  options: {
    clicks: { type: 'string', default: '10000000' },
    mb: { type: 'string', default: '200' },
    // Simulated clicks per second: the windows' spans are measured on this clock.
    rate: { type: 'string', default: '1000' },
  },
});
const CLICKS = Number(flags.clicks);
const MB = Number(flags.mb);
const RATE = Number(flags.rate);
const HOUR = 3_600_000;
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
];
// The widest spans an account may set: what the windows keep is bounded by these, not by the settings.
const spans: DetectionSpans = { duplicateMs: 24 * HOUR, burstMs: HOUR, shortMs: 60_000, farmMs: HOUR, historyMs: HOUR };

const pool = createClientPool(50_000, 5_000);
const subnetOf = (ip: string) =>
  ip.includes(':') ? `${ip.split(':').slice(0, 3).join(':')}::/48` : `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
// Keys built once per address and browser, as the tracker's caches make them cheap.
const clients = pool.addresses.flatMap((ip) =>
  USER_AGENTS.map((ua) => {
    const visitor = createHash('sha256').update(`${ip}\n${ua}`).digest('base64url').slice(0, 22);
    return { keys: { device: `1:${visitor}`, ip: `1:${ip}`, subnet: `1:${subnetOf(ip)}` }, visitor };
  }),
);

const set = createMemoryWindowSet(MB);
const stats = (): unknown =>
  (set as { stats?: () => unknown }).stats?.() ??
  Object.fromEntries(Object.entries(set.windows).map(([name, window]) => [name, { keys: window.size }]));
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (bytes: number) => Math.round(bytes / 1_048_576);
function report(done: number): void {
  gc?.();
  const usage = process.memoryUsage();
  console.log(
    JSON.stringify({
      clicks: done,
      rss: mib(usage.rss),
      heapUsed: mib(usage.heapUsed),
      arrayBuffers: mib(usage.arrayBuffers),
      windows: stats(),
    }),
  );
}

const random = createRandom(0x9e3779b9);
const start = Date.UTC(2026, 0, 15);
report(0);
const started = performance.now();
for (let i = 1; i <= CLICKS; i++) {
  const client = clients[random() % clients.length]!;
  observeInMemory(set.windows, {
    keys: client.keys,
    visitorKey: client.visitor,
    clickId: generateClickId(),
    now: start + Math.floor((i * 1000) / RATE),
    spans,
  });
  if (i % (CLICKS / 10) === 0) report(i);
}
console.log(
  `${(((performance.now() - started) / CLICKS) * 1000).toFixed(1)} µs per click; load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
