// Builds the ASN index from @ip-location-db/asn's numeric CSVs ("start,end,asn,org", inclusive
// ranges, org quoted CSV-style when it holds a comma or quote). Streamed line by line so the
// 30 MB of text never sits in memory at once.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AsnIndexData } from './asn-index-format.ts';

export interface AsnBuildResult {
  data: AsnIndexData;
  clipped: number;
  skipped: number;
}

interface Rows<T extends number | bigint> {
  start: T[];
  end: T[];
  asn: number[];
  org: number[];
}

const MAX_V4 = 0xffffffff;
const MAX_V6 = (1n << 128n) - 1n;
const LOW_64 = (1n << 64n) - 1n;

function unquote(field: string): string {
  if (field.length < 2 || !field.startsWith('"') || !field.endsWith('"')) return field;
  return field.slice(1, -1).replaceAll('""', '"');
}

async function readRows<T extends number | bigint>(
  path: string,
  parse: (text: string) => T | undefined,
  internOrg: (name: string) => number,
): Promise<{ rows: Rows<T>; skipped: number }> {
  const rows: Rows<T> = { start: [], end: [], asn: [], org: [] };
  let skipped = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    const start = c1 > 0 ? parse(line.slice(0, c1)) : undefined;
    const end = c2 > c1 ? parse(line.slice(c1 + 1, c2)) : undefined;
    const asn = c3 > c2 ? Number(line.slice(c2 + 1, c3)) : NaN;
    if (start === undefined || end === undefined || end < start || !Number.isInteger(asn) || asn < 0 || asn > MAX_V4) {
      skipped++;
      continue;
    }
    rows.start.push(start);
    rows.end.push(end);
    rows.asn.push(asn);
    rows.org.push(internOrg(unquote(line.slice(c3 + 1))));
  }
  return { rows, skipped };
}

/**
 * Sorts by start (the files already are; this is only insurance) and makes ranges disjoint so a
 * binary search for "last start <= ip" is exact. On overlap the later, more specific row wins and
 * the earlier row's end is clipped. The one overlap in the current data (two DoD blocks around
 * 215.0.0.0) has the later row reaching past the earlier one, so clipping loses nothing there.
 */
function normalize<T extends number | bigint>(
  rows: Rows<T>,
  before: (value: T) => T,
): { rows: Rows<T>; clipped: number } {
  const order = rows.start.map((_, i) => i);
  if (order.some((i) => i > 0 && rows.start[i]! < rows.start[i - 1]!)) {
    order.sort((a, b) => (rows.start[a]! < rows.start[b]! ? -1 : rows.start[a]! > rows.start[b]! ? 1 : a - b));
  }
  const out: Rows<T> = { start: [], end: [], asn: [], org: [] };
  let clipped = 0;
  for (const i of order) {
    const start = rows.start[i]!;
    const last = out.start.length - 1;
    if (last >= 0 && start <= out.end[last]!) {
      clipped++;
      if (start === out.start[last]) {
        out.start.pop();
        out.end.pop();
        out.asn.pop();
        out.org.pop();
      } else {
        out.end[last] = before(start);
      }
    }
    out.start.push(start);
    out.end.push(rows.end[i]!);
    out.asn.push(rows.asn[i]!);
    out.org.push(rows.org[i]!);
  }
  return { rows: out, clipped };
}

function parseV4(text: string): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 && value <= MAX_V4 ? value : undefined;
}

function parseV6(text: string): bigint | undefined {
  if (!/^\d{1,39}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX_V6 ? value : undefined;
}

export async function buildAsnIndexData(sourceDir: string): Promise<AsnBuildResult> {
  const orgs: string[] = [];
  const orgIds = new Map<string, number>();
  const internOrg = (name: string): number => {
    let id = orgIds.get(name);
    if (id === undefined) {
      id = orgs.push(name.replaceAll('\n', ' ')) - 1;
      orgIds.set(name, id);
    }
    return id;
  };
  const v4Read = await readRows(join(sourceDir, 'asn-ipv4-num.csv'), parseV4, internOrg);
  const v6Read = await readRows(join(sourceDir, 'asn-ipv6-num.csv'), parseV6, internOrg);
  const v4 = normalize(v4Read.rows, (value) => value - 1);
  const v6 = normalize(v6Read.rows, (value) => value - 1n);
  if (v4.rows.start.length === 0) throw new Error(`no usable rows in ${join(sourceDir, 'asn-ipv4-num.csv')}`);

  const hi = (values: bigint[]): BigUint64Array => BigUint64Array.from(values, (value) => value >> 64n);
  const lo = (values: bigint[]): BigUint64Array => BigUint64Array.from(values, (value) => value & LOW_64);
  return {
    data: {
      v4Start: Uint32Array.from(v4.rows.start),
      v4End: Uint32Array.from(v4.rows.end),
      v4Asn: Uint32Array.from(v4.rows.asn),
      v4Org: Uint32Array.from(v4.rows.org),
      v6StartHi: hi(v6.rows.start),
      v6StartLo: lo(v6.rows.start),
      v6EndHi: hi(v6.rows.end),
      v6EndLo: lo(v6.rows.end),
      v6Asn: Uint32Array.from(v6.rows.asn),
      v6Org: Uint32Array.from(v6.rows.org),
      orgs,
    },
    clipped: v4.clipped + v6.clipped,
    skipped: v4Read.skipped + v6Read.skipped,
  };
}
