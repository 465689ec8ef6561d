// An MaxMind DB file read in place: the search tree (about 70 MB of the DB-IP city files) and the data
// section (the records, about 63 MB) stay on disk and are read in 4 KiB blocks, the most recently used of
// which are kept. Node cannot map a file into memory, and mmdb-lib's Reader needs the whole file as one
// Buffer (BENCHMARKS.md, "Tracker memory" and "Tracker memory at the window cap").
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openFileBlockCache } from './file-block-cache.ts';
import { openMmdbData } from './geo-mmdb-data.ts';

const require = createRequire(import.meta.url);

/** mmdb-lib's own metadata parser (the package's `lib/`; the Reader is what it exports). */
interface MmdbMetadata {
  nodeCount: number;
  recordSize: number;
  searchTreeSize: number;
  ipVersion: number;
}
const { parseMetadata } = require('mmdb-lib/lib/metadata.js') as { parseMetadata: (db: Buffer) => MmdbMetadata };

const DATA_SECTION_SEPARATOR_SIZE = 16;
/** The metadata sits within the file's last 128 KiB (the format's limit). */
const METADATA_MAX_SIZE = 128 * 1024;
const BLOCK_SIZE = 4096;
/**
 * The first levels of the tree are flattened into a table by an address's first this many bits (4 MiB a
 * file): the search tree is laid out depth first, so those levels' nodes are spread over the whole file, and
 * a lookup starting at the root would read a block per level. Most IPv4 ranges end by this depth.
 */
const TABLE_BITS = 20;
/** 7 bytes of a 28-bit node may start at a block's last byte: each block is read with this overlap. */
const BLOCK_OVERLAP = 8;

export interface MmdbFile {
  readonly ipVersion: number;
  /** The record for an address given as 32-bit words, most significant first; null when the file has none. */
  lookup(words: Uint32Array, bitLength: number): unknown;
}

export interface MmdbFileOptions {
  /** Tree blocks kept in memory (4 KiB each). */
  treeBlocks: number;
  /** Data section blocks kept in memory (4 KiB each). */
  dataBlocks: number;
  /** Decoded records kept by offset; 0 disables. */
  recordCacheSize: number;
}

export function openMmdbFile(path: string, options: MmdbFileOptions): MmdbFile {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const tail = Buffer.alloc(Math.min(size, METADATA_MAX_SIZE));
  readSync(fd, tail, 0, tail.length, size - tail.length);
  const metadata = parseMetadata(tail);
  if (metadata.recordSize !== 28) {
    closeSync(fd);
    throw new Error(`${path}: record size ${metadata.recordSize}, only 28 is read in place`);
  }
  const { nodeCount, searchTreeSize } = metadata;
  const dataStart = searchTreeSize + DATA_SECTION_SEPARATOR_SIZE;
  // The metadata's marker and map end the data section; a record never reaches into them.
  const data = openMmdbData(fd, dataStart, size - dataStart, {
    blocks: options.dataBlocks,
    recordCacheSize: options.recordCacheSize,
  });
  const blocks = openFileBlockCache(fd, {
    start: 0,
    length: searchTreeSize,
    blockSize: BLOCK_SIZE,
    overlap: BLOCK_OVERLAP,
    blocks: options.treeBlocks,
  });
  const bytes = blocks.slab;

  // What the walk holds after the first TABLE_BITS bits: a node, or a record that ended it earlier.
  const table = new Uint32Array(2 ** TABLE_BITS);
  const fill = (node: number, depth: number, prefix: number): void => {
    if (depth === TABLE_BITS || node >= nodeCount) {
      const span = 2 ** (TABLE_BITS - depth);
      table.fill(node, prefix * span, (prefix + 1) * span);
      return;
    }
    fill(record(node, 0), depth + 1, prefix * 2);
    fill(record(node, 1), depth + 1, prefix * 2 + 1);
  };

  /** One record of a node (7 bytes: 24 bits left, 24 bits right, their top 4 bits each in the middle byte). */
  function record(node: number, right: number): number {
    const offset = node * 7;
    const at = blocks.slot(Math.floor(offset / BLOCK_SIZE)) + (offset % BLOCK_SIZE);
    if (right) return ((bytes[at + 3]! & 0x0f) << 24) | (bytes[at + 4]! << 16) | (bytes[at + 5]! << 8) | bytes[at + 6]!;
    return ((bytes[at + 3]! & 0xf0) << 20) | (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
  }

  fill(0, 0, 0);
  // The table's build read most of the tree: only blocks lookups need stay.
  blocks.clear();

  return {
    ipVersion: metadata.ipVersion,
    lookup(words, bitLength) {
      // As mmdb-lib's findAddressInTree: follow a bit per level until a record is not a node.
      let node = table[words[0]! >>> (32 - TABLE_BITS)]!;
      for (let depth = TABLE_BITS; depth < bitLength && node < nodeCount; depth++)
        node = record(node, (words[depth >>> 5]! >>> (31 - (depth & 31))) & 1);
      if (node <= nodeCount) return null;
      // As its resolveDataPointer, with offsets counted from the data section.
      return data.decode(node - nodeCount - DATA_SECTION_SEPARATOR_SIZE);
    },
  };
}
