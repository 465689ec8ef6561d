/**
 * Browsers as they look on the wire when a person taps an ad: the user agent, and the headers each
 * engine really sends on a top-level navigation. Chromium sends client hints (Sec-CH-UA*) and
 * Sec-Fetch-*; Firefox sends Sec-Fetch-* but no client hints; Safari and every iOS browser (WebKit,
 * including Chrome for iOS and the Facebook and Instagram in-app browsers) send Sec-Fetch-Site/Mode/Dest
 * but neither client hints nor Sec-Fetch-User. Chrome 110+ sends the reduced user agent.
 */
import type { Random } from './random.ts';

export type BrowserKind =
  | 'chrome-windows'
  | 'chrome-mac'
  | 'chrome-linux'
  | 'chrome-chromeos'
  | 'edge-windows'
  | 'firefox-windows'
  | 'firefox-mac'
  | 'safari-mac'
  | 'safari-ipad'
  | 'safari-iphone'
  | 'chrome-ios'
  | 'chrome-android'
  | 'samsung-android'
  | 'firefox-android'
  | 'facebook-android'
  | 'facebook-ios'
  | 'instagram-android'
  | 'instagram-ios'
  | 'tor-browser';

type Engine = 'chromium' | 'gecko' | 'webkit';

export interface Browser {
  readonly kind: BrowserKind;
  readonly engine: Engine;
  readonly device: 'desktop' | 'mobile' | 'tablet';
  readonly userAgent: string;
  /** Client hints for Chromium browsers; empty for the others. */
  readonly hints: Readonly<Record<string, string>>;
  /** An in-app browser says who opened it (Android WebView), a header detection does not read. */
  readonly requestedWith?: string;
  /** "Chrome 131 on Windows", for labels. */
  readonly description: string;
  /** WebKit before 16.4 (iOS 15) sends no Sec-Fetch-* at all. */
  readonly secFetch?: boolean;
}

// Real GREASE brands of each Chrome release: the brand order and the fake brand change per version.
const GREASE: Readonly<Record<number, readonly [string, string, readonly [number, number, number]]>> = {
  131: ['Not_A Brand', '24', [1, 2, 0]],
  130: ['Not?A_Brand', '99', [2, 1, 0]],
  129: ['Not=A?Brand', '8', [1, 0, 2]],
  128: ['Not;A=Brand', '24', [2, 0, 1]],
  127: ['Not)A;Brand', '99', [0, 1, 2]],
  126: ['Not/A)Brand', '8', [0, 2, 1]],
  122: ['Not(A:Brand', '24', [2, 0, 1]],
  109: ['Not_A Brand', '99', [0, 1, 2]],
};

/** `brand` is the browser's own name ("Google Chrome", "Microsoft Edge", "Android WebView", ...). */
export function secChUa(brand: string, version: number, brandVersion = String(version)): string {
  const [greaseName, greaseVersion, order] = GREASE[version] ?? GREASE[131]!;
  const entries = [
    `"${greaseName}";v="${greaseVersion}"`,
    `"${brand}";v="${brandVersion}"`,
    `"Chromium";v="${version}"`,
  ];
  return order.map((index) => entries[index]!).join(', ');
}

const CHROME_FULL: Readonly<Record<number, string>> = {
  131: '131.0.6778.104',
  130: '130.0.6723.117',
  129: '129.0.6668.100',
  128: '128.0.6613.146',
  127: '127.0.6533.120',
  126: '126.0.6478.186',
};

/** Most people run the latest Chrome; auto-update leaves a tail. */
export function chromeVersion(random: Random): number {
  return random.weighted([
    [131, 55],
    [130, 25],
    [129, 9],
    [128, 5],
    [127, 3],
    [126, 3],
  ]);
}

const IOS_VERSIONS: readonly (readonly [string, string, number])[] = [
  // [iOS in the UA, Safari's Version/, share]
  ['18_1_1', '18.1.1', 30],
  ['18_1', '18.1', 15],
  ['18_0_1', '18.0.1', 8],
  ['17_6_1', '17.6', 20],
  ['17_5_1', '17.5', 8],
  ['16_7_10', '16.6', 7],
  ['15_8_3', '15.6.6', 4],
];

