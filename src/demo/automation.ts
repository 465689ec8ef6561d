/** Automated clicks: scripts that say what they are, automation that poses as Chrome, bursts and farms. */
import type { FraudType } from '../detection/index.ts';
import { FARM_POOLS, addressInSubnet24, addressInV4Cidr, subnet24 } from './address-pools.ts';
import { adQuery, adReferer, pickCampaign } from './ad-traffic.ts';
import { createBrowser, languagesFor, navigationHeaders, secChUa, type BrowserKind } from './browsers.ts';
import {
  cloudNetwork,
  expectation,
  makeClick,
  mobileNetwork,
  residentialNetwork,
  uniformTime,
  withNetworkTypes,
  type DraftClick,
  type Network,
  type PopulationContext,
  type PopulationGenerator,
} from './population-kit.ts';
import type { Random } from './random.ts';
import type { SimCampaign } from './types.ts';

/** Extra types that are not wrong for an automated actor: its repeats, bursts and shared subnets are real. */
const AUTOMATION_ALLOWED: FraudType[] = ['rapid_fire', 'click_farm', 'duplicate'];

interface Agent {
  readonly name: string;
  readonly weight: number;
  headers(random: Random): Record<string, string>;
}

/** HTTP clients with their own user agent and the few headers they send by default. */
const DECLARED_AGENTS: readonly Agent[] = [
  {
    name: 'curl',
    weight: 16,
    headers: (r) => ({
      'user-agent': r.pick(['curl/8.4.0', 'curl/7.81.0', 'curl/8.7.1', 'curl/7.68.0']),
      accept: '*/*',
    }),
  },
  {
    name: 'python-requests',
    weight: 18,
    headers: (r) => ({
      'user-agent': r.pick(['python-requests/2.31.0', 'python-requests/2.32.3']),
      'accept-encoding': 'gzip, deflate',
      accept: '*/*',
      connection: 'keep-alive',
    }),
  },
  {
    name: 'Go-http-client',
    weight: 10,
    headers: (r) => ({ 'user-agent': r.pick(['Go-http-client/1.1', 'Go-http-client/2.0']), 'accept-encoding': 'gzip' }),
  },
  {
    name: 'Scrapy',
    weight: 8,
    headers: () => ({
      'user-agent': 'Scrapy/2.11.2 (+https://scrapy.org)',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'en',
      'accept-encoding': 'gzip, deflate, br',
    }),
  },
  {
    name: 'HeadlessChrome',
    weight: 14,
    headers: () => ({
      'sec-ch-ua': secChUa('HeadlessChrome', 131),
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"Linux"',
      'upgrade-insecure-requests': '1',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      accept:
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
      'sec-fetch-site': 'none',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-user': '?1',
      'sec-fetch-dest': 'document',
      'accept-encoding': 'gzip, deflate, br, zstd',
      'accept-language': 'en-US,en;q=0.9',
    }),
  },
  // No User-Agent header at all, or an empty one: raw sockets and stripped-down clients.
  {
    name: 'empty user agent',
    weight: 8,
    headers: (r): Record<string, string> => (r.chance(0.5) ? { accept: '*/*' } : { 'user-agent': '', accept: '*/*' }),
  },
  {
    name: 'Wget',
    weight: 4,
    headers: () => ({ 'user-agent': 'Wget/1.21.4', accept: '*/*', 'accept-encoding': 'identity' }),
  },
  { name: 'okhttp', weight: 5, headers: () => ({ 'user-agent': 'okhttp/4.12.0', 'accept-encoding': 'gzip' }) },
  {
    name: 'axios',
    weight: 5,
    headers: () => ({
      'user-agent': 'axios/1.7.7',
      accept: 'application/json, text/plain, */*',
      'accept-encoding': 'gzip, compress, deflate, br',
    }),
  },
  // Node's built-in fetch (undici).
  {
    name: 'node fetch',
    weight: 5,
    headers: () => ({
      'user-agent': 'node',
      accept: '*/*',
      'accept-language': '*',
      'sec-fetch-mode': 'cors',
      'accept-encoding': 'gzip, deflate',
    }),
  },
  {
    name: 'Java',
    weight: 3,
    headers: () => ({ 'user-agent': 'Java/17.0.9', accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2' }),
  },
  {
    name: 'Apache-HttpClient',
    weight: 2,
    headers: () => ({ 'user-agent': 'Apache-HttpClient/4.5.14 (Java/17.0.9)', 'accept-encoding': 'gzip,deflate' }),
  },
  {
    name: 'PhantomJS',
    weight: 2,
    headers: () => ({
      'user-agent':
        'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'en-US,*',
      'accept-encoding': 'gzip, deflate',
    }),
  },
];

function pickNetwork(
  context: PopulationContext,
  random: Random,
  shares: { residential: number; mobile: number; cloud: number },
): Network {
  const kind = random.weighted([
    ['residential', shares.residential],
    ['mobile', shares.mobile],
    ['cloud', shares.cloud],
  ] as const);
  return kind === 'cloud'
    ? cloudNetwork(random)
    : kind === 'mobile'
      ? mobileNetwork(context, random)
      : residentialNetwork(random);
}

function networkLabel(network: Network): string {
  return `${network.pool.org}${network.kind === 'cloud' ? '' : ` (${network.kind})`}`;
}

/** Times of an actor's clicks: a first one anywhere in the run, then gaps drawn by `gap`. */
function clickTimes(context: PopulationContext, random: Random, count: number, gap: () => number): number[] {
  const times = [uniformTime(context, random)];
  while (times.length < count) {
    const next = times[times.length - 1]! + gap();
    if (next >= context.end) break;
    times.push(next);
  }
  return times;
}

/** How scripts get the link: bare, copied once with its parameters, or fresh from the ad each time. */
function scriptQueries(random: Random, campaign: SimCampaign): () => string {
  const style = random.weighted([
    ['bare', 50],
    ['copied', 30],
    ['fresh', 20],
  ] as const);
  const copied = adQuery(random, campaign);
  return () => (style === 'bare' ? '' : style === 'copied' ? copied : adQuery(random, campaign));
}

export function declaredBots(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('declared-bot');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const agent = random.weighted(DECLARED_AGENTS.map((candidate) => [candidate, candidate.weight] as const));
      const network = pickNetwork(context, random, { residential: 20, mobile: 8, cloud: 72 });
      const campaign = pickCampaign(random, campaigns);
      const count = random.weighted([
        [1, 40],
        [2, 25],
        [3, 15],
        [random.int(4, 6), 20],
      ]);
      const query = scriptQueries(random, campaign);
      const headers = agent.headers(random);
      const ip = network.address(random);
      for (const at of clickTimes(context, random, count, () =>
        random.chance(0.3) ? random.between(1_000, 10_000) : random.between(60_000, 1_800_000),
      )) {
        clicks.push(
          makeClick({
            population: 'declared-bot',
            actor: `script-${index}`,
            label: `${agent.name} · ${networkLabel(network)}`,
            campaign,
            at,
            ip,
            query: query(),
            headers,
            expected: expectation(withNetworkTypes(network, ['bot']), { allowed: AUTOMATION_ALLOWED }),
          }),
        );
      }
    }
    return clicks;
  };
}

