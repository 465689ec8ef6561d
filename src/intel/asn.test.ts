import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAsnIndex } from './asn-index-format.ts';
import { formatIpv4 } from './ip-address.ts';
import { openAsnIndex } from './asn.ts';
import type { AsnIndex } from './asn.ts';

// Values below are what @ip-location-db/asn 2.3.2026061719 says.
const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-asn-'));
let index: AsnIndex;

before(async () => {
  // The real build (a second or two) runs once; every other test reuses this index.
  index = await openAsnIndex({ dataDir });
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('a fresh data dir gets the index built and written', () => {
  assert.equal(index.origin, 'built');
  assert.equal(index.path, join(dataDir, 'intel', 'asn-index-v1.bin'));
  assert.ok(statSync(index.path).size > 1_000_000);
  assert.ok(index.header.v4Count > 400_000, `${index.header.v4Count} IPv4 ranges`);
  assert.ok(index.header.v6Count > 100_000, `${index.header.v6Count} IPv6 ranges`);
  assert.equal(index.header.skipped, 0);
});

test('well-known networks', () => {
  assert.deepEqual(index.lookup('8.8.8.8'), { asn: 15169, org: 'Google LLC' });
  assert.deepEqual(index.lookup('1.1.1.1'), { asn: 13335, org: 'Cloudflare, Inc.' });
  assert.deepEqual(index.lookup('2001:4860:4860::8888'), { asn: 15169, org: 'Google LLC' });
  assert.deepEqual(index.lookup('2a03:2880:f10c:83:face:b00c:0:25de'), { asn: 32934, org: 'Facebook, Inc.' });
});

test('residential ISPs', () => {
  assert.deepEqual(index.lookup('84.128.1.1'), { asn: 3320, org: 'Deutsche Telekom AG' });
  assert.deepEqual(index.lookup('2003::1'), { asn: 3320, org: 'Deutsche Telekom AG' });
  assert.deepEqual(index.lookup('126.0.0.1'), { asn: 17676, org: 'SoftBank Corp.' });
});

test('IPv4-mapped IPv6 is the IPv4 address', () => {
  assert.deepEqual(index.lookup('::ffff:8.8.8.8'), index.lookup('8.8.8.8'));
  assert.deepEqual(index.lookup('::ffff:0101:0101'), index.lookup('1.1.1.1'));
});

test('private, reserved, unrouted and invalid addresses give undefined without throwing', () => {
  for (const ip of [
    '10.0.0.1',
    '127.0.0.1',
    '192.168.1.1',
    '172.16.0.1',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'not-an-ip',
    '',
    '1.2.3',
    '8.8.8.8.8',
  ]) {
    assert.equal(index.lookup(ip), undefined, ip);
  }
});

test('the /16 shortcut agrees with a plain binary search over the whole table', () => {
  const data = decodeAsnIndex(readFileSync(index.path))?.data;
  assert.ok(data);
  const reference = (key: number): number | undefined => {
    let low = 0;
    let high = data.v4Start.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (data.v4Start[mid]! <= key) low = mid + 1;
      else high = mid - 1;
    }
    return high >= 0 && key <= data.v4End[high]! ? data.v4Asn[high] : undefined;
  };
  const keys: number[] = [0, 0xffffffff];
  for (let i = 0; i < data.v4Start.length; i += 97) {
    keys.push(
      data.v4Start[i]!,
      data.v4End[i]!,
      Math.max(data.v4Start[i]! - 1, 0),
      Math.min(data.v4End[i]! + 1, 0xffffffff),
    );
  }
  for (let i = 0; i < 20_000; i++) {
    const n = Math.floor(Math.random() * 2 ** 32);
    keys.push(n, n - (n % 65536), n - (n % 65536) + 65535);
  }
  for (const key of keys) assert.equal(index.lookup(formatIpv4(key))?.asn, reference(key), formatIpv4(key));
});

test('a present index is reused, not rebuilt', async () => {
  const before = statSync(index.path).mtimeMs;
  const again = await openAsnIndex({ dataDir });
  assert.equal(again.origin, 'cache');
  assert.equal(again.buildMs, 0);
  assert.equal(statSync(index.path).mtimeMs, before);
  assert.deepEqual(again.lookup('8.8.8.8'), { asn: 15169, org: 'Google LLC' });
  assert.deepEqual(again.header, index.header);
});

// Rebuild triggers are checked against a tiny copy of the source package so they stay fast.
function fixtureSource(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloakradar-asn-src-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@ip-location-db/asn', version }));
  writeFileSync(join(dir, 'asn-ipv4-num.csv'), '16777216,16777471,13335,"Cloudflare, Inc."\n');
  writeFileSync(join(dir, 'asn-ipv6-num.csv'), '');
  return dir;
}

test('the index is rebuilt when missing, when the source version changes, and when corrupt', async () => {
  const sourceDir = fixtureSource('1.0.0');
  const dir = mkdtempSync(join(tmpdir(), 'cloakradar-asn-data-'));
  try {
    assert.equal((await openAsnIndex({ dataDir: dir, sourceDir })).origin, 'built');
    assert.equal((await openAsnIndex({ dataDir: dir, sourceDir })).origin, 'cache');

    writeFileSync(join(sourceDir, 'package.json'), JSON.stringify({ version: '1.0.1' }));
    writeFileSync(join(sourceDir, 'asn-ipv4-num.csv'), '16777216,16777471,64500,Changed\n');
    const upgraded = await openAsnIndex({ dataDir: dir, sourceDir });
    assert.equal(upgraded.origin, 'built');
    assert.equal(upgraded.header.sourceVersion, '1.0.1');
    assert.deepEqual(upgraded.lookup('1.0.0.1'), { asn: 64500, org: 'Changed' });

    const bytes = readFileSync(upgraded.path);
    writeFileSync(upgraded.path, bytes.subarray(0, bytes.length >> 1));
    assert.equal((await openAsnIndex({ dataDir: dir, sourceDir })).origin, 'built');

    rmSync(upgraded.path);
    assert.equal((await openAsnIndex({ dataDir: dir, sourceDir })).origin, 'built');
  } finally {
    rmSync(sourceDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an index copied from another data dir is reused as is', async () => {
  const other = mkdtempSync(join(tmpdir(), 'cloakradar-asn-copy-'));
  try {
    cpSync(join(dataDir, 'intel'), join(other, 'intel'), { recursive: true });
    const copy = await openAsnIndex({ dataDir: other });
    assert.equal(copy.origin, 'cache');
    assert.ok(copy.loadMs < 1000, `load took ${copy.loadMs} ms`);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
