/** What every population generator shares: its context, the click builder and the networks. */
import type { FraudType } from '../detection/index.ts';
import {
  CLOUD_POOLS,
  MOBILE_POOLS,
  RESIDENTIAL_POOLS,
  addressInSubnet24,
  addressInV4Cidr,
  randomAddress,
  subnet24,
  type AddressPool,
} from './address-pools.ts';
import type { Random } from './random.ts';
import type { Expectation, PopulationId, SimCampaign, SimClick, SimConversion } from './types.ts';

export interface PopulationContext {
  readonly random: Random;
  readonly seed: number;
  readonly campaigns: readonly SimCampaign[];
  readonly start: number;
  readonly end: number;
  /** Share of human clicks that convert. */
  readonly conversionRate: number;
  /** How many public IPv4 addresses a mobile carrier's NAT puts the simulated phones behind. */
  natAddressCount(poolId: string): number;
}

/** A click before the simulator numbers it. */
export type DraftClick = Omit<SimClick, 'seq'>;

export type PopulationGenerator = (context: PopulationContext, budget: number) => DraftClick[];

export interface ClickSpec {
  population: PopulationId;
  actor: string;
  label: string;
  campaign: SimCampaign;
  at: number;
  ip: string;
  query: string;
  /** The visitor's own headers; the proxy's X-Forwarded-* are added here. */
  headers: Record<string, string>;
  expected: Expectation;
  position?: number;
  conversion?: SimConversion | null;
}

/**
 * The request as the tracker receives it behind its TLS-terminating proxy: the visitor's address in
 * X-Forwarded-For and https in X-Forwarded-Proto (browsers send Sec-Fetch-* and client hints only over HTTPS).
 */
export function makeClick(spec: ClickSpec): DraftClick {
  const headers = { ...spec.headers, 'x-forwarded-for': spec.ip, 'x-forwarded-proto': 'https' };
  return {
    at: Math.round(spec.at),
    campaign: spec.campaign.key,
    population: spec.population,
    actor: spec.actor,
    label: spec.label,
    ip: spec.ip,
    query: spec.query,
    headers,
    expected: spec.expected,
    notes: [],
    ...(spec.position === undefined ? {} : { position: spec.position }),
    conversion: spec.conversion ?? null,
  };
}

export function expectation(
  fraudTypes: FraudType[],
  options: { allowed?: FraudType[]; status?: Expectation['status']; verified?: boolean } = {},
): Expectation {
  const status =
    options.status ??
    (fraudTypes.some((type) => ['bot', 'rapid_fire', 'click_farm'].includes(type))
      ? 'bot'
      : fraudTypes.some((type) => type === 'datacenter' || type === 'vpn')
        ? 'vpn'
        : 'real');
  return { fraudTypes: [...fraudTypes], allowed: options.allowed ?? [], status, verified: options.verified ?? false };
}

/** A network a non-human actor runs from. Clicks from a cloud network are `datacenter` too. */
export interface Network {
  readonly pool: AddressPool;
  readonly kind: 'residential' | 'mobile' | 'cloud';
  /** The next address: a home line keeps one; a mobile phone goes out through its carrier's NAT. */
  address(random: Random): string;
}

/**
 * A carrier's NAT gateways: many phones share a few public IPv4 addresses, four per /24, fixed for
 * the run so that phones of the same carrier really collide.
 */
const natCache = new WeakMap<PopulationContext, Map<string, string[]>>();
export function natAddresses(context: PopulationContext, pool: AddressPool): string[] {
  let byPool = natCache.get(context);
  if (!byPool) natCache.set(context, (byPool = new Map()));
  let addresses = byPool.get(pool.id);
  if (!addresses) {
    const random = context.random.fork(`nat:${pool.id}`);
    addresses = [];
    let subnet = '';
    for (let a = 0; a < context.natAddressCount(pool.id); a++) {
      if (a % 4 === 0) subnet = subnet24(addressInV4Cidr(random, random.pick(pool.v4)));
      addresses.push(addressInSubnet24(random, subnet));
    }
    byPool.set(pool.id, addresses);
  }
  return addresses;
}

export function residentialNetwork(random: Random, country?: string): Network {
  const pools = country ? RESIDENTIAL_POOLS.filter((pool) => pool.country === country) : RESIDENTIAL_POOLS;
  const pool = random.pick(pools.length > 0 ? pools : RESIDENTIAL_POOLS);
  const home = randomAddress(random, pool, 0.25);
  return { pool, kind: 'residential', address: () => home };
}

export function mobileNetwork(context: PopulationContext, random: Random, country?: string): Network {
  const pools = country ? MOBILE_POOLS.filter((pool) => pool.country === country) : MOBILE_POOLS;
  const pool = random.pick(pools.length > 0 ? pools : MOBILE_POOLS);
  const nat = natAddresses(context, pool);
  return { pool, kind: 'mobile', address: (r) => r.pick(nat) };
}

export function cloudNetwork(random: Random, poolId?: string): Network {
  const pool = CLOUD_POOLS.find((candidate) => candidate.id === poolId) ?? random.pick(CLOUD_POOLS);
  const server = randomAddress(random, pool);
  return { pool, kind: 'cloud', address: () => server };
}

export function withNetworkTypes(network: Network, fraudTypes: FraudType[]): FraudType[] {
  return network.kind === 'cloud' && !fraudTypes.includes('datacenter') ? [...fraudTypes, 'datacenter'] : fraudTypes;
}

export function conversionFor(
  context: PopulationContext,
  random: Random,
  campaign: SimCampaign,
  clickAt: number,
  txid: string,
): SimConversion | null {
  if (!random.chance(context.conversionRate)) return null;
  const [min, max] = campaign.payout;
  return {
    at: Math.round(clickAt + random.between(60_000, 3 * 3_600_000)),
    payout: Math.round(random.between(min, max) * 100) / 100,
    txid,
    status: random.chance(0.85) ? 'approved' : 'pending',
  };
}

export const uniformTime = (context: PopulationContext, random: Random): number =>
  random.between(context.start, context.end);
