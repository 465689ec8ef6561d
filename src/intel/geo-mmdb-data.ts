// A MaxMind DB file's data section (its records) read in place: 4 KiB blocks are read from the file as
// decoding needs them and the most recently used are kept, so the two DB-IP city files' 63 MiB of records
// stay on disk (BENCHMARKS.md, "Tracker memory at the window cap"). The decoding is mmdb-lib's (3.0.3,
// lib/decoder.js) value for value, so answers are the same as reading the section whole.
import { readSync } from 'node:fs';
import { LRUCache } from 'lru-cache';
import { openFileBlockCache } from './file-block-cache.ts';

const BLOCK_SIZE = 4096;
/**
 * Each block is read with this many bytes of the next, so a field starting near a block's end (a key, a
 * city's name) is still read from one block; a longer one is read from the file on its own.
 */
const BLOCK_OVERLAP = 256;
/** A control byte, an extended type byte and three size bytes, or a pointer's control byte and four bytes. */
const HEADER_MAX = 5;
/** mmdb-lib's pointerValueOffset: what a pointer of each size adds to its packed value. */
const POINTER_BASE = [0, 2048, 526336, 0] as const;

const enum DataType {
  Extended = 0,
  Pointer = 1,
  Utf8String = 2,
  Double = 3,
  Bytes = 4,
  Uint16 = 5,
  Uint32 = 6,
  Map = 7,
  Int32 = 8,
  Uint64 = 9,
  Uint128 = 10,
  Array = 11,
  Boolean = 14,
  Float = 15,
}

interface Decoded {
  value: unknown;
  /** Where the next field starts. */
  offset: number;
}

export interface MmdbData {
  /** The value at an offset counted from the data section's start (mmdb-lib's decodeFast). */
  decode(offset: number): unknown;
}

export interface MmdbDataOptions {
  /** Blocks kept in memory (4 KiB each). */
  blocks: number;
  /** Decoded values kept by offset (records and what their pointers lead to); 0 disables. */
  recordCacheSize: number;
}

