/**
 * Crawlers that ad platforms send to check landing pages (to be let through, never fraud), and
 * impostors that borrow their names from rented servers (bots).
 */
import { CRAWLER_POOLS, addressInV4Cidr, type AddressPool } from './address-pools.ts';
import { adQuery, pickCampaign } from './ad-traffic.ts';
import {
  cloudNetwork,
  expectation,
  makeClick,
  residentialNetwork,
  uniformTime,
  withNetworkTypes,
  type DraftClick,
  type PopulationGenerator,
} from './population-kit.ts';
import type { Random } from './random.ts';
import type { Platform, SimCampaign } from './types.ts';

interface Crawler {
  readonly name: string;
  readonly pool: AddressPool;
  readonly headers: Readonly<Record<string, string>>;
}

const GOOGLE_ACCEPT =
  'text/html,application/xhtml+xml,application/signed-exchange;v=b3,application/xml;q=0.9,*/*;q=0.8';

export const ADSBOT: Crawler = {
  name: 'AdsBot-Google',
  pool: CRAWLER_POOLS.google,
  headers: {
    'user-agent': 'AdsBot-Google (+http://www.google.com/adsbot.html)',
    accept: GOOGLE_ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  },
};
const ADSBOT_MOBILE: Crawler = {
  name: 'AdsBot-Google-Mobile',
  pool: CRAWLER_POOLS.google,
  headers: {
    'user-agent':
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; AdsBot-Google-Mobile; +http://www.google.com/mobile/adsbot.html)',
    accept: GOOGLE_ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  },
};
const FACEBOOK: Crawler = {
  name: 'facebookexternalhit',
  pool: CRAWLER_POOLS.meta,
  headers: {
    'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    accept: '*/*',
    'accept-encoding': 'deflate, gzip',
    range: 'bytes=0-524287',
  },
};
export const BINGBOT: Crawler = {
  name: 'bingbot',
  pool: CRAWLER_POOLS.microsoft,
  headers: {
    'user-agent':
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.6778.69 Safari/537.36',
    accept: '*/*',
    'accept-encoding': 'gzip, deflate, br',
  },
};
export const GOOGLEBOT_HEADERS = {
  'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  accept: GOOGLE_ACCEPT,
  'accept-encoding': 'gzip, deflate, br',
};

function crawlersOf(platform: Platform): readonly (readonly [Crawler, number])[] {
  // Bing's search crawler finds tracking links anywhere on the web, whatever platform runs the ad.
  if (platform === 'google')
    return [
      [ADSBOT, 40],
      [ADSBOT_MOBILE, 45],
      [BINGBOT, 15],
    ];
  if (platform === 'meta')
    return [
      [FACEBOOK, 85],
      [BINGBOT, 15],
    ];
  return [[BINGBOT, 100]];
}

/** A crawler fleet reuses a handful of addresses. */
function fleet(random: Random, pool: AddressPool): string[] {
  return Array.from({ length: 4 }, () => addressInV4Cidr(random, random.pick(pool.v4)));
}

export function verifiedCrawlers(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('verified-crawler');
    const fleets = new Map<string, string[]>();
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const campaign = pickCampaign(random, campaigns);
      const crawler = random.weighted(crawlersOf(campaign.platform));
      let addresses = fleets.get(crawler.name);
      if (!addresses) fleets.set(crawler.name, (addresses = fleet(random, crawler.pool)));
      // AdsBot checks the ad's final URL with its tracking parameters, but no click id: nobody clicked.
      clicks.push(
        makeClick({
          population: 'verified-crawler',
          actor: `${crawler.name}-${index}`,
          label: `${crawler.name} · ${crawler.pool.org} network`,
          campaign,
          at: uniformTime(context, random),
          ip: random.pick(addresses),
          query: adQuery(random, campaign, { clickId: false }),
          headers: { ...crawler.headers },
          expected: expectation([], { status: 'bot', verified: true }),
        }),
      );
    }
    return clicks;
  };
}

const IMPOSTORS: readonly (readonly [string, Readonly<Record<string, string>>, number])[] = [
  ['Googlebot', GOOGLEBOT_HEADERS, 40],
  ['AdsBot-Google', ADSBOT.headers, 25],
  ['facebookexternalhit', FACEBOOK.headers, 20],
  ['bingbot', BINGBOT.headers, 15],
];

export function fakeCrawlers(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('fake-crawler');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const [name, headers] = random.weighted(IMPOSTORS.map(([n, h, weight]) => [[n, h] as const, weight] as const));
      const network = random.chance(0.85)
        ? cloudNetwork(random, random.chance(0.4) ? 'digitalocean' : undefined)
        : residentialNetwork(random);
      const campaign = pickCampaign(random, campaigns);
      const ip = network.address(random);
      let at = uniformTime(context, random);
      const count = random.int(1, 4);
      for (let i = 0; i < count && at < context.end; i++, at += random.between(60_000, 600_000)) {
        clicks.push(
          makeClick({
            population: 'fake-crawler',
            actor: `impostor-${index}`,
            label: `${name} user agent · ${network.pool.org}`,
            campaign,
            at,
            ip,
            query: adQuery(random, campaign, { clickId: false }),
            headers: { ...headers },
            expected: expectation(withNetworkTypes(network, ['bot']), { allowed: ['duplicate', 'rapid_fire'] }),
          }),
        );
      }
    }
    return clicks;
  };
}
