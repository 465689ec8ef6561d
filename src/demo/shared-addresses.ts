/**
 * People who share one public address with many others (issue 21): an office behind its business line,
 * a campus behind its NAT, a carrier's busiest NAT address, and people on old in-app browsers that send
 * no Sec-Fetch-*. All human: every click they make is a person's.
 */
import {
  BUSINESS_POOLS,
  CAMPUS_POOLS,
  MOBILE_POOLS,
  RESIDENTIAL_POOLS,
  addressInV4Cidr,
  type AddressPool,
} from './address-pools.ts';
import { adQuery, adReferer, pickCampaign } from './ad-traffic.ts';
import {
  acceptLanguage,
  createBrowser,
  languagesFor,
  navigationHeaders,
  type Browser,
  type BrowserKind,
} from './browsers.ts';
import {
  conversionFor,
  expectation,
  makeClick,
  type DraftClick,
  type PopulationContext,
  type PopulationGenerator,
} from './population-kit.ts';
import type { Random } from './random.ts';
import type { PopulationId, SimCampaign } from './types.ts';

/** As humans.ts: the share of people who click the ad again, most of them within a minute or two. */
const RECLICK_SHARE = 0.07;

const OFFICE_DESKS: readonly (readonly [BrowserKind, number])[] = [
  ['chrome-windows', 45],
  ['edge-windows', 20],
  ['chrome-mac', 10],
  ['safari-mac', 5],
  ['firefox-windows', 5],
  // Phones on the office Wi-Fi.
  ['safari-iphone', 8],
  ['chrome-android', 7],
];

const STUDENTS: readonly (readonly [BrowserKind, number])[] = [
  ['safari-iphone', 30],
  ['chrome-android', 22],
  ['instagram-ios', 6],
  ['chrome-windows', 14],
  ['chrome-mac', 12],
  ['safari-mac', 8],
  ['edge-windows', 4],
  ['firefox-windows', 4],
];

const PHONES: readonly (readonly [BrowserKind, number])[] = [
  ['safari-iphone', 40],
  ['chrome-android', 35],
  ['samsung-android', 10],
  ['facebook-ios', 5],
  ['facebook-android', 5],
  ['chrome-ios', 5],
];

interface SharedPerson {
  readonly population: PopulationId;
  readonly actor: string;
  readonly label: string;
  readonly campaign: SimCampaign;
  readonly browser: Browser;
  readonly languages: readonly string[];
  readonly country: string | null;
  readonly ip: string;
  readonly at: number;
}

/** One person's click, and now and then a second one (the back button, a reload, a later visit). */
function clicksOf(context: PopulationContext, random: Random, person: SharedPerson): DraftClick[] {
  const { campaign, browser } = person;
  const times = [person.at];
  if (random.chance(RECLICK_SHARE)) {
    const later =
      person.at + (random.chance(0.55) ? random.between(1_500, 90_000) : random.between(300_000, 4 * 3_600_000));
    if (later < context.end) times.push(later);
  }
  const headers = navigationHeaders(
    browser,
    person.languages,
    adReferer(random, campaign.platform, browser.kind, person.country),
  );
  return times.map((at, index) =>
    makeClick({
      population: person.population,
      actor: person.actor,
      label: person.label,
      campaign,
      at,
      ip: person.ip,
      query: adQuery(random, campaign, { device: browser.device }),
      headers,
      expected: expectation([]),
      conversion:
        index === 0 ? conversionFor(context, random, campaign, at, `txn-${context.seed}-${person.actor}`) : null,
    }),
  );
}

/** A time in [from, from + span) bunched towards the middle (the sum of two uniforms): busy hours. */
const peaked = (random: Random, from: number, span: number) => from + ((random.next() + random.next()) / 2) * span;

/** Simulated days are long enough for a crowd only when they last more than its span. */
const spanOf = (context: PopulationContext, wanted: number) => Math.min(wanted, context.end - context.start);

const OFFICE_SIZE = 30;
const OFFICE_HOURS = 3;

/**
 * An office of 30 people over three hours behind one address (half on a broadband ASN, half on a
 * business network). Most click whenever they come across the ad; a third of them after a meeting or
 * a colleague's message, in one of two waves a few minutes wide: the clustered case that flagged whole
 * offices.
 */
export function offices(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('office');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const onBroadband = random.chance(0.5);
      const pool = onBroadband
        ? random.pick(RESIDENTIAL_POOLS.filter((candidate) => ['US', 'DE', 'GB'].includes(candidate.country!)))
        : random.pick(BUSINESS_POOLS);
      const ip = addressInV4Cidr(random, random.pick(pool.v4));
      const campaign = pickCampaign(random, campaigns);
      const span = spanOf(context, OFFICE_HOURS * 3_600_000);
      const start = random.between(context.start, context.end - span);
      const waves = [random.between(start, start + span), random.between(start, start + span)];
      for (let desk = 0; desk < OFFICE_SIZE; desk++) {
        const browser = createBrowser(random, random.weighted(OFFICE_DESKS));
        const at = random.chance(1 / 3)
          ? Math.min(start + span - 1, Math.max(start, random.pick(waves) + random.between(-240_000, 240_000)))
          : random.between(start, start + span);
        clicks.push(
          ...clicksOf(context, random, {
            population: 'office',
            actor: `office-${index}-${desk}`,
            label: `human · office of ${OFFICE_SIZE} behind ${pool.org} (${onBroadband ? 'broadband' : 'business network'}) · ${browser.description}`,
            campaign,
            browser,
            languages: languagesFor(random, pool.country),
            country: pool.country,
            ip,
            at,
          }),
        );
      }
    }
    return clicks;
  };
}

