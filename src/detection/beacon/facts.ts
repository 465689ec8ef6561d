import type { Finding } from '../types.ts';

/**
 * What the lander tag (`GET /t.js`) reports of the browser it runs in: exactly SPEC §10's list, nothing
 * else. Sizes are CSS pixels; `utcOffsetMinutes` is east of UTC (UTC+7 is 420), the negation of
 * `Date#getTimezoneOffset`.
 */
export interface BeaconFacts {
  readonly webdriver: boolean;
  /** The IANA name the browser's Intl reports (`Asia/Ho_Chi_Minh`), null when it has none. */
  readonly timeZone: string | null;
  readonly utcOffsetMinutes: number;
  readonly languages: readonly string[];
  readonly screenWidth: number;
  readonly screenHeight: number;
  readonly viewportWidth: number;
  readonly viewportHeight: number;
  /** `navigator.maxTouchPoints`. */
  readonly touchPoints: number;
  /** `navigator.hardwareConcurrency`; 0 when the browser hides it. */
  readonly hardwareConcurrency: number;
  /** Whether the page was ever visible while it ran. */
  readonly visible: boolean;
  readonly timeOnPageMs: number;
  readonly pointerEvents: number;
  readonly scrollEvents: number;
  readonly keyEvents: number;
}

/** What the click itself says, to hold the beacon against. */
export interface BeaconClick {
  /** ISO 3166-1 alpha-2 of the click's address, null when unknown. */
  readonly country: string | null;
  /** The user-agent parser's device class (`mobile`, `tablet`, `desktop`…). */
  readonly device: string;
  readonly os: string | null;
  readonly userAgent: string;
}

/** A rule over one beacon: pure, and `[]` when it has nothing to say. */
export type BeaconRule = (facts: BeaconFacts, click: BeaconClick) => readonly Finding[];
