// Blocks of a file region kept in one buffer allocated at open: a block read from the file takes the slot
// of the least recently used one. One Buffer per block (the code before) left malloc's arenas fragmented
// by the churn of cold lookups, and the process's RSS above what the cache held (BENCHMARKS.md, "Tracker
// memory at the window cap").
import { readSync } from 'node:fs';
import { LRUCache } from 'lru-cache';

export interface FileBlockCache {
  /** Holds every kept block; a block's bytes start at the index `slot` returns. */
  readonly slab: Buffer;
  /**
   * Where block `number`'s bytes start in `slab` (`blockSize + overlap` of them, fewer at the region's
   * end), read from the file unless kept. Valid until `blocks` further blocks are asked for.
   */
  slot(number: number): number;
  clear(): void;
}

export interface FileBlockCacheOptions {
  /** The region: `length` bytes of the file from `start`. */
  start: number;
  length: number;
  blockSize: number;
  /** Bytes of the next block read with each one, so a field that starts near a block's end is whole. */
  overlap: number;
  /** Blocks kept (at least 2). */
  blocks: number;
}

export function openFileBlockCache(fd: number, options: FileBlockCacheOptions): FileBlockCache {
  const { start, length, blockSize, overlap } = options;
  const stride = blockSize + overlap;
  const max = Math.max(2, Math.min(options.blocks, Math.ceil(length / blockSize)));
  // Not zeroed: a slot is read into before it is read from, and pages never used stay out of RSS.
  const slab = Buffer.allocUnsafeSlow(max * stride);
  const kept = new LRUCache<number, number>({ max });
  let used = 0;
  return {
    slab,
    slot(number) {
      let base = kept.get(number);
      if (base !== undefined) return base;
      base = used < max ? stride * used++ : kept.pop()!;
      const from = number * blockSize;
      const size = Math.min(stride, length - from);
      let done = 0;
      while (done < size) {
        const read = readSync(fd, slab, base + done, size - done, start + from + done);
        if (read === 0) throw new Error(`file ends early at ${start + from + done}`);
        done += read;
      }
      kept.set(number, base);
      return base;
    },
    clear() {
      kept.clear();
      used = 0;
    },
  };
}
