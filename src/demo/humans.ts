/** People clicking ads with real browsers: at home, on a phone network, behind a VPN or Tor, or on a cloud desktop. */
import {
  MOBILE_POOLS,
  RESIDENTIAL_POOLS,
  addressInV4Cidr,
  addressInV6Prefix,
  randomAddress,
  type AddressPool,
} from './address-pools.ts';
import { adQuery, adReferer, pickBrowserKind, pickCampaign, pickCountry } from './ad-traffic.ts';
import { createBrowser, languagesFor, navigationHeaders, type Browser, type BrowserKind } from './browsers.ts';
import { ICLOUD_RELAY_SNAPSHOT } from '../intel/lists/shipped/icloud-private-relay.ts';
import { reputationFixtures } from './fixtures.ts';
import {
  cloudNetwork,
  conversionFor,
  expectation,
  makeClick,
  natAddresses,
  uniformTime,
  type DraftClick,
  type PopulationContext,
  type PopulationGenerator,
} from './population-kit.ts';
import type { Random } from './random.ts';
import type { Expectation, PopulationId, SimCampaign } from './types.ts';

interface Person {
  population: PopulationId;
  actor: string;
  label: string;
  campaign: SimCampaign;
  country: string | null;
  browser: Browser;
  languages: readonly string[];
  expected: Expectation;
  /** The address of the next click (a phone's NAT mapping or a Tor circuit may change between clicks). */
  address(random: Random, clickIndex: number): string;
  /** Only people on their own line or phone convert in this simulation; VPN and cloud users do not. */
  converts: boolean;
}

/** Share of people who click the ad again; most come back within a minute (double tap, back button). */
const RECLICK_SHARE = 0.07;

function personClicks(context: PopulationContext, random: Random, person: Person): DraftClick[] {
  const { campaign, browser } = person;
  const first = uniformTime(context, random);
  const times = [first];
  if (random.chance(RECLICK_SHARE)) {
    const later =
      first + (random.chance(0.55) ? random.between(1_500, 90_000) : random.between(300_000, 8 * 3_600_000));
    if (later < context.end) times.push(later);
  }
  const referer = adReferer(random, campaign.platform, browser.kind, person.country);
  const headers = navigationHeaders(browser, person.languages, referer);
  let query = adQuery(random, campaign, { device: browser.device });
  return times.map((at, index) => {
    // Coming back through the ad gives a new click id; the back button or a reload repeats the URL.
    if (index > 0 && random.chance(0.7)) query = adQuery(random, campaign, { device: browser.device });
    const rate = context.conversionRate / (1 - RECLICK_SHARE / 2);
    const conversion =
      index === 0 && person.converts
        ? conversionFor(
            { ...context, conversionRate: rate },
            random,
            campaign,
            at,
            `txn-${context.seed}-${person.actor}`,
          )
        : null;
    return makeClick({
      population: person.population,
      actor: person.actor,
      label: person.label,
      campaign,
      at,
      ip: person.address(random, index),
      query,
      headers,
      expected: person.expected,
      conversion,
    });
  });
}

function generate(
  prefix: string,
  makePerson: (random: Random, index: number, context: PopulationContext) => Person,
): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork(prefix);
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++)
      clicks.push(...personClicks(context, random, makePerson(random, index, context)));
    return clicks;
  };
}

const COUNTRIES_WITH = (pools: readonly AddressPool[]) => new Set(pools.map((pool) => pool.country!));
const RESIDENTIAL_COUNTRIES = COUNTRIES_WITH(RESIDENTIAL_POOLS);
export const MOBILE_COUNTRIES = COUNTRIES_WITH(MOBILE_POOLS);

export function humansOnResidential(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return generate('human-residential', (random, index) => {
    const campaign = pickCampaign(random, campaigns);
    const country = pickCountry(random, campaign, RESIDENTIAL_COUNTRIES);
    const pool = random.pick(RESIDENTIAL_POOLS.filter((candidate) => candidate.country === country));
    const form = random.chance(campaign.platform === 'meta' ? 0.72 : 0.5) ? 'mobile' : 'desktop';
    const browser = createBrowser(random, pickBrowserKind(random, campaign.platform, country, form));
    const home = randomAddress(random, pool, 0.3);
    return {
      population: 'human-residential',
      actor: `home-${index}`,
      label: `human · ${country} ${pool.org} · ${browser.description}`,
      campaign,
      country,
      browser,
      languages: languagesFor(random, country),
      expected: expectation([]),
      address: () => home,
      converts: true,
    };
  });
}

/** IPv6 share of each carrier's phones (the rest go out through IPv4 NAT). */
export const IPV6_SHARE: Readonly<Record<string, number>> = {
  'us-tmobile': 0.55,
  'in-jio-mobile': 0.6,
  'de-telekom-mobile': 0.4,
};

