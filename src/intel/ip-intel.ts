// What the click pipeline calls once per click. Clicks repeat: the same visitor reloads, the same
// bot farm retries, a handful of browser builds make up most traffic. A bounded memo in front of each
// lookup turns those repeats into a Map hit instead of a tree walk or a regex battery.
import { memoize } from '../detection/memo.ts';
import { openAsnIndex } from './asn.ts';
import type { AsnLookup } from './asn.ts';
import { openDbipCityGeo } from './geo.ts';
import type { Geo, GeoLookup } from './geo.ts';
import { parseUserAgent, UA_MAX_LENGTH } from './user-agent.ts';
import type { Device } from './user-agent.ts';

export interface IpInfo extends Geo {
  asn: number | null;
  asOrg: string | null;
}

export interface IpIntel {
  /** Never throws; unknown, private and invalid addresses give all nulls. The result is frozen and shared. */
  lookupIp(ip: string): IpInfo;
  /** Never throws. The result is frozen and shared. */
  lookupUserAgent(ua: string): Device;
}

export interface IpIntelCacheSize {
  /** Distinct IPs kept; 0 disables the cache. Default 50,000. */
  ip?: number;
  /** Distinct user agents kept; 0 disables the cache. Default 10,000. */
  userAgent?: number;
}

export interface IpIntelOptions {
  geo: GeoLookup;
  asn: AsnLookup;
  cacheSize?: IpIntelCacheSize;
}

export const DEFAULT_IP_CACHE_SIZE = 50_000;
export const DEFAULT_UA_CACHE_SIZE = 10_000;

// Longest IP text is 45 chars (IPv4-mapped IPv6) plus a zone id; longer keys are junk and could be
// used to fill the cache with big strings, so they bypass it.
const MAX_IP_KEY_LENGTH = 64;

const UNKNOWN_IP: IpInfo = Object.freeze({ country: null, region: null, city: null, asn: null, asOrg: null });

function cached<V extends object>(size: number, compute: (key: string) => V, maxKeyLength: number): (key: string) => V {
  if (size <= 0) return compute;
  // Two generations of Maps (detection/memo.ts): an LRU's reordering on every hit cost ~4 % of a click.
  return memoize(compute, { entries: size, maxKeyLength });
}

export function createIpIntel(options: IpIntelOptions): IpIntel {
  const { geo, asn } = options;
  const resolveIp = (ip: string): IpInfo => {
    // The lookups validate their input; the catch is for the pipeline's sake, since a broken
    // database file must degrade enrichment, not drop the click.
    try {
      const place = geo.lookup(ip);
      const as = asn.lookup(ip);
      if (place === undefined && as === undefined) return UNKNOWN_IP;
      return Object.freeze({
        country: place?.country ?? null,
        region: place?.region ?? null,
        city: place?.city ?? null,
        asn: as?.asn ?? null,
        asOrg: as?.org || null,
      });
    } catch {
      return UNKNOWN_IP;
    }
  };
  // Keys are the raw text: normalising first would cost on every hit, and ::ffff:1.2.3.4 beside
  // 1.2.3.4 merely takes a second slot with the same answer.
  const lookupIp = cached(options.cacheSize?.ip ?? DEFAULT_IP_CACHE_SIZE, resolveIp, MAX_IP_KEY_LENGTH);
  // The parser only reads the first UA_MAX_LENGTH characters, so that prefix is the whole key.
  const parseUa = cached(
    options.cacheSize?.userAgent ?? DEFAULT_UA_CACHE_SIZE,
    (ua) => Object.freeze(parseUserAgent(ua)),
    UA_MAX_LENGTH,
  );
  return {
    lookupIp: (ip) => lookupIp(typeof ip === 'string' ? ip : ''),
    lookupUserAgent: (ua) => parseUa(typeof ua === 'string' ? ua.slice(0, UA_MAX_LENGTH) : ''),
  };
}

export interface OpenIpIntelOptions {
  /** The application data directory; the ASN index is cached under `<dataDir>/intel/`. */
  dataDir: string;
  cacheSize?: IpIntelCacheSize;
}

/** Opens the DB-IP city files and the ASN index (building it on first start, a few seconds). */
export async function openIpIntel(options: OpenIpIntelOptions): Promise<IpIntel> {
  const asn = await openAsnIndex({ dataDir: options.dataDir });
  const geo = openDbipCityGeo();
  return createIpIntel({ geo, asn, cacheSize: options.cacheSize });
}