/** The data section of the file open as `fd`: `length` bytes from `start`. */
export function openMmdbData(fd: number, start: number, length: number, options: MmdbDataOptions): MmdbData {
  const blocks = openFileBlockCache(fd, {
    start,
    length,
    blockSize: BLOCK_SIZE,
    overlap: BLOCK_OVERLAP,
    blocks: options.blocks,
  });
  const cache =
    options.recordCacheSize > 0 ? new LRUCache<number, Decoded>({ max: options.recordCacheSize }) : undefined;
  // Where the last read's bytes are: a section range [bufferStart, bufferEnd) at `bufferBase` in `buffer`.
  // A record's fields mostly follow one another in one block, so most reads skip the block cache; that block
  // is the most recently used, so no other read has taken its slot.
  let buffer: Buffer = blocks.slab;
  let bufferStart = 0;
  let bufferEnd = 0;
  let bufferBase = 0;

  /** Makes `buffer` hold the section's bytes [offset, offset + size) (clipped to its end); returns where. */
  function at(offset: number, size: number): number {
    const end = Math.min(offset + size, length);
    if (offset >= bufferStart && end <= bufferEnd) return bufferBase + offset - bufferStart;
    const number = Math.floor(offset / BLOCK_SIZE);
    bufferStart = number * BLOCK_SIZE;
    if (end <= bufferStart + BLOCK_SIZE + BLOCK_OVERLAP) {
      buffer = blocks.slab;
      bufferBase = blocks.slot(number);
      bufferEnd = Math.min(bufferStart + BLOCK_SIZE + BLOCK_OVERLAP, length);
      return bufferBase + offset - bufferStart;
    }
    // Longer than what a block holds past this offset: read on its own, not kept.
    buffer = Buffer.allocUnsafe(end - offset);
    bufferStart = offset;
    bufferEnd = end;
    bufferBase = 0;
    let done = 0;
    while (done < buffer.length) {
      const read = readSync(fd, buffer, done, buffer.length - done, start + offset + done);
      if (read === 0) throw new Error(`MaxMind DB data section ends early at ${offset + done}`);
      done += read;
    }
    return 0;
  }

  function decodeFast(offset: number): Decoded {
    const cached = cache?.get(offset);
    if (cached) return cached;
    const result = decodeAt(offset);
    cache?.set(offset, result);
    return result;
  }

  function decodeAt(offset: number): Decoded {
    let i = at(offset, HEADER_MAX);
    const control = buffer[i]!;
    offset++;
    i++;
    let type = control >> 5;
    if (type === DataType.Pointer) {
      const pointerSize = (control >> 3) & 3;
      let packed: number;
      if (pointerSize === 0) packed = ((control & 7) << 8) | buffer[i]!;
      else if (pointerSize === 1) packed = ((control & 7) << 16) | buffer.readUInt16BE(i);
      else if (pointerSize === 2) packed = ((control & 7) << 24) | buffer.readUIntBE(i, 3);
      else packed = buffer.readUInt32BE(i);
      const target = POINTER_BASE[pointerSize]! + packed;
      const next = offset + pointerSize + 1;
      return { value: decodeFast(target).value, offset: next };
    }
    if (type === DataType.Extended) {
      const extended = buffer[i]! + 7;
      if (extended < 8) throw new Error(`Invalid Extended Type at offset ${offset} val ${extended}`);
      type = extended;
      offset++;
      i++;
    }
    let size = control & 0x1f;
    if (size === 29) {
      size = 29 + buffer[i]!;
      offset += 1;
    } else if (size === 30) {
      size = 285 + buffer.readUInt16BE(i);
      offset += 2;
    } else if (size === 31) {
      size = 65821 + buffer.readUIntBE(i, 3);
      offset += 3;
    }
    return decodeByType(type, offset, size);
  }

  function decodeByType(type: number, offset: number, size: number): Decoded {
    const next = offset + size;
    switch (type) {
      case DataType.Utf8String: {
        if (size === 0) return { value: '', offset: next };
        const i = at(offset, size);
        return { value: buffer.toString('utf8', i, i + size), offset: next };
      }
      case DataType.Map: {
        const map: Record<string, unknown> = {};
        for (let n = 0; n < size; n++) {
          const key = decodeAt(offset);
          const value = decodeAt(key.offset);
          offset = value.offset;
          map[key.value as string] = value.value;
        }
        return { value: map, offset };
      }
      case DataType.Uint32:
      case DataType.Uint16:
        if (size === 0) return { value: 0, offset: next };
        if (size > 4) throw new Error(`Invalid size for unsigned integer: ${size}`);
        return { value: buffer.readUIntBE(at(offset, size), size), offset: next };
      case DataType.Double:
        return { value: buffer.readDoubleBE(at(offset, 8)), offset: next };
      case DataType.Array: {
        const array: unknown[] = new Array<unknown>(size);
        for (let n = 0; n < size; n++) {
          const item = decodeAt(offset);
          offset = item.offset;
          array[n] = item.value;
        }
        return { value: array, offset };
      }
      case DataType.Boolean:
        // As mmdb-lib: a boolean's size is its value, and it has no payload.
        return { value: size !== 0, offset };
      case DataType.Float:
        return { value: buffer.readFloatBE(at(offset, 4)), offset: next };
      case DataType.Bytes: {
        const i = at(offset, size);
        return { value: Buffer.from(buffer.subarray(i, i + size)), offset: next };
      }
      case DataType.Int32: {
        if (size === 0) return { value: 0, offset: next };
        const i = at(offset, size);
        return { value: size < 4 ? buffer.readUIntBE(i, size) : buffer.readInt32BE(i), offset: next };
      }
      case DataType.Uint64:
      case DataType.Uint128: {
        if (size > 16) throw new Error(`Invalid size for big unsigned integer: ${size}`);
        const i = at(offset, size);
        let integer = 0n;
        for (let n = 0; n < size; n++) integer = (integer << 8n) | BigInt(buffer[i + n]!);
        return { value: integer, offset: next };
      }
    }
    throw new Error(`Unknown type ${type} at offset ${offset}`);
  }

  return {
    decode: (offset) => {
      if (offset < 0 || offset >= length) throw new Error(`offset ${offset} outside the data`);
      return decodeFast(offset).value;
    },
  };
}
