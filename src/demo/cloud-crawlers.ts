/**
 * Impostors that borrow a crawler's name from the very cloud its company rents out: Googlebot and
 * AdsBot from Google Cloud, bingbot and AdIdxBot from Azure. Their network is the company's, so
 * only the published crawler ranges (or reverse DNS) tell them from the real crawlers.
 */
import { CLOUD_POOLS } from './address-pools.ts';
import { adQuery, pickCampaign } from './ad-traffic.ts';
import { ADSBOT, BINGBOT, GOOGLEBOT_HEADERS } from './crawlers.ts';
import {
  cloudNetwork,
  expectation,
  makeClick,
  uniformTime,
  type DraftClick,
  type PopulationGenerator,
} from './population-kit.ts';
import type { SimCampaign } from './types.ts';

const ADIDXBOT_HEADERS = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko; compatible; adidxbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.6778.69 Safari/537.36',
  accept: '*/*',
  'accept-encoding': 'gzip, deflate, br',
};
const MEDIAPARTNERS_HEADERS = { ...GOOGLEBOT_HEADERS, 'user-agent': 'Mediapartners-Google' };

/** Which cloud each claim comes from: the one its company runs. */
const CLAIMS: readonly (readonly [string, Readonly<Record<string, string>>, 'gcp' | 'azure', number])[] = [
  ['Googlebot', GOOGLEBOT_HEADERS, 'gcp', 30],
  ['AdsBot-Google', ADSBOT.headers, 'gcp', 30],
  ['Mediapartners-Google', MEDIAPARTNERS_HEADERS, 'gcp', 10],
  ['bingbot', BINGBOT.headers, 'azure', 20],
  ['AdIdxBot', ADIDXBOT_HEADERS, 'azure', 10],
];

export function cloudFakeCrawlers(campaigns: readonly SimCampaign[]): PopulationGenerator {
  if (!CLOUD_POOLS.some((pool) => pool.id === 'gcp') || !CLOUD_POOLS.some((pool) => pool.id === 'azure'))
    throw new Error('the cloud pools must include gcp and azure');
  return (context, budget) => {
    const random = context.random.fork('cloud-fake-crawler');
    const clicks: DraftClick[] = [];
    for (let index = 0; clicks.length < budget; index++) {
      const [name, headers, cloud] = random.weighted(
        CLAIMS.map(([n, h, c, weight]) => [[n, h, c] as const, weight] as const),
      );
      const network = cloudNetwork(random, cloud);
      const campaign = pickCampaign(random, campaigns);
      const ip = network.address(random);
      let at = uniformTime(context, random);
      const count = random.int(1, 3);
      for (let i = 0; i < count && at < context.end; i++, at += random.between(60_000, 600_000)) {
        clicks.push(
          makeClick({
            population: 'cloud-fake-crawler',
            actor: `cloud-impostor-${index}`,
            label: `${name} user agent · ${network.pool.org}`,
            campaign,
            at,
            ip,
            query: adQuery(random, campaign, { clickId: false }),
            headers: { ...headers },
            expected: expectation(['bot', 'datacenter'], { allowed: ['duplicate', 'rapid_fire'] }),
          }),
        );
      }
    }
    return clicks;
  };
}
