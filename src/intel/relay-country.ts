// A relay's users are where the relay says they are, not where its egress server stands.
import type { IpReputation } from '../detection/index.ts';

/**
 * The address data with its list reputation; on a privacy relay's egress the country is the one the
 * relay publishes for the range (the users' own region), which the geo database, seeing a CDN
 * server, often gets wrong. A relay row without a country keeps the geo database's answer.
 */
export function withReputation<T extends { readonly country: string | null }>(
  info: T,
  reputation: IpReputation,
): T & { readonly reputation: IpReputation } {
  const relayCountry = reputation.relay ? reputation.relay.country : null;
  return { ...info, country: relayCountry ?? info.country, reputation };
}
