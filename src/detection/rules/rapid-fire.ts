import { isMobileCarrier } from '../network-kind.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { formatDuration } from '../text.ts';
import type { Signal } from '../types.ts';

export interface RapidFireSettings {
  /** How far back the recorder counts clicks on the same campaign. */
  readonly rapidFireWindowMs: number;
  /**
   * Clicks from one visitor (address + user agent) on one campaign allowed within the window; one more
   * is rapid fire. Clicks from several browsers behind one address count against it too, beyond the
   * first click of each browser: a script that rotates a few user agents is still one visitor repeating.
   */
  readonly rapidFireMaxClicks: number;
  /** A second, short window that catches quick bursts too small for the first. */
  readonly rapidFireShortWindowMs: number;
  /** Clicks from one visitor on one campaign allowed within the short window. */
  readonly rapidFireShortMaxClicks: number;
  /** Clicks from ONE address on one campaign allowed within the window, whatever the browsers: a crowd's ceiling. */
  readonly rapidFireAddressMaxClicks: number;
  /** The same ceiling within the short window. */
  readonly rapidFireAddressShortMaxClicks: number;
  /** Mobile carriers share each address among many subscribers (CGNAT): their address limits are this many times higher. */
  readonly rapidFireCarrierMultiplier: number;
}

/**
 * Defaults. Voluum flags over 60 events a minute from one IP, but across a whole tracker; TrafficGuard
 * (one click per campaign a day) and ClickCease (3 in 90 days) are repeat-click rules, which the
 * duplicate rule covers here. Rapid fire is about ONE visitor repeating on one campaign: a person
 * double-clicks, comes back, reloads — two or three clicks in a minute. Over 5 in 60 s is beyond
 * that. Within 10 s a double-click is two clicks; a third paid click in those seconds is a script or a
 * competitor, never a reader (Google Ads itself discards such rapid repeats as invalid clicks).
 *
 * Different people behind one address (an office, a campus, a carrier's NAT) are not one visitor, and
 * three colleagues clicking within ten seconds is a coincidence, not a burst. What no crowd does is
 * click one campaign more than 5 times in 10 s or 15 times in a minute from one address: even a campus
 * with hundreds of clicks a day sees about one a minute at its busiest hour, and the chance of six in
 * the same ten seconds is below one in a million. Many browsers over minutes are the click-farm
 * rule's to judge. A carrier's shared address gets twice the address limits; behind it each device
 * keeps the visitor limits.
 */
const DEFAULTS: RapidFireSettings = {
  rapidFireWindowMs: 60_000,
  rapidFireMaxClicks: 5,
  rapidFireShortWindowMs: 10_000,
  rapidFireShortMaxClicks: 2,
  rapidFireAddressMaxClicks: 15,
  rapidFireAddressShortMaxClicks: 5,
  rapidFireCarrierMultiplier: 2,
};

const SCORE = 80;
/** The short window's bursts are small: likely, not certain. */
const SHORT_SCORE = 70;
/** More than twice the limit is no longer a busy shared address. */
const STRONG_SCORE = 95;

/** A shared address is never judged more strictly than a private one, whatever the multiplier says. */
function carrierLimit(limit: number, multiplier: number): number {
  return Math.max(limit, Math.floor(limit * multiplier));
}

interface Tier {
  readonly windowMs: number;
  /** Per visitor. */
  readonly limit: number;
  /** Per address, whatever the browser (never below the visitor limit). */
  readonly addressLimit: number;
  /** Counts of earlier clicks within the tier's window. */
  readonly ipClicks: number;
  readonly deviceClicks: number;
  /** Distinct user agents behind the address within the window, this click's included. */
  readonly browsers: number;
  readonly score: number;
}

interface Judged {
  readonly clicks: number;
  readonly limit: number;
  readonly message: string;
  readonly group: 'ip' | 'device';
}

function signalOf(tier: Tier, judged: Judged): Signal {
  return {
    type: 'rapid_fire',
    message: judged.message,
    score: judged.clicks > 2 * judged.limit ? STRONG_SCORE : tier.score,
    lookBack: { group: judged.group, withinMs: tier.windowMs },
  };
}

