import ipaddr from 'ipaddr.js';

/** What an anonymised click keeps of an address it could not parse: nothing. */
const UNKNOWN = '0.0.0.0';

/**
 * The network an address belongs to, with the host part cleared: IPv4 keeps its /24
 * (203.0.113.7 → 203.0.113.0), IPv6 its /48 (2001:db8:abcd:12::1 → 2001:db8:abcd::). Country and
 * ASN, looked up at click time, stay true for the whole network. IPv4-mapped IPv6 counts as IPv4.
 */
export function anonymizeIp(ip: string): string {
  if (!ipaddr.isValid(ip)) return UNKNOWN;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    address = (address as ipaddr.IPv6).toIPv4Address();
  if (address.kind() === 'ipv4') {
    const [a, b, c] = (address as ipaddr.IPv4).octets;
    return `${a}.${b}.${c}.0`;
  }
  const parts = (address as ipaddr.IPv6).parts;
  return new ipaddr.IPv6([parts[0]!, parts[1]!, parts[2]!, 0, 0, 0, 0, 0]).toString();
}
