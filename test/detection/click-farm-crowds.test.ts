// A crowd behind one address against a farm over a few carrier lines (issue 21): real user agents and
// header sets, replayed click by click through the tracker's own window keys, the detection windows (in
// memory, and in Redis when REDIS_TEST_URL is set) and every rule, earlier clicks flagged through the
// late findings' claims as the tracker does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS, evaluate, UNKNOWN_REPUTATION, type IpInfo } from '../../src/detection/index.ts';
import { claimGroup, detectionSpans, visitorHash, windowKeys } from '../../src/modules/clicks/click-tracker.service.ts';
import { buildVisitor } from '../../src/modules/clicks/visitor.ts';
import {
  BURST_RETENTION_MS,
  DUPLICATE_RETENTION_MS,
  createMemoryDetectionWindowStore,
  type DetectionWindowStore,
} from '../../src/storage/counters/detection-window-store.ts';
import { createMemoryDistinctWindow } from '../../src/storage/counters/memory-distinct-window.ts';
import { createMemoryLineWindow } from '../../src/storage/counters/memory-line-window.ts';
import { BURST_TIMES_PER_KEY, createMemoryVisitorWindow } from '../../src/storage/counters/memory-visitor-window.ts';
import { openRedis, waitForRedis } from '../../src/storage/counters/redis-client.ts';
import { createRedisDetectionWindowStore } from '../../src/storage/counters/redis-detection-window-store.ts';
import { freshPrefix, REDIS_SKIP_REASON, REDIS_URL } from '../scale/redis-env.ts';

const MINUTE = 60_000;
const START = Date.UTC(2026, 2, 10, 9, 0, 0);

/** A browser as it navigates from an ad: its user agent and the headers its engine sends. */
interface Browser {
  readonly userAgent: string;
  readonly hints: Readonly<Record<string, string>>;
  readonly language: string;
}

const chromeHints = (brand: string, version: number, platform: string, mobile: boolean) => ({
  'sec-ch-ua': `"${brand}";v="${version}", "Chromium";v="${version}", "Not_A Brand";v="24"`,
  'sec-ch-ua-mobile': mobile ? '?1' : '?0',
  'sec-ch-ua-platform': `"${platform}"`,
});

// Office desks: the user agents of current desktop browsers and phones (Chrome's reduced user agent).
const DESKS: readonly Browser[] = [
  ...[131, 130, 129].map((v) => ({
    userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`,
    hints: chromeHints('Google Chrome', v, 'Windows', false),
    language: 'en-US,en;q=0.9',
  })),
  ...[131, 130].map((v) => ({
    userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`,
    hints: chromeHints('Microsoft Edge', v, 'Windows', false),
    language: 'en-US,en;q=0.9',
  })),
  {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    hints: chromeHints('Google Chrome', 131, 'macOS', false),
    language: 'en-US,en;q=0.9',
  },
  {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Safari/605.1.15',
    hints: {},
    language: 'en-US',
  },
  {
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    hints: {},
    language: 'en-US,en;q=0.5',
  },
  {
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1',
    hints: {},
    language: 'en-US',
  },
];

// A farm's phones: cheap Androids in Chrome, Samsung Internet and Facebook's in-app browser, all Indonesian.
const PHONES: readonly Browser[] = [
  ...[131, 130].map((v) => ({
    userAgent: `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`,
    hints: chromeHints('Google Chrome', v, 'Android', true),
    language: 'id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7',
  })),
  {
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
    hints: chromeHints('Samsung Internet', 122, 'Android', true),
    language: 'id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7',
  },
  ...['SM-A155F', 'RMX3710', 'CPH2591'].map((model) => ({
    userAgent: `Mozilla/5.0 (Linux; Android 14; ${model} Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.104 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/490.0.0.52.109;]`,
    hints: chromeHints('Android WebView', 131, 'Android', true),
    language: 'id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7',
  })),
];

// Networks as the bundled ASN data names them.
const COMCAST: Omit<IpInfo, 'reputation'> = {
  country: 'US',
  asn: 7922,
  asOrg: 'Comcast Cable Communications, LLC',
};
const TELKOMSEL: Omit<IpInfo, 'reputation'> = {
  country: 'ID',
  asn: 23693,
  asOrg: 'PT. Telekomunikasi Selular',
};

interface Click {
  readonly at: number;
  readonly ip: string;
  readonly browser: Browser;
  readonly network: Omit<IpInfo, 'reputation'>;
}

/** A fixed sequence (a linear congruential generator), so the scenario is the same on every run. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/**
 * 30 people behind one broadband address over three hours: most click when they come across the ad, 8
 * within a few minutes after a meeting, and two of them click again a little later.
 */
