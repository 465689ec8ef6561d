// Strict parsing of downloaded IP lists into normalized entries. A list is data we act on (a Tor
// exit is flagged, a crawler range is waved through), so a response that is not what the source
// promised (an HTML error page, a truncated file, another format) must be refused, not half-read.
import { formatIpv4, formatIpv6, ipv4FromMapped, parseIpv4ToUint32, parseIpv6ToBigInt } from '../ip-address.ts';

/** `relay`: a privacy relay's published egress (iCloud Private Relay), people rather than proxies for hire. */
export type ListKind = 'tor' | 'vpn' | 'crawler' | 'relay';
export const LIST_KINDS: readonly ListKind[] = ['tor', 'vpn', 'crawler', 'relay'];

/**
 * `lines`: one address per line (a CIDR is a bad line). `cidr-lines`: one address or CIDR per line.
 * `google-json`: `{ prefixes: [{ ipv4Prefix } | { ipv6Prefix }] }`, as Google and Bing publish.
 * `geofeed-csv`: `prefix,country,region,city,` per line (RFC 8805), as Apple publishes its relay egress;
 * the country is kept with the entry, the rest is dropped.
 * In the line formats `#` starts a comment and blank lines are skipped.
 */
export type ListFormat = 'lines' | 'cidr-lines' | 'google-json' | 'geofeed-csv';
export const LIST_FORMATS: readonly ListFormat[] = ['lines', 'cidr-lines', 'google-json', 'geofeed-csv'];

/**
 * One address or network; `text` is its canonical spelling (a bare address for /32 and /128).
 * `country`: the ISO 3166 code a geofeed gives the range, kept so a relay's users keep their country.
 */
export type ListEntry =
  | {
      readonly family: 4;
      readonly start: number;
      readonly end: number;
      readonly prefix: number;
      readonly text: string;
      readonly country?: string;
    }
  | {
      readonly family: 6;
      readonly start: bigint;
      readonly end: bigint;
      readonly prefix: number;
      readonly text: string;
      readonly country?: string;
    };

/** A source may have at most this share of unreadable lines before the whole download is refused. */
export const MAX_BAD_LINE_RATIO = 0.01;

function parsePrefixLength(text: string, max: number): number | undefined {
  // Digits only, no leading zero ("/024" is refused: two readers might disagree on it).
  if (!/^(0|[1-9]\d{0,2})$/.test(text)) return undefined;
  const bits = Number(text);
  return bits <= max ? bits : undefined;
}

function v4Entry(start: number, bits: number): ListEntry | undefined {
  const size = 2 ** (32 - bits);
  // Host bits set ("10.0.0.1/8"): the author meant either the host or the network; refuse to guess.
  if (start % size !== 0) return undefined;
  return {
    family: 4,
    start,
    end: start + size - 1,
    prefix: bits,
    text: bits === 32 ? formatIpv4(start) : `${formatIpv4(start)}/${bits}`,
  };
}

/**
 * One address, or one CIDR when `allowCidr`. IPv4-mapped IPv6 (::ffff:a.b.c.d, prefix >= 96) is
 * stored as the IPv4 it is, because lookups read mapped clients as IPv4. Zone ids are refused.
 */
export function parseListEntry(text: string, allowCidr: boolean): ListEntry | undefined {
  const slash = text.indexOf('/');
  if (slash !== -1 && !allowCidr) return undefined;
  const address = slash === -1 ? text : text.slice(0, slash);
  const bitsText = slash === -1 ? undefined : text.slice(slash + 1);

  const v4 = parseIpv4ToUint32(address);
  if (v4 !== undefined) {
    const bits = bitsText === undefined ? 32 : parsePrefixLength(bitsText, 32);
    return bits === undefined ? undefined : v4Entry(v4, bits);
  }
  if (address.includes('%')) return undefined;
  const v6 = parseIpv6ToBigInt(address);
  if (v6 === undefined) return undefined;
  const bits = bitsText === undefined ? 128 : parsePrefixLength(bitsText, 128);
  if (bits === undefined) return undefined;
  const mapped = ipv4FromMapped(v6);
  if (mapped !== undefined && bits >= 96) return v4Entry(mapped, bits - 96);
  const size = 1n << BigInt(128 - bits);
  if ((v6 & (size - 1n)) !== 0n) return undefined;
  return {
    family: 6,
    start: v6,
    end: v6 + size - 1n,
    prefix: bits,
    text: bits === 128 ? formatIpv6(v6) : `${formatIpv6(v6)}/${bits}`,
  };
}

export interface ParsedList {
  /** Sorted (IPv4 first, by start, wider first) and without duplicates. */
  readonly entries: ListEntry[];
  /** Lines (or JSON prefixes) that carried something, comments and blanks excluded. */
  readonly lines: number;
  readonly bad: number;
  /** The first unreadable line, for the error message. */
  readonly firstBad: { readonly line: number; readonly text: string } | null;
  /** Set when the body as a whole is not of the format (not JSON, no `prefixes` array). */
  readonly error: string | null;
}

function compareEntries(a: ListEntry, b: ListEntry): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.prefix - b.prefix;
}

function finish(found: ListEntry[], lines: number, bad: number, firstBad: ParsedList['firstBad']): ParsedList {
  found.sort(compareEntries);
  const entries: ListEntry[] = [];
  for (const entry of found)
    if (entries.length === 0 || entries[entries.length - 1]!.text !== entry.text) entries.push(entry);
  return { entries, lines, bad, firstBad, error: null };
}

