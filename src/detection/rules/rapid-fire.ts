import { isMobileCarrier } from '../network-kind.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { formatDuration } from '../text.ts';

export interface RapidFireSettings {
  /** How far back the recorder counts clicks from the same IP on the same campaign. */
  readonly rapidFireWindowMs: number;
  /** Clicks from one IP on one campaign allowed within the window; one more is rapid fire. */
  readonly rapidFireMaxClicks: number;
  /** Mobile carriers share each address among many subscribers (CGNAT): their limit is this many times higher. */
  readonly rapidFireCarrierMultiplier: number;
}

/**
 * Defaults. Voluum flags over 60 events a minute from one IP, but across a whole tracker; TrafficGuard
 * (one click per campaign a day) and ClickCease (3 in 90 days) are repeat-click rules, which the
 * duplicate rule covers here. Rapid fire is about speed on ONE campaign: a person double-clicks,
 * comes back, reloads — two or three clicks in a minute — and a household or office behind one
 * address adds a few more. Over 5 in 60 s is beyond that. On a carrier's shared address 4× (20 a
 * minute) still takes a bot, while a popular campaign's visitors spread over thousands of addresses.
 */
const DEFAULTS: RapidFireSettings = { rapidFireWindowMs: 60_000, rapidFireMaxClicks: 5, rapidFireCarrierMultiplier: 4 };

const SCORE = 80;
/** More than twice the limit is no longer a busy shared address. */
const STRONG_SCORE = 95;

/** A shared address is never judged more strictly than a private one, whatever the multiplier says. */
function carrierLimit(settings: RapidFireSettings): number {
  return Math.max(settings.rapidFireMaxClicks, Math.floor(settings.rapidFireMaxClicks * settings.rapidFireCarrierMultiplier));
}

/** Too many clicks from one IP on one campaign in a short window (SPEC: rapid_fire, status `bot`). */
export const rapidFireRule = defineRule<RapidFireSettings>({
  name: 'rapid-fire',
  type: 'rapid_fire',
  defaults: DEFAULTS,
  evaluate({ visitor, ip, history }, { settings }) {
    const clicks = history.sameIpRecentClicks + 1;
    // Negated so a NaN count flags nothing; the carrier check runs only for the few clicks over the base limit.
    if (!(clicks > settings.rapidFireMaxClicks)) return NO_SIGNALS;
    const isCarrier = isMobileCarrier(ip);
    const limit = isCarrier ? carrierLimit(settings) : settings.rapidFireMaxClicks;
    const deviceClicks = history.sameVisitorBurstClicks + 1;
    // Behind a shared address one device still has the private limit: its many users are many devices.
    if (isCarrier && !(clicks > limit) && deviceClicks > settings.rapidFireMaxClicks) {
      const message = `${deviceClicks} clicks from one device (${visitor.ip}, same user agent) on this campaign within ${formatDuration(settings.rapidFireWindowMs)} (limit ${settings.rapidFireMaxClicks})`;
      return [{ type: 'rapid_fire', message, score: deviceClicks > 2 * settings.rapidFireMaxClicks ? STRONG_SCORE : SCORE }];
    }
    if (!(clicks > limit)) return NO_SIGNALS;
    const limitText = isCarrier ? `limit ${limit} for a mobile carrier's shared address` : `limit ${limit}`;
    const message = `${clicks} clicks from ${visitor.ip} on this campaign within ${formatDuration(settings.rapidFireWindowMs)} (${limitText})`;
    return [{ type: 'rapid_fire', message, score: clicks > 2 * limit ? STRONG_SCORE : SCORE }];
  },
});
