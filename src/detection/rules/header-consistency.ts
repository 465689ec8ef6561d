import type { VisitorHeaderName, VisitorHeaders } from '../visitor.ts';
import {
  ANDROID_WEBVIEW,
  CHROMIUM_BROWSER,
  CLIENT_HINTS_SINCE,
  FIREFOX_BROWSER,
  IOS_APPS,
  IOS_WEBKIT,
  PLATFORM_FAMILY,
  PLATFORM_HINTS,
  PLATFORM_HINT_SINCE,
  SAFARI_BROWSER,
  SEC_FETCH_SINCE,
  platformOf,
  versionCode,
  type Platform,
} from '../lists/browser-headers.ts';
import { memoize } from '../memo.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { shorten } from '../text.ts';
import type { Signal } from '../types.ts';
import { isAutomatedUserAgent } from './user-agent-bot.ts';
import { findClaimedCrawler } from './verified-crawler.ts';

/**
 * Scores. Every one of these is a `bot` signal, so any of them makes the click a bot; the score says
 * how sure, and independent ones add up (verdict.ts).
 * - A contradiction (the headers name another browser, platform or device than the user agent) is
 *   what a script produces when it pastes one browser's user agent over another's headers: 90.
 *   Sec-CH-UA naming HeadlessChrome is the automation tool's own admission: 95.
 * - Accept-Language and a text/html Accept go with every navigation of every browser, secure or
 *   not, and no setting removes them; HTTP libraries send neither unless told to: 85 each.
 * - Sec-CH-UA and Sec-Fetch-* are added by the browser's network stack, so hand-made header sets
 *   forget them; they go to secure origins only and their absence has a few more innocent
 *   explanations (an odd embedded build, a proxy that rewrites headers): 75.
 * - Sec-CH-UA without its companion hints (the browser always sends the three together): 80.
 * - Sec-Fetch-Mode other than "navigate": a script or a page fetched the link as a resource (an
 *   image tag, fetch()), so nobody clicked: 80. A navigation inside a frame is how hidden-iframe
 *   click stuffing loads links, but a frame can also be a clumsy ad layout: 60.
 */
const SCORES = {
  contradiction: 90,
  headlessBrand: 95,
  missingAcceptLanguage: 85,
  badAccept: 85,
  missingSecureHeaders: 75,
  partialHints: 80,
  notNavigation: 80,
  framed: 60,
} as const;

type Engine = 'chromium' | 'firefox' | 'webkit';

/** The browser a user agent presents itself as. */
interface BrowserClaim {
  /** "Chrome 131", "Safari 17", "Android WebView 127", "Facebook in-app browser on iOS 17". */
  readonly label: string;
  readonly engine: Engine;
  /** Of the engine (Chromium major, Firefox major, WebKit as the Safari or iOS version), via versionCode. */
  readonly version: number;
  /** Chromium's major as the user agent states it, to compare with Sec-CH-UA; null for other engines. */
  readonly chromiumMajor: number | null;
  readonly platform: Platform | null;
  /** The user agent carries the "Mobile" token (a phone, not a tablet or a desktop). */
  readonly mobile: boolean;
  /**
   * An app's web view or an iOS browser other than Safari. Held only to what its engine always
   * sends (Accept, Accept-Language, Sec-Fetch-*): apps may rewrite the user agent, and web views
   * send client hints inconsistently, so hints are neither required nor compared.
   */
  readonly embedded: boolean;
}

const CHROMIUM_BRANDS: Readonly<Record<string, string>> = { Edg: 'Edge', EdgA: 'Edge', OPR: 'Opera' };

function parseChromium(userAgent: string): BrowserClaim | null {
  const match = CHROMIUM_BROWSER.exec(userAgent);
  if (match) {
    const [, comment = '', samsung, chrome = '0', mobile, brand, brandVersion] = match;
    const chromiumMajor = Number(chrome);
    const label = samsung
      ? `Samsung Internet ${samsung}`
      : brand
        ? `${CHROMIUM_BRANDS[brand] ?? brand} ${brandVersion}`
        : `Chrome ${chrome}`;
    return {
      label,
      engine: 'chromium',
      version: versionCode(chromiumMajor),
      chromiumMajor,
      platform: platformOf(comment),
      mobile: mobile !== undefined,
      embedded: false,
    };
  }
  const webView = ANDROID_WEBVIEW.exec(userAgent);
  if (webView) {
    const chromiumMajor = Number(webView[1]);
    return {
      label: `Android WebView ${chromiumMajor}`,
      engine: 'chromium',
      version: versionCode(chromiumMajor),
      chromiumMajor,
      platform: 'Android',
      mobile: / Mobile /.test(userAgent),
      embedded: true,
    };
  }
  return null;
}