function failed(error: string): ParsedList {
  return { entries: [], lines: 0, bad: 0, firstBad: null, error };
}

function parseLines(body: string, allowCidr: boolean): ParsedList {
  const found: ListEntry[] = [];
  let lines = 0;
  let bad = 0;
  let firstBad: ParsedList['firstBad'] = null;
  const rows = (body.charCodeAt(0) === 0xfeff ? body.slice(1) : body).split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const hash = row.indexOf('#');
    const text = (hash === -1 ? row : row.slice(0, hash)).trim();
    if (text === '') continue;
    lines++;
    const entry = parseListEntry(text, allowCidr);
    if (entry === undefined) {
      bad++;
      firstBad ??= { line: i + 1, text: text.length > 60 ? `${text.slice(0, 60)}…` : text };
    } else {
      found.push(entry);
    }
  }
  return finish(found, lines, bad, firstBad);
}

const COUNTRY = /^[A-Z]{2}$/;

/**
 * `prefix,country,region,city,` (Apple: https://mask-api.icloud.com/egress-ip-ranges.csv). A line
 * needs the prefix and a valid or empty country; region and city may be empty. Also reads the stored
 * form (`prefix,country`).
 */
function parseGeofeedCsv(body: string): ParsedList {
  const found: ListEntry[] = [];
  let lines = 0;
  let bad = 0;
  let firstBad: ParsedList['firstBad'] = null;
  const rows = (body.charCodeAt(0) === 0xfeff ? body.slice(1) : body).split('\n');
  for (let i = 0; i < rows.length; i++) {
    const text = rows[i]!.trim();
    if (text === '' || text.startsWith('#')) continue;
    lines++;
    const [prefix = '', country = ''] = text.split(',', 2).map((field) => field.trim());
    const entry = parseListEntry(prefix, true);
    const code = country.toUpperCase();
    if (entry === undefined || (code !== '' && !COUNTRY.test(code))) {
      bad++;
      firstBad ??= { line: i + 1, text: text.length > 60 ? `${text.slice(0, 60)}…` : text };
    } else {
      found.push(code === '' ? entry : { ...entry, country: code });
    }
  }
  return finish(found, lines, bad, firstBad);
}

function parseGoogleJson(body: string): ParsedList {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return failed('the body is not JSON');
  }
  const prefixes = (document as { prefixes?: unknown } | null)?.prefixes;
  if (!Array.isArray(prefixes)) return failed('the JSON has no "prefixes" array');
  const found: ListEntry[] = [];
  let bad = 0;
  let firstBad: ParsedList['firstBad'] = null;
  prefixes.forEach((item: unknown, i) => {
    const { ipv4Prefix, ipv6Prefix } = (item ?? {}) as { ipv4Prefix?: unknown; ipv6Prefix?: unknown };
    const text = typeof ipv4Prefix === 'string' ? ipv4Prefix : typeof ipv6Prefix === 'string' ? ipv6Prefix : undefined;
    const entry = text === undefined ? undefined : parseListEntry(text.trim(), true);
    // The family must agree with the key: an IPv6 value under ipv4Prefix means the file is not what we think.
    if (entry === undefined || entry.family !== (typeof ipv4Prefix === 'string' ? 4 : 6)) {
      bad++;
      firstBad ??= { line: i + 1, text: JSON.stringify(item)?.slice(0, 60) ?? String(item) };
    } else {
      found.push(entry);
    }
  });
  return finish(found, prefixes.length, bad, firstBad);
}

export function parseListBody(format: ListFormat, body: string): ParsedList {
  switch (format) {
    case 'lines':
      return parseLines(body, false);
    case 'cidr-lines':
      return parseLines(body, true);
    case 'google-json':
      return parseGoogleJson(body);
    case 'geofeed-csv':
      return parseGeofeedCsv(body);
  }
}

/** Why a parsed download must not replace the previous copy, or null when it may. */
export function rejectionReason(parsed: ParsedList, format: ListFormat, minEntries: number): string | null {
  if (parsed.error !== null) return parsed.error;
  if (parsed.bad > parsed.lines * MAX_BAD_LINE_RATIO) {
    const what = format === 'lines' ? 'IP addresses' : 'IP addresses or CIDRs';
    const where =
      parsed.firstBad === null
        ? ''
        : ` (${format === 'google-json' ? 'prefix' : 'line'} ${parsed.firstBad.line}: "${parsed.firstBad.text}")`;
    return `${parsed.bad} of ${parsed.lines} ${format === 'google-json' ? 'prefixes' : 'lines'} are not ${what}${where}`;
  }
  if (parsed.entries.length < minEntries) {
    return `only ${parsed.entries.length} entries, fewer than the minimum of ${minEntries} for this source`;
  }
  return null;
}

/** The stored form: one canonical entry per line (`entry,country` when it has one), sorted, newline-terminated. */
export function serializeEntries(entries: readonly ListEntry[]): string {
  const line = (entry: ListEntry) => (entry.country === undefined ? entry.text : `${entry.text},${entry.country}`);
  return entries.length === 0 ? '' : `${entries.map(line).join('\n')}\n`;
}

/** How a stored list file is read back: geofeeds keep their country column, every other list is one entry a line. */
export function storedFormat(format: ListFormat): ListFormat {
  return format === 'geofeed-csv' ? 'geofeed-csv' : 'cidr-lines';
}
