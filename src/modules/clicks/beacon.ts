import type { BeaconFacts } from '../../detection/index.ts';
import type { BeaconIgnoredReason, BeaconState } from './beacon.enums.ts';

/** What `POST /api/v1/beacon` carries once its schema (schemas/beacon.ts) passed: SPEC §10's fields only. */
export interface BeaconInput {
  click_id: string;
  /** The tag's id for one load of one page: a page view's later beacons refine it, never re-judge it. */
  page_view_id: string;
  webdriver: boolean;
  time_zone: string | null;
  utc_offset_minutes: number;
  languages: string[];
  screen_width: number;
  screen_height: number;
  viewport_width: number;
  viewport_height: number;
  touch_points: number;
  hardware_concurrency: number;
  visible: boolean;
  time_on_page_ms: number;
  pointer_events: number;
  scroll_events: number;
  key_events: number;
}

/** The beacon as clicks.beacon stores it and the click's detail shows it: the input without the click id. */
export type StoredBeacon = Omit<BeaconInput, 'click_id'> & { received_at: number; updated_at: number };

/** What became of a beacon: judged (`recorded`), a page view's later figures kept (`updated`), or nothing. */
export type BeaconResult =
  { result: 'recorded' | 'updated'; reason: null } | { result: 'ignored'; reason: BeaconIgnoredReason };

export function toStoredBeacon(input: BeaconInput, at: number): StoredBeacon {
  const { click_id: _clickId, ...facts } = input;
  return { ...facts, received_at: at, updated_at: at };
}

export function toBeaconFacts(beacon: StoredBeacon): BeaconFacts {
  return {
    webdriver: beacon.webdriver,
    timeZone: beacon.time_zone,
    utcOffsetMinutes: beacon.utc_offset_minutes,
    languages: beacon.languages,
    screenWidth: beacon.screen_width,
    screenHeight: beacon.screen_height,
    viewportWidth: beacon.viewport_width,
    viewportHeight: beacon.viewport_height,
    touchPoints: beacon.touch_points,
    hardwareConcurrency: beacon.hardware_concurrency,
    visible: beacon.visible,
    timeOnPageMs: beacon.time_on_page_ms,
    pointerEvents: beacon.pointer_events,
    scrollEvents: beacon.scroll_events,
    keyEvents: beacon.key_events,
  };
}

/**
 * A page view's later beacon (sent when the page is hidden) may only add engagement: time on page and
 * event counts grow, visibility once seen stays. The browser's own facts stay as first reported, so a
 * page cannot undo what it was judged on. Null when nothing grew (a plain repeat).
 */
export function mergeEngagement(stored: StoredBeacon, next: BeaconInput, at: number): StoredBeacon | null {
  const merged: StoredBeacon = {
    ...stored,
    visible: stored.visible || next.visible,
    time_on_page_ms: Math.max(stored.time_on_page_ms, next.time_on_page_ms),
    pointer_events: Math.max(stored.pointer_events, next.pointer_events),
    scroll_events: Math.max(stored.scroll_events, next.scroll_events),
    key_events: Math.max(stored.key_events, next.key_events),
  };
  const grew =
    merged.visible !== stored.visible ||
    merged.time_on_page_ms !== stored.time_on_page_ms ||
    merged.pointer_events !== stored.pointer_events ||
    merged.scroll_events !== stored.scroll_events ||
    merged.key_events !== stored.key_events;
  return grew ? { ...merged, updated_at: at } : null;
}

export function beaconStateOf(
  beacon: string | null | undefined,
  createdAt: number,
  now: number,
  windowMs: number,
): BeaconState {
  if (beacon) return 'received';
  return now - createdAt < windowMs ? 'waiting' : 'missing';
}
