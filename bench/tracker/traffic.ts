// What a click looks like on the wire: Chrome 131 browser headers and a large pool of client addresses,
// varied per request. Everything is built up front so that a request costs a few lookups, not string work.
import type autocannon from 'autocannon';

/** xorshift32 with a fixed seed, so two runs (and the ceiling and the tracker) see the same sequence. */
export function createRandom(seed = 0x2545f491): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

// IPv4 blocks a click never legitimately comes from (RFC 6890, multicast, class E).
const RESERVED_V4: readonly (readonly [number, number])[] = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0000000, 24],
  [0xc0000200, 24],
  [0xc0586300, 24],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xc6336400, 24],
  [0xcb007100, 24],
  [0xe0000000, 3],
];

const isReservedV4 = (n: number): boolean =>
  RESERVED_V4.some(([base, bits]) => n >>> (32 - bits) === base >>> (32 - bits));

const formatV4 = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** A global-unicast IPv6 address (2000::/3), outside 2001:db8::/32 (documentation) and 2002::/16 (6to4). */
function randomV6(random: () => number): string {
  for (;;) {
    const groups = Array.from({ length: 8 }, () => random() & 0xffff);
    groups[0] = 0x2000 | (groups[0]! & 0x1fff);
    if ((groups[0] === 0x2001 && groups[1] === 0x0db8) || groups[0] === 0x2002) continue;
    // Realistic shape: a /48 or /64 from a provider, then an interface id.
    return groups.map((g) => g.toString(16)).join(':');
  }
}

export interface ClientPool {
  readonly addresses: readonly string[];
  readonly v4: number;
  readonly v6: number;
}

export function createClientPool(v4Count: number, v6Count: number, random = createRandom(0x1badb002)): ClientPool {
  const seen = new Set<string>();
  while (seen.size < v4Count) {
    const n = random();
    if (!isReservedV4(n)) seen.add(formatV4(n));
  }
  while (seen.size < v4Count + v6Count) seen.add(randomV6(random));
  return { addresses: [...seen], v4: v4Count, v6: v6Count };
}

const CHROME_SEC_CH_UA = '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"';

interface BrowserProfile {
  readonly userAgent: string;
  readonly platform: string;
  readonly mobile: boolean;
}

// Chrome 131 sends the reduced user agent: fixed OS versions, 131.0.0.0, "K" for the Android model.
const PROFILES: readonly BrowserProfile[] = [
  {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    platform: '"Windows"',
    mobile: false,
  },
  {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    platform: '"macOS"',
    mobile: false,
  },
  {
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    platform: '"Android"',
    mobile: true,
  },
];
// Windows is most of desktop ad traffic, Android most of mobile: weight the rotation roughly that way.
const PROFILE_WEIGHTS = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2];

const ACCEPT_LANGUAGES = [
  'en-US,en;q=0.9',
  'en-GB,en-US;q=0.9,en;q=0.8',
  'de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7',
  'fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7',
  'es-ES,es;q=0.9',
  'pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7',
  'ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7',
];

const REFERERS = [
  'https://www.google.com/',
  'https://www.google.com/',
  'https://www.bing.com/',
  'https://m.facebook.com/',
];

/** Complete header sets a real Chrome 131 sends on a top-level navigation from a search result. */
function headerSets(): Record<string, string>[] {
  const sets: Record<string, string>[] = [];
  for (const profileIndex of PROFILE_WEIGHTS) {
    const profile = PROFILES[profileIndex]!;
    for (const language of ACCEPT_LANGUAGES) {
      for (const referer of REFERERS) {
        sets.push({
          'sec-ch-ua': CHROME_SEC_CH_UA,
          'sec-ch-ua-mobile': profile.mobile ? '?1' : '?0',
          'sec-ch-ua-platform': profile.platform,
          'upgrade-insecure-requests': '1',
          'user-agent': profile.userAgent,
          accept:
            'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
          'sec-fetch-site': 'cross-site',
          'sec-fetch-mode': 'navigate',
          'sec-fetch-user': '?1',
          'sec-fetch-dest': 'document',
          referer,
          'accept-encoding': 'gzip, deflate, br, zstd',
          'accept-language': language,
        });
      }
    }
  }
  return sets;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Google click ids look like `Cj0KCQiA…_BwE`; the server only stores them, so shape matters more than validity. */
function gclids(count: number, random: () => number): string[] {
  return Array.from({ length: count }, () => {
    let id = 'Cj0KCQiA';
    for (let i = 0; i < 60; i++) id += BASE62[random() % 62];
    return `${id}_BwE`;
  });
}

export interface Traffic {
  /** For autocannon's `requests: [{ setupRequest }]`: a new path, header set and client address per request. */
  readonly setupRequest: NonNullable<autocannon.Request['setupRequest']>;
  /** The same thing for other clients: path and headers of the next click. */
  next(): { path: string; headers: Record<string, string> };
  readonly pool: ClientPool;
  readonly headerSetCount: number;
}

/**
 * Clicks on `/c/{uuid}?sub1=bench&gclid=…` from `pool`. The seed fixes the sequence, so the ceiling and each
 * tracker run get identical traffic.
 */
export function createTraffic(
  campaignUuid: string,
  pool: ClientPool,
  seed = 0x9e3779b9,
  query = 'sub1=bench&gclid=',
): Traffic {
  const random = createRandom(seed);
  const sets = headerSets();
  const ids = gclids(8192, createRandom(seed ^ 0x5bd1e995));
  // A `{zone}` in the query (the traffic-source campaign's placement) becomes one of 200 zones per click.
  const [head, tail] = query.split('{zone}') as [string, string | undefined];
  const prefix = `/c/${campaignUuid}?${head}`;
  const { addresses } = pool;
  const next = (): { path: string; headers: Record<string, string> } => {
    const headers = { ...sets[random() % sets.length]!, 'x-forwarded-for': addresses[random() % addresses.length]! };
    const zone = tail === undefined ? '' : `z${random() % 200}${tail}`;
    return { path: prefix + zone + ids[random() & 8191]!, headers };
  };
  return {
    setupRequest: (request) => {
      const click = next();
      request.path = click.path;
      request.headers = click.headers;
      return request;
    },
    next,
    pool,
    headerSetCount: sets.length,
  };
}