export function humansOnMobile(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return generate('human-mobile', (random, index, context) => {
    const campaign = pickCampaign(random, campaigns);
    const country = pickCountry(random, campaign, MOBILE_COUNTRIES);
    const pools = MOBILE_POOLS.filter((candidate) => candidate.country === country);
    const pool = random.pick(pools.length > 0 ? pools : MOBILE_POOLS);
    const browser = createBrowser(random, pickBrowserKind(random, campaign.platform, country, 'mobile'));
    const v6 =
      pool.v6 && random.chance(IPV6_SHARE[pool.id] ?? 0) ? addressInV6Prefix(random, random.pick(pool.v6)) : null;
    const nat = natAddresses(context, pool);
    let current = random.pick(nat);
    return {
      population: 'human-mobile',
      actor: `phone-${index}`,
      label: `human · ${country} ${pool.org} ${v6 ? 'IPv6' : 'CGNAT'} · ${browser.description}`,
      campaign,
      country,
      browser,
      languages: languagesFor(random, country),
      expected: expectation([]),
      converts: true,
      address: (r, clickIndex) => {
        if (v6) return v6;
        // A NAT mapping lasts minutes: a later click may leave through another gateway address.
        if (clickIndex > 0 && r.chance(0.5)) current = r.pick(nat);
        return current;
      },
    };
  });
}

export function vpnUsers(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return generate('vpn', (random, index) => {
    const campaign = pickCampaign(random, campaigns);
    const home = pickCountry(random, campaign);
    const browser = createBrowser(
      random,
      pickBrowserKind(random, campaign.platform, home, random.chance(0.55) ? 'desktop' : 'mobile'),
    );
    const range = random.pick(reputationFixtures().vpnRanges);
    const exit = addressInV4Cidr(random, range.includes('/') ? range : `${range}/32`);
    return {
      population: 'vpn',
      actor: `vpn-${index}`,
      label: `VPN exit ${range} · home ${home} · ${browser.description}`,
      campaign,
      country: home,
      browser,
      languages: languagesFor(random, home),
      // VPN exits are rented servers: calling them a hosting network as well is right.
      expected: expectation(['vpn'], { allowed: ['datacenter'] }),
      address: () => exit,
      converts: false,
    };
  });
}

export function torUsers(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return generate('tor', (random, index) => {
    const campaign = pickCampaign(random, campaigns);
    const browser = createBrowser(random, 'tor-browser');
    const exits = reputationFixtures().torExits;
    return {
      population: 'tor',
      actor: `tor-${index}`,
      label: `Tor exit · ${browser.description}`,
      campaign,
      country: null,
      browser,
      languages: ['en-US', 'en'],
      expected: expectation(['vpn'], { allowed: ['datacenter'] }),
      converts: false,
      // A new circuit, usually a new exit, every ten minutes.
      address: (r) => r.pick(exits),
    };
  });
}

const CLOUD_DESKTOPS: readonly (readonly [BrowserKind, number])[] = [
  ['chrome-windows', 50],
  ['chrome-linux', 20],
  ['chrome-mac', 8],
  ['firefox-windows', 10],
  ['edge-windows', 12],
];

/** Real browsers with flawless headers on rented servers: scrapers, ad-verification probes, cloud desktops. */
export function cloudBrowsers(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return generate('cloud-browser', (random, index) => {
    const campaign = pickCampaign(random, campaigns);
    const network = cloudNetwork(random);
    const browser = createBrowser(random, random.weighted(CLOUD_DESKTOPS));
    const country = random.chance(0.7) ? 'US' : pickCountry(random, campaign);
    const server = network.address(random);
    return {
      population: 'cloud-browser',
      actor: `cloud-${index}`,
      label: `${network.pool.org} server · ${browser.description}`,
      campaign,
      country,
      browser,
      languages: languagesFor(random, country),
      expected: expectation(['datacenter']),
      address: () => server,
      converts: false,
    };
  });
}

/** Rows of Apple's relay feed that ship with the package (src/intel/lists/shipped), as prefix and country. */
const RELAY_ROWS: readonly (readonly [string, string])[] = ICLOUD_RELAY_SNAPSHOT.csv
  .trim()
  .split('\n')
  .map((line) => line.split(',') as [string, string]);

/**
 * Safari users with iCloud Private Relay on: every page they open leaves through one of Apple's relay
 * egress ranges (on Akamai, Cloudflare and Fastly), in the country the relay publishes for the range.
 */
export function relayUsers(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return generate('relay', (random, index) => {
    const campaign = pickCampaign(random, campaigns);
    const [prefix, country] = random.pick(RELAY_ROWS);
    const kind: BrowserKind = random.chance(0.7) ? 'safari-iphone' : 'safari-mac';
    const browser = createBrowser(random, kind);
    const address = prefix.includes(':') ? addressInV6Prefix(random, prefix) : addressInV4Cidr(random, prefix);
    return {
      population: 'relay',
      actor: `relay-${index}`,
      label: `human · iCloud Private Relay ${prefix} (${country}) · ${browser.description}`,
      campaign,
      country,
      browser,
      languages: languagesFor(random, country),
      expected: expectation([]),
      converts: true,
      address: () => address,
    };
  });
}
