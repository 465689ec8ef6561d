import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUserAgent } from './user-agent.ts';
import type { Device } from './user-agent.ts';

const UA = {
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  windowsChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  // Chrome's reduced UA: model "K", Android major only.
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  androidTablet:
    'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  linuxFirefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  ubuntuFirefox: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  chromebook:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  samsungTv:
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  playstation: 'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  galaxyWatch:
    'Mozilla/5.0 (Linux; Android 11; SM-R860) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0 Mobile Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  curl: 'curl/8.5.0',
};

const expected: [keyof typeof UA, Partial<Device>][] = [
  [
    'iphoneSafari',
    { device: 'mobile', os: 'iOS', osVersion: '17.5', browser: 'Mobile Safari', browserVersion: '17.5' },
  ],
  [
    'windowsChrome',
    { device: 'desktop', os: 'Windows', osVersion: '10', browser: 'Chrome', browserVersion: '126.0.0.0' },
  ],
  ['ipad', { device: 'tablet', os: 'iOS' }],
  ['androidChrome', { device: 'mobile', os: 'Android', osVersion: '10', browser: 'Chrome' }],
  ['androidTablet', { device: 'tablet', os: 'Android' }],
  ['macSafari', { device: 'desktop', os: 'Mac OS', browser: 'Safari' }],
  ['linuxFirefox', { device: 'desktop', os: 'Linux', osVersion: null, browser: 'Firefox' }],
  ['ubuntuFirefox', { device: 'desktop', os: 'Ubuntu' }],
  ['chromebook', { device: 'desktop', os: 'Chromium OS' }],
  ['samsungTv', { device: 'tv', os: 'Tizen' }],
  ['playstation', { device: 'console', os: 'PlayStation' }],
  ['galaxyWatch', { device: 'wearable', os: 'Android' }],
  // ua-parser-js knows no bots: no OS, so "other". Bot detection is not this module's job.
  ['googlebot', { device: 'other', os: null, browser: null }],
  ['curl', { device: 'other', os: null }],
];

for (const [name, want] of expected) {
  test(`parses ${name}`, () => {
    const got = parseUserAgent(UA[name]);
    for (const [key, value] of Object.entries(want)) {
      assert.equal(got[key as keyof Device], value, `${name}.${key}`);
    }
  });
}

test('empty and junk input is "other" with nulls, never a throw', () => {
  const nothing: Device = { device: 'other', os: null, osVersion: null, browser: null, browserVersion: null };
  assert.deepEqual(parseUserAgent(''), nothing);
  assert.deepEqual(parseUserAgent('x'.repeat(100_000)), nothing);
  assert.deepEqual(parseUserAgent('\u0000\uffff'), nothing);
});

test('results do not leak between calls on the shared parser', () => {
  parseUserAgent(UA.iphoneSafari);
  assert.equal(parseUserAgent(UA.curl).os, null);
  assert.equal(parseUserAgent(UA.windowsChrome).device, 'desktop');
});

// Real devices whose model has brackets (public GitHub captures, see header-consistency-devices.test.ts).
test('device models with brackets parse as Android phones with their browser', () => {
  const instagram = parseUserAgent(
    'Mozilla/5.0 (Linux; Android 12; moto g power (2022) Build/S3RQS32.20-42-10-9-6; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/115.0.5790.166 Mobile Safari/537.36 Instagram 297.0.0.33.109 Android (31/12; 332dpi; 720x1473; motorola; moto g power (2022); tonga; mt6765; en_US; 507536347)',
  );
  assert.deepEqual(
    [instagram.device, instagram.os, instagram.osVersion, instagram.browser],
    ['mobile', 'Android', '12', 'Instagram'],
  );
  const facebook = parseUserAgent(
    'Mozilla/5.0 (Linux; Android 11; moto g power (2022) Build/RRQS31.Q3-68-140-10; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/105.0.5195.136 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/387.0.0.24.102;]',
  );
  assert.deepEqual([facebook.device, facebook.os, facebook.browser], ['mobile', 'Android', 'Facebook']);
  const chrome = parseUserAgent(
    'Mozilla/5.0 (Linux; Android 12; moto g(60)s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Mobile Safari/537.36',
  );
  assert.deepEqual(
    [chrome.device, chrome.os, chrome.browser, chrome.browserVersion],
    ['mobile', 'Android', 'Chrome', '108.0.0.0'],
  );
});
