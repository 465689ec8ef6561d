import { HOSTING_ASNS, NOT_HOSTING_ASNS, type HostingKind } from './lists/hosting-asns.ts';
import { HOSTING_ORG_PATTERNS, NOT_HOSTING_ORG_PATTERNS } from './lists/hosting-org-patterns.ts';
import { MOBILE_CARRIER_ASNS, MOBILE_CARRIER_ORG_PATTERN } from './lists/mobile-carriers.ts';
import { ORGANISATION_ORG_PATTERNS } from './lists/organisation-networks.ts';
import type { IpInfo } from './types.ts';

type Network = Pick<IpInfo, 'asn' | 'asOrg'>;

export interface HostingNetwork {
  readonly kind: HostingKind;
  /** "AS14061 DigitalOcean, LLC", for reasons. */
  readonly label: string;
  /** The word of the organisation's name that gave it away; null when the ASN is on the curated list. */
  readonly nameMatch: string | null;
}

/** "AS14061 DigitalOcean, LLC"; the database's name first, then `fallbackName`, then the bare number. */
export function describeNetwork({ asn, asOrg }: Network, fallbackName?: string): string {
  const name = asOrg?.trim() || fallbackName;
  if (asn === null) return name ?? 'an unknown network';
  return name ? `AS${asn} ${name}` : `AS${asn}`;
}

/**
 * Few distinct organisation names make up most clicks, and each is judged by some 25 patterns, so
 * answers are remembered. Bounded: emptied when full, as the user-agent memo.
 */
const MEMO_LIMIT = 10_000;
const orgMemo = new Map<string, string | null>();

/** The hosting word in `org`, or null when it has none or also names an access network. */
function findHostingWord(org: string): string | null {
  let answer = orgMemo.get(org);
  if (answer === undefined) {
    const match = NOT_HOSTING_ORG_PATTERNS.some((pattern) => pattern.test(org))
      ? null
      : HOSTING_ORG_PATTERNS.map((pattern) => pattern.exec(org)).find((found) => found !== null);
    answer = match ? match[0] : null;
    if (orgMemo.size >= MEMO_LIMIT) orgMemo.clear();
    orgMemo.set(org, answer);
  }
  return answer;
}

/**
 * Whether the click comes from rented infrastructure. The curated lists decide for the networks they
 * know (hosting, or deliberately not: Google, Meta, carriers); the organisation's name decides for
 * the rest.
 */
export function findHostingNetwork(network: Network): HostingNetwork | null {
  const { asn, asOrg } = network;
  if (asn !== null) {
    const listed = HOSTING_ASNS.get(asn);
    if (listed) return { kind: listed.kind, label: describeNetwork(network, listed.name), nameMatch: null };
    if (NOT_HOSTING_ASNS.has(asn) || MOBILE_CARRIER_ASNS.has(asn)) return null;
  }
  const org = asOrg?.trim();
  if (!org) return null;
  const word = findHostingWord(org);
  return word === null ? null : { kind: 'hosting', label: describeNetwork(network), nameMatch: word };
}

/** Whether many people may share this network's addresses: a listed carrier, or one named like a carrier that is not a host. */
export function isMobileCarrier(network: Network): boolean {
  const { asn, asOrg } = network;
  if (asn !== null && MOBILE_CARRIER_ASNS.has(asn)) return true;
  if (!asOrg || !MOBILE_CARRIER_ORG_PATTERN.test(asOrg)) return false;
  return findHostingNetwork(network) === null;
}

/**
 * Why many people may share one address of this network: a mobile carrier's NAT, or an organisation's
 * (a campus, a business line). Null for everything else: home lines, hosts and networks not known.
 */
export type SharedAddressKind = 'carrier' | 'organisation';

export function findSharedAddressKind(network: Network): SharedAddressKind | null {
  if (isMobileCarrier(network)) return 'carrier';
  const org = network.asOrg?.trim();
  if (!org || !ORGANISATION_ORG_PATTERNS.some((pattern) => pattern.test(org))) return null;
  return findHostingNetwork(network) === null ? 'organisation' : null;
}
