import { isIPv4, isIPv6 } from 'node:net';

/**
 * Addresses are compared as 16 bytes: IPv4 becomes the IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * and an IPv4 prefix gains 96 bits, so one comparison serves both families and a v4 rule also
 * catches the same client written in mapped form.
 */
export interface IpRange {
  readonly bytes: Uint8Array;
  readonly prefix: number;
  /** The entry as the user wrote it, for reasons. */
  readonly source: string;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4Octets(text: string): number[] {
  return text.split('.').map(Number);
}

function parseIPv6Groups(text: string): number[] {
  let address = text;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  // An embedded IPv4 tail (::ffff:1.2.3.4) is rewritten as its two hex groups so one parser remains.
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = parseIPv4Octets(tail);
    address = `${address.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const toGroups = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((group) => parseInt(group, 16));
  const [head, rest] = address.split('::');
  const headGroups = toGroups(head);
  const restGroups = toGroups(rest);
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  return [...headGroups, ...new Array<number>(zeros).fill(0), ...restGroups];
}

/** 16 bytes for a valid IPv4 or IPv6 address (zone id ignored), or null. */
export function parseIp(text: string): Uint8Array | null {
  if (isIPv4(text)) return Uint8Array.from([...V4_MAPPED_PREFIX, ...parseIPv4Octets(text)]);
  const zone = text.indexOf('%');
  const address = zone === -1 ? text : text.slice(0, zone);
  if (!isIPv6(address)) return null;
  const bytes = new Uint8Array(16);
  parseIPv6Groups(address).forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** "10.0.0.0/8", "2001:db8::/32" or a bare address; null when malformed. */
export function parseIpRange(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseIp(address);
  if (bytes === null) return null;
  const isV4 = isIPv4(address);
  const maxBits = isV4 ? 32 : 128;
  let bits = maxBits;
  if (slash !== -1) {
    const bitsText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsText)) return null;
    bits = Number(bitsText);
    if (bits > maxBits) return null;
  }
  return { bytes, prefix: isV4 ? bits + 96 : bits, source: text };
}

export function isIpInRange(ip: Uint8Array, range: IpRange): boolean {
  const fullBytes = range.prefix >> 3;
  for (let i = 0; i < fullBytes; i++) if (ip[i] !== range.bytes[i]) return false;
  const remainingBits = range.prefix & 7;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  return ((ip[fullBytes] ?? 0) & mask) === ((range.bytes[fullBytes] ?? 0) & mask);
}

/**
 * Campaigns keep the same list instance while cached, so parsing it once per list instead of
 * once per click is a plain memo: the answer for a given list never changes.
 */
const parsedLists = new WeakMap<readonly string[], readonly IpRange[]>();

/** Malformed entries are skipped: the campaign API validates them, and one bad entry must not disable the rest. */
export function parseIpRanges(list: readonly string[]): readonly IpRange[] {
  let ranges = parsedLists.get(list);
  if (ranges === undefined) {
    ranges = list.map((entry) => parseIpRange(entry.trim())).filter((range): range is IpRange => range !== null);
    parsedLists.set(list, ranges);
  }
  return ranges;
}

/** The first entry of `list` that contains `ip`, or null (also for an unparseable ip). */
export function findIpInList(ip: string, list: readonly string[]): IpRange | null {
  if (list.length === 0) return null;
  const bytes = parseIp(ip);
  if (bytes === null) return null;
  return parseIpRanges(list).find((range) => isIpInRange(bytes, range)) ?? null;
}
