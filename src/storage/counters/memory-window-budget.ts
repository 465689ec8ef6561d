/** The key limits of one node's four memory windows. */
export interface WindowKeyLimits {
  readonly visitors: number;
  readonly addresses: number;
  readonly subnets: number;
  readonly addressDevices: number;
}

/**
 * Bytes a key takes with one click (a subnet with four devices), measured by `npm run bench:windows-memory`
 * (BENCHMARKS.md, "Detection window memory"). A key holding more clicks takes 38 bytes more per click, up
 * to its cap: the budget is for ordinary traffic, where most keys saw one click.
 */
const BYTES_PER_KEY: WindowKeyLimits = { visitors: 84, addresses: 84, subnets: 334, addressDevices: 115 };
/** Keys per visitor key: addresses and subnets are short-lived signals, with fewer keys than visitors. */
const SHARES: WindowKeyLimits = { visitors: 1, addresses: 0.25, subnets: 0.1, addressDevices: 0.25 };
/** However small the budget, a window keeps this many keys. */
const MIN_KEYS = 1000;

/**
 * Key limits whose windows together take about `memoryMb` MiB when full (DETECTION_WINDOW_MEMORY_MB).
 * 160 MiB gives the limits this node had before the setting: 1,000,000 visitors, 250,000 addresses,
 * 100,000 subnets.
 */
export function windowKeyLimits(memoryMb: number): WindowKeyLimits {
  const bytesPerVisitor =
    BYTES_PER_KEY.visitors * SHARES.visitors +
    BYTES_PER_KEY.addresses * SHARES.addresses +
    BYTES_PER_KEY.subnets * SHARES.subnets +
    BYTES_PER_KEY.addressDevices * SHARES.addressDevices;
  const visitors = (memoryMb * 1_048_576) / bytesPerVisitor;
  const keys = (share: number) => Math.max(MIN_KEYS, Math.floor(visitors * share));
  return {
    visitors: keys(SHARES.visitors),
    addresses: keys(SHARES.addresses),
    subnets: keys(SHARES.subnets),
    addressDevices: keys(SHARES.addressDevices),
  };
}
