import { parseIp } from '../cidr.ts';
import { findSharedAddressKind, isMobileCarrier, type SharedAddressKind } from '../network-kind.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { formatDuration } from '../text.ts';
import type { DetectionInput, Signal } from '../types.ts';

export interface ClickFarmSettings {
  /** How far back the recorder counts distinct devices per subnet on the same campaign. */
  readonly clickFarmWindowMs: number;
  /** Distinct devices (user agents) from one IPv4 /24 or IPv6 /48 on one campaign allowed within the window. */
  readonly clickFarmMaxDevices: number;
  /** The same limit for a mobile carrier's subnet, which thousands of subscribers share. */
  readonly clickFarmCarrierMaxDevices: number;
  /**
   * Clicks from ONE address on one campaign allowed within the window when they come from several
   * devices, for an address of a home line or an unknown network.
   */
  readonly clickFarmAddressMaxClicks: number;
  /** How many different user agents behind one address make its clicks a farm's rather than one person's. */
  readonly clickFarmAddressMinDevices: number;
  /** The same limit for an address many people share: a mobile carrier's NAT, a campus or a business line. */
  readonly clickFarmSharedAddressMaxClicks: number;
  /**
   * How far back an address's history counts: every browser seen behind it in this window but not in
   * the last `clickFarmWindowMs` raises its limit by one (an office or campus has been there all along;
   * a farm arrives all at once).
   */
  readonly clickFarmHistoryWindowMs: number;
  /**
   * Distinct devices allowed from one /24 or /48 on one campaign within the window when two or more of
   * its lines (addresses) each show `clickFarmAddressMinDevices` browsers or more: a farm spread over a
   * few lines. Devices the subnet showed earlier in `clickFarmHistoryWindowMs` each raise it by one.
   */
  readonly clickFarmLinesMaxDevices: number;
}

/**
 * Defaults. A residential /24 is 256 neighbouring lines; nine of them clicking one campaign's ad
 * within ten minutes, each on a different browser build, is a farm, not a neighbourhood (identical
 * phones share one user agent, so the count errs low). A carrier's /24 or /48 carries thousands of
 * subscribers behind CGNAT and regional IPv6 pools, so ordinary traffic must never reach its limit:
 * 100 lies far above that yet below the 128 devices the recorder keeps per subnet (any value of
 * 128 or more turns the check off for carriers).
 */
const DEFAULTS_BY_SUBNET = { clickFarmWindowMs: 10 * 60_000, clickFarmMaxDevices: 8, clickFarmCarrierMaxDevices: 100 };

/**
 * Behind one address the limits leave room for the people who share it, and the figures behind them
 * are in BENCHMARKS.md ("Click farms behind one address: the trade-off"). A home line is a family and
 * its guests, yet a small office on a broadband line looks the same to the ASN data: more than 10
 * clicks from 3 or more browsers in ten minutes. A carrier's NAT, a campus or a business line carries
 * hundreds of people: more than 16. And the address's own past counts: browsers seen there earlier
 * in the hour (the office that has clicked all morning) each raise the limit by one, while a farm's
 * phones arrive together. One person re-clicking stays one user agent, and the rapid-fire and
 * duplicate rules judge that.
 */
const DEFAULTS: ClickFarmSettings = {
  ...DEFAULTS_BY_SUBNET,
  clickFarmAddressMaxClicks: 10,
  clickFarmAddressMinDevices: 3,
  clickFarmSharedAddressMaxClicks: 16,
  clickFarmHistoryWindowMs: 60 * 60_000,
  clickFarmLinesMaxDevices: 6,
};

const SCORE = 75;
/** More than twice the limit leaves little room for a busy office or campus. */
const STRONG_SCORE = 90;

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/**
 * The network the recorder groups by, for reasons: the /24 of an IPv4 address ("203.0.113.0/24"),
 * the /48 of an IPv6 one, compressed ("2001:db8:abcd::/48"). Null when `ip` is not an address.
 */
