import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VisitorHeaders } from '../visitor.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import { headerConsistencyRule, parseBrowserClaim } from './header-consistency.ts';

/**
 * Real devices' user agents whose model carries brackets. Sources: strings logged from real traffic and
 * kept in public GitHub repositories (found by exact-string search of public code), quoted verbatim
 * except for a logger's trailing " [ip:…]" marker, which the device did not send:
 * - a parse_user_agent pytest table (Instagram, Android 12, moto g power (2022));
 * - a list of user agents captured from Facebook's in-app browser (FB_IAB, Android 11, moto g power (2022));
 * - the same capture's Chrome entry for a "moto g(60)s" (Chrome 108 before the reduced user agent).
 */
const BRACKETED = [
  {
    name: 'Instagram in-app browser, moto g power (2022)',
    userAgent:
      'Mozilla/5.0 (Linux; Android 12; moto g power (2022) Build/S3RQS32.20-42-10-9-6; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/115.0.5790.166 Mobile Safari/537.36 Instagram 297.0.0.33.109 Android (31/12; 332dpi; 720x1473; motorola; moto g power (2022); tonga; mt6765; en_US; 507536347)',
    label: 'Android WebView 115',
    embedded: true,
  },
  {
    name: 'Facebook in-app browser, moto g power (2022)',
    userAgent:
      'Mozilla/5.0 (Linux; Android 11; moto g power (2022) Build/RRQS31.Q3-68-140-10; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/105.0.5195.136 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/387.0.0.24.102;]',
    label: 'Android WebView 105',
    embedded: true,
  },
  {
    name: 'Chrome 108, moto g(60)s',
    userAgent:
      'Mozilla/5.0 (Linux; Android 12; moto g(60)s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Mobile Safari/537.36',
    label: 'Chrome 108',
    embedded: false,
  },
] as const;

/** Chromium's navigation headers (lwthiker/curl-impersonate chrome_116 capture), without client hints. */
const CHROMIUM_NAVIGATION: VisitorHeaders = {
  accept:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'accept-language': 'en-US,en;q=0.9',
};

function run(userAgent: string, headers: VisitorHeaders) {
  const input = makeInput({ visitor: { userAgent, headers, secure: true } });
  return headerConsistencyRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
}

describe('header-consistency: device models with brackets', () => {
  for (const { name, userAgent, label, embedded } of BRACKETED) {
    it(`${name} is recognised as ${label} on Android`, () => {
      const claim = parseBrowserClaim(userAgent);
      assert.equal(claim?.label, label);
      assert.equal(claim.platform, 'Android');
      assert.equal(claim.mobile, true);
    });
    it(`${name} without Sec-Fetch-* is held to what its engine sends`, () => {
      const { accept, 'accept-language': language } = CHROMIUM_NAVIGATION;
      const expected = [`${label} user agent without Sec-Fetch-Site, Sec-Fetch-Mode, Sec-Fetch-Dest`];
      // The browser (not a web view) also owes its client hints.
      if (!embedded) expected.push(`${label} user agent without Sec-CH-UA`);
      const signals = run(userAgent, { accept, 'accept-language': language });
      assert.deepEqual(
        signals.map((s) => s.message),
        expected,
      );
      for (const signal of signals) assert.equal(signal.type, 'bot');
    });
  }
  it('the Chrome one with its real headers and hints passes', () => {
    const headers: VisitorHeaders = {
      ...CHROMIUM_NAVIGATION,
      'sec-ch-ua': '"Not?A_Brand";v="8", "Chromium";v="108", "Google Chrome";v="108"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Android"',
    };
    assert.deepEqual(run(BRACKETED[2].userAgent, headers), []);
  });
  it('the web views with their real navigation headers pass', () => {
    assert.deepEqual(run(BRACKETED[0].userAgent, CHROMIUM_NAVIGATION), []);
    assert.deepEqual(run(BRACKETED[1].userAgent, CHROMIUM_NAVIGATION), []);
  });
  it('a bracketed model still contradicts a Windows platform hint', () => {
    const headers: VisitorHeaders = {
      ...CHROMIUM_NAVIGATION,
      'sec-ch-ua': '"Not?A_Brand";v="8", "Chromium";v="108", "Google Chrome";v="108"',
      'sec-ch-ua-mobile': '?1',
      'sec-ch-ua-platform': '"Windows"',
    };
    assert.deepEqual(
      run(BRACKETED[2].userAgent, headers).map((s) => s.message),
      ['Sec-CH-UA-Platform "Windows" contradicts the Android user agent (Chrome 108)'],
    );
  });
  it('nested or unbalanced brackets are not a claim, and hostile input stays fast', () => {
    assert.equal(
      parseBrowserClaim(
        'Mozilla/5.0 (Linux; Android 12; a ((b)) c) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Mobile Safari/537.36',
      ),
      null,
    );
    const started = performance.now();
    parseBrowserClaim(`Mozilla/5.0 (Linux; ${'(x) '.repeat(20_000)}`);
    parseBrowserClaim(`Mozilla/5.0 (Linux; ${'a; '.repeat(20_000)}; rv:1`);
    assert.ok(performance.now() - started < 500, 'linear on long input');
  });
});
