// SSRF guard for webhook targets. Hand-rolled around ipaddr.js (which classifies addresses) because the
// decision is small and must cover both moments: at create/update, and again at delivery, where the
// checked address is the one connected to (DNS may answer differently the second time: rebinding).
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export class UnsafeTargetError extends Error {}

export interface ResolvedTarget {
  readonly url: URL;
  /** The address to connect to: one that passed the check. */
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Only ordinary public unicast is allowed. Everything else — loopback, private, link-local (which holds
 * the cloud metadata address 169.254.169.254), unique-local (fd00:ec2::254), carrier-grade NAT
 * (100.100.100.200 on Alibaba), multicast, reserved, and IPv6 forms that embed an IPv4 address — is refused.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(hexTail(address));
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (embedsIPv4(v6)) return false;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/**
 * `::a.b.c.d` → `::XXXX:XXXX`: ipaddr.js parses an IPv6 address with a dotted tail as IPv4-mapped
 * whatever its prefix (`::8.8.8.8` comes back as ::ffff:808:808), which would hide the real prefix.
 */
function hexTail(address: string): string {
  const match = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!match || !address.includes(':')) return address;
  const [a, b, c, d] = match.slice(2).map(Number) as [number, number, number, number];
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/**
 * IPv6 forms that carry an IPv4 address some stack may route to (a host's own loopback, a NAT64 or 6to4
 * gateway's private side) are refused by their prefix, not by ipaddr.js's range(): it calls ::7f00:1 —
 * `[::127.0.0.1]` as the URL parser writes it — plain unicast. The IPv4-mapped form (::ffff:a.b.c.d) is
 * not among them: it is judged as the IPv4 address it is.
 */
function embedsIPv4(address: ipaddr.IPv6): boolean {
  const [a, b, c, d, e, f] = address.parts as [number, number, number, number, number, number];
  // ::/96, IPv4-compatible (deprecated; also :: and ::1).
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0) return true;
  // ::ffff:0:a.b.c.d/96, IPv4-translated (RFC 6145).
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0xffff && f === 0) return true;
  // 64:ff9b::/96 well-known NAT64 prefix and 64:ff9b:1::/48 local-use NAT64 (RFC 6052, RFC 8215).
  if (a === 0x64 && b === 0xff9b) return true;
  // 2002::/16 6to4 (RFC 3056) and 2001:0::/32 Teredo (RFC 4380): both embed an IPv4 address.
  if (a === 0x2002) return true;
  if (a === 0x2001 && b === 0) return true;
  return false;
}

/** The shape every target must have, before any DNS: http(s), a host, no credentials in the URL. */
export function parseTargetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UnsafeTargetError('The url must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UnsafeTargetError('The url must use http or https');
  if (!url.hostname) throw new UnsafeTargetError('The url must name a host');
  // Credentials in a URL end up in logs and delivery records; receivers authenticate us by the signature.
  if (url.username || url.password) throw new UnsafeTargetError('The url must not contain a user name or password');
  return url;
}

export type Resolve = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** URL hosts keep IPv6 literals in brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Resolves the host and refuses it when ANY address is not public: a name that answers with one public
 * and one private address could otherwise be steered to the private one by the connection's own lookup.
 */
export async function resolveTarget(
  url: URL,
  allowPrivate: boolean,
  resolve: Resolve = systemResolve,
): Promise<ResolvedTarget> {
  const host = bareHost(url);
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await resolve(host);
  if (addresses.length === 0) throw new UnsafeTargetError(`${host} does not resolve`);
  if (!allowPrivate) {
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused)
      throw new UnsafeTargetError(
        `${host} resolves to ${refused.address}, a loopback, private, link-local or otherwise non-public address`,
      );
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * The check at create/update: a refused address or a name that does not exist is the caller's mistake
 * (400). A DNS outage is not: the target is accepted and checked again at each delivery.
 */
export async function checkTargetUrl(
  text: string,
  allowPrivate: boolean,
  resolve: Resolve = systemResolve,
): Promise<void> {
  const url = parseTargetUrl(text);
  try {
    await resolveTarget(url, allowPrivate, resolve);
  } catch (error) {
    if (error instanceof UnsafeTargetError) throw error;
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ENOTFOUND' || code === 'ENODATA') throw new UnsafeTargetError(`${url.hostname} does not resolve`);
  }
}