export function formatSubnet(ip: string): string | null {
  const bytes = parseIp(ip);
  if (bytes === null) return null;
  if (V4_MAPPED_PREFIX.every((byte, i) => bytes[i] === byte)) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.0/24`;
  const groups = [0, 1, 2].map((i) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  // The five zero groups after a /48 are the longest run, so "::" goes there and swallows trailing zeros.
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  return `${groups.map((group) => group.toString(16)).join(':')}::/48`;
}

/** Carriers are never judged more strictly than other networks, whatever the setting says. */
function carrierLimit(settings: ClickFarmSettings): number {
  return Math.max(settings.clickFarmMaxDevices, settings.clickFarmCarrierMaxDevices);
}

/** Many different devices from one subnet on one campaign in a short window (SPEC: click_farm, status `bot`). */
export const clickFarmRule = defineRule<ClickFarmSettings>({
  name: 'click-farm',
  type: 'click_farm',
  defaults: DEFAULTS,
  evaluate(input, { settings }) {
    const { visitor, ip, history } = input;
    const window = formatDuration(settings.clickFarmWindowMs);
    // The browsers behind one address are its people's (an office, a campus), judged by the address rules
    // below; for the neighbourhood the address counts as one line: this click's, and the busiest other line
    // (the office next to a neighbour who clicks). Farms over several lines are the lines rule's to judge.
    const here = Math.max(0, history.addressRecentDevices - 1) || 0;
    const there = Math.max(0, history.subnetOtherLineDevices - 1) || 0;
    const devices = history.subnetRecentDevices - here - there;
    // Devices the subnet showed earlier in the hour: a neighbourhood busy all along (two offices of one
    // business block, a carrier's pool) is not a farm that has just arrived.
    const earlier = earlierNearby(history);
    if (devices > settings.clickFarmMaxDevices + earlier) {
      const isCarrier = isMobileCarrier(ip);
      const base = isCarrier ? carrierLimit(settings) : settings.clickFarmMaxDevices;
      const limit = base + earlier;
      if (devices > limit) {
        const subnet = formatSubnet(visitor.ip) ?? `the network of ${visitor.ip}`;
        const carrierText = isCarrier ? " for a mobile carrier's network" : '';
        const more = earlier > 0 ? `, ${moreForEarlier(earlier, 'devices', settings)}` : '';
        const limitText = `limit ${limit}${carrierText}${more}`;
        const counted =
          here + there === 0
            ? ''
            : there === 0
              ? `, ${devices} counting the ${here + 1} behind ${visitor.ip} as one`
              : here === 0
                ? `, ${devices} counting the ${there + 1} behind another line of it as one`
                : `, ${devices} counting the ${here + 1} behind ${visitor.ip} and the ${there + 1} behind another line of it as one each`;
        const message = `${history.subnetRecentDevices} different devices from ${subnet} clicked this campaign within ${window}${counted} (${limitText})`;
        return [
          {
            type: 'click_farm',
            message,
            score: devices > 2 * limit ? STRONG_SCORE : SCORE,
            lookBack: { group: 'subnet', withinMs: settings.clickFarmWindowMs },
          },
        ];
      }
    }
    const lines = judgeLines(input, settings, window, earlier);
    return lines.length > 0 ? lines : judgeAddress(input, settings, window);
  },
});

/** Devices seen in the subnet within the history window but not within the farm window. */
function earlierNearby(history: DetectionInput['history']): number {
  return Math.max(0, history.subnetHistoryDevices - history.subnetRecentDevices) || 0;
}

function moreForEarlier(earlier: number, what: 'devices' | 'browsers', settings: ClickFarmSettings): string {
  return `${earlier} more for the ${what} seen there within ${formatDuration(settings.clickFarmHistoryWindowMs)}`;
}

/**
 * A farm spread over a few lines of one subnet: this line and another each show several browsers, and the
 * subnet more devices than its past hour explains. An office or a campus is one line, neighbours are one
 * browser each, and a carrier's pool that is busy all day has the history to show for it.
 */
function judgeLines(
  { visitor, history }: DetectionInput,
  settings: ClickFarmSettings,
  window: string,
  earlier: number,
): readonly Signal[] {
  const min = settings.clickFarmAddressMinDevices;
  // Negated so NaN counts flag nothing; most clicks have one browser on their line and stop here.
  if (!(history.addressRecentDevices >= min) || !(history.subnetOtherLineDevices >= min)) return NO_SIGNALS;
  const limit = settings.clickFarmLinesMaxDevices + earlier;
  if (!(history.subnetRecentDevices > limit)) return NO_SIGNALS;
  const subnet = formatSubnet(visitor.ip) ?? `the network of ${visitor.ip}`;
  const more = earlier > 0 ? `, ${moreForEarlier(earlier, 'devices', settings)}` : '';
  const message =
    `${history.subnetRecentDevices} different devices from ${subnet} clicked this campaign within ${window}, ` +
    `${history.addressRecentDevices} browsers behind ${visitor.ip} and ${history.subnetOtherLineDevices} behind another ` +
    `line of it (limit ${limit} when two lines show ${min} or more${more})`;
  return [
    {
      type: 'click_farm',
      message,
      score: history.subnetRecentDevices > 2 * limit ? STRONG_SCORE : SCORE,
      // Every click of the farm's lines: one browser build tapped by many phones outgrows what the subnet
      // window keeps of it.
      lookBack: { group: 'lines', withinMs: settings.clickFarmWindowMs },
    },
  ];
}

const SHARED_TEXT: Readonly<Record<SharedAddressKind, string>> = {
  carrier: "a mobile carrier's shared address",
  organisation: 'a campus or business network',
};

/** Many browsers behind ONE address: more than the people who share it (by its network and its past) would click. */
function judgeAddress(
  { visitor, ip, history }: DetectionInput,
  settings: ClickFarmSettings,
  window: string,
): readonly Signal[] {
  const clicks = history.addressFarmClicks;
  const agents = history.addressRecentDevices;
  // Negated so NaN counts flag nothing; the cheapest limit first, as most addresses never reach it.
  if (!(clicks > settings.clickFarmAddressMaxClicks) || !(agents >= settings.clickFarmAddressMinDevices))
    return NO_SIGNALS;
  const shared = findSharedAddressKind(ip);
  const base = shared
    ? Math.max(settings.clickFarmAddressMaxClicks, settings.clickFarmSharedAddressMaxClicks)
    : settings.clickFarmAddressMaxClicks;
  const earlier = Math.max(0, history.addressHistoryDevices - agents) || 0;
  const limit = base + earlier;
  if (!(clicks > limit)) return NO_SIGNALS;
  const why = [
    shared ? `for ${SHARED_TEXT[shared]}` : null,
    earlier > 0 ? moreForEarlier(earlier, 'browsers', settings) : null,
  ].filter((part) => part !== null);
  const limitText = `limit ${limit} from ${settings.clickFarmAddressMinDevices} or more${why.length > 0 ? `, ${why.join(', ')}` : ''}`;
  const message = `${clicks} clicks from ${agents} different browsers behind ${visitor.ip} on this campaign within ${window} (${limitText})`;
  return [
    {
      type: 'click_farm',
      message,
      score: clicks > 2 * limit ? STRONG_SCORE : SCORE,
      // Another line of the subnet shows several browsers too: the farm's other lines are its clicks as well.
      lookBack: {
        group: history.subnetOtherLineDevices >= settings.clickFarmAddressMinDevices ? 'lines' : 'ip',
        withinMs: settings.clickFarmWindowMs,
      },
    },
  ];
}
