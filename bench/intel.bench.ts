// Cost of click enrichment: ASN index build and load, and ns per lookup with and without the LRU.
// Run: node --import tsx bench/intel.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAsnIndex } from '../src/intel/asn.ts';
import { openDbipCityGeo } from '../src/intel/geo.ts';
import { createIpIntel } from '../src/intel/ip-intel.ts';
import { formatIpv4 } from '../src/intel/ip-address.ts';
import { parseUserAgent } from '../src/intel/user-agent.ts';

const DISTINCT = 100_000;
const LOOKUPS = 1_000_000;

// Reserved blocks a click never legitimately comes from (RFC 6890 and multicast/class E).
const RESERVED: [number, number][] = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0000000, 24],
  [0xc0000200, 24],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xc6336400, 24],
  [0xcb007100, 24],
  [0xe0000000, 3],
];
const isReserved = (n: number): boolean => RESERVED.some(([base, bits]) => n >>> (32 - bits) === base >>> (32 - bits));

// A fixed-seed generator keeps runs comparable.
let seed = 0x2545f491;
const random32 = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};

const ips: string[] = [];
while (ips.length < DISTINCT) {
  const n = random32();
  if (!isReserved(n)) ips.push(formatIpv4(n));
}
const order = Uint32Array.from({ length: LOOKUPS }, () => random32() % DISTINCT);

function time(label: string, lookup: (ip: string) => unknown, keys: readonly string[] = ips): void {
  for (let i = 0; i < 50_000; i++) lookup(keys[order[i]! % keys.length]!); // warm-up: JIT and caches
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) if (lookup(keys[order[i]! % keys.length]!) !== undefined) sink++;
  const ns = Number(process.hrtime.bigint() - started) / LOOKUPS;
  console.log(
    `${label.padEnd(58)} ${ns.toFixed(0).padStart(6)} ns/lookup  (${((sink / LOOKUPS) * 100).toFixed(1)}% found)`,
  );
}

const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-'));
try {
  const built = await openAsnIndex({ dataDir });
  const loaded = await openAsnIndex({ dataDir });
  console.log(`ASN index build (stream CSVs, encode, write): ${built.buildMs.toFixed(0)} ms`);
  console.log(
    `ASN index load (read ${(built.header.v4Count + built.header.v6Count).toLocaleString()} ranges): ${loaded.loadMs.toFixed(1)} ms`,
  );
  let started = performance.now();
  const geo = openDbipCityGeo();
  console.log(`DB-IP city open (both mmdb files): ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  const geoNoRecordCache = openDbipCityGeo({ recordCacheSize: 0 });
  console.log(`DB-IP city open again, no record cache: ${(performance.now() - started).toFixed(0)} ms`);
  console.log(`\n${LOOKUPS.toLocaleString()} lookups over ${DISTINCT.toLocaleString()} random public IPv4 addresses:`);

  // Touching 100k scattered strings costs cache misses of its own; this row is that floor.
  time('baseline: read the key string only', (ip) => (ip.charCodeAt(ip.length - 1) > 0 ? ip : undefined));
  time('ASN index only', (ip) => loaded.lookup(ip));
  time('geo only, mmdb record cache off', (ip) => geoNoRecordCache.lookup(ip));
  time('geo only, mmdb record cache 10k', (ip) => geo.lookup(ip));
  const noLru = createIpIntel({ geo, asn: loaded, cacheSize: { ip: 0, userAgent: 0 } });
  time('lookupIp, no LRU', (ip) => noLru.lookupIp(ip));
  const defaultLru = createIpIntel({ geo, asn: loaded });
  time('lookupIp, default LRU (50k of 100k distinct: ~50% hits)', (ip) => defaultLru.lookupIp(ip));
  const bigLru = createIpIntel({ geo, asn: loaded, cacheSize: { ip: DISTINCT } });
  for (const ip of ips) bigLru.lookupIp(ip);
  time('lookupIp, warm LRU holding every address (all hits)', (ip) => bigLru.lookupIp(ip));

  const v6 = Array.from(
    { length: 10_000 },
    () => `2a0${random32() % 10}:${(random32() % 0xffff).toString(16)}::${(random32() % 0xffff).toString(16)}`,
  );
  time('IPv6 (2a0x::/16 random), ASN index only', (ip) => loaded.lookup(ip), v6);
  time('IPv6 (2a0x::/16 random), lookupIp no LRU', (ip) => noLru.lookupIp(ip), v6);

  const uas = [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ];
  time('user agent, parseUserAgent (no cache)', (ua) => parseUserAgent(ua), uas);
  time('user agent, lookupUserAgent (LRU hits)', (ua) => defaultLru.lookupUserAgent(ua), uas);
  console.log(
    `\nheap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB, external+arrayBuffers ${(process.memoryUsage().arrayBuffers / 2 ** 20).toFixed(0)} MB`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
