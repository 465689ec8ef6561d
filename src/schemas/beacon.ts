import { Type } from 'typebox';
import { Nullable, Timestamp } from './common.ts';
import { BEACON_IGNORED_REASONS, BEACON_RESULTS, BEACON_STATES } from '../modules/clicks/beacon.enums.ts';

const count = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000, description });
const pixels = (description: string) => Type.Integer({ minimum: 0, maximum: 100_000, description });

/** SPEC §10's list, and nothing else: no canvas, audio or font fingerprint, no URL, no referrer. */
const beaconFacts = {
  page_view_id: Type.String({
    minLength: 8,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_-]+$',
    description: "The tag's random id for one load of one page: its later beacons only add engagement",
  }),
  webdriver: Type.Boolean({ description: 'navigator.webdriver' }),
  time_zone: Type.Union([Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+\\-/]+$' }), Type.Null()], {
    description: "The IANA time zone the browser's Intl reports, null when it has none",
  }),
  utc_offset_minutes: Type.Integer({ minimum: -840, maximum: 840, description: 'Minutes east of UTC (UTC+7: 420)' }),
  languages: Type.Array(Type.String({ minLength: 1, maxLength: 35 }), {
    maxItems: 16,
    description: 'navigator.languages',
  }),
  screen_width: pixels('screen.width, CSS pixels'),
  screen_height: pixels('screen.height'),
  viewport_width: pixels('window.innerWidth'),
  viewport_height: pixels('window.innerHeight'),
  touch_points: Type.Integer({ minimum: 0, maximum: 256, description: 'navigator.maxTouchPoints' }),
  hardware_concurrency: Type.Integer({ minimum: 0, maximum: 4096, description: 'navigator.hardwareConcurrency' }),
  visible: Type.Boolean({ description: 'Whether the page was visible at any time while the tag ran' }),
  time_on_page_ms: Type.Integer({ minimum: 0, maximum: 86_400_000, description: 'Since the tag started' }),
  pointer_events: count('pointerdown and pointermove events (moves counted at most 10 a second)'),
  scroll_events: count('scroll events'),
  key_events: count('keydown events (which key is never read)'),
};

/** POST /api/v1/beacon's body: JSON sent as text/plain, so a browser sends it cross-site without a preflight. */
export const BeaconBody = Type.Object(
  { click_id: Type.String({ minLength: 1, maxLength: 64 }), ...beaconFacts },
  { additionalProperties: false },
);

export const BeaconResultSchema = Type.Object({
  result: Type.Enum(BEACON_RESULTS, {
    description:
      'recorded: the first beacon of the click, judged; updated: a later beacon of the same page view added engagement; ignored: see reason',
  }),
  /** expired: more than 1 h after the click; another_page_view: the click has a beacon from another page view; repeat: nothing new. */
  reason: Nullable(Type.Enum(BEACON_IGNORED_REASONS)),
});

/** The beacon as the click's detail shows it. */
export const StoredBeaconSchema = Type.Object({
  ...beaconFacts,
  received_at: Timestamp,
  updated_at: Timestamp,
});

export const BeaconStateSchema = Type.Enum(BEACON_STATES, {
  description:
    'received: the page’s tag reported; waiting: less than 1 h since the click; missing: none came (an ad blocker, a fast leaver, a page without the tag, or no browser at all)',
});
