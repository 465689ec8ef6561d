/**
 * What mainstream browsers send on a top-level navigation, and the user-agent shapes that claim them.
 * Versions come from MDN's browser-compat-data (http.headers.Sec-Fetch-*, Sec-CH-UA*) and were checked
 * against header sets captured from the real browsers (see header-consistency.test.ts).
 *
 * A user agent only "claims" a browser when it has exactly that browser's shape: a string with an
 * extra product token (YaBrowser, MiuiBrowser, an app's marker…) is some other program built on the
 * same engine, whose headers we do not know well enough to hold it to them.
 */

export type Platform = 'Windows' | 'macOS' | 'Linux' | 'Chrome OS' | 'Android' | 'iOS';

/** A version as major × 100 + minor, so 16.4 compares below 16.10 and above 16.3. */
export function versionCode(major: number, minor = 0): number {
  return major * 100 + minor;
}

/**
 * Since when each engine sends Sec-Fetch-Site, -Mode and -Dest to secure origins. In-app views are
 * held to the version of the engine they report, not the app's: Android WebView mirrors Chrome in
 * browser-compat-data, and every iOS view is the OS's WebKit. Older views (Facebook on iOS 16.1,
 * WeChat on WebView 74) send none and are no claim (header-consistency-inapp.test.ts).
 */
export const SEC_FETCH_SINCE = {
  // Chrome 76 sent Site and Mode; Dest joined in 80, so 80 is the first with the whole set.
  chromium: versionCode(80),
  firefox: versionCode(90),
  // Safari and every iOS WebKit view (the engine ships with the OS); Safari never sends Sec-Fetch-User.
  webkit: versionCode(16, 4),
} as const;

/** Chromium sends Sec-CH-UA and Sec-CH-UA-Mobile by default since 89; 90 is where MDN and web-features mark support. */
export const CLIENT_HINTS_SINCE = versionCode(90);
/** Sec-CH-UA-Platform joined the default hints in Chrome 93; 95 leaves a margin for derived builds. */
export const PLATFORM_HINT_SINCE = versionCode(95);

/**
 * A user agent's parenthesised comment, which may hold one level of brackets of its own: device
 * models are written as the maker names them ("moto g power (2022)", "moto g(60)s"), and Android
 * browsers and web views copy the model into the comment. Each alternative starts with a different
 * character, so the match stays linear on hostile input.
 */
const COMMENT = String.raw`(?:[^()]|\([^()]*\))+`;

/**
 * Chrome, Edge, Opera and Samsung Internet on desktop and Android, including the reduced user agent
 * (Chrome/131.0.0.0, "Linux; Android 10; K"). Groups: 1 platform, 2 Samsung Internet version,
 * 3 Chrome major, 4 "Mobile ", 5 Edg/EdgA/OPR, 6 its version.
 */
export const CHROMIUM_BROWSER = new RegExp(
  String.raw`^Mozilla\/5\.0 \((${COMMENT})\) AppleWebKit\/537\.36 \(KHTML, like Gecko\) (?:SamsungBrowser\/(\d+)[\d.]* )?Chrome\/(\d+)\.[\d.]+ (Mobile )?Safari\/537\.36(?: (Edg|EdgA|OPR)\/(\d+)[\d.]*)?(?: \(Edition [^()]*\))?$`,
);

/** Firefox on desktop and Android (Gecko/20100101 on desktop, Gecko/<version> on Android). Groups: 1 platform, 2 major. */
export const FIREFOX_BROWSER = new RegExp(
  String.raw`^Mozilla\/5\.0 \((${COMMENT}); rv:[\d.]+\) Gecko\/[\d.]+ Firefox\/(\d+)\.[\d.]+$`,
);

/**
 * Safari on macOS, iPhone and iPad (an iPad asks for desktop sites with the macOS shape).
 * Groups: 1 platform, 2 major, 3 minor.
 */
export const SAFARI_BROWSER =
  /^Mozilla\/5\.0 \(([^()]+)\) AppleWebKit\/605\.1\.15 \(KHTML, like Gecko\) Version\/(\d+)(?:\.(\d+))?[\d.]* (?:Mobile\/\w+ )?Safari\/[\d.]+$/;

/**
 * Android WebView, the engine of most in-app browsers (Facebook, Instagram, TikTok): "; wv)" since
 * Android 5, "Version/4.0 Chrome/" before that. Group 1: Chromium major.
 */
export const ANDROID_WEBVIEW = new RegExp(
  String.raw`^Mozilla\/5\.0 \(Linux; ${COMMENT}\) AppleWebKit\/537\.36 \(KHTML, like Gecko\) Version\/4\.0 Chrome\/(\d+)\.`,
);

/** Any iPhone or iPad user agent: every iOS browser and in-app view is WebKit. Groups: 1 major, 2 minor of iOS. */
export const IOS_WEBKIT =
  /^Mozilla\/5\.0 \((?:iPhone|iPad|iPod touch); (?:CPU )?(?:iPhone )?OS (\d+)_(\d+)[_\d]* like Mac OS X\) AppleWebKit\//;

/** How a reason names an iOS app's web view, by the marker the app adds to WebKit's user agent. */
export const IOS_APPS: readonly { readonly pattern: RegExp; readonly name: string }[] = [
  { pattern: /\bCriOS\//, name: 'Chrome for iOS' },
  { pattern: /\bFxiOS\//, name: 'Firefox for iOS' },
  { pattern: /\bEdgiOS\//, name: 'Edge for iOS' },
  { pattern: /\bOPT\//, name: 'Opera for iOS' },
  { pattern: /\bFBAN\/|\bFBAV\//, name: 'Facebook in-app browser' },
  { pattern: /\bInstagram /, name: 'Instagram in-app browser' },
  { pattern: /\bGSA\//, name: 'Google app' },
];

/**
 * Platforms that may honestly disagree between Sec-CH-UA-Platform and the user agent: Chrome for
 * Android in "desktop site" mode sends a Linux user agent with the Android hint, and Chrome OS
 * builds (Lacros, Chromium OS) mix Linux and Chrome OS. Windows and macOS never trade places.
 */
export const PLATFORM_FAMILY: Readonly<Record<Platform, string>> = {
  Windows: 'Windows',
  macOS: 'macOS',
  Linux: 'linux',
  'Chrome OS': 'linux',
  Android: 'linux',
  iOS: 'iOS',
};

/** Sec-CH-UA-Platform values (unquoted) to platforms; "Unknown" and anything else are not compared. */
export const PLATFORM_HINTS: Readonly<Record<string, Platform>> = {
  Windows: 'Windows',
  macOS: 'macOS',
  Linux: 'Linux',
  'Chrome OS': 'Chrome OS',
  'Chromium OS': 'Chrome OS',
  Android: 'Android',
  iOS: 'iOS',
};

/** The platform in a user agent's parenthesised comment ("Windows NT 10.0; Win64; x64"). */
export function platformOf(comment: string): Platform | null {
  if (/\b(?:iPhone|iPad|iPod)\b/.test(comment)) return 'iOS';
  if (/\bAndroid\b/.test(comment)) return 'Android';
  if (/\bWindows\b/.test(comment)) return 'Windows';
  if (/\bMacintosh\b/.test(comment)) return 'macOS';
  if (/\bCrOS\b/.test(comment)) return 'Chrome OS';
  if (/\b(?:Linux|X11)\b/.test(comment)) return 'Linux';
  return null;
}
