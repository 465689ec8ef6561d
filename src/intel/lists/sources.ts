// Where `cloakradar intel update` downloads the IP lists from. The defaults below are public,
// maintained lists; INTEL_SOURCES points at a JSON file with the same array to replace them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CRAWLER_COMPANY_NAMES, type CrawlerCompany } from '../../detection/lists/verified-crawlers.ts';
import { LIST_FORMATS, LIST_KINDS, type ListFormat, type ListKind } from './entries.ts';

export interface IntelSource {
  /** Names the stored file (`DATA_DIR/intel/lists/<id>.txt`) and is reported in matches. */
  readonly id: string;
  readonly kind: ListKind;
  /** For crawler lists: whose crawlers, as verified-crawlers' company id ("google"); null otherwise. */
  readonly company: CrawlerCompany | null;
  /** http:, https: or file:. */
  readonly url: string;
  readonly format: ListFormat;
  /** A download with fewer entries is refused (a truncated or emptied list would unlist everyone). */
  readonly minEntries: number;
  /** A larger download is abandoned. */
  readonly maxBytes: number;
  /** The whole download, body included, must finish within this time. */
  readonly timeoutMs: number;
}

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Used when a source in INTEL_SOURCES leaves out `minEntries`. */
export const DEFAULT_MIN_ENTRIES: Readonly<Record<ListKind, number>> = {
  tor: 500,
  vpn: 1000,
  crawler: 10,
  relay: 1000,
};

const defaults = { maxBytes: DEFAULT_MAX_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS };

export const DEFAULT_INTEL_SOURCES: readonly IntelSource[] = Object.freeze([
  // The Tor Project's own list of relays that currently allow exit traffic (about 1-2 thousand addresses).
  {
    id: 'tor-exit',
    kind: 'tor',
    company: null,
    url: 'https://check.torproject.org/torbulkexitlist',
    format: 'lines',
    minEntries: 500,
    ...defaults,
  },
  // X4BNet's maintained list of VPN provider ranges (about 12 thousand CIDRs, IPv4 only).
  {
    id: 'x4bnet-vpn',
    kind: 'vpn',
    company: null,
    url: 'https://raw.githubusercontent.com/X4BNet/lists_vpn/main/output/vpn/ipv4.txt',
    format: 'cidr-lines',
    minEntries: 1000,
    ...defaults,
  },
  // Googlebot's published ranges, and those of Google's other crawlers (AdsBot, Mediapartners...). These
  // and Bing's and Apple's ship as a dated snapshot (shipped/crawler-ranges.ts) until the first download.
  {
    id: 'googlebot',
    kind: 'crawler',
    company: 'google',
    url: 'https://developers.google.com/static/search/apis/ipranges/googlebot.json',
    format: 'google-json',
    minEntries: 10,
    ...defaults,
  },
  {
    id: 'google-special-crawlers',
    kind: 'crawler',
    company: 'google',
    url: 'https://developers.google.com/static/search/apis/ipranges/special-crawlers.json',
    format: 'google-json',
    minEntries: 10,
    ...defaults,
  },
  // Fetches Google runs when a person asks (Site Verifier, Read Aloud…), some from Google Cloud addresses.
  {
    id: 'google-user-triggered-fetchers',
    kind: 'crawler',
    company: 'google',
    url: 'https://developers.google.com/static/search/apis/ipranges/user-triggered-fetchers.json',
    format: 'google-json',
    minEntries: 10,
    ...defaults,
  },
  // Bingbot's published ranges; Microsoft's AdIdxBot crawls from the same network.
  {
    id: 'bingbot',
    kind: 'crawler',
    company: 'microsoft',
    url: 'https://www.bing.com/toolbox/bingbot.json',
    format: 'google-json',
    minEntries: 10,
    ...defaults,
  },
  // Applebot's ranges, all inside Apple's own 17.0.0.0/8 (about two dozen prefixes).
  {
    id: 'applebot',
    kind: 'crawler',
    company: 'apple',
    url: 'https://search.developer.apple.com/applebot.json',
    format: 'google-json',
    minEntries: 10,
    ...defaults,
  },
  // iCloud Private Relay's egress ranges with each range's country (about 287 thousand rows); a
  // snapshot ships in shipped/icloud-private-relay.ts for the time before the first update.
  {
    id: 'icloud-private-relay',
    kind: 'relay',
    company: null,
    url: 'https://mask-api.icloud.com/egress-ip-ranges.csv',
    format: 'geofeed-csv',
    minEntries: 1000,
    ...defaults,
  },
] satisfies IntelSource[]);