interface Forgery {
  readonly name: string;
  readonly weight: number;
  /** Bends a real browser's headers the way a tool gets them wrong. */
  forge(headers: Record<string, string>, random: Random): Record<string, string>;
  readonly browser: BrowserKind;
}

const without = (headers: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
const SEC_FETCH = ['sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-user', 'sec-fetch-dest'];

const FORGERIES: readonly Forgery[] = [
  // Puppeteer/Playwright with a spoofed user agent but no locale set: Chrome then sends no Accept-Language.
  {
    name: 'Chrome UA, no Accept-Language',
    weight: 20,
    browser: 'chrome-windows',
    forge: (h) => without(h, 'accept-language'),
  },
  // An HTTP library given a Chrome user agent string and nothing else.
  {
    name: 'HTTP library with a Chrome UA',
    weight: 20,
    browser: 'chrome-windows',
    forge: (h, r) => ({
      'user-agent': h['user-agent']!,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate',
      connection: 'keep-alive',
      ...(r.chance(0.3) ? { 'accept-language': 'en-US,en;q=0.9' } : {}),
    }),
  },
  // Headless Chrome whose user agent was patched but whose client hints still say HeadlessChrome.
  {
    name: 'HeadlessChrome in Sec-CH-UA',
    weight: 10,
    browser: 'chrome-windows',
    forge: (h) => ({ ...h, 'sec-ch-ua': secChUa('HeadlessChrome', 131) }),
  },
  // A Linux server claiming Windows in the user agent; the client hints tell the truth.
  {
    name: 'Windows UA, Linux client hints',
    weight: 12,
    browser: 'chrome-windows',
    forge: (h) => ({ ...h, 'sec-ch-ua-platform': '"Linux"' }),
  },
  // An old bundled Chromium sending a current Chrome user agent.
  {
    name: 'Chrome 131 UA, Chromium 120 client hints',
    weight: 10,
    browser: 'chrome-windows',
    forge: (h) => ({
      ...h,
      'user-agent': h['user-agent']!.replace(/Chrome\/\d+/, 'Chrome/131'),
      'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"',
    }),
  },
  // Desktop automation posing as an Android phone.
  {
    name: 'Android UA, desktop client hints',
    weight: 8,
    browser: 'chrome-android',
    forge: (h) => ({ ...h, 'sec-ch-ua-mobile': '?0', 'sec-ch-ua-platform': '"Windows"' }),
  },
  // Replayed browser headers without the Sec-Fetch-* that Chrome adds itself.
  { name: 'Chrome UA, no Sec-Fetch-*', weight: 10, browser: 'chrome-windows', forge: (h) => without(h, ...SEC_FETCH) },
  // Chrome's device emulation (Puppeteer's emulate(iPhone)): an iPhone Safari user agent, while the
  // client hints, Sec-Fetch-User and Accept are still desktop Chrome's.
  {
    name: 'iPhone UA from Chrome device emulation',
    weight: 10,
    browser: 'chrome-linux',
    forge: (h, r) => ({ ...h, 'sec-ch-ua-mobile': '?1', 'user-agent': createBrowser(r, 'safari-iphone').userAgent }),
  },
];

export function headerForgingAutomation(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('header-forging');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const forgery = random.weighted(FORGERIES.map((candidate) => [candidate, candidate.weight] as const));
      const campaign = pickCampaign(random, campaigns);
      const browser = createBrowser(random, forgery.browser);
      const network = pickNetwork(context, random, { residential: 55, mobile: 15, cloud: 30 });
      // Residential proxy pools hand out a new address per request.
      const rotating = network.kind === 'residential' && random.chance(0.6);
      const headers = forgery.forge(
        navigationHeaders(
          browser,
          languagesFor(random, 'US'),
          adReferer(random, campaign.platform, browser.kind, 'US'),
        ),
        random,
      );
      const count = random.weighted([
        [1, 50],
        [2, 30],
        [3, 20],
      ]);
      let ip = network.address(random);
      for (const at of clickTimes(context, random, count, () => random.between(20_000, 1_200_000))) {
        const current = rotating ? residentialNetwork(random).address(random) : ip;
        clicks.push(
          makeClick({
            population: 'header-forging',
            actor: `forger-${index}`,
            label: `${forgery.name} · ${networkLabel(network)}${rotating ? ' rotating' : ''}`,
            campaign,
            at,
            ip: current,
            query: adQuery(random, campaign),
            headers,
            expected: expectation(withNetworkTypes(network, ['bot']), { allowed: AUTOMATION_ALLOWED }),
          }),
        );
        ip = current;
      }
    }
    return clicks;
  };
}

