import { parseIp } from '../cidr.ts';
import { isMobileCarrier } from '../network-kind.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { formatDuration } from '../text.ts';

export interface ClickFarmSettings {
  /** How far back the recorder counts distinct devices per subnet on the same campaign. */
  readonly clickFarmWindowMs: number;
  /** Distinct devices (user agents) from one IPv4 /24 or IPv6 /48 on one campaign allowed within the window. */
  readonly clickFarmMaxDevices: number;
  /** The same limit for a mobile carrier's subnet, which thousands of subscribers share. */
  readonly clickFarmCarrierMaxDevices: number;
  /** Clicks from ONE address on one campaign allowed within the window when they come from several devices. */
  readonly clickFarmAddressMaxClicks: number;
  /** How many different user agents behind one address make its clicks a farm's rather than one person's. */
  readonly clickFarmAddressMinDevices: number;
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
 * A farm on a carrier hides in the crowd of its /24 but not behind one address: a farm's phones go
 * out through one or a few lines. Even a campaign with millions of clicks a day sees well under one
 * click per carrier address per ten minutes (a carrier's NAT pool spreads its subscribers over
 * tens of thousands of addresses), so more than 6 clicks from 3 or more different browsers behind
 * one address in that time is a room of phones. One person re-clicking stays one user agent, and
 * the rapid-fire and duplicate rules judge that.
 */
const DEFAULTS: ClickFarmSettings = {
  ...DEFAULTS_BY_SUBNET,
  clickFarmAddressMaxClicks: 6,
  clickFarmAddressMinDevices: 3,
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
  evaluate({ visitor, ip, history }, { settings }) {
    const window = formatDuration(settings.clickFarmWindowMs);
    const lookBack = (group: 'ip' | 'subnet') => ({ group, withinMs: settings.clickFarmWindowMs });
    const devices = history.subnetRecentDevices;
    if (devices > settings.clickFarmMaxDevices) {
      const isCarrier = isMobileCarrier(ip);
      const limit = isCarrier ? carrierLimit(settings) : settings.clickFarmMaxDevices;
      if (devices > limit) {
        const subnet = formatSubnet(visitor.ip) ?? `the network of ${visitor.ip}`;
        const limitText = isCarrier ? `limit ${limit} for a mobile carrier's network` : `limit ${limit}`;
        const message = `${devices} different devices from ${subnet} clicked this campaign within ${window} (${limitText})`;
        return [
          {
            type: 'click_farm',
            message,
            score: devices > 2 * limit ? STRONG_SCORE : SCORE,
            lookBack: lookBack('subnet'),
          },
        ];
      }
    }
    const clicks = history.addressFarmClicks;
    const agents = history.addressRecentDevices;
    // Negated so NaN counts flag nothing.
    if (!(clicks > settings.clickFarmAddressMaxClicks) || !(agents >= settings.clickFarmAddressMinDevices))
      return NO_SIGNALS;
    const message = `${clicks} clicks from ${agents} different browsers behind ${visitor.ip} on this campaign within ${window} (limit ${settings.clickFarmAddressMaxClicks} from ${settings.clickFarmAddressMinDevices} or more)`;
    return [
      {
        type: 'click_farm',
        message,
        score: clicks > 2 * settings.clickFarmAddressMaxClicks ? STRONG_SCORE : SCORE,
        lookBack: lookBack('ip'),
      },
    ];
  },
});
