/**
 * The traffic simulator shared by `cloakradar demo` and the detection benchmark: labelled clicks
 * from the populations an advertiser really sees, deterministic for a seed. It knows nothing of the
 * rules; its labels say what each click is, not what the detector is expected to manage.
 */
import { declaredBots, clickFarms, headerForgingAutomation, rapidFire } from './automation.ts';
import { fakeCrawlers, verifiedCrawlers } from './crawlers.ts';
import { cloudFakeCrawlers } from './cloud-crawlers.ts';
import {
  IPV6_SHARE,
  MOBILE_COUNTRIES,
  cloudBrowsers,
  humansOnMobile,
  relayUsers,
  humansOnResidential,
  torUsers,
  vpnUsers,
} from './humans.ts';
import { MOBILE_POOLS } from './address-pools.ts';
import { campuses, carrierNat, offices, oldWebviews } from './shared-addresses.ts';
import type { PopulationContext, PopulationGenerator } from './population-kit.ts';
import { createRandom } from './random.ts';
import { POPULATIONS, type PopulationId, type SimCampaign, type SimClick, type Simulation } from './types.ts';

export const DEFAULT_CAMPAIGNS: readonly SimCampaign[] = [
  {
    key: 'google-search-na',
    name: 'Google Search - Running shoes US/CA',
    platform: 'google',
    countries: [
      ['US', 80],
      ['CA', 20],
    ],
    payout: [38, 62],
    weight: 40,
  },
  {
    key: 'google-pmax-eu',
    name: 'Google PMax - Running shoes EU',
    platform: 'google',
    countries: [
      ['DE', 35],
      ['GB', 25],
      ['FR', 20],
      ['ES', 10],
      ['IT', 10],
    ],
    payout: [25, 45],
    weight: 30,
  },
  {
    key: 'meta-app-global',
    name: 'Meta - Running app installs',
    platform: 'meta',
    countries: [
      ['US', 25],
      ['IN', 20],
      ['BR', 12],
      ['JP', 10],
      ['AU', 10],
      ['GB', 12],
      ['DE', 11],
    ],
    payout: [3.5, 9],
    weight: 30,
  },
];

/**
 * Shares of clicks per population. About a quarter of the clicks invalid, in line with what
 * industry reports find on open search and social traffic.
 */
export const DEFAULT_MIX: Readonly<Record<PopulationId, number>> = {
  'human-residential': 48,
  'human-mobile': 24,
  relay: 3,
  office: 2,
  campus: 3,
  'carrier-nat': 3,
  'old-webview': 1,
  'declared-bot': 5,
  'header-forging': 4,
  'cloud-browser': 4,
  vpn: 3,
  tor: 1,
  'rapid-fire': 5,
  'click-farm': 4,
  'verified-crawler': 1.5,
  'fake-crawler': 0.5,
  'cloud-fake-crawler': 1,
};

export interface SimulationOptions {
  seed: number;
  /** About this many clicks (an actor's last burst may add a few). */
  clicks: number;
  /** Epoch ms of the end of the simulated period; clicks fall in [end - durationMs, end). */
  end: number;
  durationMs: number;
  campaigns?: readonly SimCampaign[];
  /** Relative shares; a population missing or at 0 is left out. */
  mix?: Partial<Record<PopulationId, number>>;
  /** Share of human clicks that convert (postback). */
  conversionRate?: number;
  /** The SPEC's duplicate window: the same IP + user agent on the same campaign within it. */
  duplicateWindowMs?: number;
}

/**
 * How busy a carrier NAT address is with this advertiser's phones. Real carriers put hundreds of
 * subscribers on one address; a mid-size advertiser then sees a few dozen clicks a day from the
 * busiest ones, which is what makes carrier NAT a false-positive trap for per-IP rules.
 */
const NAT_CLICKS_PER_ADDRESS_PER_DAY = 12;

/**
 * NAT addresses per carrier, so that each carries about NAT_CLICKS_PER_ADDRESS_PER_DAY IPv4 clicks:
 * a carrier's expected share follows the campaigns' countries, as humansOnMobile picks them.
 */
