import { isMobileCarrier } from '../network-kind.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { formatDuration } from '../text.ts';
import type { Signal } from '../types.ts';

export interface RapidFireSettings {
  /** How far back the recorder counts clicks from the same IP on the same campaign. */
  readonly rapidFireWindowMs: number;
  /** Clicks from one IP on one campaign allowed within the window; one more is rapid fire. */
  readonly rapidFireMaxClicks: number;
  /** A second, short window that catches quick bursts too small for the first. */
  readonly rapidFireShortWindowMs: number;
  /** Clicks from one IP on one campaign allowed within the short window. */
  readonly rapidFireShortMaxClicks: number;
  /** Mobile carriers share each address among many subscribers (CGNAT): their limits are this many times higher. */
  readonly rapidFireCarrierMultiplier: number;
}

/**
 * Defaults. Voluum flags over 60 events a minute from one IP, but across a whole tracker; TrafficGuard
 * (one click per campaign a day) and ClickCease (3 in 90 days) are repeat-click rules, which the
 * duplicate rule covers here. Rapid fire is about speed on ONE campaign: a person double-clicks,
 * comes back, reloads — two or three clicks in a minute — and a household or office behind one
 * address adds a few more. Over 5 in 60 s is beyond that. Within 10 s a double-click is two clicks; a
 * third paid click in those seconds is a script or a competitor, never a reader (Google Ads itself
 * discards such rapid repeats as invalid clicks). A carrier's shared address gets twice the limits:
 * even a campaign with a million clicks a day sees far less than one click a minute per carrier
 * address (CGNAT pools spread subscribers over tens of thousands of addresses), so ten in a minute
 * is a bot, not a crowd. Behind the shared address each device keeps the base limits.
 */
const DEFAULTS: RapidFireSettings = {
  rapidFireWindowMs: 60_000,
  rapidFireMaxClicks: 5,
  rapidFireShortWindowMs: 10_000,
  rapidFireShortMaxClicks: 2,
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
  readonly limit: number;
  /** Counts of earlier clicks within the tier's window. */
  readonly ipClicks: number;
  readonly deviceClicks: number;
  readonly score: number;
}

function judgeTier(tier: Tier, ip: string, isCarrier: boolean, multiplier: number): Signal | null {
  const clicks = tier.ipClicks + 1;
  // Negated so a NaN count flags nothing; the carrier check runs only for the few clicks over the base limit.
  if (!(clicks > tier.limit)) return null;
  const window = formatDuration(tier.windowMs);
  const limit = isCarrier ? carrierLimit(tier.limit, multiplier) : tier.limit;
  const deviceClicks = tier.deviceClicks + 1;
  // Behind a shared address one device still has the private limit: its many users are many devices.
  if (isCarrier && !(clicks > limit) && deviceClicks > tier.limit) {
    const message = `${deviceClicks} clicks from one device (${ip}, same user agent) on this campaign within ${window} (limit ${tier.limit})`;
    return {
      type: 'rapid_fire',
      message,
      score: deviceClicks > 2 * tier.limit ? STRONG_SCORE : tier.score,
      lookBack: { group: 'device', withinMs: tier.windowMs },
    };
  }
  if (!(clicks > limit)) return null;
  const limitText = isCarrier ? `limit ${limit} for a mobile carrier's shared address` : `limit ${limit}`;
  const message = `${clicks} clicks from ${ip} on this campaign within ${window} (${limitText})`;
  return {
    type: 'rapid_fire',
    message,
    score: clicks > 2 * limit ? STRONG_SCORE : tier.score,
    lookBack: { group: 'ip', withinMs: tier.windowMs },
  };
}

/** Too many clicks from one IP on one campaign in a short window (SPEC: rapid_fire, status `bot`). */
export const rapidFireRule = defineRule<RapidFireSettings>({
  name: 'rapid-fire',
  type: 'rapid_fire',
  defaults: DEFAULTS,
  evaluate({ visitor, ip, history }, { settings }) {
    const long: Tier = {
      windowMs: settings.rapidFireWindowMs,
      limit: settings.rapidFireMaxClicks,
      ipClicks: history.sameIpRecentClicks,
      deviceClicks: history.sameVisitorBurstClicks,
      score: SCORE,
    };
    const short: Tier = {
      windowMs: settings.rapidFireShortWindowMs,
      limit: settings.rapidFireShortMaxClicks,
      ipClicks: history.sameIpShortClicks,
      deviceClicks: history.sameVisitorShortClicks,
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
