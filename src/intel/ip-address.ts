// IP text <-> number helpers shared by the geo and ASN lookups (and anyone else who needs them).
// Lookups run once per click, so the IPv4 path avoids regexes, splits and BigInt entirely.
import { isIP } from 'node:net';

const MAPPED_V4_PREFIX = 0xffffn; // ::ffff:0:0/96, i.e. the top 96 bits of an IPv4-mapped address
const LOW_32 = 0xffffffffn;

/**
 * Strict dotted-quad parser (no leading zeros, exactly four parts), agreeing with `net.isIPv4`.
 * Returns undefined for anything else, including IPv6 text.
 */
export function parseIpv4ToUint32(ip: string): number | undefined {
  const length = ip.length;
  if (length < 7 || length > 15) return undefined;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const code = ip.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      // "01" is rejected because some parsers read it as octal: two programs would disagree on the address.
      if (digits > 0 && part === 0) return undefined;
      part = part * 10 + (code - 48);
      if (part > 255) return undefined;
      digits++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  // Multiplication instead of << keeps the result unsigned above 127.255.255.255.
  return value * 256 + part;
}

/** Parses any IPv6 text `net.isIP` accepts (compressed, embedded IPv4, zone id) into a 128-bit value. */
export function parseIpv6ToBigInt(ip: string): bigint | undefined {
  if (isIP(ip) !== 6) return undefined;
  const zone = ip.indexOf('%');
  let text = zone === -1 ? ip : ip.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    // Embedded IPv4 tail (::ffff:1.2.3.4): rewrite it as two hex groups so one code path follows.
    const v4 = parseIpv4ToUint32(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const gap = text.indexOf('::');
  let groups: string[];
  if (gap === -1) {
    groups = text.split(':');
  } else {
    const head = gap === 0 ? [] : text.slice(0, gap).split(':');
    const tail = gap + 2 === text.length ? [] : text.slice(gap + 2).split(':');
    groups = [...head, ...new Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  }
  if (groups.length !== 8) return undefined;
  // One BigInt parse of 32 hex digits is cheaper than eight shifts and ors on BigInts.
  return BigInt(`0x${groups.map((group) => group.padStart(4, '0')).join('')}`);
}

/** The IPv4 address inside an IPv4-mapped IPv6 value (::ffff:a.b.c.d), or undefined for any other value. */
export function ipv4FromMapped(value: bigint): number | undefined {
  return value >> 32n === MAPPED_V4_PREFIX ? Number(value & LOW_32) : undefined;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** RFC 5952 text: lowercase, no leading zeros, the first longest run of two or more zero groups as `::`. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** A parsed address; IPv4-mapped IPv6 comes back as family 4 because it is that IPv4 host. */
export type ParsedIp = { readonly family: 4; readonly value: number } | { readonly family: 6; readonly value: bigint };

export function parseIp(ip: string): ParsedIp | undefined {
  const v4 = parseIpv4ToUint32(ip);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6ToBigInt(ip);
  if (v6 === undefined) return undefined;
  const mapped = ipv4FromMapped(v6);
  return mapped === undefined ? { family: 6, value: v6 } : { family: 4, value: mapped };
}

/**
 * Canonical text for storage and comparison: IPv4 dotted quad (also for ::ffff:a.b.c.d), IPv6 in
 * RFC 5952 form without zone id. Undefined when the text is not an IP address.
 */
export function normalizeIp(ip: string): string | undefined {
  // A dotted quad the strict parser accepts is already canonical: no parse into a new string per click.
  if (parseIpv4ToUint32(ip) !== undefined) return ip;
  const parsed = parseIp(ip);
  if (parsed === undefined) return undefined;
  return parsed.family === 4 ? formatIpv4(parsed.value) : formatIpv6(parsed.value);
}

export function isValidIp(ip: string): boolean {
  return isIP(ip) !== 0;
}

/**
 * The network an address shares with its neighbours, as CIDR text: the /24 of an IPv4 address, the
 * /48 of an IPv6 one (a typical end-site allocation). Click farms hide behind many addresses of one
 * such block. Undefined when the text is not an IP address.
 */
export function subnetOf(ip: string): string | undefined {
  // Canonical IPv4 text (the strict parser's): its /24 is its first three parts, as formatted below.
  if (parseIpv4ToUint32(ip) !== undefined) return `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
  const parsed = parseIp(ip);
  if (parsed === undefined) return undefined;
  if (parsed.family === 4) return `${formatIpv4(parsed.value & 0xffffff00)}/24`;
  const mask = ((1n << 48n) - 1n) << 80n;
  return `${formatIpv6(parsed.value & mask)}/48`;
}

/**
 * One client's addresses, as a key: an IPv4 address itself, an IPv6 address's /64 — a host may pick
 * any address in its /64 at will, so counting single IPv6 addresses would let a bot rotate past
 * rapid-fire limits.
 */
export function hostKeyOf(ip: string): string {
  // Canonical IPv4 text is its own key (formatting its parse gives the same string back).
  if (parseIpv4ToUint32(ip) !== undefined) return ip;
  const parsed = parseIp(ip);
  if (parsed === undefined) return ip;
  if (parsed.family === 4) return formatIpv4(parsed.value);
  const mask = ((1n << 64n) - 1n) << 64n;
  return `${formatIpv6(parsed.value & mask)}/64`;
}
