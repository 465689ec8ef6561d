/**
 * Where simulated clicks come from: address ranges of real networks. Every range was checked
 * against the geo and ASN data the tracker ships (dbip-city + ip-location-db ASN): a sample of
 * addresses from it resolves to the listed ASN (and country, where one is given). The benchmark
 * re-checks them on every run (`verifyPools`), so a data update that moves a range is noticed.
 */
import type { Random } from './random.ts';

export type NetworkKind = 'residential' | 'mobile' | 'business' | 'campus' | 'cloud' | 'crawler' | 'farm';

export interface AddressPool {
  readonly id: string;
  readonly kind: NetworkKind;
  /** What the address data says of the range (ASN organisation), for labels. */
  readonly org: string;
  readonly asns: readonly number[];
  /** Null for networks that span countries (clouds, crawlers). */
  readonly country: string | null;
  readonly v4: readonly string[];
  /** IPv6 prefixes (at most /48); each simulated device gets its own /64 inside. */
  readonly v6?: readonly string[];
}

const residential = (
  id: string,
  country: string,
  org: string,
  asns: number[],
  v4: string[],
  v6?: string[],
): AddressPool => ({ id, kind: 'residential', org, asns, country, v4, v6 });
const mobile = (
  id: string,
  country: string,
  org: string,
  asns: number[],
  v4: string[],
  v6?: string[],
): AddressPool => ({ id, kind: 'mobile', org, asns, country, v4, v6 });
const cloud = (id: string, org: string, asns: number[], v4: string[]): AddressPool => ({
  id,
  kind: 'cloud',
  org,
  asns,
  country: null,
  v4,
});
const crawler = (id: string, org: string, asns: number[], v4: string[]): AddressPool => ({
  id,
  kind: 'crawler',
  org,
  asns,
  country: null,
  v4,
});
const farm = (id: string, country: string, org: string, asns: number[], v4: string[]): AddressPool => ({
  id,
  kind: 'farm',
  org,
  asns,
  country,
  v4,
});

/** Home broadband: one household keeps its address for the session. */
export const RESIDENTIAL_POOLS: readonly AddressPool[] = [
  residential('us-comcast', 'US', 'Comcast', [7922], ['73.0.0.0/8', '24.0.0.0/12', '98.192.0.0/10'], ['2601:200::/23']),
  residential('us-att', 'US', 'AT&T', [7018], ['107.192.0.0/11'], ['2600:1700::/28']),
  residential('us-charter', 'US', 'Charter Spectrum', [20115], ['174.80.0.0/13']),
  residential('ca-rogers', 'CA', 'Rogers', [812], ['99.224.0.0/11']),
  residential(
    'de-telekom',
    'DE',
    'Deutsche Telekom',
    [3320],
    ['84.128.0.0/10', '79.192.0.0/10', '87.128.0.0/10', '91.0.0.0/10'],
    ['2003::/24'],
  ),
  residential('de-vodafone', 'DE', 'Vodafone DE', [3209], ['88.64.0.0/12', '188.96.0.0/12']),
  residential('fr-orange', 'FR', 'Orange FR', [3215], ['86.192.0.0/11']),
  residential('fr-free', 'FR', 'Free', [12322], ['88.160.0.0/11', '82.224.0.0/11']),
  residential('gb-bt', 'GB', 'BT', [2856], ['86.128.0.0/10', '81.128.0.0/11']),
  residential('gb-virgin', 'GB', 'Virgin Media', [5089], ['86.0.0.0/11', '82.0.0.0/12']),
  residential('es-telefonica', 'ES', 'Telefonica ES', [3352], ['83.32.0.0/11', '80.24.0.0/12']),
  residential('it-tim', 'IT', 'Telecom Italia', [3269], ['79.0.0.0/10', '87.0.0.0/11']),
  residential('jp-ntt', 'JP', 'NTT OCN', [4713], ['114.144.0.0/12', '180.0.0.0/10']),
  residential('jp-softbank', 'JP', 'SoftBank', [17676], ['60.64.0.0/11', '221.64.0.0/11']),
  residential('in-jio', 'IN', 'Reliance Jio', [55836], ['157.32.0.0/12'], ['2405:201::/32']),
  residential('au-telstra', 'AU', 'Telstra', [1221], ['1.120.0.0/13', '58.160.0.0/12']),
  residential('br-vivo', 'BR', 'Telefonica Brasil (Vivo)', [18881], ['179.176.0.0/13']),
];

