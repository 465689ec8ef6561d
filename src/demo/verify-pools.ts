import { ALL_POOLS, addressInV4Cidr, addressInV6Prefix, type AddressPool } from './address-pools.ts';
import { createRandom } from './random.ts';

/** The part of IpIntel the check needs. */
export interface IpLookup {
  lookupIp(ip: string): { country: string | null; asn: number | null };
}

export interface PoolCheck {
  readonly pool: AddressPool;
  readonly range: string;
  readonly sampled: number;
  /** Samples whose ASN (and country, when the pool has one) matched. */
  readonly matched: number;
  /** The most common wrong answer, for the warning. */
  readonly example: string | null;
}

/**
 * Samples every range of every pool against the address data: a range the data places elsewhere
 * would make the simulator's labels lie (a "Comcast" human that the tracker sees in another network).
 */
export function verifyPools(
  intel: IpLookup,
  samplesPerRange = 50,
  pools: readonly AddressPool[] = ALL_POOLS,
): PoolCheck[] {
  const random = createRandom(0x5eed);
  const checks: PoolCheck[] = [];
  for (const pool of pools) {
    const ranges = [
      ...pool.v4.map((range) => ({ range, v6: false })),
      ...(pool.v6 ?? []).map((range) => ({ range, v6: true })),
    ];
    for (const { range, v6 } of ranges) {
      let matched = 0;
      let example: string | null = null;
      for (let i = 0; i < samplesPerRange; i++) {
        const ip = v6 ? addressInV6Prefix(random, range) : addressInV4Cidr(random, range);
        const info = intel.lookupIp(ip);
        const ok =
          info.asn !== null && pool.asns.includes(info.asn) && (pool.country === null || info.country === pool.country);
        if (ok) matched++;
        else example ??= `${ip} → AS${info.asn ?? '?'} ${info.country ?? '??'}`;
      }
      checks.push({ pool, range, sampled: samplesPerRange, matched, example });
    }
  }
  return checks;
}