function parseGeckoOrWebKit(userAgent: string): BrowserClaim | null {
  const firefox = FIREFOX_BROWSER.exec(userAgent);
  if (firefox) {
    const major = Number(firefox[2]);
    const comment = firefox[1] ?? '';
    return {
      label: `Firefox ${major}`,
      engine: 'firefox',
      version: versionCode(major),
      chromiumMajor: null,
      platform: platformOf(comment),
      mobile: /\bMobile\b/.test(comment),
      embedded: false,
    };
  }
  const safari = SAFARI_BROWSER.exec(userAgent);
  if (safari) {
    const major = Number(safari[2]);
    const platform = platformOf(safari[1] ?? '');
    return {
      label: `Safari ${major}`,
      engine: 'webkit',
      version: versionCode(major, Number(safari[3] ?? 0)),
      chromiumMajor: null,
      platform,
      mobile: platform === 'iOS' && /\biPhone\b/.test(userAgent),
      embedded: false,
    };
  }
  const ios = IOS_WEBKIT.exec(userAgent);
  if (ios) {
    const major = Number(ios[1]);
    const app = IOS_APPS.find((candidate) => candidate.pattern.test(userAgent))?.name ?? 'In-app browser';
    return {
      label: `${app} on iOS ${major}`,
      engine: 'webkit',
      version: versionCode(major, Number(ios[2])),
      chromiumMajor: null,
      platform: 'iOS',
      mobile: /\biPhone\b/.test(userAgent),
      embedded: true,
    };
  }
  return null;
}

function secFetchSince(claim: BrowserClaim): number {
  return claim.engine === 'chromium'
    ? SEC_FETCH_SINCE.chromium
    : claim.engine === 'firefox'
      ? SEC_FETCH_SINCE.firefox
      : SEC_FETCH_SINCE.webkit;
}

/**
 * The mainstream browser (or in-app view of one) the user agent claims, or null for anything else.
 * Versions before the full Sec-Fetch set (Chromium 80, Firefox 90, Safari and iOS 16.4) are not
 * claims: the checks below describe current browsers, and old ones are left to other signals.
 */
export function parseBrowserClaim(userAgent: string): BrowserClaim | null {
  return browserClaims(userAgent);
}

// Each parse runs a few long regexes; real traffic repeats a few thousand user agents and Sec-CH-UA
// values, so the answers are remembered (shared read-only: no check below writes to a claim or brands).
const MEMO = { entries: 4_096, maxKeyLength: 512 } as const;

const browserClaims = memoize((userAgent: string): BrowserClaim | null => {
  const claim = parseChromium(userAgent) ?? parseGeckoOrWebKit(userAgent);
  return claim !== null && claim.version >= secFetchSince(claim) ? claim : null;
}, MEMO);

/**
 * Safari and Firefox of any age, for the one check that holds for every version: they never sent
 * client hints. Chromium's device emulation presets (and the automation built on them) present an
 * iOS 15 Safari user agent while Chromium keeps sending its hints.
 */
const parseOlderNonChromiumClaim = memoize(
  (userAgent: string): BrowserClaim | null =>
    parseChromium(userAgent) === null ? parseGeckoOrWebKit(userAgent) : null,
  MEMO,
);

function has(headers: Readonly<VisitorHeaders>, name: VisitorHeaderName): boolean {
  const value = headers[name];
  return value !== undefined && value.trim() !== '';
}

/** Brands of a Sec-CH-UA value (`"Chromium";v="131", "Not_A Brand";v="24"`) with their versions. */
const parseBrands = memoize((value: string): ReadonlyMap<string, string> => {
  const brands = new Map<string, string>();
  for (const [, brand = '', version = ''] of value.matchAll(/"([^"]*)"\s*;\s*v\s*=\s*"([^"]*)"/g))
    brands.set(brand, version);
  return brands;
}, MEMO);