/**
 * Mobile carriers. Their IPv4 clients sit behind carrier-grade NAT: the simulator puts many phones
 * on a handful of addresses (`natAddresses`); IPv6 clients get an address each.
 */
export const MOBILE_POOLS: readonly AddressPool[] = [
  mobile('us-tmobile', 'US', 'T-Mobile US', [21928], ['172.56.0.0/15'], ['2607:fb90:2000::/35']),
  mobile('us-verizon-wireless', 'US', 'Verizon Wireless', [6167, 22394], ['174.192.0.0/10']),
  mobile('de-telekom-mobile', 'DE', 'Telekom Mobilfunk', [3320], ['80.187.0.0/16'], ['2a01:598::/32']),
  mobile('de-vodafone-mobile', 'DE', 'Vodafone DE mobile', [3209], ['109.40.0.0/13']),
  mobile('fr-bouygues', 'FR', 'Bouygues Telecom', [5410], ['176.128.0.0/10']),
  mobile('fr-free-mobile', 'FR', 'Free Mobile', [51207], ['37.168.0.0/13']),
  mobile('in-jio-mobile', 'IN', 'Jio 4G', [55836], ['49.32.0.0/13'], ['2409:4000::/27']),
  mobile('in-airtel-mobile', 'IN', 'Airtel mobile', [45609], ['106.195.32.0/19']),
  mobile('jp-docomo', 'JP', 'NTT docomo', [9605], ['49.99.0.0/16']),
];

/**
 * Business networks as the ASN data names them ("… Business …"): an office's line. Offices on ordinary
 * broadband lines use the residential pools.
 */
export const BUSINESS_POOLS: readonly AddressPool[] = [
  {
    id: 'orange-business',
    kind: 'business',
    org: 'Orange Business',
    asns: [12807],
    country: null,
    v4: ['94.124.128.0/21'],
  },
  {
    id: 'verizon-business',
    kind: 'business',
    org: 'Verizon Business',
    asns: [701],
    country: null,
    v4: ['23.29.96.0/20'],
  },
];

/** Campus networks: two named as universities in the ASN data, one (Jisc, the UK's research network) not. */
export const CAMPUS_POOLS: readonly AddressPool[] = [
  { id: 'us-rutgers', kind: 'campus', org: 'Rutgers University', asns: [46], country: 'US', v4: ['128.6.0.0/16'] },
  {
    id: 'nz-auckland',
    kind: 'campus',
    org: 'University of Auckland',
    asns: [9431],
    country: 'NZ',
    v4: ['130.216.0.0/16'],
  },
  {
    id: 'gb-jisc',
    kind: 'campus',
    org: 'Jisc (UK research network)',
    asns: [786],
    country: 'GB',
    v4: ['46.254.200.0/21'],
  },
];

export const CLOUD_POOLS: readonly AddressPool[] = [
  cloud('aws', 'Amazon AWS', [16509, 14618], ['3.80.0.0/12', '18.204.0.0/14', '52.0.0.0/11']),
  cloud('gcp', 'Google Cloud', [396982], ['35.184.0.0/13']),
  cloud('azure', 'Microsoft Azure', [8075], ['40.112.0.0/13', '52.224.0.0/12']),
  cloud('digitalocean', 'DigitalOcean', [14061], ['104.131.0.0/16', '167.99.0.0/16', '165.227.0.0/16']),
  cloud('hetzner', 'Hetzner', [24940], ['5.9.0.0/16', '88.198.0.0/16', '116.202.0.0/16', '65.108.0.0/15']),
  cloud('ovh', 'OVH', [16276], ['51.38.0.0/16', '137.74.0.0/16', '145.239.0.0/16']),
  cloud('linode', 'Akamai Linode', [63949], ['45.33.0.0/17']),
  cloud('vultr', 'Vultr', [20473], ['45.32.0.0/16']),
];