function judgeTier(tier: Tier, ip: string, isCarrier: boolean, multiplier: number): Signal | null {
  const clicks = tier.ipClicks + 1;
  // Negated so a NaN count flags nothing. Every check below needs more clicks than the visitor limit,
  // and most clicks are alone in the window, so the rest runs rarely.
  if (!(clicks > tier.limit)) return null;
  const window = formatDuration(tier.windowMs);
  const deviceClicks = tier.deviceClicks + 1;
  const browsers = Math.max(1, Math.min(tier.browsers, clicks)) || 1;
  const carrierText = (limit: number) =>
    isCarrier ? `limit ${limit} for a mobile carrier's shared address` : `limit ${limit}`;
  // One browser alone behind a private address: the address's reason, as it always read.
  if (browsers === 1 && !isCarrier && deviceClicks > tier.limit)
    return signalOf(tier, {
      clicks,
      limit: tier.limit,
      message: `${clicks} clicks from ${ip} on this campaign within ${window} (limit ${tier.limit})`,
      group: 'ip',
    });
  // Behind a shared address one device still has the visitor limit: its other users are other devices.
  if (deviceClicks > tier.limit)
    return signalOf(tier, {
      clicks: deviceClicks,
      limit: tier.limit,
      message: `${deviceClicks} clicks from one device (${ip}, same user agent) on this campaign within ${window} (limit ${tier.limit})`,
      group: 'device',
    });
  // A visitor rotating a few user agents: every click beyond each browser's first is a repeat.
  const repeatLimit = isCarrier ? carrierLimit(tier.limit, multiplier) : tier.limit;
  const asOneVisitor = clicks - browsers + 1;
  if (asOneVisitor > repeatLimit) {
    const message =
      browsers === 1
        ? `${clicks} clicks from ${ip} on this campaign within ${window} (${carrierText(repeatLimit)})`
        : `${clicks} clicks from ${ip} on this campaign within ${window}, from only ${browsers} browsers: ${clicks - browsers} repeats (${carrierText(repeatLimit - 1)})`;
    return signalOf(tier, { clicks: asOneVisitor, limit: repeatLimit, message, group: 'ip' });
  }
  const addressLimit = Math.max(tier.limit, tier.addressLimit);
  const crowdLimit = isCarrier ? carrierLimit(addressLimit, multiplier) : addressLimit;
  if (!(clicks > crowdLimit)) return null;
  const limitText = isCarrier
    ? `limit ${crowdLimit} for a mobile carrier's shared address`
    : `limit ${crowdLimit} from one address`;
  return signalOf(tier, {
    clicks,
    limit: crowdLimit,
    message: `${clicks} clicks from ${ip} on this campaign within ${window}, from ${browsers} browsers (${limitText})`,
    group: 'ip',
  });
}

/**
 * Too many clicks from one visitor, or one address, on one campaign in a short window (SPEC: rapid_fire,
 * status `bot`).
 */
export const rapidFireRule = defineRule<RapidFireSettings>({
  name: 'rapid-fire',
  type: 'rapid_fire',
  defaults: DEFAULTS,
  evaluate({ visitor, ip, history }, { settings }) {
    const long: Tier = {
      windowMs: settings.rapidFireWindowMs,
      limit: settings.rapidFireMaxClicks,
      addressLimit: settings.rapidFireAddressMaxClicks,
      ipClicks: history.sameIpRecentClicks,
      deviceClicks: history.sameVisitorBurstClicks,
      browsers: history.addressBurstDevices,
      score: SCORE,
    };
    const short: Tier = {
      windowMs: settings.rapidFireShortWindowMs,
      limit: settings.rapidFireShortMaxClicks,
      addressLimit: settings.rapidFireAddressShortMaxClicks,
      ipClicks: history.sameIpShortClicks,
      deviceClicks: history.sameVisitorShortClicks,
      browsers: history.addressShortDevices,
      score: SHORT_SCORE,
    };
    // Cheap test first: most clicks are alone in both windows, and the carrier lookup costs a little.
    if (!(long.ipClicks + 1 > long.limit) && !(short.ipClicks + 1 > short.limit)) return NO_SIGNALS;
    const isCarrier = isMobileCarrier(ip);
    const signal =
      judgeTier(long, visitor.ip, isCarrier, settings.rapidFireCarrierMultiplier) ??
      judgeTier(short, visitor.ip, isCarrier, settings.rapidFireCarrierMultiplier);
    return signal ? [signal] : NO_SIGNALS;
  },
});
