import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VisitorHeaders } from '../visitor.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import { headerConsistencyRule, parseBrowserClaim } from './header-consistency.ts';

interface HeaderSet {
  readonly name: string;
  readonly userAgent: string;
  readonly headers: VisitorHeaders;
}

/** Accept on a navigation as captured from Chrome 116 to 146 (Edge leaves out image/avif, older Chrome has q=0.9 for signed-exchange). */
const CHROMIUM_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const WEBKIT_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const NAVIGATION = { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } as const;

/**
 * Navigations captured from the real browsers, header for header (Upgrade-Insecure-Requests, TE and
 * Priority left out: the Visitor does not keep them).
 * - lwthiker/curl-impersonate tests/signatures/*.yaml: recorded from each browser "upon browsing to a
 *   site not cached or visited before".
 * - lexiforest/curl-impersonate bin/curl_<target>: the header sets of its current targets.
 * Sets marked "modeled" have no public capture: their user agent and hints come from the cited
 * source and the navigation headers from their engine's captured sets above.
 */
const REAL_BROWSERS: readonly HeaderSet[] = [
  {
    name: 'Chrome 116, Windows 10 (lwthiker chrome_116.0.5845.180_win10)',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36',
    headers: {
      'sec-ch-ua': '"Chromium";v="116", "Not)A;Brand";v="24", "Google Chrome";v="116"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"Windows"',
      accept: CHROMIUM_ACCEPT,
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en-US,en;q=0.9',
    },
  },
  {
    name: 'Chrome 120, macOS (lwthiker chrome_120.0.6099.109_macOS)',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    headers: {
      'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"macOS"',
      accept: CHROMIUM_ACCEPT,
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en-US,en;q=0.9',
    },
  },
  {
    name: 'Chrome 146, macOS (lexiforest curl_chrome146)',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36',
    headers: {
      'sec-ch-ua': '"Chromium";v="146", "Not-A.Brand";v="24", "Google Chrome";v="146"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"macOS"',
      accept: CHROMIUM_ACCEPT,
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br, zstd',
      'accept-language': 'en-US,en;q=0.9',
    },
  },
  {
    name: 'Chrome 99, Android 12 Pixel 6 (lwthiker chrome_99.0.4844.73_android12-pixel6)',
    userAgent:
      'Mozilla/5.0 (Linux; Android 12; Pixel 6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.58 Mobile Safari/537.36',
    headers: {
      'sec-ch-ua': '" Not A;Brand";v="99", "Chromium";v="99", "Google Chrome";v="99"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Android"',
      accept:
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9',
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en-US,en;q=0.9',
    },
  },
  {
    // lexiforest's set says Sec-CH-UA-Mobile ?0, copied from its desktop target (its own comment: "the
    // only difference from desktop is the absence of MLKEM"); a phone sends ?1, as the Pixel 6 capture shows.
    name: 'Chrome 131, Android, reduced user agent (lexiforest curl_chrome131_android, Sec-CH-UA-Mobile corrected to ?1)',
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    headers: {
      'sec-ch-ua': '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Android"',
      accept: CHROMIUM_ACCEPT,
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br, zstd',
      'accept-language': 'en-US,en;q=0.9',
    },
  },
  {
    name: 'Edge 101, Windows 10 (lwthiker edge_101.0.1210.47_win10)',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.64 Safari/537.36 Edg/101.0.1210.47',
    headers: {
      'sec-ch-ua': '" Not A;Brand";v="99", "Chromium";v="101", "Microsoft Edge";v="101"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"Windows"',
      accept:
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9',
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en-US,en;q=0.9',
    },
  },
  {
    name: 'Edge 120, Linux (lwthiker edge_120.0.2210.61_linux)',
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
    headers: {
      'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="120", "Microsoft Edge";v="120"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"Linux"',
      accept:
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en-US,en;q=0.9',
    },
  },
  {
    // Modeled: user agent and hints from a DevTools "Copy as cURL" of Samsung Internet 28 in a public repository.
    name: 'Samsung Internet 28, Android (modeled)',
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36',
    headers: {
      'sec-ch-ua': '"Not?A_Brand";v="99", "Samsung Internet";v="28.0", "Chromium";v="130"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Android"',
      accept: CHROMIUM_ACCEPT,
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en-GB,en-US;q=0.9,en;q=0.8',
    },
  },
  {
    // Modeled: Opera's brand list as ua-parser-js's client-hint tests record it; Opera 114 is built on Chromium 128.
    name: 'Opera 114, Windows (modeled)',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 OPR/114.0.0.0',
    headers: {
      'sec-ch-ua': '"Opera";v="114", "Chromium";v="128", "Not;A=Brand";v="24"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"Windows"',
      accept: CHROMIUM_ACCEPT,
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-encoding': 'gzip, deflate, br, zstd',
      'accept-language': 'de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7',
    },
  },
  {
    name: 'Firefox 117, Windows 10 (lwthiker firefox_117.0.1_win10)',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/117.0',
    headers: {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
      'accept-language': 'en-US,en;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
      'sec-fetch-dest': 'document',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-site': 'none',
      'sec-fetch-user': '?1',
    },
  },
  {
    name: 'Firefox 120, Linux (lwthiker firefox_120.0.1_linux)',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
    headers: {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
      'accept-language': 'en-US,en;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
      'sec-fetch-dest': 'document',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-site': 'none',
      'sec-fetch-user': '?1',
    },
  },
  {
    name: 'Firefox 147, macOS (lexiforest curl_firefox147)',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:147.0) Gecko/20100101 Firefox/147.0',
    headers: {
      accept: WEBKIT_ACCEPT,
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate, br, zstd',
      'sec-fetch-dest': 'document',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-site': 'none',
      'sec-fetch-user': '?1',
    },
  },
  {
    name: 'Safari 17.0, macOS (lwthiker safari_17.0_macOS)',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
    headers: {
      accept: WEBKIT_ACCEPT,
      'sec-fetch-site': 'none',
      'accept-encoding': 'gzip, deflate, br',
      'sec-fetch-mode': 'navigate',
      'accept-language': 'en-US,en;q=0.9',
      'sec-fetch-dest': 'document',
    },
  },
  {
    name: 'Safari 26.0, macOS (lexiforest curl_safari260)',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
    headers: {
      'sec-fetch-dest': 'document',
      accept: WEBKIT_ACCEPT,
      'sec-fetch-site': 'none',
      'sec-fetch-mode': 'navigate',
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate, br, zstd',
    },
  },
  {
    name: 'Safari 17.2, iPhone (lwthiker safari_17.2_iOS)',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
    headers: {
      accept: WEBKIT_ACCEPT,
      'sec-fetch-site': 'none',
      'accept-encoding': 'gzip, deflate, br',
      'sec-fetch-mode': 'navigate',
      'accept-language': 'en-US,en;q=0.9',
      'sec-fetch-dest': 'document',
    },
  },
  {
    // iOS 18 freezes the OS version in the user agent while Version/ carries Safari's.
    name: 'Safari 18.4, iPhone (lexiforest curl_safari184_ios)',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.4 Mobile/15E148 Safari/604.1',
    headers: {
      'sec-fetch-dest': 'document',
      accept: WEBKIT_ACCEPT,
      'sec-fetch-site': 'none',
      'sec-fetch-mode': 'navigate',
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate, br',
    },
  },
  {
    // Modeled: Chrome for iOS is WebKit, so Safari's iOS set, under Chrome's documented iOS user agent.
    name: 'Chrome for iOS 126 (modeled)',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.153 Mobile/15E148 Safari/604.1',
    headers: {
      accept: WEBKIT_ACCEPT,
      ...NAVIGATION,
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate, br',
    },
  },
  {
    // Modeled: Facebook's iOS in-app browser is WKWebView; its user agent as recorded in a public test table.
    name: 'Facebook in-app browser, iOS 17 (modeled)',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/473.0.0.34.108;FBBV/635414428;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]',
    headers: {
      accept: WEBKIT_ACCEPT,
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate, br',
    },
  },
  {
    // Modeled: Android WebView behind Facebook's in-app browser, without client hints (a web view may send none).
    name: 'Facebook in-app browser, Android WebView 127 (modeled)',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/127.0.6533.103 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/478.0.0.43.115;]',
    headers: {
      accept: CHROMIUM_ACCEPT,
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate',
    },
  },
  {
    // Modeled: Instagram's Android in-app browser with the hints WebView sends (its own brand).
    name: 'Instagram in-app browser, Android WebView 120 with hints (modeled)',
    userAgent:
      'Mozilla/5.0 (Linux; Android 13; SM-S918B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Instagram 312.0.0.32.112 Android (33/13; 450dpi; 1080x2340; samsung; SM-S918B; dm3q; qcom; en_US; 548323740)',
    headers: {
      'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="120", "Android WebView";v="120"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Android"',
      accept: CHROMIUM_ACCEPT,
      ...NAVIGATION,
      'sec-fetch-user': '?1',
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate, br, zstd',
    },
  },
];

