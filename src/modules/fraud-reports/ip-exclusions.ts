import { round2 } from './money.ts';

/** Google Ads takes at most 500 IP exclusions per campaign. */
export const MAX_IP_EXCLUSIONS = 500;
/**
 * Fraudulent addresses in one /24 from which a single `a.b.c.*` entry replaces them. Three, not two:
 * two neighbours can be two unlucky households of one ISP, and a range shuts out all 256 addresses.
 */
export const MIN_ADDRESSES_FOR_RANGE = 3;

export interface IpExclusionEntry {
  /** A single IPv4 or IPv6 address, or an IPv4 /24 as Google Ads writes it: `203.0.113.*`. */
  value: string;
  clicks: number;
  cost: number;
}

export interface IpExclusionList {
  entries: IpExclusionEntry[];
  /** True when more addresses or ranges were fraudulent than the 500 Google Ads accepts. */
  truncated: boolean;
}

export interface IpExclusionOptions {
  limit?: number;
  minAddressesForRange?: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The exclusion list for Google Ads from the fraudulent clicks and their cost per address: neighbours
 * in one /24 folded into one wildcard range (one entry blocks the whole farm and leaves room for
 * others), then the most costly first (clicks of a traffic source with per-click cost differ in price),
 * then the most clicks, cut at the limit; ties go by value so the list is stable.
 */
export function buildIpExclusions(
  byIp: Iterable<readonly [string, { clicks: number; cost: number }]>,
  options: IpExclusionOptions = {},
): IpExclusionList {
  const limit = options.limit ?? MAX_IP_EXCLUSIONS;
  const minForRange = options.minAddressesForRange ?? MIN_ADDRESSES_FOR_RANGE;
  const subnets = new Map<string, Array<{ ip: string; clicks: number; cost: number }>>();
  const entries: Array<{ value: string; clicks: number; cost: number }> = [];
  for (const [ip, { clicks, cost }] of byIp) {
    const octets = IPV4.exec(ip);
    if (!octets) {
      entries.push({ value: ip.toLowerCase(), clicks, cost });
      continue;
    }
    const prefix = `${octets[1]}.${octets[2]}.${octets[3]}`;
    let members = subnets.get(prefix);
    if (!members) subnets.set(prefix, (members = []));
    members.push({ ip, clicks, cost });
  }
  for (const [prefix, members] of subnets) {
    if (members.length >= minForRange)
      entries.push({
        value: `${prefix}.*`,
        clicks: members.reduce((sum, member) => sum + member.clicks, 0),
        cost: members.reduce((sum, member) => sum + member.cost, 0),
      });
    else for (const { ip, clicks, cost } of members) entries.push({ value: ip, clicks, cost });
  }
  entries.sort(
    (a, b) => b.cost - a.cost || b.clicks - a.clicks || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  return {
    entries: entries.slice(0, limit).map(({ value, clicks, cost }) => ({ value, clicks, cost: round2(cost) })),
    truncated: entries.length > limit,
  };
}