function office(): Click[] {
  const random = sequence(21);
  const clicks: Click[] = [];
  for (let desk = 0; desk < 30; desk++) {
    const browser = DESKS[Math.floor(random() * DESKS.length)]!;
    const at = desk < 8 ? START + 95 * MINUTE + random() * 6 * MINUTE : START + random() * 180 * MINUTE;
    clicks.push({ at, ip: '73.162.20.14', browser, network: COMCAST });
    if (desk % 15 === 3) clicks.push({ at: at + 40_000, ip: '73.162.20.14', browser, network: COMCAST });
  }
  return clicks.sort((a, b) => a.at - b.at);
}

/** 20 phones on two lines of one Telkomsel /24, each tapping the ad once or twice within 12 minutes. */
function farm(): Click[] {
  const random = sequence(7);
  const clicks: Click[] = [];
  for (let phone = 0; phone < 20; phone++) {
    const browser = PHONES[Math.floor(random() * PHONES.length)]!;
    const ip = phone % 2 === 0 ? '114.124.193.240' : '114.124.193.17';
    const taps = phone % 5 === 0 ? 2 : 1;
    for (let tap = 0; tap < taps; tap++)
      clicks.push({ at: START + random() * 12 * MINUTE, ip, browser, network: TELKOMSEL });
  }
  return clicks.sort((a, b) => a.at - b.at);
}

/** Every click through the windows and the rules; the click-farm reasons each ends with, claims included. */
async function replay(store: DetectionWindowStore, clicks: readonly Click[]): Promise<(string | null)[]> {
  const settings = DEFAULT_DETECTION_SETTINGS;
  const found = clicks.map(() => null as string | null);
  for (const [index, click] of clicks.entries()) {
    const visitor = buildVisitor({
      ip: click.ip,
      method: 'GET',
      protocol: 'https',
      headers: {
        ...click.browser.hints,
        'user-agent': click.browser.userAgent,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': click.browser.language,
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
      },
      query: {},
    });
    const visitorKey = visitorHash(visitor);
    const history = await store.observe({
      keys: windowKeys('c1', visitor, visitorKey),
      visitorKey,
      clickId: String(index),
      now: click.at,
      spans: detectionSpans(settings),
    });
    const verdict = evaluate(
      {
        visitor,
        history,
        ip: { ...click.network, reputation: UNKNOWN_REPUTATION },
        device: { device: 'mobile', os: 'Android', browser: 'Chrome' },
        targeting: { allowedCountries: [], blockedCountries: [], allowedDevices: [], ipBlocklist: [] },
        accountIpLists: { allow: [], block: [] },
      },
      click.at,
      settings,
    );
    for (const finding of verdict.lateFindings) {
      if (finding.type !== 'click_farm') continue;
      found[index] = finding.message;
      for (const id of await claimGroup(store, 'c1', visitor, visitorKey, finding, click.at))
        found[Number(id)] ??= finding.message;
    }
  }
  return found;
}

function memoryStore(): DetectionWindowStore {
  return createMemoryDetectionWindowStore({
    visitors: createMemoryVisitorWindow(DUPLICATE_RETENTION_MS),
    addresses: createMemoryVisitorWindow(BURST_RETENTION_MS, 1000, BURST_TIMES_PER_KEY),
    subnets: createMemoryDistinctWindow(BURST_RETENTION_MS),
    addressDevices: createMemoryDistinctWindow(BURST_RETENTION_MS),
    lines: createMemoryLineWindow(BURST_RETENTION_MS),
  });
}

async function withRedisStore<T>(body: (store: DetectionWindowStore) => Promise<T>): Promise<T> {
  const { prefix, cleanUp } = freshPrefix();
  const redis = openRedis(REDIS_URL!);
  await waitForRedis(redis);
  try {
    return await body(createRedisDetectionWindowStore(redis, { prefix }));
  } finally {
    await redis.quit();
    await cleanUp();
  }
}

const STORES: readonly [
  string,
  false | string,
  <T>(body: (store: DetectionWindowStore) => Promise<T>) => Promise<T>,
][] = [
  ['in memory', false, (body) => body(memoryStore())],
  ['in Redis', REDIS_SKIP_REASON, withRedisStore],
];

describe('click farm: crowds against farms, click by click', () => {
  for (const [name, skip, run] of STORES) {
    it(`an office of 30 over three hours behind one address is not a farm (${name})`, { skip }, async () => {
      const clicks = office();
      assert.equal(new Set(clicks.map((click) => click.browser.userAgent)).size > 5, true, 'several browser builds');
      const found = await run((store) => replay(store, clicks));
      assert.deepEqual(
        found.filter((reason) => reason !== null),
        [],
      );
    });

    it(`20 phones over two lines of one carrier's /24 are a farm, every click (${name})`, { skip }, async () => {
      const clicks = farm();
      const found = await run((store) => replay(store, clicks));
      assert.deepEqual(
        found.map((reason, index) => (reason === null ? `click ${index} at ${clicks[index]!.ip} missed` : null)),
        clicks.map(() => null),
      );
      assert.ok(
        found.some((reason) => /behind another line of it/.test(reason!)),
        `found by its lines: ${found.find((reason) => reason !== null)}`,
      );
    });
  }
});
