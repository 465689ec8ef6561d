import type { Finding } from '../types.ts';

/** How long after its click a beacon is accepted, and after which a campaign requiring one judges its absence. */
export const BEACON_WINDOW_MS = 3_600_000;

/**
 * A missing beacon is no proof by itself (ad blockers stop tags, people leave before it runs), so it is
 * only a fraud type where the campaign said its pages always carry the tag (`require_beacon`): a click
 * whose browser never ran the page's script there is a request, not a visit. Null until the window passed.
 */
export function missingBeaconFinding(requireBeacon: boolean, clickAgeMs: number): Finding | null {
  if (!requireBeacon || clickAgeMs < BEACON_WINDOW_MS) return null;
  return {
    type: 'bot',
    message: 'No beacon came from the page within 1 h of the click; the campaign requires the lander tag to run',
    score: 60,
  };
}