function run(userAgent: string, headers: VisitorHeaders, secure = true) {
  const input = makeInput({ visitor: { userAgent, headers, secure } });
  return headerConsistencyRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
}

function without(headers: VisitorHeaders, ...names: (keyof VisitorHeaders)[]): VisitorHeaders {
  const copy: VisitorHeaders = { ...headers };
  for (const name of names) delete copy[name];
  return copy;
}

function browser(name: string): HeaderSet {
  const found = REAL_BROWSERS.find((set) => set.name.startsWith(name));
  assert.ok(found, `no header set named ${name}`);
  return found;
}

describe('header-consistency rule: real browsers', () => {
  for (const { name, userAgent, headers } of REAL_BROWSERS) {
    it(`${name} → no signal`, () => assert.deepEqual(run(userAgent, headers), []));
    it(`${name}, clicked through from an ad (cross-site) → no signal`, () =>
      assert.deepEqual(run(userAgent, { ...headers, 'sec-fetch-site': 'cross-site' }), []));
    it(`${name}, plain http without the secure-only headers → no signal`, () => {
      assert.deepEqual(
        run(
          userAgent,
          without(
            headers,
            'sec-fetch-site',
            'sec-fetch-mode',
            'sec-fetch-dest',
            'sec-fetch-user',
            'sec-ch-ua',
            'sec-ch-ua-mobile',
            'sec-ch-ua-platform',
          ),
          false,
        ),
        [],
      );
    });
    it(`${name} is a claim the rule checks`, () => assert.notEqual(parseBrowserClaim(userAgent), null));
  }
});