function natAddressCounts(campaigns: readonly SimCampaign[], mobileClicksPerDay: number): Map<string, number> {
  const shares = new Map<string, number>();
  const totalWeight = campaigns.reduce((sum, campaign) => sum + campaign.weight, 0);
  for (const campaign of campaigns) {
    const countries = campaign.countries.filter(([country]) => MOBILE_COUNTRIES.has(country));
    const usable = countries.length > 0 ? countries : campaign.countries;
    const countryWeight = usable.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [country, weight] of usable) {
      const carriers = MOBILE_POOLS.filter((pool) => pool.country === country);
      for (const carrier of carriers.length > 0 ? carriers : MOBILE_POOLS) {
        const share =
          ((campaign.weight / totalWeight) * (weight / countryWeight)) / (carriers.length || MOBILE_POOLS.length);
        shares.set(carrier.id, (shares.get(carrier.id) ?? 0) + share);
      }
    }
  }
  return new Map(
    MOBILE_POOLS.map((pool) => {
      const v4Clicks = mobileClicksPerDay * (shares.get(pool.id) ?? 0) * (1 - (IPV6_SHARE[pool.id] ?? 0));
      return [pool.id, Math.min(256, Math.max(4, Math.round(v4Clicks / NAT_CLICKS_PER_ADDRESS_PER_DAY)))];
    }),
  );
}

const GENERATORS: Readonly<Record<PopulationId, (campaigns: readonly SimCampaign[]) => PopulationGenerator>> = {
  'human-residential': humansOnResidential,
  'human-mobile': humansOnMobile,
  relay: relayUsers,
  office: offices,
  campus: campuses,
  'carrier-nat': carrierNat,
  'old-webview': oldWebviews,
  'declared-bot': declaredBots,
  'header-forging': headerForgingAutomation,
  'cloud-browser': cloudBrowsers,
  vpn: vpnUsers,
  tor: torUsers,
  'rapid-fire': rapidFire,
  'click-farm': clickFarms,
  'verified-crawler': verifiedCrawlers,
  'fake-crawler': fakeCrawlers,
  'cloud-fake-crawler': cloudFakeCrawlers,
};

/**
 * Duplicates are a fact of the traffic, not of a population: any click whose IP + user agent
 * already clicked the same campaign within the window is one. When the earlier click was someone
 * else's (phones behind one NAT address with the same browser build), it is noted.
 */
function labelDuplicates(clicks: SimClick[], windowMs: number): void {
  const seen = new Map<string, { at: number; actor: string }[]>();
  for (const click of clicks) {
    const key = `${click.campaign}\n${click.ip}\n${click.headers['user-agent'] ?? ''}`;
    const earlier = (seen.get(key) ?? []).filter((previous) => previous.at > click.at - windowMs);
    if (earlier.length > 0 && !click.expected.verified && !click.expected.fraudTypes.includes('duplicate')) {
      click.expected.fraudTypes.push('duplicate');
      if (!earlier.some((previous) => previous.actor === click.actor)) click.notes.push('shared-address');
    }
    earlier.push({ at: click.at, actor: click.actor });
    seen.set(key, earlier);
  }
}

export function simulateTraffic(options: SimulationOptions): Simulation {
  const campaigns = options.campaigns ?? DEFAULT_CAMPAIGNS;
  if (campaigns.length === 0) throw new RangeError('the simulation needs at least one campaign');
  const mix = { ...DEFAULT_MIX, ...options.mix };
  const totalShare = POPULATIONS.reduce((sum, { id }) => sum + Math.max(0, mix[id] ?? 0), 0);
  const start = options.end - options.durationMs;
  const mobileClicksPerDay =
    ((options.clicks * Math.max(0, mix['human-mobile'] ?? 0)) / totalShare) * (86_400_000 / options.durationMs);
  const natCounts = natAddressCounts(campaigns, mobileClicksPerDay);
  const context: PopulationContext = {
    random: createRandom(options.seed),
    seed: options.seed,
    campaigns,
    start,
    end: options.end,
    conversionRate: options.conversionRate ?? 0.04,
    natAddressCount: (poolId) => natCounts.get(poolId) ?? 4,
  };
  const drafts = POPULATIONS.flatMap(({ id }) => {
    const share = Math.max(0, mix[id] ?? 0);
    if (share === 0) return [];
    // Every population present at least once, so a small demo still shows each kind of traffic.
    const budget = Math.max(1, Math.round((options.clicks * share) / totalShare));
    return GENERATORS[id](campaigns)(context, budget).filter((click) => click.at >= start && click.at < options.end);
  });
  drafts.sort((a, b) => a.at - b.at);
  const clicks: SimClick[] = drafts.map((draft, seq) => ({
    ...draft,
    seq,
    expected: { ...draft.expected, fraudTypes: [...draft.expected.fraudTypes] },
    notes: [...draft.notes],
  }));
  labelDuplicates(clicks, options.duplicateWindowMs ?? 86_400_000);
  return { seed: options.seed, start, end: options.end, campaigns, clicks };
}

/** The tracking path of a click, given the uuid the campaign got. */
export function trackingPath(uuid: string, click: SimClick): string {
  return click.query === '' ? `/c/${uuid}` : `/c/${uuid}?${click.query}`;
}
