import {
  BURST_RETENTION_MS,
  DUPLICATE_RETENTION_MS,
  createMemoryDetectionWindowStore,
  type MemoryWindows,
} from './detection-window-store.ts';
import { createMemoryDistinctWindow } from './memory-distinct-window.ts';
import { createMemoryLineWindow } from './memory-line-window.ts';
import { BURST_TIMES_PER_KEY, createMemoryVisitorWindow } from './memory-visitor-window.ts';
import { windowLimits } from './memory-window-budget.ts';

/**
 * The memory windows' cap without DETECTION_WINDOW_MEMORY_MB (config.ts), in MiB: the process at this cap
 * with every window full stays under 450 MiB (issue 24's small server); at 200 it held 500-600 under load.
 */
export const DEFAULT_WINDOW_MEMORY_MB = 128;

/**
 * One node's five detection windows, their limits sized from `memoryMb` (DETECTION_WINDOW_MEMORY_MB): the
 * tracker and the benchmarks that stand in for it build the same set.
 */
export function createMemoryWindowSet(memoryMb = DEFAULT_WINDOW_MEMORY_MB) {
  const limits = windowLimits(memoryMb);
  const { visitors, addresses, subnets, addressDevices, lines } = limits;
  const windows = {
    visitors: createMemoryVisitorWindow(DUPLICATE_RETENTION_MS, visitors.keys, undefined, visitors.entries),
    addresses: createMemoryVisitorWindow(BURST_RETENTION_MS, addresses.keys, BURST_TIMES_PER_KEY, addresses.entries),
    subnets: createMemoryDistinctWindow(BURST_RETENTION_MS, subnets.keys, subnets.members, subnets.entries),
    addressDevices: createMemoryDistinctWindow(
      BURST_RETENTION_MS,
      addressDevices.keys,
      addressDevices.members,
      addressDevices.entries,
    ),
    lines: createMemoryLineWindow(BURST_RETENTION_MS, lines.keys, lines.entries),
  } satisfies MemoryWindows;
  return { ...createMemoryDetectionWindowStore(windows), limits, stats: () => windowStats(windows) };
}

/** What each window holds now, for the soak's memory attribution (bench/tracker) and the window benchmark. */
export interface WindowStats {
  readonly [window: string]: { readonly keys: number; readonly members?: number; readonly entries: number };
}

function windowStats(windows: {
  readonly [name: string]: { readonly size: number; readonly entries: number; readonly members?: number };
}): WindowStats {
  return Object.fromEntries(
    Object.entries(windows).map(([name, window]) => [
      name,
      { keys: window.size, members: window.members, entries: window.entries },
    ]),
  );
}