describe('header-consistency rule: missing headers', () => {
  const cases: [string, string, (keyof VisitorHeaders)[], [string, number][]][] = [
    ['Chrome 120', 'no Accept-Language', ['accept-language'], [['Chrome 120 user agent without Accept-Language', 85]]],
    ['Safari 17.0', 'no Accept-Language', ['accept-language'], [['Safari 17 user agent without Accept-Language', 85]]],
    [
      'Firefox 120',
      'no Accept-Language',
      ['accept-language'],
      [['Firefox 120 user agent without Accept-Language', 85]],
    ],
    [
      'Facebook in-app browser, iOS',
      'no Accept-Language',
      ['accept-language'],
      [['Facebook in-app browser on iOS 17 user agent without Accept-Language', 85]],
    ],
    ['Chrome 116', 'no Accept', ['accept'], [['Chrome 116 user agent without Accept', 85]]],
    ['Chrome 146', 'no Sec-CH-UA', ['sec-ch-ua'], [['Chrome 146 user agent without Sec-CH-UA', 75]]],
    [
      'Edge 120',
      'no client hints at all',
      ['sec-ch-ua', 'sec-ch-ua-mobile', 'sec-ch-ua-platform'],
      [['Edge 120 user agent without Sec-CH-UA', 75]],
    ],
    [
      'Chrome 131, Android',
      'Sec-CH-UA alone',
      ['sec-ch-ua-mobile', 'sec-ch-ua-platform'],
      [
        [
          'Chrome 131 user agent sends Sec-CH-UA without Sec-CH-UA-Mobile, Sec-CH-UA-Platform, which the browser always sends with it',
          80,
        ],
      ],
    ],
    [
      'Samsung Internet 28',
      'no Sec-CH-UA-Platform',
      ['sec-ch-ua-platform'],
      [
        [
          'Samsung Internet 28 user agent sends Sec-CH-UA without Sec-CH-UA-Platform, which the browser always sends with it',
          80,
        ],
      ],
    ],
    [
      'Chrome 120',
      'no Sec-Fetch-*',
      ['sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'sec-fetch-user'],
      [['Chrome 120 user agent without Sec-Fetch-Site, Sec-Fetch-Mode, Sec-Fetch-Dest', 75]],
    ],
    ['Firefox 147', 'no Sec-Fetch-Dest', ['sec-fetch-dest'], [['Firefox 147 user agent without Sec-Fetch-Dest', 75]]],
    [
      'Safari 18.4',
      'no Sec-Fetch-*',
      ['sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest'],
      [['Safari 18 user agent without Sec-Fetch-Site, Sec-Fetch-Mode, Sec-Fetch-Dest', 75]],
    ],
    [
      'Facebook in-app browser, Android',
      'no Sec-Fetch-Site',
      ['sec-fetch-site'],
      [['Android WebView 127 user agent without Sec-Fetch-Site', 75]],
    ],
    // Web views need no client hints: the Facebook Android set has none and passes (see above).
    ['Instagram in-app browser', 'no client hints', ['sec-ch-ua', 'sec-ch-ua-mobile', 'sec-ch-ua-platform'], []],
    // Safari never sends Sec-Fetch-User, nor does any browser on a redirect it did not start from a click.
    ['Chrome 116', 'no Sec-Fetch-User', ['sec-fetch-user'], []],
    ['Chrome 116', 'no Accept-Encoding', ['accept-encoding'], []],
    [
      'Chrome 120',
      'nothing but the user agent',
      [
        'accept',
        'accept-language',
        'accept-encoding',
        'sec-fetch-site',
        'sec-fetch-mode',
        'sec-fetch-dest',
        'sec-fetch-user',
        'sec-ch-ua',
        'sec-ch-ua-mobile',
        'sec-ch-ua-platform',
      ],
      [
        ['Chrome 120 user agent without Accept-Language', 85],
        ['Chrome 120 user agent without Accept', 85],
        ['Chrome 120 user agent without Sec-Fetch-Site, Sec-Fetch-Mode, Sec-Fetch-Dest', 75],
        ['Chrome 120 user agent without Sec-CH-UA', 75],
      ],
    ],
  ];
  for (const [setName, what, removed, expected] of cases) {
    it(`${setName}, ${what}`, () => {
      const { userAgent, headers } = browser(setName);
      const signals = run(userAgent, without(headers, ...removed));
      assert.deepEqual(
        signals.map((s) => [s.message, s.score]),
        expected,
      );
      for (const signal of signals) assert.equal(signal.type, 'bot');
    });
  }

  it('over plain http only Accept and Accept-Language are required', () => {
    const { userAgent } = browser('Chrome 120');
    assert.deepEqual(
      run(userAgent, {}, false).map((s) => s.message),
      ['Chrome 120 user agent without Accept-Language', 'Chrome 120 user agent without Accept'],
    );
  });

  it('an empty header counts as missing', () => {
    const { userAgent, headers } = browser('Safari 17.2');
    assert.deepEqual(
      run(userAgent, { ...headers, 'accept-language': '' }).map((s) => s.message),
      ['Safari 17 user agent without Accept-Language'],
    );
  });

  it('an Accept without text/html', () => {
    const { userAgent, headers } = browser('Firefox 117');
    assert.deepEqual(
      run(userAgent, { ...headers, accept: '*/*' }).map((s) => s.message),
      ['Firefox 117 user agent with Accept "*/*", which no browser sends when opening a page'],
    );
  });

  it('Opera for Android is not held to Sec-Fetch-Dest', () => {
    const userAgent =
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36 OPR/86.0.0.0';
    const headers = {
      ...without(browser('Chrome 131, Android').headers, 'sec-fetch-dest'),
      'sec-ch-ua': '"Chromium";v="130", "Opera";v="86", "Not?A_Brand";v="99"',
    };
    assert.deepEqual(run(userAgent, headers), []);
  });
});

describe('header-consistency rule: contradictions', () => {
  const chromeWindows = browser('Chrome 116');
  const chromeMac = browser('Chrome 120');
  const chromeAndroid = browser('Chrome 131, Android');
  const cases: [string, string, VisitorHeaders, [string, number][]][] = [
    [
      'Windows hints under a Macintosh user agent',
      chromeMac.userAgent,
      { ...chromeMac.headers, 'sec-ch-ua-platform': '"Windows"' },
      [['Sec-CH-UA-Platform "Windows" contradicts the macOS user agent (Chrome 120)', 90]],
    ],
    [
      'Android hints under a Windows user agent',
      chromeWindows.userAgent,
      { ...chromeWindows.headers, 'sec-ch-ua-platform': '"Android"' },
      [['Sec-CH-UA-Platform "Android" contradicts the Windows user agent (Chrome 116)', 90]],
    ],
    [
      'a phone hint under a desktop user agent',
      chromeWindows.userAgent,
      { ...chromeWindows.headers, 'sec-ch-ua-mobile': '?1' },
      [['Sec-CH-UA-Mobile ?1 (a phone) contradicts the desktop Windows user agent (Chrome 116)', 90]],
    ],
    // lexiforest curl_chrome131_android as published: what an impersonation tool actually sends.
    [
      'a desktop hint under an Android phone user agent',
      chromeAndroid.userAgent,
      { ...chromeAndroid.headers, 'sec-ch-ua-mobile': '?0' },
      [['Sec-CH-UA-Mobile ?0 (not a phone) contradicts the Android phone user agent (Chrome 131)', 90]],
    ],
    [
      'brand versions from another Chrome',
      chromeMac.userAgent,
      { ...chromeMac.headers, 'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="131", "Google Chrome";v="131"' },
      [['Sec-CH-UA says Chromium 131 but the user agent says Chrome 120', 90]],
    ],
    [
      'HeadlessChrome in Sec-CH-UA',
      chromeMac.userAgent,
      { ...chromeMac.headers, 'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="120", "HeadlessChrome";v="120"' },
      [['Sec-CH-UA names HeadlessChrome: a browser driven by a program, behind an ordinary user agent', 95]],
    ],
    [
      'client hints under a Safari user agent',
      browser('Safari 17.0').userAgent,
      { ...browser('Safari 17.0').headers, 'sec-ch-ua': chromeMac.headers['sec-ch-ua'] ?? '' },
      [['Safari 17 user agent with Sec-CH-UA, which only Chromium browsers send', 90]],
    ],
    [
      'client hints under a Firefox user agent',
      browser('Firefox 120').userAgent,
      { ...browser('Firefox 120').headers, 'sec-ch-ua-mobile': '?0', 'sec-ch-ua-platform': '"Linux"' },
      [['Firefox 120 user agent with Sec-CH-UA-Mobile, Sec-CH-UA-Platform, which only Chromium browsers send', 90]],
    ],
    // Chromium DevTools' iPhone presets (and the automation built on them): an iOS 15 user agent, too old
    // to be held to Sec-Fetch, over the hints of the Chromium that sends it.
    [
      'Chrome device emulation of an old iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 15_8_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6.6 Mobile/15E148 Safari/604.1',
      {
        ...chromeMac.headers,
        'sec-ch-ua-mobile': '?1',
        'sec-ch-ua-platform': '"Linux"',
      },
      [
        [
          'Safari 15 user agent with Sec-CH-UA, Sec-CH-UA-Mobile, Sec-CH-UA-Platform, which only Chromium browsers send',
          90,
        ],
      ],
    ],
    // Chrome for Android's "desktop site" mode: Linux user agent, Android hint, not mobile.
    [
      'Android desktop-site mode',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      { ...chromeAndroid.headers, 'sec-ch-ua-mobile': '?0' },
      [],
    ],
    // An Android tablet has no "Mobile" token and says ?0.
    [
      'an Android tablet',
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      { ...chromeAndroid.headers, 'sec-ch-ua-mobile': '?0' },
      [],
    ],
    [
      'Brave: a Chrome user agent with its own brand',
      chromeWindows.userAgent,
      { ...chromeWindows.headers, 'sec-ch-ua': '"Chromium";v="116", "Not)A;Brand";v="24", "Brave";v="116"' },
      [],
    ],
    [
      'an "Unknown" platform hint is not compared',
      chromeWindows.userAgent,
      { ...chromeWindows.headers, 'sec-ch-ua-platform': '"Unknown"' },
      [],
    ],
    // A real script (an Instagram login bot in a public repository): Windows Chrome 143 user agent over
    // Samsung Internet hints for Chromium 115 on a phone, with a fetch()'s Accept.
    [
      'a pasted-together header set',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36',
      {
        'sec-ch-ua': '"Not/A)Brand";v="99", "Samsung Internet";v="23.0", "Chromium";v="115"',
        'sec-ch-ua-mobile': '?1',
        accept: '*/*',
      },
      [
        ['Chrome 143 user agent without Accept-Language', 85],
        ['Chrome 143 user agent with Accept "*/*", which no browser sends when opening a page', 85],
        ['Chrome 143 user agent without Sec-Fetch-Site, Sec-Fetch-Mode, Sec-Fetch-Dest', 75],
        ['Sec-CH-UA says Chromium 115 but the user agent says Chrome 143', 90],
        [
          'Chrome 143 user agent sends Sec-CH-UA without Sec-CH-UA-Platform, which the browser always sends with it',
          80,
        ],
        ['Sec-CH-UA-Mobile ?1 (a phone) contradicts the desktop Windows user agent (Chrome 143)', 90],
      ],
    ],
  ];
  for (const [name, userAgent, headers, expected] of cases) {
    it(name, () =>
      assert.deepEqual(
        run(userAgent, headers).map((s) => [s.message, s.score]),
        expected,
      ),
    );
  }
});

describe('header-consistency rule: not a navigation', () => {
  const { userAgent, headers } = browser('Chrome 116');
  const cases: [string, VisitorHeaders, [string, number][]][] = [
    [
      'fetch() from a page',
      { ...headers, 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', accept: '*/*' },
      [['Sec-Fetch-Mode "cors": the link was fetched by a script or loaded inside a page, not opened by a click', 80]],
    ],
    [
      'an image tag',
      {
        ...headers,
        'sec-fetch-mode': 'no-cors',
        'sec-fetch-dest': 'image',
        accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
      },
      [
        [
          'Sec-Fetch-Mode "no-cors": the link was fetched by a script or loaded inside a page, not opened by a click',
          80,
        ],
      ],
    ],
    [
      'a hidden iframe',
      { ...headers, 'sec-fetch-dest': 'iframe' },
      [['Sec-Fetch-Dest "iframe": the link was opened inside a frame, not as a page', 60]],
    ],
  ];
  for (const [name, sent, expected] of cases) {
    it(name, () =>
      assert.deepEqual(
        run(userAgent, sent).map((s) => [s.message, s.score]),
        expected,
      ),
    );
  }
});

describe('header-consistency rule: what it leaves to other rules', () => {
  const cases: [string, string][] = [
    ['curl (user-agent-bot)', 'curl/8.4.0'],
    ['python-requests (user-agent-bot)', 'python-requests/2.31.0'],
    [
      'headless Chrome (user-agent-bot)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    ],
    ['no user agent (user-agent-bot)', ''],
    [
      'Googlebot smartphone (verified-crawler)',
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ],
    [
      'AdsBot-Google-Mobile (verified-crawler)',
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 (compatible; AdsBot-Google-Mobile; +http://www.google.com/mobile/adsbot.html)',
    ],
    [
      'bingbot in a Chrome shell (verified-crawler)',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.0.0 Safari/537.36',
    ],
    // Not mainstream shapes: no claim, so no header is required of them.
    [
      'Chrome 79, before the full Sec-Fetch set',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.130 Safari/537.36',
    ],
    [
      'Safari 16.3, before Sec-Fetch',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Mobile/15E148 Safari/604.1',
    ],
    [
      'Yandex Browser',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 YaBrowser/24.1.0.0 Safari/537.36',
    ],
    [
      'Pale Moon',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Goanna/6.3 Firefox/102.0 PaleMoon/32.4.0',
    ],
  ];
  for (const [name, userAgent] of cases) {
    it(`${name} → no header signal`, () => assert.deepEqual(run(userAgent, {}), []));
  }

  it('a HEAD request is not judged as a navigation', () => {
    const input = makeInput({ visitor: { userAgent: browser('Chrome 120').userAgent, headers: {}, method: 'HEAD' } });
    assert.deepEqual(headerConsistencyRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS }), []);
  });
});