/** Students and staff behind a campus address over the simulated day, busiest in the afternoon. */
export function campuses(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('campus');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const pool: AddressPool = random.pick(CAMPUS_POOLS);
      const ip = addressInV4Cidr(random, random.pick(pool.v4));
      const people = random.int(200, 400);
      const campaign = pickCampaign(random, campaigns);
      for (let person = 0; person < people && clicks.length < budget; person++) {
        const browser = createBrowser(random, random.weighted(STUDENTS));
        clicks.push(
          ...clicksOf(context, random, {
            population: 'campus',
            actor: `campus-${index}-${person}`,
            label: `human · campus of ${people} behind ${pool.org} · ${browser.description}`,
            campaign,
            browser,
            languages: languagesFor(random, pool.country),
            country: pool.country,
            ip,
            at: peaked(random, context.start, context.end - context.start),
          }),
        );
      }
    }
    return clicks;
  };
}

/**
 * A carrier's busiest NAT addresses for this advertiser: 100 to 250 phones each over the day on one
 * campaign (the ordinary mobile population sees about a dozen per address).
 */
export function carrierNat(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('carrier-nat');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const pool = random.pick(MOBILE_POOLS);
      const ip = addressInV4Cidr(random, random.pick(pool.v4));
      const phones = random.int(100, 250);
      const campaign = pickCampaign(random, campaigns);
      for (let phone = 0; phone < phones && clicks.length < budget; phone++) {
        const browser = createBrowser(random, random.weighted(PHONES));
        clicks.push(
          ...clicksOf(context, random, {
            population: 'carrier-nat',
            actor: `nat-${index}-${phone}`,
            label: `human · ${phones} phones on one ${pool.org} NAT address · ${browser.description}`,
            campaign,
            browser,
            languages: languagesFor(random, pool.country),
            country: pool.country,
            ip,
            at: peaked(random, context.start, context.end - context.start),
          }),
        );
      }
    }
    return clicks;
  };
}

/**
 * In-app browsers older than Fetch Metadata (iOS WebKit before 16.4, Android WebView before Chromium
 * 80): user agents verbatim from public captures (the same strings as header-consistency-inapp.test.ts
 * and its sources), with what those engines send on a navigation: Accept and Accept-Language, no
 * Sec-Fetch-*, no client hints; Android web views name their app in X-Requested-With.
 */
const OLD_WEBVIEWS: readonly { readonly userAgent: string; readonly app: string | null; readonly name: string }[] = [
  {
    name: 'Facebook for iOS 16.1.1',
    app: null,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 16_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/20B101 [FBAN/FBIOS;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/16.1.1;FBSS/3;FBID/phone;FBLC/da_DK;FBOP/5]',
  },
  {
    name: 'Facebook for iOS 16.0',
    app: null,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/20A362 [FBAN/FBIOS;FBDV/iPhone10,4;FBMD/iPhone;FBSN/iOS;FBSV/16.0;FBSS/2;FBID/phone;FBLC/es_LA;FBOP/5]',
  },
  {
    name: 'Facebook for iOS 15.7.2',
    app: null,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 15_7_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/19H218 [FBAN/FBIOS;FBDV/iPhone9,3;FBMD/iPhone;FBSN/iOS;FBSV/15.7.2;FBSS/2;FBID/phone;FBLC/nl_NL;FBOP/5]',
  },
  {
    name: 'WeChat, Android WebView 74',
    app: 'com.tencent.mm',
    userAgent:
      'Mozilla/5.0 (Linux; Android 5.1.1; SM-N960F Build/JLS36C; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/74.0.3729.136 Mobile Safari/537.36 MMWEBID/1042 MicroMessenger/7.0.15.1680(0x27000F34) Process/appbrand0 WeChat/arm32 NetType/WIFI Language/zh_CN ABI/arm32',
  },
  {
    name: 'Samsung web view, Android WebView 74',
    app: 'com.sec.android.app.sbrowser',
    userAgent:
      'Mozilla/5.0 (Linux; Android 5.1.1; SM-G965N Build/R16NW.G965NKSU1ARC7; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/74.0.3729.136 Mobile Safari/537.36',
  },
];

const OLD_ACCEPT = {
  webkit: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  chromium:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3',
};

export function oldWebviews(campaigns: readonly SimCampaign[]): PopulationGenerator {
  return (context, budget) => {
    const random = context.random.fork('old-webview');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const view = random.pick(OLD_WEBVIEWS);
      const pool = random.pick(random.chance(0.5) ? RESIDENTIAL_POOLS : MOBILE_POOLS);
      const ip = addressInV4Cidr(random, random.pick(pool.v4));
      const campaign = pickCampaign(random, campaigns);
      const webkit = view.userAgent.includes('iPhone');
      const headers: Record<string, string> = {
        'user-agent': view.userAgent,
        accept: webkit ? OLD_ACCEPT.webkit : OLD_ACCEPT.chromium,
        ...(view.app ? { 'x-requested-with': view.app } : {}),
        'accept-encoding': 'gzip, deflate',
        'accept-language': acceptLanguage(webkit ? 'webkit' : 'chromium', languagesFor(random, pool.country)),
      };
      clicks.push(
        makeClick({
          population: 'old-webview',
          actor: `old-webview-${index}`,
          label: `human · ${pool.org} · ${view.name} (no Sec-Fetch-*)`,
          campaign,
          at: random.between(context.start, context.end),
          ip,
          query: adQuery(random, campaign, { device: 'mobile' }),
          headers,
          expected: expectation([]),
        }),
      );
    }
    return clicks;
  };
}
