import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import type { IpInfo } from '../types.ts';
import { findClaimedCrawler, verifiedCrawlerRule } from './verified-crawler.ts';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const GOOGLE: IpInfo = { country: 'US', asn: 15169, asOrg: 'Google LLC' };
const AWS: IpInfo = { country: 'US', asn: 16509, asOrg: 'Amazon.com, Inc.' };

describe('findClaimedCrawler', () => {
  const cases: [string, string | null][] = [
    [GOOGLEBOT, 'Googlebot'],
    ['Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 (compatible; AdsBot-Google-Mobile; +http://www.google.com/mobile/adsbot.html)', 'AdsBot-Google-Mobile'],
    ['AdsBot-Google (+http://www.google.com/adsbot.html)', 'AdsBot-Google'],
    ['Mediapartners-Google', 'Mediapartners-Google'],
    ['Googlebot-Image/1.0', 'Googlebot'],
    ['Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)', 'Google-InspectionTool'],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'bingbot'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 AdIdxBot', 'AdIdxBot'],
    ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'facebookexternalhit'],
    ['facebookcatalog/1.0', 'facebookcatalog'],
    ['meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)', 'meta-externalagent'],
    ['Twitterbot/1.0', 'Twitterbot'],
    ['Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)', 'Pinterestbot'],
    ['Pinterest/0.2 (+https://www.pinterest.com/bot.html)', 'Pinterestbot'],
    ['LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)', 'LinkedInBot'],
    ['TelegramBot (like TwitterBot)', null],
    ['Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)', null],
    ['curl/8.4.0', null],
    ['', null],
  ];
  for (const [userAgent, expected] of cases) {
    it(`${userAgent.slice(0, 50) || '(empty)'} → ${expected}`, () => assert.equal(findClaimedCrawler(userAgent)?.name ?? null, expected));
  }
});

describe('verified-crawler rule', () => {
  const cases: [string, string, IpInfo, string, [string, string][]][] = [
    ['real Googlebot', GOOGLEBOT, GOOGLE, '66.249.66.1', [['verified_bot', 'Googlebot from AS15169 Google LLC is a verified search crawler']]],
    ['Googlebot from Google Cloud', GOOGLEBOT, { country: 'US', asn: 396982, asOrg: null }, '34.1.2.3', [['verified_bot', 'Googlebot from AS396982 is a verified search crawler']]],
    ['fake Googlebot on AWS', GOOGLEBOT, AWS, '3.3.3.3', [['bot', 'User agent claims to be Googlebot (Google) but comes from AS16509 Amazon.com, Inc., not a Google network']]],
    ['fake Googlebot, unknown ASN', GOOGLEBOT, { country: null, asn: null, asOrg: null }, '203.0.113.9', [['bot', 'User agent claims to be Googlebot (Google) but comes from an unknown network (203.0.113.9), not a Google network']]],
    ['Googlebot name from Meta is still fake', GOOGLEBOT, { country: 'US', asn: 32934, asOrg: 'Facebook, Inc.' }, '31.13.1.1', [['bot', 'User agent claims to be Googlebot (Google) but comes from AS32934 Facebook, Inc., not a Google network']]],
    ['real facebookexternalhit', 'facebookexternalhit/1.1', { country: 'IE', asn: 32934, asOrg: 'Facebook, Inc.' }, '69.171.250.1', [['verified_bot', 'facebookexternalhit from AS32934 Facebook, Inc. is a verified Meta ad-review crawler']]],
    ['Pinterest in its published range', 'Pinterest/0.2 (+https://www.pinterest.com/bot.html)', { country: 'US', asn: 14618, asOrg: 'Amazon.com, Inc.' }, '54.236.1.12', [['verified_bot', "Pinterestbot from 54.236.1.12, in Pinterest's published range 54.236.1.0/24, is a verified Pinterest crawler"]]],
    ['Pinterest elsewhere on AWS', 'Pinterest/0.2 (+https://www.pinterest.com/bot.html)', { country: 'US', asn: 14618, asOrg: 'Amazon.com, Inc.' }, '54.236.2.12', [['bot', 'User agent claims to be Pinterestbot (Pinterest) but comes from AS14618 Amazon.com, Inc., not a Pinterest network']]],
    ['a browser claims nothing', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36', GOOGLE, '66.249.66.1', []],
  ];
  for (const [name, userAgent, ip, address, expected] of cases) {
    it(name, () => {
      const input = makeInput({ visitor: { userAgent, ip: address }, ip });
      const signals = verifiedCrawlerRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
      assert.deepEqual(signals.map((s) => [s.type, s.message]), expected);
    });
  }
});
