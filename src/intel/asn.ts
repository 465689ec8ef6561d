// IP -> autonomous system from a binary index cached in the data directory. Parsing the CSVs takes
// seconds; loading the cached index takes tens of milliseconds, so it is built once per source version.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildAsnIndexData } from './asn-index-builder.ts';
import { decodeAsnIndex, encodeAsnIndex } from './asn-index-format.ts';
import type { AsnIndexData, AsnIndexHeader } from './asn-index-format.ts';
import { parseIpv4ToUint32, parseIpv6ToBigInt, ipv4FromMapped } from './ip-address.ts';
import { findLastStartV4, findLastStartV6 } from './range-search.ts';

export interface AsnInfo {
  asn: number;
  org: string;
}

export interface AsnLookup {
  /** Undefined for invalid text and for addresses no AS announces (private, reserved, unrouted). */
  lookup(ip: string): AsnInfo | undefined;
}

export interface AsnIndex extends AsnLookup {
  /** Whether this open built the index from the CSVs or reused the cached file. */
  readonly origin: 'built' | 'cache';
  readonly path: string;
  readonly header: AsnIndexHeader;
  /** Time spent building (0 when reused) and reading the file, in milliseconds. */
  readonly buildMs: number;
  readonly loadMs: number;
}

export interface AsnIndexOptions {
  /** The application data directory; the index goes to `<dataDir>/intel/asn-index-v1.bin`. */
  dataDir: string;
  /** Folder with asn-ipv4-num.csv, asn-ipv6-num.csv and package.json; defaults to the installed package. */
  sourceDir?: string;
}

const LOW_64 = (1n << 64n) - 1n;

function defaultSourceDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json'));
}

function sourceVersion(sourceDir: string): string {
  const pkg = JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`no version in ${join(sourceDir, 'package.json')}`);
  return pkg.version;
}

function readIndex(path: string, version: string): ReturnType<typeof decodeAsnIndex> {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  const decoded = decodeAsnIndex(file);
  return decoded?.header.sourceVersion === version ? decoded : undefined;
}

/** Temp file then rename, so a crash or a concurrent reader never sees half an index. */
function writeAtomically(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * For each /16, the first range starting at or after it. A 256 KB table built in about a
 * millisecond; it narrows the search to the few ranges of one /16, skipping most of the ~19
 * probes of a whole-table search, each a likely cache miss (BENCHMARKS.md, "Measurements behind the code").
 */
function bucketV4(starts: Uint32Array): Uint32Array {
  const buckets = new Uint32Array(65537);
  let i = 0;
  for (let bucket = 0; bucket <= 65536; bucket++) {
    const first = bucket * 65536;
    while (i < starts.length && starts[i]! < first) i++;
    buckets[bucket] = i;
  }
  return buckets;
}

export function createAsnLookup(data: AsnIndexData): AsnLookup {
  const { v4Start, v4End, v4Asn, v4Org, v6StartHi, v6StartLo, v6EndHi, v6EndLo, v6Asn, v6Org, orgs } = data;
  const buckets = bucketV4(v4Start);
  const lookupV4 = (key: number): AsnInfo | undefined => {
    const bucket = key >>> 16;
    // Ranges starting before this /16 end at index buckets[bucket] - 1; that one may still cover the key.
    const i = findLastStartV4(v4Start, key, Math.max(buckets[bucket]! - 1, 0), buckets[bucket + 1]! - 1);
    if (i < 0 || key > v4End[i]!) return undefined;
    return { asn: v4Asn[i]!, org: orgs[v4Org[i]!] ?? '' };
  };
  return {
    lookup(ip: string): AsnInfo | undefined {
      const v4 = parseIpv4ToUint32(ip);
      if (v4 !== undefined) return lookupV4(v4);
      const value = parseIpv6ToBigInt(ip);
      if (value === undefined) return undefined;
      const mapped = ipv4FromMapped(value);
      if (mapped !== undefined) return lookupV4(mapped);
      const hi = value >> 64n;
      const lo = value & LOW_64;
      const i = findLastStartV6(v6StartHi, v6StartLo, hi, lo);
      if (i < 0) return undefined;
      const endHi = v6EndHi[i]!;
      if (hi > endHi || (hi === endHi && lo > v6EndLo[i]!)) return undefined;
      return { asn: v6Asn[i]!, org: orgs[v6Org[i]!] ?? '' };
    },
  };
}

/**
 * Loads `<dataDir>/intel/asn-index-v1.bin`, building it first when it is missing, unreadable or
 * built from another version of the source package.
 */
export async function openAsnIndex(options: AsnIndexOptions): Promise<AsnIndex> {
  const sourceDir = options.sourceDir ?? defaultSourceDir();
  const version = sourceVersion(sourceDir);
  const path = join(options.dataDir, 'intel', 'asn-index-v1.bin');

  let started = performance.now();
  let decoded = readIndex(path, version);
  let origin: AsnIndex['origin'] = 'cache';
  let buildMs = 0;
  if (decoded === undefined) {
    origin = 'built';
    const built = await buildAsnIndexData(sourceDir);
    const bytes = encodeAsnIndex(built.data, {
      sourceVersion: version,
      clipped: built.clipped,
      skipped: built.skipped,
    });
    writeAtomically(path, bytes);
    buildMs = performance.now() - started;
    started = performance.now();
    // Decoding what was just encoded (rather than using the builder's arrays) proves the round trip.
    decoded = decodeAsnIndex(bytes);
    if (decoded === undefined) throw new Error(`ASN index written to ${path} does not decode`);
  }
  const loadMs = performance.now() - started;
  return { ...createAsnLookup(decoded.data), origin, path, header: decoded.header, buildMs, loadMs };
}