const ANDROID_MODELS: readonly (readonly [string, string, string])[] = [
  // [model, Android version, build] for the browsers that still send them (WebView, in-app browsers)
  ['SM-A546B', '14', 'UP1A.231005.007'],
  ['SM-S918B', '14', 'UP1A.231005.007'],
  ['SM-A155F', '14', 'UP1A.231005.007'],
  ['SM-A055F', '13', 'TP1A.220624.014'],
  ['Pixel 7', '15', 'AP3A.241105.007'],
  ['Pixel 8a', '15', 'AP3A.241105.007'],
  ['23021RAAEG', '13', 'TKQ1.221114.001'],
  ['moto g54 5G', '14', 'U1TDS34.94-12-7-5'],
  ['CPH2591', '14', 'UP1A.230620.001'],
  ['V2250', '13', 'TP1A.220624.014'],
  ['RMX3710', '14', 'UP1A.231005.007'],
  ['SM-A346E', '14', 'UP1A.231005.007'],
  // Models with brackets, as real phones write them (public captures, see header-consistency-devices.test.ts)
  ['moto g power (2022)', '12', 'S3RQS32.20-42-10-9-6'],
  ['moto g power (2022)', '11', 'RRQS31.Q3-68-140-10'],
];

const FB_APP = '490.0.0.52.109';
const IG_APP = '355.1.0.44.103';