/** One address, one campaign, many clicks seconds apart: a clicking script or an angry competitor. */
export function rapidFire(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('rapid-fire');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const campaign = pickCampaign(random, campaigns);
      const network = pickNetwork(context, random, { residential: 60, mobile: 25, cloud: 15 });
      const size = random.weighted([
        [random.int(3, 5), 30],
        [random.int(6, 12), 45],
        [random.int(13, 40), 25],
      ]);
      const rotateAgents = random.chance(0.25);
      const agents = Array.from({ length: rotateAgents ? 3 : 1 }, () =>
        createBrowser(
          random,
          random.pick<BrowserKind>(['chrome-windows', 'chrome-android', 'edge-windows', 'safari-iphone']),
        ),
      );
      const languages = languagesFor(random, network.pool.country);
      const sameUrl = random.chance(0.5);
      const fixedQuery = adQuery(random, campaign);
      const ip = network.address(random);
      const times = clickTimes(context, random, size, () => random.between(400, 5_000));
      times.forEach((at, i) => {
        const browser = random.pick(agents);
        clicks.push(
          makeClick({
            population: 'rapid-fire',
            actor: `burst-${index}`,
            label: `burst of ${times.length} · ${networkLabel(network)} · ${rotateAgents ? '3 user agents' : browser.description}`,
            campaign,
            at,
            ip,
            query: sameUrl ? fixedQuery : adQuery(random, campaign, { device: browser.device }),
            headers: navigationHeaders(
              browser,
              languages,
              adReferer(random, campaign.platform, browser.kind, network.pool.country),
            ),
            expected: expectation(withNetworkTypes(network, ['rapid_fire']), {
              allowed: ['bot', 'click_farm', 'duplicate'],
            }),
            position: i + 1,
          }),
        );
      });
    }
    return clicks;
  };
}

