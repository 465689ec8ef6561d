import type { ClickHistory } from '../../detection/index.ts';
import type { LineWindow } from './memory-line-window.ts';
import type { DistinctWindow, VisitorWindow } from './visitor-window.ts';

/** The longest an account may set each window to (see detection-settings/thresholds.ts). */
export const DUPLICATE_RETENTION_MS = 86_400_000;
export const BURST_RETENTION_MS = 3_600_000;

/** The window keys of one click on one campaign. */
export interface ClickWindowKeys {
  /** Campaign + visitor hash (IP + user agent): duplicates, a device's bursts. */
  readonly device: string;
  /** Campaign + address: rapid fire, a farm behind one line. */
  readonly ip: string;
  /** Campaign + /24 or /48; null when the address has none. */
  readonly subnet: string | null;
}

/** The spans the account's settings count over (each at most the retention above). */
export interface DetectionSpans {
  readonly duplicateMs: number;
  readonly burstMs: number;
  readonly shortMs: number;
  readonly farmMs: number;
  /** How far back an address's earlier browsers count (click farm: what the address has done before). */
  readonly historyMs: number;
}

export interface ObservedClick {
  readonly keys: ClickWindowKeys;
  /** Visitor hash: the member counted distinct per address and per subnet. */
  readonly visitorKey: string;
  /** Lets a later late finding hand this click out (`claim`). */
  readonly clickId?: string;
  readonly now: number;
  readonly spans: DetectionSpans;
}

export type ClaimGroup = 'device' | 'ip' | 'subnet' | 'lines';

/**
 * The recent history detection needs, behind one asynchronous call per click: in memory for one node,
 * in Redis (one round trip) when several nodes must see the same counts.
 */
export interface DetectionWindowStore {
  /** Records the click in every window and returns what came before it. */
  observe(click: ObservedClick): Promise<ClickHistory>;
  /**
   * Ids of the group's clicks within `withinMs` not yet claimed with `mark` (one bit per finding),
   * which they now carry: a burst's earlier clicks are flagged once, however many clicks recognise it.
   */
  claim(keys: ClickWindowKeys, group: ClaimGroup, now: number, withinMs: number, mark: number): Promise<string[]>;
  close(): Promise<void>;
}

/** The five windows one node keeps in memory. */
export interface MemoryWindows {
  /** Same visitor (IP + user agent): duplicates. */
  readonly visitors: VisitorWindow;
  /** Same address: rapid fire, and a farm's clicks behind one line. */
  readonly addresses: VisitorWindow;
  /** Distinct devices per /24 or /48: click farms. */
  readonly subnets: DistinctWindow;
  /** Distinct user agents per address: a farm behind one line. */
  readonly addressDevices: DistinctWindow;
  /** Per /24 or /48, the browsers each of its lines showed: a farm spread over a few lines. */
  readonly lines: LineWindow;
}

/** Synchronous core of the memory store (the cost benchmark calls it directly). */
export function observeInMemory(windows: MemoryWindows, click: ObservedClick): ClickHistory {
  const { keys, now, spans, visitorKey, clickId } = click;
  const sameVisitorBurstClicks = windows.visitors.count(keys.device, now, spans.burstMs);
  const sameVisitorShortClicks = windows.visitors.count(keys.device, now, spans.shortMs);
  const sameVisitorRecentClicks = windows.visitors.hit(keys.device, now, spans.duplicateMs, clickId);
  const sameIpRecentClicks = windows.addresses.hit(keys.ip, now, spans.burstMs, clickId);
  const addressRecentDevices = windows.addressDevices.hit(keys.ip, visitorKey, now, spans.farmMs);
  return {
    sameVisitorRecentClicks,
    sameVisitorBurstClicks,
    sameVisitorShortClicks,
    sameIpRecentClicks,
    // Counted after the hit above, which they include.
    sameIpShortClicks: windows.addresses.count(keys.ip, now, spans.shortMs) - 1,
    addressFarmClicks: windows.addresses.count(keys.ip, now, spans.farmMs),
    addressRecentDevices,
    // Counted after the hit above, which they include.
    addressShortDevices: windows.addressDevices.count(keys.ip, now, spans.shortMs),
    addressBurstDevices: windows.addressDevices.count(keys.ip, now, spans.burstMs),
    addressHistoryDevices: windows.addressDevices.count(keys.ip, now, spans.historyMs),
    // A device is an address + user agent: a farm's phones share one browser build but not one address.
    subnetRecentDevices: keys.subnet ? windows.subnets.hit(keys.subnet, visitorKey, now, spans.farmMs, clickId) : 1,
    // Counted after the hit above, which they include.
    subnetHistoryDevices: keys.subnet ? windows.subnets.count(keys.subnet, now, spans.historyMs) : 1,
    // The address window's key names the line: a string the tracker has built already.
    subnetOtherLineDevices: keys.subnet
      ? windows.lines.record(keys.subnet, keys.ip, addressRecentDevices, now, spans.farmMs)
      : 0,
  };
}

export function claimInMemory(
  windows: MemoryWindows,
  keys: ClickWindowKeys,
  group: ClaimGroup,
  now: number,
  withinMs: number,
  mark: number,
): string[] {
  if (group === 'device') return windows.visitors.claim(keys.device, now, withinMs, mark);
  if (group === 'ip') return windows.addresses.claim(keys.ip, now, withinMs, mark);
  if (group === 'lines') {
    // Through the address windows, which keep every click of a line (the subnet window keeps a few per browser build).
    const ids: string[] = [];
    for (const line of keys.subnet ? windows.lines.lines(keys.subnet, now, withinMs) : [keys.ip])
      ids.push(...windows.addresses.claim(line, now, withinMs, mark));
    return ids;
  }
  return keys.subnet ? windows.subnets.claim(keys.subnet, now, withinMs, mark) : [];
}

/** One node's store: the memory windows behind the asynchronous interface. */
export function createMemoryDetectionWindowStore(
  windows: MemoryWindows,
): DetectionWindowStore & { readonly windows: MemoryWindows } {
  return {
    windows,
    observe: async (click) => observeInMemory(windows, click),
    claim: async (keys, group, now, withinMs, mark) => claimInMemory(windows, keys, group, now, withinMs, mark),
    close: async () => undefined,
  };
}