function build(kind: BrowserKind, random: Random): Browser {
  const chrome = chromeVersion(random);
  const [ios, safari] = random.weighted(IOS_VERSIONS.map(([ua, version, share]) => [[ua, version] as const, share]));
  const [model, android, buildId] = random.pick(ANDROID_MODELS);
  const chromium = (brand: string, platform: string, mobile: boolean, version = chrome, brandVersion?: string) => ({
    'sec-ch-ua': secChUa(brand, version, brandVersion),
    'sec-ch-ua-mobile': mobile ? '?1' : '?0',
    'sec-ch-ua-platform': `"${platform}"`,
  });
  switch (kind) {
    case 'chrome-windows': {
      // Windows 7 machines stay on Chrome 109, the last release for them.
      const legacy = random.chance(0.03);
      const version = legacy ? 109 : chrome;
      const os = legacy ? 'Windows NT 6.1; Win64; x64' : 'Windows NT 10.0; Win64; x64';
      return {
        kind,
        engine: 'chromium',
        device: 'desktop',
        userAgent: `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version}.0.0.0 Safari/537.36`,
        hints: chromium('Google Chrome', 'Windows', false, version),
        description: `Chrome ${version} on Windows${legacy ? ' 7' : ''}`,
      };
    }
    case 'chrome-mac':
      return {
        kind,
        engine: 'chromium',
        device: 'desktop',
        userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
        hints: chromium('Google Chrome', 'macOS', false),
        description: `Chrome ${chrome} on macOS`,
      };
    case 'chrome-linux':
      return {
        kind,
        engine: 'chromium',
        device: 'desktop',
        userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
        hints: chromium('Google Chrome', 'Linux', false),
        description: `Chrome ${chrome} on Linux`,
      };
    case 'chrome-chromeos':
      return {
        kind,
        engine: 'chromium',
        device: 'desktop',
        userAgent: `Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
        hints: chromium('Google Chrome', 'Chrome OS', false),
        description: `Chrome ${chrome} on ChromeOS`,
      };
    case 'edge-windows':
      return {
        kind,
        engine: 'chromium',
        device: 'desktop',
        userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36 Edg/${chrome}.0.0.0`,
        hints: chromium('Microsoft Edge', 'Windows', false),
        description: `Edge ${chrome} on Windows`,
      };
    case 'firefox-windows':
    case 'firefox-mac': {
      const version = random.weighted([
        [133, 60],
        [132, 25],
        [128, 15],
      ]);
      const os = kind === 'firefox-windows' ? 'Windows NT 10.0; Win64; x64' : 'Macintosh; Intel Mac OS X 10.15';
      return {
        kind,
        engine: 'gecko',
        device: 'desktop',
        userAgent: `Mozilla/5.0 (${os}; rv:${version}.0) Gecko/20100101 Firefox/${version}.0`,
        hints: {},
        description: `Firefox ${version} on ${kind === 'firefox-windows' ? 'Windows' : 'macOS'}`,
      };
    }
    case 'tor-browser':
      // Tor Browser 14 (Firefox 128 ESR) reports Windows whatever the system, to look like every other Tor user.
      return {
        kind,
        engine: 'gecko',
        device: 'desktop',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
        hints: {},
        description: 'Tor Browser 14',
      };
    case 'safari-mac':
      return {
        kind,
        engine: 'webkit',
        device: 'desktop',
        userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Safari/605.1.15`,
        hints: {},
        description: `Safari ${safari} on macOS`,
      };
    case 'safari-ipad':
      // iPadOS Safari asks for desktop sites and says "Macintosh".
      return {
        kind,
        engine: 'webkit',
        device: 'tablet',
        userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Safari/605.1.15`,
        hints: {},
        description: `Safari ${safari} on iPad`,
      };
    case 'safari-iphone':
      return {
        kind,
        engine: 'webkit',
        device: 'mobile',
        userAgent: `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Mobile/15E148 Safari/604.1`,
        hints: {},
        description: `Safari on iOS ${ios.replace(/_/g, '.')}`,
      };
    case 'chrome-ios':
      return {
        kind,
        engine: 'webkit',
        device: 'mobile',
        userAgent: `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/${CHROME_FULL[chrome]} Mobile/15E148 Safari/604.1`,
        hints: {},
        description: `Chrome ${chrome} on iOS (WebKit, no client hints)`,
      };
    case 'chrome-android':
      return {
        kind,
        engine: 'chromium',
        device: 'mobile',
        userAgent: `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Mobile Safari/537.36`,
        hints: chromium('Google Chrome', 'Android', true),
        description: `Chrome ${chrome} on Android`,
      };
    case 'samsung-android':
      return {
        kind,
        engine: 'chromium',
        device: 'mobile',
        userAgent:
          'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
        hints: chromium('Samsung Internet', 'Android', true, 122, '26.0'),
        description: 'Samsung Internet 26',
      };
    case 'firefox-android':
      return {
        kind,
        engine: 'gecko',
        device: 'mobile',
        userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
        hints: {},
        description: 'Firefox 133 on Android',
      };
    case 'facebook-android':
      return {
        kind,
        engine: 'chromium',
        device: 'mobile',
        requestedWith: 'com.facebook.katana',
        userAgent: `Mozilla/5.0 (Linux; Android ${android}; ${model} Build/${buildId}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${CHROME_FULL[chrome]} Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/${FB_APP};]`,
        hints: chromium('Android WebView', 'Android', true),
        description: `Facebook in-app browser on Android (${model})`,
      };
    case 'instagram-android':
      return {
        kind,
        engine: 'chromium',
        device: 'mobile',
        requestedWith: 'com.instagram.android',
        userAgent: `Mozilla/5.0 (Linux; Android ${android}; ${model} Build/${buildId}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${CHROME_FULL[chrome]} Mobile Safari/537.36 Instagram ${IG_APP} Android (34/${android}; 420dpi; 1080x2340; ${model.split(' ')[0]}; ${model}; qcom; en_US; 662944093)`,
        hints: chromium('Android WebView', 'Android', true),
        description: `Instagram in-app browser on Android (${model})`,
      };
    case 'facebook-ios': {
      const iphone = random.pick(['iPhone14,7', 'iPhone15,2', 'iPhone15,3', 'iPhone16,1', 'iPhone17,3']);
      return {
        kind,
        engine: 'webkit',
        device: 'mobile',
        userAgent: `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/${FB_APP};FBBV/662123456;FBDV/${iphone};FBMD/iPhone;FBSN/iOS;FBSV/${ios.replace(/_/g, '.')};FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]`,
        hints: {},
        description: `Facebook in-app browser on iOS ${ios.replace(/_/g, '.')}`,
      };
    }
    case 'instagram-ios': {
      const iphone = random.pick(['iPhone14,7', 'iPhone15,2', 'iPhone15,3', 'iPhone16,1', 'iPhone17,3']);
      return {
        kind,
        engine: 'webkit',
        device: 'mobile',
        userAgent: `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram ${IG_APP} (${iphone}; iOS ${ios}; en_US; en; scale=3.00; 1179x2556; 654321987)`,
        hints: {},
        description: `Instagram in-app browser on iOS ${ios.replace(/_/g, '.')}`,
      };
    }
  }
}

