import {
  BURST_RETENTION_MS,
  DUPLICATE_RETENTION_MS,
  createMemoryDetectionWindowStore,
  type MemoryWindows,
} from './detection-window-store.ts';
import { createMemoryDistinctWindow } from './memory-distinct-window.ts';
import { createMemoryLineWindow } from './memory-line-window.ts';
import { BURST_TIMES_PER_KEY, createMemoryVisitorWindow } from './memory-visitor-window.ts';
import { windowKeyLimits } from './memory-window-budget.ts';

/** The memory windows' size without DETECTION_WINDOW_MEMORY_MB (config.ts): 1,000,000 visitors. */
export const DEFAULT_WINDOW_MEMORY_MB = 200;

/**
 * One node's five detection windows, their key limits sized from `memoryMb` (DETECTION_WINDOW_MEMORY_MB): the
 * tracker and the benchmarks that stand in for it build the same set.
 */
export function createMemoryWindowSet(memoryMb = DEFAULT_WINDOW_MEMORY_MB) {
  const limits = windowKeyLimits(memoryMb);
  const windows: MemoryWindows = {
    visitors: createMemoryVisitorWindow(DUPLICATE_RETENTION_MS, limits.visitors),
    addresses: createMemoryVisitorWindow(BURST_RETENTION_MS, limits.addresses, BURST_TIMES_PER_KEY),
    subnets: createMemoryDistinctWindow(BURST_RETENTION_MS, limits.subnets),
    addressDevices: createMemoryDistinctWindow(BURST_RETENTION_MS, limits.addressDevices),
    lines: createMemoryLineWindow(BURST_RETENTION_MS, limits.lines),
  };
  return createMemoryDetectionWindowStore(windows);
}
