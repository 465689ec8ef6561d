// On-disk layout of the ASN index: a small JSON header, then the typed arrays back to back, so a
// load is one read plus typed-array views over it (no parsing, no per-row objects).
//
//   bytes 0-7   magic "CRASNIX1"
//   bytes 8-11  header JSON length, uint32 little endian
//   header JSON (AsnIndexHeader), zero-padded to a multiple of 8
//   sections in SECTION order, each zero-padded to a multiple of 8, in the builder's byte order
import { endianness } from 'node:os';

export const ASN_INDEX_FORMAT = 1;
const MAGIC = 'CRASNIX1';

/**
 * Ranges are sorted by start and disjoint. IPv6 keeps all 128 bits as (hi, lo) pairs: the data has
 * a few ranges finer than /64 (VeriSign splits some /64s around single DNS anycast addresses such
 * as 2001:500:30ff::30), so the top 64 bits alone would merge different ASNs.
 */
export interface AsnIndexData {
  v4Start: Uint32Array;
  v4End: Uint32Array;
  v4Asn: Uint32Array;
  v4Org: Uint32Array;
  v6StartHi: BigUint64Array;
  v6StartLo: BigUint64Array;
  v6EndHi: BigUint64Array;
  v6EndLo: BigUint64Array;
  v6Asn: Uint32Array;
  v6Org: Uint32Array;
  /** Deduplicated organisation names; the *Org arrays index into it. */
  orgs: string[];
}

export interface AsnIndexHeader {
  format: number;
  /** Version of the @ip-location-db/asn package the index was built from. */
  sourceVersion: string;
  littleEndian: boolean;
  v4Count: number;
  v6Count: number;
  orgCount: number;
  orgBytes: number;
  /** Overlapping source rows that were clipped and malformed rows that were skipped. */
  clipped: number;
  skipped: number;
  builtAt: string;
}

type TypedKey = Exclude<keyof AsnIndexData, 'orgs'>;
const SECTIONS: readonly { key: TypedKey; bytes: 4 | 8; count: 'v4Count' | 'v6Count' }[] = [
  { key: 'v4Start', bytes: 4, count: 'v4Count' },
  { key: 'v4End', bytes: 4, count: 'v4Count' },
  { key: 'v4Asn', bytes: 4, count: 'v4Count' },
  { key: 'v4Org', bytes: 4, count: 'v4Count' },
  { key: 'v6StartHi', bytes: 8, count: 'v6Count' },
  { key: 'v6StartLo', bytes: 8, count: 'v6Count' },
  { key: 'v6EndHi', bytes: 8, count: 'v6Count' },
  { key: 'v6EndLo', bytes: 8, count: 'v6Count' },
  { key: 'v6Asn', bytes: 4, count: 'v6Count' },
  { key: 'v6Org', bytes: 4, count: 'v6Count' },
];

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

export function isLittleEndianHost(): boolean {
  return endianness() === 'LE';
}

export function encodeAsnIndex(
  data: AsnIndexData,
  meta: Pick<AsnIndexHeader, 'sourceVersion' | 'clipped' | 'skipped'>,
): Buffer {
  // Newline can't occur in a name (the CSV is read line by line), so it is a safe separator.
  const orgBlob = Buffer.from(data.orgs.join('\n'), 'utf8');
  const header: AsnIndexHeader = {
    format: ASN_INDEX_FORMAT,
    ...meta,
    littleEndian: isLittleEndianHost(),
    v4Count: data.v4Start.length,
    v6Count: data.v6StartHi.length,
    orgCount: data.orgs.length,
    orgBytes: orgBlob.length,
    builtAt: new Date().toISOString(),
  };
  const headerJson = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(headerJson.length);
  const out: Uint8Array[] = [];
  let size = 0;
  const push = (bytes: Uint8Array): void => {
    out.push(bytes);
    size += bytes.length;
  };
  [Buffer.from(MAGIC, 'latin1'), headerLength, headerJson].forEach(push);
  push(new Uint8Array(pad8(size) - size));
  for (const { key } of SECTIONS) {
    const array = data[key];
    push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    push(new Uint8Array(pad8(size) - size));
  }
  push(orgBlob);
  return Buffer.concat(out, size);
}

/** Undefined when the bytes are not a complete index of this format (truncated, foreign, other byte order). */
export function decodeAsnIndex(file: Buffer): { header: AsnIndexHeader; data: AsnIndexData } | undefined {
  if (file.length < 12 || file.toString('latin1', 0, 8) !== MAGIC) return undefined;
  const headerLength = file.readUInt32LE(8);
  let header: AsnIndexHeader;
  try {
    header = JSON.parse(file.toString('utf8', 12, 12 + headerLength)) as AsnIndexHeader;
  } catch {
    return undefined;
  }
  if (header.format !== ASN_INDEX_FORMAT || header.littleEndian !== isLittleEndianHost()) return undefined;
  // Typed-array views need aligned offsets; a pooled Buffer may start anywhere, so copy once if so.
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(new Uint8Array(file));
  let offset = pad8(12 + headerLength);
  const views: Partial<Record<TypedKey, Uint32Array | BigUint64Array>> = {};
  for (const { key, bytes: width, count } of SECTIONS) {
    const length = header[count];
    if (offset + length * width > bytes.length) return undefined;
    const at = bytes.byteOffset + offset;
    views[key] = width === 4 ? new Uint32Array(bytes.buffer, at, length) : new BigUint64Array(bytes.buffer, at, length);
    offset = pad8(offset + length * width);
  }
  if (offset + header.orgBytes !== bytes.length) return undefined;
  const orgs = header.orgCount === 0 ? [] : bytes.toString('utf8', offset, offset + header.orgBytes).split('\n');
  if (orgs.length !== header.orgCount) return undefined;
  return { header, data: { ...(views as Omit<AsnIndexData, 'orgs'>), orgs } };
}
