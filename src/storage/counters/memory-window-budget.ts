/** The key limits of one node's five memory windows. */
export interface WindowKeyLimits {
  readonly visitors: number;
  readonly addresses: number;
  readonly subnets: number;
  readonly addressDevices: number;
  /** The click farm's lines per subnet (memory-line-window.ts): one key per subnet on a campaign. */
  readonly lines: number;
}

/**
 * Bytes a key takes with one click (a subnet with four devices), measured by `npm run bench:windows-memory`
 * (BENCHMARKS.md, "Detection window memory"). A key holding more clicks takes 38 bytes more per click, up
 * to its cap: the budget is for ordinary traffic, where most keys saw one click. The lines window is still
 * strings in Maps (its own comment: about 440 bytes a subnet with one line).
 */
const BYTES_PER_KEY: WindowKeyLimits = { visitors: 84, addresses: 84, subnets: 334, addressDevices: 115, lines: 440 };
/** Keys per visitor key: addresses and subnets are short-lived signals, with fewer keys than visitors. */
const SHARES: WindowKeyLimits = { visitors: 1, addresses: 0.25, subnets: 0.1, addressDevices: 0.25, lines: 0.1 };
/** However small the budget, a window keeps this many keys. */
const MIN_KEYS = 1000;

/**
 * Key limits whose windows together take about `memoryMb` MiB when full (DETECTION_WINDOW_MEMORY_MB).
 * 200 MiB (the default) gives the limits this node had before the setting: 1,000,000 visitors, 250,000
 * addresses, 100,000 subnets.
 */
export function windowKeyLimits(memoryMb: number): WindowKeyLimits {
  const bytesPerVisitor =
    BYTES_PER_KEY.visitors * SHARES.visitors +
    BYTES_PER_KEY.addresses * SHARES.addresses +
    BYTES_PER_KEY.subnets * SHARES.subnets +
    BYTES_PER_KEY.addressDevices * SHARES.addressDevices +
    BYTES_PER_KEY.lines * SHARES.lines;
  const visitors = (memoryMb * 1_048_576) / bytesPerVisitor;
  const keys = (share: number) => Math.max(MIN_KEYS, Math.floor(visitors * share));
  return {
    visitors: keys(SHARES.visitors),
    addresses: keys(SHARES.addresses),
    subnets: keys(SHARES.subnets),
    addressDevices: keys(SHARES.addressDevices),
    lines: keys(SHARES.lines),
  };
}