export function createBrowser(random: Random, kind: BrowserKind): Browser {
  const browser = build(kind, random);
  const oldWebkit = browser.engine === 'webkit' && /OS 15_|Version\/15\./.test(browser.userAgent);
  return Object.freeze({ ...browser, secFetch: !oldWebkit });
}

// ---- Accept-Language --------------------------------------------------------------------------------------

const LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  US: ['en-US', 'en'],
  CA: ['en-CA', 'en-US', 'en'],
  GB: ['en-GB', 'en-US', 'en'],
  AU: ['en-AU', 'en-GB', 'en-US', 'en'],
  DE: ['de-DE', 'de', 'en-US', 'en'],
  AT: ['de-AT', 'de', 'en-US', 'en'],
  FR: ['fr-FR', 'fr', 'en-US', 'en'],
  ES: ['es-ES', 'es'],
  IT: ['it-IT', 'it', 'en-US', 'en'],
  JP: ['ja', 'en-US', 'en'],
  IN: ['en-IN', 'en-GB', 'en-US', 'en', 'hi'],
  BR: ['pt-BR', 'pt', 'en-US', 'en'],
  BD: ['bn-BD', 'bn', 'en-US', 'en'],
  VN: ['vi-VN', 'vi', 'en-US', 'en'],
  ID: ['id-ID', 'id', 'en-US', 'en'],
  PH: ['en-PH', 'en-US', 'en', 'fil'],
  NL: ['nl-NL', 'nl', 'en-US', 'en'],
  SE: ['sv-SE', 'sv', 'en-US', 'en'],
  PL: ['pl-PL', 'pl', 'en-US', 'en'],
};

/** The languages a person in `country` has set: mostly the country's, sometimes English (expats, defaults). */
export function languagesFor(random: Random, country: string | null): readonly string[] {
  if (country === 'CA' && random.chance(0.22)) return ['fr-CA', 'fr', 'en-US', 'en'];
  if (country === null || random.chance(0.08)) return LANGUAGES.US!;
  return LANGUAGES[country] ?? LANGUAGES.US!;
}

/** Each engine writes the same preference differently. */
export function acceptLanguage(engine: Engine, languages: readonly string[]): string {
  if (engine === 'webkit') {
    // Safari sends the system language and its base: "de-DE,de;q=0.9".
    const [first] = languages as [string];
    const base = first.split('-')[0]!;
    return base === first ? first : `${first},${base};q=0.9`;
  }
  if (engine === 'gecko') {
    const step = languages.length > 2 ? 0.2 : 0.5;
    return languages.map((tag, i) => (i === 0 ? tag : `${tag};q=${Math.max(0.1, 1 - step * i).toFixed(1)}`)).join(',');
  }
  return languages.map((tag, i) => (i === 0 ? tag : `${tag};q=${(1 - i / 10).toFixed(1)}`)).join(',');
}

// ---- a navigation ------------------------------------------------------------------------------------------

const ACCEPT: Readonly<Record<Engine, string>> = {
  chromium:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  gecko: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  webkit: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
};

/** Every header of a top-level navigation to the tracking URL, in the order the engine sends them. */
export function navigationHeaders(
  browser: Browser,
  languages: readonly string[],
  referer: string | null,
): Record<string, string> {
  const site = referer === null ? 'none' : 'cross-site';
  const headers: Record<string, string> = {
    ...browser.hints,
    'upgrade-insecure-requests': '1',
    'user-agent': browser.userAgent,
    accept: ACCEPT[browser.engine],
  };
  if (browser.secFetch !== false) {
    Object.assign(headers, { 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate' });
    if (browser.engine !== 'webkit') headers['sec-fetch-user'] = '?1';
    headers['sec-fetch-dest'] = 'document';
  }
  if (browser.requestedWith) headers['x-requested-with'] = browser.requestedWith;
  if (referer !== null) headers.referer = referer;
  headers['accept-encoding'] = browser.engine === 'webkit' ? 'gzip, deflate, br' : 'gzip, deflate, br, zstd';
  headers['accept-language'] = acceptLanguage(browser.engine, languages);
  headers.priority = 'u=0, i';
  return headers;
}
