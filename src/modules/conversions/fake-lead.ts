/**
 * Fake leads (SPEC section 10): a conversion whose click the detector flagged (any fraud type but
 * `duplicate`: a person clicking twice is still a person), or that came sooner after its click than a
 * person could fill a form, is suspicious. It still counts; these sentences say why it is shown.
 */

export { DEFAULT_MIN_TIME_TO_CONVERT } from '../campaigns/campaign.enums.ts';

/** Every sentence about the click's fraud types starts so: an amendment replaces exactly these. */
const CLICK_FLAGGED = 'The click was flagged ';

/** The click's fraud types that make its conversions suspicious, in their stored order. */
export function suspiciousFraudTypes(fraudTypes: readonly string[]): string[] {
  return fraudTypes.filter((type) => type !== 'duplicate');
}

/** "The click was flagged bot, vpn", or nothing for a clean (or merely duplicate) click. */
export function clickFraudReasons(fraudTypes: readonly string[]): string[] {
  const types = suspiciousFraudTypes(fraudTypes);
  return types.length === 0 ? [] : [`${CLICK_FLAGGED}${types.join(', ')}`];
}

/** Seconds with one decimal, never "0.0" for a conversion that was merely fast (it reads as a clock error). */
const seconds = (ms: number) => (ms < 100 ? (ms / 1000).toFixed(2) : (ms / 1000).toFixed(1));

/**
 * "Converted 1.2 s after the click (minimum 3 s)" when the conversion came sooner than the minimum; a
 * minimum of 0 turns the check off. A conversion stamped before its click (nodes' clocks apart) reads as 0 s.
 */
export function timingReasons(clickedAt: number, convertedAt: number, minSeconds: number): string[] {
  const elapsed = Math.max(0, convertedAt - clickedAt);
  if (minSeconds <= 0 || elapsed >= minSeconds * 1000) return [];
  return [`Converted ${seconds(elapsed)} s after the click (minimum ${minSeconds} s)`];
}

/** What the click and the timing say of a conversion. */
export function fakeLeadReasons(
  click: { readonly created_at: number; readonly fraudTypes: readonly string[] },
  convertedAt: number,
  minSeconds: number,
): string[] {
  return [...timingReasons(click.created_at, convertedAt, minSeconds), ...clickFraudReasons(click.fraudTypes)];
}

/**
 * A stored conversion's reasons after its click's fraud types changed (a late finding): the reasons of
 * its payout and timing stay as they were judged, the click's are replaced by what it carries now.
 */
export function withClickFraud(reasons: readonly string[], fraudTypes: readonly string[]): string[] {
  return [...reasons.filter((reason) => !reason.startsWith(CLICK_FLAGGED)), ...clickFraudReasons(fraudTypes)];
}

/** A click row's fraud_types (a JSON array); anything unreadable is no types. */
export function parseFraudTypes(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