export const CRAWLER_POOLS = {
  google: crawler('google-crawlers', 'Google', [15169], ['66.249.64.0/19']),
  meta: crawler(
    'meta-crawlers',
    'Meta',
    [32934],
    ['69.171.224.0/19', '173.252.64.0/18', '66.220.144.0/20', '31.13.64.0/18'],
  ),
  microsoft: crawler(
    'bing-crawlers',
    'Microsoft',
    [8075],
    ['157.55.39.0/24', '207.46.13.0/24', '40.77.167.0/24', '52.167.144.0/24'],
  ),
} as const;

/**
 * Networks in the countries where click farms are documented to operate: about half fixed broadband
 * (racks of phones on a few Wi-Fi lines), half mobile (phones on their own SIMs).
 */
export const FARM_POOLS: readonly AddressPool[] = [
  farm('vn-vnpt', 'VN', 'VNPT broadband', [45899], ['113.160.0.0/11']),
  farm('id-indihome', 'ID', 'Telkom Indonesia (IndiHome)', [7713], ['36.88.0.0/13', '125.160.0.0/13']),
  farm('ph-pldt', 'PH', 'PLDT broadband', [9299], ['112.200.0.0/13']),
  farm('bd-link3', 'BD', 'Link3 broadband', [23688], ['27.147.128.0/17']),
  farm('ph-globe', 'PH', 'Globe Telecom', [4775], ['112.198.32.0/19']),
  farm('bd-grameenphone', 'BD', 'Grameenphone mobile', [24389], ['37.111.192.0/18']),
  farm('vn-viettel', 'VN', 'Viettel', [7552], ['171.224.0.0/12']),
  farm('id-telkomsel', 'ID', 'Telkomsel mobile', [23693], ['114.124.0.0/16']),
  farm('in-airtel', 'IN', 'Airtel mobile', [45609], ['106.195.32.0/19']),
];

export const ALL_POOLS: readonly AddressPool[] = [
  ...RESIDENTIAL_POOLS,
  ...MOBILE_POOLS,
  ...BUSINESS_POOLS,
  ...CAMPUS_POOLS,
  ...CLOUD_POOLS,
  ...Object.values(CRAWLER_POOLS),
  ...FARM_POOLS,
];

// ---- address arithmetic ---------------------------------------------------------------------------------

function parseV4(text: string): number {
  return text.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatV4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** A host address in the CIDR, never its .0 or .255 (some stacks treat those as special). */
export function addressInV4Cidr(random: Random, cidr: string): string {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  for (;;) {
    const value = (parseV4(base) + Math.floor(random.next() * size)) >>> 0;
    const last = value & 255;
    if (last !== 0 && last !== 255) return formatV4(value);
  }
}

/** The /24 an IPv4 address is in, and an address inside a given /24. */
export const subnet24 = (ip: string): string => ip.slice(0, ip.lastIndexOf('.'));
export const addressInSubnet24 = (random: Random, subnet: string): string => `${subnet}.${random.int(2, 254)}`;

function expandV6(prefix: string): number[] {
  const [address] = prefix.split('/') as [string];
  const [head, tail = ''] = address.split('::') as [string, string?];
  const left = head === '' ? [] : head.split(':').map((group) => parseInt(group, 16));
  const right = tail === '' ? [] : tail.split(':').map((group) => parseInt(group, 16));
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** An address in its own random /64 under `prefix` (a device on a home or mobile IPv6 network). */
export function addressInV6Prefix(random: Random, prefix: string): string {
  const bits = Number(prefix.split('/')[1]);
  const groups = expandV6(prefix);
  for (let i = 0; i < 8; i++) {
    const fixed = Math.max(0, Math.min(16, bits - i * 16));
    const mask = fixed === 16 ? 0xffff : fixed === 0 ? 0 : (0xffff << (16 - fixed)) & 0xffff;
    groups[i] = (groups[i]! & mask) | (random.int(0, 0xffff) & ~mask & 0xffff);
  }
  return groups.map((group) => group.toString(16)).join(':');
}

export function randomAddress(random: Random, pool: AddressPool, ipv6Share = 0): string {
  if (pool.v6 && pool.v6.length > 0 && random.chance(ipv6Share)) return addressInV6Prefix(random, random.pick(pool.v6));
  return addressInV4Cidr(random, random.pick(pool.v4));
}

export function poolsOfCountry(pools: readonly AddressPool[], country: string): AddressPool[] {
  return pools.filter((pool) => pool.country === country);
}