const unquote = (value: string): string => value.trim().replace(/^"(.*)"$/, '$1');

function signal(message: string, score: number): Signal {
  return { type: 'bot', message, score };
}

/** Accept and Accept-Language: every engine, every version we claim, secure or not. */
function checkContentHeaders(claim: BrowserClaim, headers: Readonly<VisitorHeaders>, signals: Signal[]): void {
  if (!has(headers, 'accept-language'))
    signals.push(signal(`${claim.label} user agent without Accept-Language`, SCORES.missingAcceptLanguage));
  // A non-navigation has its own Accept ("image/*", "*/*") and its own reason (checkNavigation).
  const mode = headers['sec-fetch-mode']?.trim();
  if (mode !== undefined && mode !== '' && mode !== 'navigate') return;
  const accept = headers.accept;
  if (accept === undefined || accept.trim() === '') {
    signals.push(signal(`${claim.label} user agent without Accept`, SCORES.badAccept));
  } else if (!accept.includes('text/html')) {
    signals.push(
      signal(
        `${claim.label} user agent with Accept "${shorten(accept, 40)}", which no browser sends when opening a page`,
        SCORES.badAccept,
      ),
    );
  }
}

/** The Sec-Fetch-* set and, for Chromium, the client hints: only what a browser sends to a secure origin. */
function checkSecureHeaders(claim: BrowserClaim, headers: Readonly<VisitorHeaders>, signals: Signal[]): void {
  // Every claim is recent enough to send the whole set (parseBrowserClaim).
  const required: VisitorHeaderName[] = ['sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest'];
  // MDN's compatibility data records Opera for Android without Sec-Fetch-Dest; until that is known
  // to be stale, its absence there is not held against it.
  if (claim.label.startsWith('Opera') && claim.platform === 'Android') required.pop();
  const missing = required.filter((name) => !has(headers, name));
  if (missing.length > 0)
    signals.push(
      signal(`${claim.label} user agent without ${missing.map(headerTitle).join(', ')}`, SCORES.missingSecureHeaders),
    );
  if (
    claim.engine === 'chromium' &&
    !claim.embedded &&
    claim.version >= CLIENT_HINTS_SINCE &&
    !has(headers, 'sec-ch-ua')
  ) {
    signals.push(signal(`${claim.label} user agent without Sec-CH-UA`, SCORES.missingSecureHeaders));
  }
}