export class IntelSourcesError extends Error {}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const KEYS = new Set(['id', 'kind', 'company', 'url', 'format', 'minEntries', 'maxBytes', 'timeoutMs']);
const COMPANIES = Object.keys(CRAWLER_COMPANY_NAMES) as CrawlerCompany[];

function positiveInteger(value: unknown, where: string, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new IntelSourcesError(`${where}.${name} must be an integer of at least ${min}`);
  }
  return value;
}

function parseSource(value: unknown, where: string, base: string | undefined): IntelSource {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new IntelSourcesError(`${where} must be an object`);
  const item = value as Record<string, unknown>;
  const unknownKey = Object.keys(item).find((key) => !KEYS.has(key));
  if (unknownKey !== undefined)
    throw new IntelSourcesError(`${where} has an unknown key "${unknownKey}" (known: ${[...KEYS].join(', ')})`);
  const { id, kind, company, url, format } = item;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new IntelSourcesError(`${where}.id must be lowercase letters, digits and dashes, got ${JSON.stringify(id)}`);
  }
  const at = `${where} ("${id}")`;
  if (!LIST_KINDS.includes(kind as ListKind))
    throw new IntelSourcesError(`${at}.kind must be ${LIST_KINDS.join(', ')}`);
  if (!LIST_FORMATS.includes(format as ListFormat))
    throw new IntelSourcesError(`${at}.format must be ${LIST_FORMATS.join(', ')}`);
  let companyId: CrawlerCompany | null = null;
  if (kind === 'crawler') {
    // A range vouches only for crawlers of its own company, so the id must be one verified-crawlers knows:
    // a typo would otherwise load a list that never vouches for anyone.
    const id = typeof company === 'string' ? company.trim().toLowerCase() : '';
    if (!COMPANIES.includes(id as CrawlerCompany)) {
      throw new IntelSourcesError(
        `${at}.company must be one of ${COMPANIES.join(', ')} for a crawler list, got ${JSON.stringify(company)}`,
      );
    }
    companyId = id as CrawlerCompany;
  } else if (company !== undefined && company !== null) {
    throw new IntelSourcesError(`${at}.company only applies to crawler lists`);
  }
  if (typeof url !== 'string' || url === '') throw new IntelSourcesError(`${at}.url is required`);
  let parsed: URL;
  try {
    // A relative url is read next to the sources file, so a folder of lists can travel with it.
    parsed = new URL(url, base);
  } catch {
    throw new IntelSourcesError(`${at}.url is not a URL: "${url}"`);
  }
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol))
    throw new IntelSourcesError(`${at}.url must be http:, https: or file:, got "${parsed.protocol}"`);
  return Object.freeze({
    id,
    kind: kind as ListKind,
    company: companyId,
    url: parsed.href,
    format: format as ListFormat,
    minEntries: positiveInteger(item.minEntries, at, 'minEntries', DEFAULT_MIN_ENTRIES[kind as ListKind], 0),
    maxBytes: positiveInteger(item.maxBytes, at, 'maxBytes', DEFAULT_MAX_BYTES, 1),
    timeoutMs: positiveInteger(item.timeoutMs, at, 'timeoutMs', DEFAULT_TIMEOUT_MS, 1),
  });
}

/** Validates an array of sources; `baseUrl` resolves relative urls (the sources file's own URL). */
export function parseIntelSources(value: unknown, baseUrl?: string): readonly IntelSource[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new IntelSourcesError('must be a non-empty JSON array of sources');
  const sources = value.map((item, i) => parseSource(item, `sources[${i}]`, baseUrl));
  const seen = new Set<string>();
  for (const source of sources) {
    if (seen.has(source.id)) throw new IntelSourcesError(`the id "${source.id}" is used twice`);
    seen.add(source.id);
  }
  return Object.freeze(sources);
}

/** Reads and validates an INTEL_SOURCES file; every problem is one IntelSourcesError line naming the file. */
export function loadIntelSourcesFile(path: string): readonly IntelSource[] {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new IntelSourcesError(`cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new IntelSourcesError(`${absolute} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseIntelSources(value, pathToFileURL(absolute).href);
  } catch (error) {
    if (error instanceof IntelSourcesError) throw new IntelSourcesError(`${absolute}: ${error.message}`);
    throw error;
  }
}
