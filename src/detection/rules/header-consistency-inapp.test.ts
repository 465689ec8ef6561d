import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VisitorHeaders } from '../visitor.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import { headerConsistencyRule, parseBrowserClaim } from './header-consistency.ts';

/**
 * In-app views whose engine predates Fetch Metadata: iOS WebKit before 16.4 and Android WebView
 * before Chromium 80 (MDN browser-compat-data http/headers/Sec-Fetch-Dest.json: safari 16.4 with
 * safari_ios mirroring it, webview_android mirroring chrome 80). They send no Sec-Fetch-* at all, so
 * that rule must not apply to them; what every version sends (Accept, Accept-Language) still does.
 * User agents verbatim from public GitHub repositories (found by exact-string search of public code):
 * - Facebook for iOS on iOS 16.1.1, 16.0 and 15.7.2: a list of user agents captured from real traffic
 *   (the same list as the bracketed moto g power entries of header-consistency-devices.test.ts);
 * - WeChat's mini-program web view (MicroMessenger 7.0.15, Android WebView 74) and a Samsung web view
 *   (Chrome 74, "; wv"): the headers of public scripts that replay those apps' requests.
 */
const OLD_IN_APP = [
  {
    name: 'Facebook for iOS, iOS 16.1.1',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 16_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/20B101 [FBAN/FBIOS;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/16.1.1;FBSS/3;FBID/phone;FBLC/da_DK;FBOP/5]',
  },
  {
    name: 'Facebook for iOS, iOS 16.0',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/20A362 [FBAN/FBIOS;FBDV/iPhone10,4;FBMD/iPhone;FBSN/iOS;FBSV/16.0;FBSS/2;FBID/phone;FBLC/es_LA;FBOP/5]',
  },
  {
    name: 'Facebook for iOS, iOS 15.7.2',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 15_7_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/19H218 [FBAN/FBIOS;FBDV/iPhone9,3;FBMD/iPhone;FBSN/iOS;FBSV/15.7.2;FBSS/2;FBID/phone;FBLC/nl_NL;FBOP/5]',
  },
  {
    name: 'WeChat mini-program, Android WebView 74',
    userAgent:
      'Mozilla/5.0 (Linux; Android 5.1.1; SM-N960F Build/JLS36C; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/74.0.3729.136 Mobile Safari/537.36 MMWEBID/1042 MicroMessenger/7.0.15.1680(0x27000F34) Process/appbrand0 WeChat/arm32 NetType/WIFI Language/zh_CN ABI/arm32',
  },
  {
    name: 'Samsung web view, Android WebView 74',
    userAgent:
      'Mozilla/5.0 (Linux; Android 5.1.1; SM-G965N Build/R16NW.G965NKSU1ARC7; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/74.0.3729.136 Mobile Safari/537.36',
  },
] as const;

/** What these engines send on a navigation: Accept and Accept-Language, no Fetch Metadata, no hints. */
const OLD_NAVIGATION: VisitorHeaders = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.9',
  'accept-encoding': 'gzip, deflate',
};

function run(userAgent: string, headers: VisitorHeaders) {
  const input = makeInput({ visitor: { userAgent, headers, secure: true } });
  return headerConsistencyRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
}

describe('header-consistency: in-app views older than Fetch Metadata', () => {
  for (const { name, userAgent } of OLD_IN_APP) {
    it(`${name} without Sec-Fetch-* over https → no signal`, () =>
      assert.deepEqual(run(userAgent, OLD_NAVIGATION), []));
    it(`${name} is not held to the current browsers' header set`, () =>
      assert.equal(parseBrowserClaim(userAgent), null));
    it(`${name} with Sec-CH-UA is not called a contradiction (web views send hints inconsistently)`, () =>
      assert.deepEqual(run(userAgent, { ...OLD_NAVIGATION, 'sec-ch-ua': '"Chromium";v="74"' }), []));
  }
});

describe('header-consistency: in-app views that do send Fetch Metadata stay checked', () => {
  // Same apps on engines with Fetch Metadata (Facebook iOS 17.5.1 and Android WebView 105, real strings
  // from the same public captures): missing Sec-Fetch-* is still a signal there.
  const cases = [
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/473.0.0.34.108;FBBV/635414428;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]',
      'Facebook in-app browser on iOS 17',
    ],
    [
      'Mozilla/5.0 (Linux; Android 11; moto g power (2022) Build/RRQS31.Q3-68-140-10; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/105.0.5195.136 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/387.0.0.24.102;]',
      'Android WebView 105',
    ],
  ] as const;
  for (const [userAgent, label] of cases) {
    it(`${label} without Sec-Fetch-* → bot signal`, () =>
      assert.deepEqual(
        run(userAgent, OLD_NAVIGATION).map((s) => [s.type, s.message]),
        [['bot', `${label} user agent without Sec-Fetch-Site, Sec-Fetch-Mode, Sec-Fetch-Dest`]],
      ));
  }
  it('old in-app views are left to the other rules: no header claim, so no header signal at all', () => {
    for (const { userAgent } of OLD_IN_APP) assert.deepEqual(run(userAgent, {}), []);
  });
});