/** "sec-ch-ua-platform" → "Sec-CH-UA-Platform", as the headers are written in documentation. */
function headerTitle(name: string): string {
  return name
    .split('-')
    .map((part) => (part === 'ch' || part === 'ua' ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('-');
}

/** Chromium sends these with Sec-CH-UA on every request, so one without the others was written by hand. */
const COMPANION_HINTS: readonly VisitorHeaderName[] = ['sec-ch-ua-mobile', 'sec-ch-ua-platform'];
const CLIENT_HINTS: readonly VisitorHeaderName[] = ['sec-ch-ua', ...COMPANION_HINTS];

/** Hints that disagree with the user agent, or that its browser would never send. */
function checkClientHints(claim: BrowserClaim, headers: Readonly<VisitorHeaders>, signals: Signal[]): void {
  if (claim.embedded) return;
  if (claim.engine !== 'chromium') {
    const sent = CLIENT_HINTS.filter((name) => has(headers, name));
    if (sent.length > 0)
      signals.push(
        signal(
          `${claim.label} user agent with ${sent.map(headerTitle).join(', ')}, which only Chromium browsers send`,
          SCORES.contradiction,
        ),
      );
    return;
  }
  const secChUa = headers['sec-ch-ua'];
  if (secChUa === undefined || secChUa.trim() === '') return;
  const chromium = parseBrands(secChUa).get('Chromium');
  if (chromium !== undefined && claim.chromiumMajor !== null && Number.parseInt(chromium, 10) !== claim.chromiumMajor) {
    signals.push(
      signal(
        `Sec-CH-UA says Chromium ${shorten(chromium, 12)} but the user agent says ${claim.label}`,
        SCORES.contradiction,
      ),
    );
  }
  if (claim.version >= PLATFORM_HINT_SINCE) {
    const missing = COMPANION_HINTS.filter((name) => !has(headers, name));
    if (missing.length > 0) {
      signals.push(
        signal(
          `${claim.label} user agent sends Sec-CH-UA without ${missing.map(headerTitle).join(', ')}, which the browser always sends with it`,
          SCORES.partialHints,
        ),
      );
    }
  }
  const mobile = headers['sec-ch-ua-mobile']?.trim();
  const platformHint = headers['sec-ch-ua-platform'];
  const hinted = platformHint === undefined ? undefined : PLATFORM_HINTS[unquote(platformHint)];
  if (hinted !== undefined && claim.platform !== null && PLATFORM_FAMILY[hinted] !== PLATFORM_FAMILY[claim.platform]) {
    signals.push(
      signal(
        `Sec-CH-UA-Platform "${hinted}" contradicts the ${claim.platform} user agent (${claim.label})`,
        SCORES.contradiction,
      ),
    );
  }
  const isDesktop =
    claim.platform !== null && claim.platform !== 'Android' && claim.platform !== 'iOS' && !claim.mobile;
  if (mobile === '?1' && isDesktop) {
    signals.push(
      signal(
        `Sec-CH-UA-Mobile ?1 (a phone) contradicts the desktop ${claim.platform} user agent (${claim.label})`,
        SCORES.contradiction,
      ),
    );
  } else if (mobile === '?0' && claim.platform === 'Android' && claim.mobile) {
    signals.push(
      signal(
        `Sec-CH-UA-Mobile ?0 (not a phone) contradicts the Android phone user agent (${claim.label})`,
        SCORES.contradiction,
      ),
    );
  }
}

/** A click is a top-level navigation; the Sec-Fetch headers say when it was anything else. */
function checkNavigation(headers: Readonly<VisitorHeaders>, signals: Signal[]): void {
  const mode = headers['sec-fetch-mode']?.trim();
  const dest = headers['sec-fetch-dest']?.trim();
  if (mode !== undefined && mode !== '' && mode !== 'navigate') {
    signals.push(
      signal(
        `Sec-Fetch-Mode "${shorten(mode, 20)}": the link was fetched by a script or loaded inside a page, not opened by a click`,
        SCORES.notNavigation,
      ),
    );
  } else if (mode === 'navigate' && dest !== undefined && dest !== '' && dest !== 'document') {
    signals.push(
      signal(`Sec-Fetch-Dest "${shorten(dest, 20)}": the link was opened inside a frame, not as a page`, SCORES.framed),
    );
  }
}

/**
 * A user agent that claims a mainstream browser must come with what that browser always sends on
 * a top-level navigation, and nothing that contradicts it. Scripts copy a browser's user agent
 * easily; its full, consistent header set much less so.
 */
export const headerConsistencyRule = defineRule({
  name: 'header-consistency',
  type: 'bot',
  defaults: {},
  evaluate({ visitor }) {
    // HEAD checks and prefetches are answered before detection; should one get here, its headers
    // follow other rules than a navigation's.
    if (visitor.method !== 'GET') return NO_SIGNALS;
    const userAgent = visitor.userAgent.trim();
    // user-agent-bot already reports automated clients, and verified-crawler judges crawler names.
    if (isAutomatedUserAgent(userAgent) || findClaimedCrawler(userAgent) !== null) return NO_SIGNALS;
    const { headers } = visitor;
    const signals: Signal[] = [];
    const brands = headers['sec-ch-ua'];
    if (brands !== undefined && parseBrands(brands).has('HeadlessChrome')) {
      signals.push(
        signal(
          'Sec-CH-UA names HeadlessChrome: a browser driven by a program, behind an ordinary user agent',
          SCORES.headlessBrand,
        ),
      );
    }
    const claim = parseBrowserClaim(userAgent);
    if (claim !== null) {
      checkContentHeaders(claim, headers, signals);
      // Browsers send Sec-Fetch-* and client hints only to secure origins. They also count
      // http://localhost as one, but `secure` comes from the request's protocol, so a plain-http
      // visitor is never held to them: missing there is normal, not a signal.
      if (visitor.secure) checkSecureHeaders(claim, headers, signals);
      checkClientHints(claim, headers, signals);
    } else {
      const older = parseOlderNonChromiumClaim(userAgent);
      if (older !== null) checkClientHints(older, headers, signals);
    }
    checkNavigation(headers, signals);
    return signals.length === 0 ? NO_SIGNALS : signals;
  },
});