/**
 * Rows of cheap Android phones on one or a few lines of the same /24, each tapping the ad once or
 * twice within minutes. Their browsers are real and their headers perfect.
 */
export function clickFarms(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('click-farm');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const pool = random.pick(FARM_POOLS);
      const subnet = subnet24(addressInV4Cidr(random, random.pick(pool.v4)));
      const lines = Array.from({ length: random.int(1, 3) }, () => addressInSubnet24(random, subnet));
      const campaign = pickCampaign(random, campaigns);
      const phones = random.int(12, 40);
      const start = uniformTime(context, random);
      const session = random.between(4, 20) * 60_000;
      const farmClicks: DraftClick[] = [];
      for (let phone = 0; phone < phones; phone++) {
        const kind = random.weighted<BrowserKind>([
          ['chrome-android', 45],
          ['samsung-android', 15],
          ['facebook-android', 25],
          ['instagram-android', 10],
          ['firefox-android', 5],
        ]);
        // In-app browsers only open Meta's ads.
        const inApp = kind === 'facebook-android' || kind === 'instagram-android';
        const browser = createBrowser(random, inApp && campaign.platform !== 'meta' ? 'chrome-android' : kind);
        const headers = navigationHeaders(
          browser,
          languagesFor(random, pool.country),
          adReferer(random, campaign.platform, browser.kind, pool.country),
        );
        const ip = random.pick(lines);
        const taps = random.chance(0.2) ? 2 : 1;
        for (let tap = 0; tap < taps; tap++) {
          const at = start + random.between(0, session);
          if (at >= context.end) continue;
          farmClicks.push(
            makeClick({
              population: 'click-farm',
              actor: `farm-${index}`,
              label: `click farm ${subnet}.0/24 · ${pool.country} ${pool.org} · ${phones} phones on ${lines.length} line(s)`,
              campaign,
              at,
              ip,
              query: adQuery(random, campaign, { device: 'mobile' }),
              headers,
              expected: expectation(['click_farm'], { allowed: ['rapid_fire', 'duplicate', 'bot'] }),
            }),
          );
        }
      }
      farmClicks.sort((a, b) => a.at - b.at);
      clicks.push(...farmClicks.map((click, i) => ({ ...click, position: i + 1 })));
    }
    return clicks;
  };
}
