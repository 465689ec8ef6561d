import type { BeaconClick, BeaconFacts } from './facts.ts';

/**
 * Values real browsers report to the tag (read from each browser's own navigator, screen and Intl),
 * shared by the beacon rules' tests.
 */
const BASE: Omit<BeaconFacts, 'screenWidth' | 'screenHeight' | 'viewportWidth' | 'viewportHeight' | 'touchPoints'> = {
  webdriver: false,
  timeZone: 'Europe/Berlin',
  utcOffsetMinutes: 60,
  languages: ['de-DE', 'de', 'en-US', 'en'],
  hardwareConcurrency: 8,
  visible: true,
  timeOnPageMs: 8_400,
  pointerEvents: 31,
  scrollEvents: 6,
  keyEvents: 0,
};

/** iPhone 15, iOS 17.5 Safari. */
export const IPHONE_SAFARI: BeaconFacts = {
  ...BASE,
  screenWidth: 393,
  screenHeight: 852,
  viewportWidth: 393,
  viewportHeight: 659,
  touchPoints: 5,
  hardwareConcurrency: 4,
};
/** Pixel 8, Chrome 131. */
export const PIXEL_CHROME: BeaconFacts = {
  ...BASE,
  screenWidth: 412,
  screenHeight: 915,
  viewportWidth: 412,
  viewportHeight: 780,
  touchPoints: 5,
};
/** Windows 11 laptop, Chrome 131, 1080p screen at 100 %. */
export const WINDOWS_CHROME: BeaconFacts = {
  ...BASE,
  screenWidth: 1920,
  screenHeight: 1080,
  viewportWidth: 1920,
  viewportHeight: 945,
  touchPoints: 0,
  hardwareConcurrency: 12,
};
/** Surface Pro, Edge: a desktop with a touch screen. */
export const SURFACE_EDGE: BeaconFacts = { ...WINDOWS_CHROME, screenWidth: 1368, screenHeight: 912, touchPoints: 10 };
/** Playwright's Chromium as it starts: WebDriver flag set, 1280×720. */
export const PLAYWRIGHT_CHROMIUM: BeaconFacts = {
  ...WINDOWS_CHROME,
  webdriver: true,
  languages: ['en-US'],
  screenWidth: 1280,
  screenHeight: 720,
  viewportWidth: 1280,
  viewportHeight: 720,
  timeOnPageMs: 40,
  pointerEvents: 0,
  scrollEvents: 0,
};
/** Old headless Chrome (before the new headless mode): no languages, 800×600, no flag hidden. */
export const OLD_HEADLESS: BeaconFacts = {
  ...PLAYWRIGHT_CHROMIUM,
  webdriver: false,
  languages: [],
  screenWidth: 800,
  screenHeight: 600,
  viewportWidth: 800,
  viewportHeight: 600,
};

export const CLICK_IPHONE: BeaconClick = {
  country: 'DE',
  device: 'mobile',
  os: 'iOS',
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};
export const CLICK_ANDROID: BeaconClick = {
  country: 'DE',
  device: 'mobile',
  os: 'Android',
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
};
export const CLICK_WINDOWS: BeaconClick = {
  country: 'DE',
  device: 'desktop',
  os: 'Windows',
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};
